import { createHash } from 'node:crypto';
import { now } from '../../platform/clock.ts';
import { failStep, type CallbackOutcome } from '../../platform/task-callbacks.ts';
import { commitChange, commitOne, type AuditActor } from '../../store/audited-change.ts';
import { queryPatientPartition } from '../../store/read-items.ts';
import { AlreadyExists, ConcurrentUpdate, ConditionFailed } from '../../store/store-errors.ts';
import { keys, PATIENT_SK_PREFIX } from '../../store/table-design.ts';
import { failClosedOnHold, notOnHoldCheck } from '../../patient/hold-check.ts';
import { HOLD_STOP_CAUSE } from '../../patient/journey-errors.ts';
import { functionContext } from '../../platform/function-context.ts';
import { DAY_MS } from '../../domain/durations.ts';

/**
 * Waits a clinical hold can end at once. A plain Wait state cannot be interrupted, so the ASL waits on a
 * task token instead (record-progress `await`, TimeoutSeconds until the time) and the token is kept here.
 */

const system: AuditActor = { type: 'system', id: 'record-progress' };
export const HOLD_ERROR = 'PatientOnHold';

export function awaitIdOf(taskToken: string): string {
  return createHash('sha256').update(taskToken, 'utf8').digest('hex');
}

/**
 * Registers the wait, or throws PatientOnHold when the patient is already on hold (the ASL's Catch takes
 * it to the clinician's decision). A retried registration of the same token is a no-op.
 */
export async function registerAwait(input: {
  patientId: string;
  journeyId: string;
  until: string;
  taskToken: string;
}): Promise<{ awaitId: string }> {
  const { client, tableName } = functionContext();
  const awaitId = awaitIdOf(input.taskToken);
  // TTL well after the wait: the item is only useful while the task may still be waiting.
  const expiresAt = new Date(Math.max(Date.parse(input.until), now().getTime()) + 7 * DAY_MS);
  try {
    await failClosedOnHold(input.patientId, 'the wait', () =>
      commitChange(client, tableName, {
        writes: [
          notOnHoldCheck(input.patientId),
          {
            kind: 'create',
            key: keys.await(input.patientId, awaitId),
            label: 'await',
            itemType: 'AWAIT',
            attributes: {
              awaitId,
              journeyId: input.journeyId,
              until: input.until,
              taskToken: input.taskToken,
              status: 'waiting',
            },
            expiresAt,
          },
        ],
        audit: {
          patientId: input.patientId,
          actor: system,
          action: 'journey.wait-registered',
          reason: `waits until ${input.until}`,
          details: { awaitId, until: input.until },
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof AlreadyExists)) throw error;
  }
  return { awaitId };
}

/**
 * Fails every registered wait with `PatientOnHold`, then marks it ended, so the next hold does not ask
 * again. A wait that already timed out refuses the failure (step-no-longer-waiting), which is fine: its
 * token is failed anyway rather than judged by a clock that could be a little off.
 */
export async function endAwaitsForHold(patientId: string, reason: string): Promise<{ ended: number }> {
  const { client, tableName } = functionContext();
  const items = await queryPatientPartition(client, tableName, patientId, { skPrefix: PATIENT_SK_PREFIX.await });
  let ended = 0;
  for (const item of items) {
    if (item.status !== 'waiting' || typeof item.taskToken !== 'string') continue;
    const outcome: CallbackOutcome = await failStep(item.taskToken, HOLD_ERROR, HOLD_STOP_CAUSE);
    if (outcome === 'delivered') ended += 1;
    try {
      await commitOne(
        client,
        tableName,
        {
          kind: 'update',
          key: { PK: item.PK, SK: item.SK },
          label: 'await',
          expectedVersion: item.version,
          set: { status: outcome === 'delivered' ? 'ended-by-hold' : 'over' },
          remove: ['taskToken'],
        },
        {
          patientId,
          actor: { type: 'system', id: 'clinical-hold' },
          action: 'journey.wait-ended',
          reason: outcome === 'delivered' ? `ended by the clinical hold: ${reason}` : 'the wait was already over',
          details: { awaitId: item.awaitId },
        },
      );
    } catch (error) {
      // another hold call marked it meanwhile: its token was failed either way
      if (!(error instanceof ConditionFailed) && !(error instanceof ConcurrentUpdate)) throw error;
    }
  }
  return { ended };
}
