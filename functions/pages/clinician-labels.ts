import type { AdverseEventKind, AdverseEventReporter } from '../domain/schemas/adverse-event.ts';
import { bladderSymptomWords, type BladderCheck } from '../domain/schemas/assessment.ts';
import type { EvaluationModality } from '../domain/schemas/evaluation.ts';
import type { JourneyPhase } from '../domain/schemas/journey.ts';
import type { MedicalCondition } from '../domain/schemas/questionnaires.ts';
import type { ScreeningOutcome } from '../domain/schemas/screening-result.ts';
import type { ClinicConfig } from '../platform/clinic-config.ts';
import { conditionLabels } from './answer-labels.ts';

/**
 * What clinicians read for each coded value: clinician pages and the alerts they show say "Severe side
 * effect" and "Bladder: pain passing urine", never `severe-side-effect` or `painOnUrination`. Complete
 * records, so a new code cannot reach a clinician's page without its words.
 */
export const journeyPhaseLabels: Readonly<Record<JourneyPhase, string>> = {
  intake: 'Intake questionnaires',
  consult: 'Video consult',
  screening: 'Screening',
  eligibility: 'Eligibility decision',
  'treatment-plan': 'Treatment plan',
  induction: 'Induction sessions',
  'follow-up': 'Follow-up',
  maintenance: 'Maintenance (monthly refills)',
  'on-hold': 'On clinical hold',
  discharged: 'Discharged',
  declined: 'Declined at eligibility',
  ineligible: 'Not eligible',
  'closed-before-treatment': 'Closed before treatment',
};

/** The outcome as a clinician says it, not as the code reads ("NEEDS_REVIEW"). */
export const screeningOutcomeWords: Readonly<Record<ScreeningOutcome, string>> = {
  ELIGIBLE: 'eligible',
  NEEDS_REVIEW: 'needs your review (a relative contraindication)',
  INELIGIBLE: 'not eligible (an absolute contraindication)',
};

export const adverseEventKindLabels: Readonly<Record<AdverseEventKind, string>> = {
  'severe-side-effect': 'Severe side effect',
  'red-flag-at-check-in': 'Warning sign at the check-in',
  'suicidal-ideation': 'Thoughts of suicide',
  'misuse-signs': 'Signs of misuse',
  'missing-monitor': 'No adult monitor present',
  'lost-or-stolen-medication': 'Lost or stolen medication',
  pregnancy: 'Pregnancy',
  other: 'Other',
};

export const adverseEventReporterLabels: Readonly<Record<AdverseEventReporter, string>> = {
  patient: 'the patient',
  staff: 'the clinic',
  system: "the system (from the patient's answers)",
};

export const evaluationModalityLabels: Readonly<Record<EvaluationModality, string>> = {
  'in-person': 'In person',
  telehealth: 'Telehealth (video)',
};

export const bladderSymptomLabels: Readonly<Record<keyof BladderCheck, string>> = bladderSymptomWords;

/** A medical condition as the screening reasons name it, from the intake's own words for it. */
export function conditionLabel(code: string): string | undefined {
  return Object.hasOwn(conditionLabels, code) ? conditionLabels[code as MedicalCondition] : undefined;
}

/** A clinician by name ("Dr. Ana Rivera"), not by the config's id. */
export function clinicianName(clinic: ClinicConfig, id: string): string {
  return clinic.clinicians.find((c) => c.id === id)?.name ?? "a clinician no longer in the clinic's list";
}
