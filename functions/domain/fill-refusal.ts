import { localDate } from './local-time.ts';
import type { Protocol } from './protocol.ts';
import { inPersonEvaluationMissing, lastRefillDay, nextRefillNumber } from './refill-gate.ts';
import type { Evaluation, TreatmentPlan } from './schemas/index.ts';

export interface FillContext {
  readonly patient: { readonly timeZone: string };
  readonly evaluations: readonly Pick<Evaluation, 'modality' | 'clinicianId'>[];
  readonly plan: Pick<TreatmentPlan, 'refillsAllowed' | 'prescriptionIssuedOn' | 'approvedBy'>;
  /** every fill recorded so far, the initial one included */
  readonly fills: readonly unknown[];
}

/**
 * Why a refill may not be filled at `at` although the gate passed its request, or null: the clinician
 * may approve days after the gate, so a fill is never made beyond the refills allowed, after the
 * prescription's last refill day or past the telehealth cut-off, however late the approval came. Each
 * condition only becomes true with time (or with fills), so a later call finds the same reason.
 * The initial fill (cycle 0) is the prescription itself and is never refused here.
 */
export function fillRefusal(context: FillContext, cycle: number, at: Date, protocol: Protocol): string | null {
  if (cycle === 0) return null;
  const refill = nextRefillNumber(context.fills);
  const allowed = Math.min(protocol.refill.maxRefills, context.plan.refillsAllowed);
  if (refill > allowed) return `refill ${refill} is beyond the ${allowed} allowed`;
  const today = localDate(at, context.patient.timeZone);
  const lastDay = lastRefillDay(context.plan.prescriptionIssuedOn, protocol);
  if (today > lastDay) {
    return `refill ${refill} would be filled after ${lastDay}, ${protocol.refill.maxMonthsFromPrescription} months from the prescription of ${context.plan.prescriptionIssuedOn}`;
  }
  const inPerson = inPersonEvaluationMissing(today, context.evaluations, context.plan.approvedBy, protocol);
  return inPerson === null ? null : `refill ${refill} cannot be filled: ${inPerson}`;
}
