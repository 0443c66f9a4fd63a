import { toLocal } from './local-time.ts';
import type { Protocol, reviewMedicationClasses } from './protocol.ts';
import { matchMedication } from './medication-names.ts';
import { cssrsRisk, isoDate, scoreAuditC, scoreDast10, scoreGad7, scorePhq9 } from './scoring.ts';
import type { Intake, Patient, ScreeningReason, ScreeningReasonCode, ScreeningResult } from './schemas/index.ts';

/**
 * Screening: scores the intake and applies the protocol's exclusions. Any absolute exclusion (or unmet
 * enrolment criterion) makes the patient INELIGIBLE, any relative one NEEDS_REVIEW, else ELIGIBLE.
 * Every reason found is listed, so the clinician sees the whole picture, and the protocol version is
 * recorded with the decision. Imminent suicide risk raises the urgent alert whatever the outcome.
 */
export function screen(intake: Intake, patient: Patient, protocol: Protocol, now: Date): ScreeningResult {
  const rules = protocol.eligibility;
  const local = toLocal(now, patient.timeZone);
  // Age and lookbacks are counted in the patient's own calendar: on their 18th birthday they are 18.
  const today = isoDate(local.year, local.month, local.day);

  const ageYears = ageOn(patient.dateOfBirth, today);
  const gad7 = scoreGad7(intake.gad7, protocol);
  const phq9 = scorePhq9(intake.phq9, protocol);
  const auditC = scoreAuditC(intake.auditC, patient.sexAtBirth, protocol);
  const dast10 = scoreDast10(intake.dast10, protocol);
  const risk = cssrsRisk(intake.cssrs, protocol, today);
  // The highest reading counts, so one high reading is never averaged away.
  const restingBp = {
    systolic: Math.max(...intake.vitals.restingBp.map((reading) => reading.systolic)),
    diastolic: Math.max(...intake.vitals.restingBp.map((reading) => reading.diastolic)),
  };

  const reasons: ScreeningReason[] = [];
  const exclude = (code: ScreeningReasonCode, message: string) =>
    reasons.push({ code, message, severity: 'exclusion' });
  const review = (code: ScreeningReasonCode, message: string) => reasons.push({ code, message, severity: 'review' });

  if (ageYears < rules.minimumAgeYears)
    exclude('below-minimum-age', `age ${ageYears} is below the minimum of ${rules.minimumAgeYears}`);
  if (phq9.total < rules.minimumPhq9 && gad7.total < rules.minimumGad7) {
    exclude(
      'severity-below-enrolment-threshold',
      `PHQ-9 ${phq9.total} and GAD-7 ${gad7.total} are both below enrolment (PHQ-9 ≥ ${rules.minimumPhq9} or GAD-7 ≥ ${rules.minimumGad7})`,
    );
  }
  const priorTreatments = intake.medicalHistory.priorTreatments.length;
  if (priorTreatments < rules.minimumPriorTreatments) {
    exclude(
      'too-few-prior-treatments',
      `${priorTreatments} prior treatment(s) tried; at least ${rules.minimumPriorTreatments} needed`,
    );
  }

  const conditions = new Set<string>(intake.medicalHistory.conditions);
  for (const condition of rules.absoluteExclusions) {
    if (conditions.has(condition)) exclude(condition, `absolute contraindication: ${condition}`);
  }
  const weighted = (severity: 'exclusion' | 'review', code: ScreeningReasonCode, message: string) =>
    (severity === 'exclusion' ? exclude : review)(code, message);
  if (intake.medicalHistory.maniaOrHypomania) {
    weighted(rules.maniaOrHypomaniaHistory, 'mania-or-hypomania-history', 'a history of mania or hypomania');
  }
  if (intake.pregnancy === 'yes') {
    weighted(
      rules.pregnancyNowPlannedOrBreastfeeding,
      'pregnancy-now-planned-or-breastfeeding',
      'pregnant now, planning to become pregnant, or breastfeeding: treatment waits for the clinician',
    );
  }

  if (dast10.total >= rules.dast10Exclusion) {
    exclude(
      'dast10-at-exclusion-threshold',
      `DAST-10 ${dast10.total} is at or above the exclusion threshold ${rules.dast10Exclusion}`,
    );
  } else if (dast10.total >= rules.dast10ReviewFrom) {
    review(
      'dast10-review-range',
      `DAST-10 ${dast10.total} is in the review range (${rules.dast10ReviewFrom}-${rules.dast10Exclusion - 1})`,
    );
  }

  const bp = `${restingBp.systolic}/${restingBp.diastolic}`;
  if (atOrAbove(restingBp, rules.restingBpExclusion)) {
    exclude(
      'resting-bp-at-exclusion-threshold',
      `resting BP ${bp} is at or above ${rules.restingBpExclusion.systolic}/${rules.restingBpExclusion.diastolic}`,
    );
  } else if (atOrAbove(restingBp, rules.restingBpReview)) {
    review(
      'resting-bp-review-range',
      `resting BP ${bp} is at or above ${rules.restingBpReview.systolic}/${rules.restingBpReview.diastolic}`,
    );
  }

  if (risk === 'imminent') {
    exclude(
      'cssrs-imminent-risk',
      'C-SSRS: intent or plan in the ideation lookback, or suicidal behaviour in the behaviour lookback',
    );
  } else if (risk === 'moderate') {
    review('cssrs-moderate-risk', 'C-SSRS: moderate risk');
  } else if (risk === 'low' && intake.cssrs.suicidalThoughts && rules.cssrsLowWithActiveThoughtsReview) {
    review('cssrs-low-with-active-thoughts', 'C-SSRS: low risk, but active thoughts of suicide (question 2)');
  }
  if (phq9.item9 > rules.phq9Item9ReviewAbove)
    review('phq9-item9-positive', `PHQ-9 item 9 (thoughts of self-harm) answered ${phq9.item9}`);
  if (auditC.positive)
    review(
      'audit-c-positive',
      `AUDIT-C ${auditC.total} is at or above the threshold for sex at birth (${patient.sexAtBirth})`,
    );

  for (const condition of rules.relativeConditions) {
    if (conditions.has(condition)) review(condition, `relative contraindication: ${condition}`);
  }
  const medications = intake.currentMedications.medications.map((medication) => {
    const match = matchMedication(medication.name, protocol);
    // the patient's own filing can add a class, never take one away
    const given = medication.class !== undefined && medication.class !== 'other' ? [medication.class] : [];
    return { name: medication.name, classes: new Set([...match.classes, ...given]), recognised: match.recognised };
  });
  for (const medicationClass of rules.reviewMedicationClasses) {
    const names = medications
      .filter((medication) => medication.classes.has(medicationClass))
      .map((medication) => medication.name);
    if (names.length > 0)
      review(
        `medication-${medicationClass}`,
        `current ${medicationClassWords[medicationClass]} medication: ${names.join(', ')}`,
      );
  }
  const unrecognised = medications
    .filter((medication) => !medication.recognised && medication.classes.size === 0)
    .map((medication) => medication.name);
  if (unrecognised.length > 0 && rules.unrecognisedMedicationReview) {
    review(
      'medication-unrecognised',
      `medication(s) the protocol's table does not recognise, for the clinician to check: ${unrecognised.join(', ')}`,
    );
  }

  const outcome = reasons.some((reason) => reason.severity === 'exclusion')
    ? 'INELIGIBLE'
    : reasons.some((reason) => reason.severity === 'review')
      ? 'NEEDS_REVIEW'
      : 'ELIGIBLE';

  return {
    outcome,
    reasons,
    scores: { ageYears, gad7, phq9, auditC, dast10, cssrs: { risk }, restingBp },
    urgentAlert: risk === 'imminent',
    protocolVersion: protocol.version,
    decidedAt: now.toISOString(),
  };
}

/** Whole years from a date of birth to `today` (both YYYY-MM-DD); a 29 February birthday falls on 1 March. */
export function ageOn(dateOfBirth: string, today: string): number {
  const [birthYear, birthMonthDay] = [Number(dateOfBirth.slice(0, 4)), dateOfBirth.slice(5)];
  const [year, monthDay] = [Number(today.slice(0, 4)), today.slice(5)];
  return year - birthYear - (monthDay < birthMonthDay ? 1 : 0);
}

/** Either number at or above the threshold's counts: 160/80 and 120/100 both reach 160/100. */
function atOrAbove(
  reading: { systolic: number; diastolic: number },
  threshold: { systolic: number; diastolic: number },
): boolean {
  return reading.systolic >= threshold.systolic || reading.diastolic >= threshold.diastolic;
}

/** The classes as a clinician writes them (MAOI, CNS), not as their codes read ("maoi"). */
const medicationClassWords: Readonly<Record<(typeof reviewMedicationClasses)[number], string>> = {
  benzodiazepine: 'benzodiazepine',
  stimulant: 'stimulant',
  maoi: 'MAOI',
  opioid: 'opioid',
  'other-cns-depressant': 'other CNS depressant',
};
