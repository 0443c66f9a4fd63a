import { alertClinician } from '../../links/clinician-alert.ts';
import { now } from '../../platform/clock.ts';
import { commitOne, type AuditActor } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { AlreadyExists, ConcurrentUpdate } from '../../store/store-errors.ts';
import { keys } from '../../store/table-design.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext, type PatientContext } from '../../patient/patient-context.ts';

export type SessionOutcome = 'postponed' | 'missed' | 'completed';

const MAX_ATTEMPTS = 5;

/**
 * Records what became of a session attempt on SESSION#<n>. A completed session is final; an attempt is
 * recorded once (a retry finds it and changes nothing). A postponed or missed attempt tells the
 * clinician (once per attempt); the workflow then plans the next attempt, which offers the patient a
 * new time through its own reminder and check-in link.
 *
 * The session's planned start is taken as the end of the hour minus its length: the workflow records
 * the session when its hour ends ("Session in progress" times out at `endsAt`).
 */
export async function recordSessionOutcome(input: {
  patientId: string;
  sessionNumber: number;
  attempt: number;
  outcome: SessionOutcome;
  /** with a missed check-in: how many this session has missed in a row, this one included */
  missedCheckIns?: number;
  actor: AuditActor;
}): Promise<{ changed: boolean; clinicianDecides: boolean }> {
  const { client, tableName, protocol } = functionContext();
  // after the protocol's number of misses no more check-in links go out: the clinician decides
  const clinicianDecides =
    input.outcome === 'missed' && (input.missedCheckIns ?? 0) >= protocol.induction.maxMissedCheckIns;
  let changed = false;
  for (let attempt = 1; ; attempt++) {
    const context = await loadPatientContext(input.patientId);
    const session = context.sessions.find((s) => s.number === input.sessionNumber);
    if (
      session !== undefined &&
      (session.status === 'completed' || (session.attempt >= input.attempt && session.status === input.outcome))
    )
      break;
    const at = now();
    const plannedStart =
      input.outcome === 'completed'
        ? new Date(at.getTime() - protocol.induction.sessionDurationMinutes * 60_000).toISOString()
        : (session?.plannedStart ?? at.toISOString());
    const attributes = {
      number: input.sessionNumber,
      plannedStart,
      status: input.outcome,
      attempt: Math.max(input.attempt, session?.attempt ?? 1),
      checkInRef: session?.checkInRef ?? null,
      journalRef: session?.journalRef ?? null,
      completedAt: input.outcome === 'completed' ? at.toISOString() : null,
    };
    const write: StoreWrite =
      session === undefined
        ? {
            kind: 'create',
            key: keys.session(input.patientId, input.sessionNumber),
            label: 'session',
            itemType: 'SESSION',
            attributes,
          }
        : {
            kind: 'update',
            key: keys.session(input.patientId, input.sessionNumber),
            label: 'session',
            expectedVersion: context.record.sessions.find((s) => s.number === input.sessionNumber)?.version ?? 0,
            set: attributes,
          };
    try {
      await commitOne(client, tableName, write, {
        patientId: input.patientId,
        actor: input.actor,
        action: `session.${input.outcome}`,
        reason: `session ${input.sessionNumber}, attempt ${input.attempt}: ${input.outcome}`,
        protocolVersion: protocol.version,
        details: { sessionNumber: input.sessionNumber, attempt: input.attempt },
      });
      changed = true;
      break;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdate || error instanceof AlreadyExists) || attempt >= MAX_ATTEMPTS)
        throw error;
    }
  }

  if (input.outcome !== 'completed') {
    const context = await loadPatientContext(input.patientId);
    await alertClinician({
      patientId: input.patientId,
      journeyId: context.journey.id,
      clinicianId: context.patient.assignedClinicianId,
      urgency: 'notice',
      alertKey: `session-${input.sessionNumber}-a${input.attempt}-${input.outcome}-notice`,
      message: sessionMessage(context, input.sessionNumber, input.attempt, input.outcome, clinicianDecides),
      actor: input.actor,
      reason: `session ${input.sessionNumber} ${input.outcome} (attempt ${input.attempt})`,
    });
  }
  return { changed, clinicianDecides };
}

/** What the clinician reads on the alert's page: which attempt, and what the check-in found. */
function sessionMessage(
  context: PatientContext,
  sessionNumber: number,
  attempt: number,
  outcome: 'postponed' | 'missed',
  clinicianDecides: boolean,
): string {
  const checkIn = context.record.checkIns.filter((item) => item['sessionNumber'] === sessionNumber).at(-1);
  const found = Array.isArray(checkIn?.['reasons'])
    ? (checkIn['reasons'] as unknown[])
        .map((r) => (r as { message?: unknown }).message)
        .filter((m): m is string => typeof m === 'string')
    : [];
  const why =
    outcome === 'missed'
      ? ' The patient did not complete the check-in before its window closed.'
      : found.length > 0
        ? ` The check-in found: ${found.join('; ')}.`
        : '';
  const next = clinicianDecides
    ? ' That is too many missed check-ins in a row: no more check-in links are sent for this session until you decide (a separate email asks you).'
    : ' The journey plans the next attempt; the patient gets its reminder and check-in link.';
  return `Session ${sessionNumber} (attempt ${attempt}) was ${outcome}.${why}${next}`;
}
