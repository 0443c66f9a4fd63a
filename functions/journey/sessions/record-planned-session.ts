import { commitChange, type AuditActor } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { AlreadyExists, ConcurrentUpdate } from '../../store/store-errors.ts';
import { keys } from '../../store/table-design.ts';
import { failClosedOnHold, notOnHoldCheck } from '../../patient/hold-check.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';

const MAX_ATTEMPTS = 5;

/**
 * Puts a session attempt on the calendar as SESSION#<n> `planned` at its planned start: the check-in
 * gate only accepts a check-in for a planned session and judges its window from that start, and the
 * check-in page shows it. A later attempt (after a postponement, a missed check-in or a hold) replaces
 * the earlier one; a completed session, or a later attempt already recorded, is left alone, so a retry
 * changes nothing. Planning is a dosing step: it fails closed on a hold (PatientOnHold).
 */
export async function recordPlannedSession(input: {
  patientId: string;
  sessionNumber: number;
  attempt: number;
  plannedStart: string;
  actor: AuditActor;
}): Promise<{ changed: boolean }> {
  const { client, tableName, protocol } = functionContext();
  for (let round = 1; ; round++) {
    const context = await loadPatientContext(input.patientId);
    const session = context.sessions.find((s) => s.number === input.sessionNumber);
    if (session !== undefined && (session.status === 'completed' || session.attempt > input.attempt))
      return { changed: false };
    if (
      session !== undefined &&
      session.attempt === input.attempt &&
      session.status === 'planned' &&
      session.plannedStart === input.plannedStart
    )
      return { changed: false };
    const attributes = {
      number: input.sessionNumber,
      plannedStart: input.plannedStart,
      status: 'planned',
      attempt: input.attempt,
      checkInRef: null,
      journalRef: session?.journalRef ?? null,
      completedAt: null,
    };
    const key = keys.session(input.patientId, input.sessionNumber);
    const version = context.record.sessions.find((s) => s.number === input.sessionNumber)?.version;
    const write: StoreWrite =
      session === undefined || version === undefined
        ? { kind: 'create', key, label: 'session', itemType: 'SESSION', attributes }
        : { kind: 'update', key, label: 'session', expectedVersion: version, set: attributes };
    try {
      await failClosedOnHold(input.patientId, `planning session ${input.sessionNumber}`, () =>
        commitChange(client, tableName, {
          writes: [notOnHoldCheck(input.patientId), write],
          audit: {
            patientId: input.patientId,
            actor: input.actor,
            action: 'session.planned',
            reason: `session ${input.sessionNumber}, attempt ${input.attempt}: planned for ${input.plannedStart}`,
            protocolVersion: protocol.version,
            details: { sessionNumber: input.sessionNumber, attempt: input.attempt, plannedStart: input.plannedStart },
          },
        }),
      );
      return { changed: true };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdate || error instanceof AlreadyExists) || round >= MAX_ATTEMPTS) throw error;
    }
  }
}
