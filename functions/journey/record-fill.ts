import { localDate } from '../domain/local-time.ts';
import type { Protocol } from '../domain/protocol.ts';
import type { TreatmentPlan } from '../domain/schemas/index.ts';
import { inPersonEvaluationMissing, lastRefillDay } from '../domain/refill-gate.ts';
import { now } from '../platform/clock.ts';
import { commitChange, type AuditActor, type StoreWrite } from '../store/audited-change.ts';
import { getItem } from '../store/read-items.ts';
import { AlreadyExistsError } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';
import { failClosedOnHold, notOnHoldCheck } from './hold-check.ts';
import { JourneyDataMissing } from './journey-errors.ts';
import { journeyStore } from './journey-store.ts';
import { loadPatientContext, type PatientContext } from './patient-context.ts';
import { readStored, storedFill, type StoredFill } from './stored-records.ts';
import { DAY_MS } from '../domain/durations.ts';

export interface RecordedFill {
  readonly cycle: number;
  readonly fillNumber: number;
  readonly filledAt: string;
  readonly daysOfSupply: number;
  /** true when this call found the fill already recorded (a retry, or the loser of a race) */
  readonly alreadyRecorded: boolean;
}


export class RefillNotAllowed extends Error {
  override readonly name = 'RefillNotAllowed';
}

/**
 * Records the fill of a refill cycle exactly once: FILL#<cycle> is created with attribute_not_exists,
 * so a retried or racing call finds it and answers with the same fill. The same transaction checks
 * that the patient is not on hold (PatientOnHold otherwise) and that the previous fill is at least the
 * protocol's interval old, so even a gate decision that went stale can never put two fills too close;
 * the refill caps (count, months from the prescription) and the telehealth cut-off are checked again too
 * (RefillNotAllowed).
 * Cycle 0 is the initial fill (recordInitialFill).
 */
export async function recordFill(input: { patientId: string; cycle: number; actor: AuditActor }): Promise<RecordedFill> {
  const { client, tableName, protocol } = journeyStore();
  const context = await loadPatientContext(input.patientId);
  const existing = context.fills.find((fill) => fill.cycle === input.cycle);
  if (existing !== undefined) return answer(existing, true);
  const plan = context.plan;
  if (plan === undefined) throw new JourneyDataMissing('no approved treatment plan to fill');

  const at = now();
  const refusal = fillRefusal({ ...context, plan }, input.cycle, at, protocol);
  if (refusal !== null) throw new RefillNotAllowed(refusal);
  const previous = context.fills.filter((fill) => fill.cycle < input.cycle).at(-1);
  const request = context.assessments.filter((a) => a.stepKey?.startsWith(`refill-${input.cycle}-request`) === true).at(-1);
  const fill = {
    cycle: input.cycle,
    fillNumber: input.cycle + 1,
    filledAt: at.toISOString(),
    daysOfSupply: Math.min(plan.daysOfSupply, protocol.supply.maxDaysPerFill),
    quantity: null,
    pdmpCheckedAt: context.journey.pdmpCheckedAt,
    lostOrStolenReplacement: request?.lostOrStolenReplacement ?? false,
  };
  const writes: StoreWrite[] = [
    notOnHoldCheck(input.patientId),
    { kind: 'create', key: keys.fill(input.patientId, input.cycle), label: 'fill', itemType: 'FILL', attributes: fill },
  ];
  if (previous !== undefined && input.cycle > 0) {
    writes.push({
      kind: 'check',
      key: keys.fill(input.patientId, previous.cycle),
      label: 'previous fill',
      condition: {
        name: `previous fill is at least ${protocol.refill.minimumDaysSinceLastFill} days old`,
        expression: '#filledAt <= :latest',
        names: { '#filledAt': 'filledAt' },
        // ISO instants of toISOString() sort as text in time order
        values: { ':latest': new Date(at.getTime() - protocol.refill.minimumDaysSinceLastFill * DAY_MS).toISOString() },
      },
    });
  }
  try {
    await failClosedOnHold(input.patientId, `fill ${input.cycle}`, () =>
      commitChange(client, tableName, {
        writes,
        audit: {
          patientId: input.patientId,
          actor: input.actor,
          action: input.cycle === 0 ? 'fill.initial-recorded' : 'fill.refill-recorded',
          reason: input.cycle === 0 ? 'initial fill of the approved prescription' : `refill ${input.cycle}, approved by the clinician after the refill gate`,
          protocolVersion: protocol.version,
          details: { cycle: input.cycle, fillNumber: fill.fillNumber, daysOfSupply: fill.daysOfSupply, lostOrStolenReplacement: fill.lostOrStolenReplacement },
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const item = await getItem(client, tableName, keys.fill(input.patientId, input.cycle));
    if (item === undefined) throw error;
    return answer(readStored(storedFill, item), true);
  }
  return answer({ ...fill, quantity: null } as StoredFill, false);
}

/**
 * Why refill `cycle` may not be filled at `at` although the gate passed its request, or null: the gate
 * passed it, but the clinician may approve it days later, so a fill is never made beyond the refills
 * allowed, after the prescription's last refill day or past the telehealth cut-off, however late the
 * approval came. Each condition only becomes true with time, so a later call finds the same reason.
 */
export function fillRefusal(context: Pick<PatientContext, 'patient' | 'evaluations'> & { plan: Pick<TreatmentPlan, 'refillsAllowed' | 'prescriptionIssuedOn' | 'approvedBy'> }, cycle: number, at: Date, protocol: Protocol): string | null {
  if (cycle === 0) return null;
  const allowed = Math.min(protocol.refill.maxRefills, context.plan.refillsAllowed);
  if (cycle > allowed) return `refill ${cycle} is beyond the ${allowed} allowed`;
  const today = localDate(at, context.patient.timeZone);
  const lastDay = lastRefillDay(context.plan.prescriptionIssuedOn, protocol);
  if (today > lastDay) {
    return `refill ${cycle} would be filled after ${lastDay}, ${protocol.refill.maxMonthsFromPrescription} months from the prescription of ${context.plan.prescriptionIssuedOn}`;
  }
  const inPerson = inPersonEvaluationMissing(today, context.evaluations, context.plan.approvedBy, protocol);
  return inPerson === null ? null : `refill ${cycle} cannot be filled: ${inPerson}`;
}

function answer(fill: StoredFill, alreadyRecorded: boolean): RecordedFill {
  return { cycle: fill.cycle, fillNumber: fill.fillNumber, filledAt: fill.filledAt, daysOfSupply: fill.daysOfSupply, alreadyRecorded };
}
