import { randomUUID } from 'node:crypto';
import type { AdverseEventKind } from '../../domain/schemas/index.ts';
import { alertClinician } from '../../links/clinician-alert.ts';
import { adverseEventKindLabels, adverseEventReporterLabels } from '../../pages/clinician-labels.ts';
import { endPendingStepsForHold } from '../../links/pending-steps.ts';
import { now } from '../../platform/clock.ts';
import { logger } from '../../platform/logger.ts';
import { commitChange, type AuditActor } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { AlreadyExists, ConditionFailed } from '../../store/store-errors.ts';
import { journeyStatusIndexKeys, keys } from '../../store/table-design.ts';
import { NOT_ON_HOLD, notOnHoldCondition } from '../../patient/hold-check.ts';
import { endAwaitsForHold } from './interruptible-waits.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';

export interface PlaceOnHoldInput {
  readonly patientId: string;
  /** why, in words for the clinician and the audit trail */
  readonly reason: string;
  readonly adverseEvent: {
    readonly kind: AdverseEventKind;
    readonly reportedBy: 'patient' | 'staff' | 'system';
    readonly description: string;
  };
  readonly actor: AuditActor;
  /**
   * Optional: an id derived from the step that reported the event (e.g. the journal's step key), so a
   * retried report records one adverse event, not two. Without it each call records a new event.
   */
  readonly adverseEventId?: string;
}

export interface PlaceOnHoldResult {
  readonly adverseEventId: string;
  /** the journey was already on hold: the event is recorded, the existing hold is left as it was */
  readonly alreadyOnHold: boolean;
}

/**
 * An adverse event puts the patient on clinical hold:
 *
 * 1. ONE conditional transaction: the adverse event, the journey's hold (only if not on hold yet) and the
 *    audit event. An existing hold is never overwritten; the event is then recorded on its own.
 * 2. Every pending step ends at once: the link steps (their task tokens fail with `PatientOnHold`, by
 *    functions/links/pending-steps.ts) and the interruptible waits (record-progress `await`). Each
 *    dosing step, reminder and refill also checks the hold in its own transaction, so a step that
 *    starts after this point fails closed by itself.
 * 3. The urgent alert to the assigned clinician, once per adverse event: a neutral email whose link
 *    opens a page naming the patient and the event (functions/links/clinician-alert.ts).
 *
 * Steps 2 and 3 run even when the hold was already there: a retry after a crash between 1 and 3 finishes
 * the job, and each part is idempotent.
 */
export async function placeOnHold(input: PlaceOnHoldInput): Promise<PlaceOnHoldResult> {
  const { client, tableName } = functionContext();
  const context = await loadPatientContext(input.patientId);
  const adverseEventId = input.adverseEventId ?? `ae-${randomUUID()}`;
  const at = now().toISOString();

  const adverseEventWrite: StoreWrite = {
    kind: 'create',
    key: keys.adverseEvent(input.patientId, adverseEventId),
    label: 'adverse event',
    itemType: 'ADVERSE_EVENT',
    attributes: {
      id: adverseEventId,
      patientId: input.patientId,
      kind: input.adverseEvent.kind,
      reportedBy: input.adverseEvent.reportedBy,
      reporterId: input.actor.id.slice(0, 100),
      description: input.adverseEvent.description,
      reportedAt: at,
      status: 'open',
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
    },
  };
  const audit = (action: string) => ({
    patientId: input.patientId,
    actor: input.actor,
    action,
    reason: input.reason,
    details: { adverseEventId, kind: input.adverseEvent.kind, reportedBy: input.adverseEvent.reportedBy },
  });

  let alreadyOnHold = false;
  try {
    await commitChange(client, tableName, {
      writes: [
        adverseEventWrite,
        {
          kind: 'update',
          key: keys.journey(input.patientId),
          label: 'journey',
          condition: notOnHoldCondition,
          set: {
            onHold: true,
            status: 'on-hold',
            hold: { since: at, reason: input.reason.slice(0, 500), adverseEventId },
            ...journeyStatusIndexKeys('on-hold', context.journey.phase, input.patientId),
          },
        },
      ],
      audit: audit('journey.hold-placed'),
    });
  } catch (error) {
    if (error instanceof ConditionFailed && error.conditionName === NOT_ON_HOLD) {
      alreadyOnHold = true;
      try {
        await commitChange(client, tableName, {
          writes: [adverseEventWrite],
          audit: audit('adverse-event.recorded-during-hold'),
        });
      } catch (inner) {
        if (!(inner instanceof AlreadyExists)) throw inner;
      }
    } else if (error instanceof AlreadyExists) {
      // a retry of a report already recorded: the hold it placed (or found) stands
      alreadyOnHold = true;
    } else {
      throw error;
    }
  }

  const ending = await Promise.allSettled([
    endPendingStepsForHold(input.patientId, input.reason),
    endAwaitsForHold(input.patientId, input.reason),
  ]);

  const { kind, reportedBy, description } = input.adverseEvent;
  await alertClinician({
    patientId: input.patientId,
    journeyId: context.journey.id,
    clinicianId: context.patient.assignedClinicianId,
    urgency: 'urgent',
    alertKey: `hold-${adverseEventId}-urgent`,
    message: `Clinical hold: ${adverseEventKindLabels[kind].toLowerCase()}, reported by ${adverseEventReporterLabels[reportedBy]}: ${description}. Dosing, reminders and refills are stopped until you decide: resume, a new plan or discharge.`,
    actor: { type: 'system', id: 'clinical-hold' },
    reason: `adverse event ${kind}: the patient is on clinical hold`,
  });

  const failed = ending.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed.length > 0) {
    logger.error('a pending step could not be ended on hold', {
      patientId: input.patientId,
      errorNames: failed.map((f) => (f.reason as Error).name),
    });
    // the hold stands and every step checks it; the caller's retry ends the steps (idempotent)
    throw failed[0]?.reason;
  }
  return { adverseEventId, alreadyOnHold };
}
