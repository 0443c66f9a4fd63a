import type { SideEffectSeverity } from '../domain/schemas/side-effect-report.ts';
import { en, type Messages } from './messages-en.ts';

/**
 * What people read for each coded answer, from the message catalogue (functions/pages/messages-en.ts,
 * written out rather than made from the codes). These English names serve the clinician pages, which
 * stay in English; patient pages take the labels of the patient's language.
 */
export const conditionLabels = en.labels.conditions;
export const redFlagSymptomLabels = en.labels.redFlags;
export const priorTreatmentLabels = en.labels.priorTreatments;
export const sideEffectLabels = en.labels.sideEffects;

/** The pregnancy question's answers, in the catalogue's language. */
export function pregnancyOptions(m: Messages): { value: string; label: string }[] {
  return (['yes', 'no', 'cannot-become-pregnant'] as const).map((value) => ({
    value,
    label: m.labels.pregnancy[value],
  }));
}

/** A side effect's strength, in the catalogue's language. */
export function severityOptions(m: Messages): { value: SideEffectSeverity; label: string }[] {
  return (Object.keys(m.labels.severities) as SideEffectSeverity[]).map((value) => ({
    value,
    label: m.labels.severities[value],
  }));
}
