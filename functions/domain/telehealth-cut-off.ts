import type { Protocol } from './protocol.ts';
import { lastRefillDay } from './refill-gate.ts';
import type { Evaluation } from './schemas/index.ts';

/**
 * What the clinician must know at the consult, evaluation and plan steps about the telehealth cut-off, or
 * null when it cannot block this patient: with no in-person evaluation on record that counts for this
 * prescriber (prescribing.inPersonEvaluationBy), every refill after
 * `telehealth.prescribingValidUntil` is refused, and a prescription written today runs
 * `refill.maxMonthsFromPrescription` months. Said at the start, it is a plan; found at the first refill,
 * it is a gap in the patient's treatment.
 */
export function telehealthCutOffWarning(
  today: string,
  evaluations: readonly Pick<Evaluation, 'modality' | 'clinicianId'>[],
  prescriberId: string,
  protocol: Protocol,
): string | null {
  const anyClinician = protocol.prescribing.inPersonEvaluationBy === 'any-clinician';
  if (evaluations.some((e) => e.modality === 'in-person' && (anyClinician || e.clinicianId === prescriberId)))
    return null;
  const cutOff = protocol.telehealth.prescribingValidUntil;
  const refillsUntil = lastRefillDay(today, protocol);
  if (refillsUntil <= cutOff) return null;
  const already = today > cutOff;
  return already
    ? `Prescribing by telehealth alone ended on ${cutOff}, and this patient has no in-person evaluation on record that counts for you: no refill can be filled until one is recorded. Please ask the clinic to book an in-person evaluation.`
    : `Prescribing by telehealth alone is allowed until ${cutOff}, and this patient has no in-person evaluation on record that counts for you: refills after ${cutOff} will be refused until one is recorded. Please ask the clinic to book an in-person evaluation before then.`;
}
