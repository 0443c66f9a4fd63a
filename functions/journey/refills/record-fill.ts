import { fillRefusal } from '../../domain/fill-refusal.ts';
import { now } from '../../platform/clock.ts';
import { commitChange, type AuditActor } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { getItem } from '../../store/read-items.ts';
import { AlreadyExists } from '../../store/store-errors.ts';
import { keys } from '../../store/table-design.ts';
import { failClosedOnHold, notOnHoldCheck } from '../../patient/hold-check.ts';
import { JourneyDataMissing, RefillNotAllowed } from '../../patient/journey-errors.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';
import { readStored, storedFill, type StoredFill, type StoredSession } from '../../patient/stored-records.ts';
import { fillQuantity } from '../../domain/fill-quantity.ts';
import { DAY_MS } from '../../domain/durations.ts';

/** The workflow's answer: which fill and when, and which sessions its doses are; the supply stays in the table. */
export interface RecordedFill {
  readonly cycle: number;
  readonly fillNumber: number;
  readonly filledAt: string;
  /** the maintenance sessions this fill supplies: numbers firstSessionNumber .. firstSessionNumber + doses - 1 */
  readonly firstSessionNumber: number | null;
  readonly doses: number;
  /** true when this call found the fill already recorded (a retry, or the loser of a race) */
  readonly alreadyRecorded: boolean;
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
export async function recordFill(input: {
  patientId: string;
  cycle: number;
  actor: AuditActor;
}): Promise<RecordedFill> {
  const { client, tableName, protocol } = functionContext();
  const context = await loadPatientContext(input.patientId);
  const existing = context.fills.find((fill) => fill.cycle === input.cycle);
  if (existing !== undefined) return answer(existing, true);
  const plan = context.plan;
  if (plan === undefined) throw new JourneyDataMissing('no approved treatment plan to fill');

  const at = now();
  const refusal = fillRefusal({ ...context, plan }, input.cycle, at, protocol);
  const fillNumber = context.fills.length + 1;
  if (refusal !== null) throw new RefillNotAllowed(refusal);
  const previous = context.fills.filter((fill) => fill.cycle < input.cycle).at(-1);
  const request = context.assessments
    .filter((a) => a.stepKey?.startsWith(`refill-${input.cycle}-request`) === true)
    .at(-1);
  // the initial fill supplies induction's sessions; a refill, the maintenance doses of its supply period
  const supply =
    input.cycle === 0
      ? { doses: plan.sessionCount, reasons: [`the ${plan.sessionCount} induction sessions`] }
      : fillQuantity(plan, protocol);
  const fill = {
    cycle: input.cycle,
    // fill numbers count fills: a cycle that ended without one (or was restarted) leaves no gap
    fillNumber,
    filledAt: at.toISOString(),
    daysOfSupply: Math.min(plan.daysOfSupply, protocol.supply.maxDaysPerFill),
    quantity: supply.doses,
    doseMg: plan.doseMg,
    // maintenance sessions are numbered after every session so far (induction's, earlier fills')
    firstSessionNumber: input.cycle === 0 ? null : nextSessionNumber(context.sessions, context.fills),
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
          reason:
            input.cycle === 0
              ? 'initial fill of the approved prescription'
              : `refill ${fillNumber - 1} (cycle ${input.cycle}), approved by the clinician after the refill gate`,
          protocolVersion: protocol.version,
          details: {
            cycle: input.cycle,
            fillNumber: fill.fillNumber,
            daysOfSupply: fill.daysOfSupply,
            doses: fill.quantity,
            doseMg: fill.doseMg,
            firstSessionNumber: fill.firstSessionNumber,
            quantityReasons: supply.reasons,
            lostOrStolenReplacement: fill.lostOrStolenReplacement,
          },
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof AlreadyExists)) throw error;
    const item = await getItem(client, tableName, keys.fill(input.patientId, input.cycle));
    if (item === undefined) throw error;
    return answer(readStored(storedFill, item), true);
  }
  return answer(fill, false);
}

function answer(
  fill: Pick<StoredFill, 'cycle' | 'fillNumber' | 'filledAt' | 'quantity' | 'firstSessionNumber'>,
  alreadyRecorded: boolean,
): RecordedFill {
  const doses = fill.firstSessionNumber === null ? 0 : (fill.quantity ?? 0);
  return {
    cycle: fill.cycle,
    fillNumber: fill.fillNumber,
    filledAt: fill.filledAt,
    firstSessionNumber: fill.firstSessionNumber,
    doses,
    alreadyRecorded,
  };
}

/** One past the highest session number planned or supplied so far. */
function nextSessionNumber(
  sessions: readonly Pick<StoredSession, 'number'>[],
  fills: readonly Pick<StoredFill, 'firstSessionNumber' | 'quantity'>[],
): number {
  const planned = sessions.map((s) => s.number);
  const supplied = fills.map((f) => (f.firstSessionNumber === null ? 0 : f.firstSessionNumber + (f.quantity ?? 0) - 1));
  return Math.max(0, ...planned, ...supplied) + 1;
}
