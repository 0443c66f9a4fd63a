import { ValidationFailed } from '../domain/domain-errors.ts';
import { now } from '../platform/clock.ts';
import { logger } from '../platform/logger.ts';
import { failStep } from '../platform/task-callbacks.ts';
import { commitChange, type AuditActor } from '../store/audited-change.ts';
import type { StoreWrite } from '../store/store-writes.ts';
import { loadPatientContext } from '../patient/patient-context.ts';
import { ConcurrentUpdate, ConditionFailed } from '../store/store-errors.ts';
import type { AnswerRule } from './answers/answer.ts';
import { consultBookingAnswer, consultEvaluationAnswer } from './answers/consult-answers.ts';
import { closeLinksWrites, decideStep } from './decide-step.ts';
import { purposeSpecs } from './purposes.ts';
import { readPatientSteps, readStep, stepKeyOf, type StepItem } from './step-store.ts';
import { HOLD_STOP_CAUSE } from '../patient/journey-errors.ts';
import { StaffMayNotDecide } from './link-errors.ts';
import { functionContext } from '../platform/function-context.ts';

/**
 * The doors other functions use to end or decide a waiting step: a clinical hold (functions/journey),
 * the staff API, and the expiry the workflow records. Each is the same conditional write on the step as
 * a link's POST, so whichever comes first wins.
 */

/** The error name the workflow catches (statemachines/person-action.asl.json: "Stopped by a clinical hold"). */
export const PATIENT_ON_HOLD = 'PatientOnHold';

const MAX_ATTEMPTS = 5;

/**
 * Ends every pending step of the patient (except the clinician's decision about a hold itself): the step
 * is marked cancelled with its links (conditional, audited), and its current task token is failed with
 * `PatientOnHold`, so the workflow stops waiting at once. Their links then say the step was stopped.
 */
export async function endPendingStepsForHold(patientId: string, reason: string): Promise<{ ended: number }> {
  const { client, tableName } = functionContext();
  let ended = 0;
  for (const listed of await readPatientSteps(client, tableName, patientId)) {
    // a clinician alert (purpose notice, no task token) stays open: the clinician must still learn about it
    if (
      listed.status !== 'pending' ||
      listed.taskToken === undefined ||
      !purposeSpecs[listed.purpose as keyof typeof purposeSpecs]?.endsOnHold
    )
      continue;
    let step: StepItem | undefined = listed;
    for (let attempt = 1; step !== undefined && step.status === 'pending'; attempt++) {
      try {
        await commitChange(client, tableName, {
          writes: closePendingStepWrites(step, 'cancelled', { cancelledReason: 'clinical-hold' }),
          audit: {
            patientId,
            actor: { type: 'system', id: 'clinical-hold' },
            action: 'step.cancelled-by-hold',
            reason,
            details: { journeyId: step.journeyId, stepKey: step.stepKey, purpose: step.purpose },
          },
        });
      } catch (error) {
        if (!(error instanceof ConcurrentUpdate || error instanceof ConditionFailed) || attempt >= MAX_ATTEMPTS)
          throw error;
        // re-armed with a new token, or decided, in the meantime: look again
        step = await readStep(client, tableName, step);
        continue;
      }
      if (step.taskToken !== undefined) await failStep(step.taskToken, PATIENT_ON_HOLD, HOLD_STOP_CAUSE);
      ended += 1;
      break;
    }
  }
  logger.info('pending steps ended by a hold', { ended });
  return { ended };
}

const staffRules: Partial<Record<string, AnswerRule>> = {
  'consult-booking': consultBookingAnswer,
  'consult-evaluation': consultEvaluationAnswer,
};

/**
 * The staff API's door to the same step as the link. The details are validated like the page's form
 * (ValidationFailed with field errors otherwise) and recorded with the decision; the first decision wins.
 */
export async function completeStepByStaff(input: {
  patientId: string;
  purpose: string;
  decision: string;
  details: Record<string, unknown>;
  actor: AuditActor;
}): Promise<{ outcome: 'delivered' | 'no-pending-step' | 'already-decided' }> {
  const rule = staffRules[input.purpose];
  const spec = purposeSpecs[input.purpose as keyof typeof purposeSpecs];
  if (rule === undefined || spec === undefined || !spec.staffMayDecide) {
    throw new StaffMayNotDecide(`the staff API cannot decide a "${input.purpose}" step`);
  }
  if (!spec.decisions.includes(input.decision)) {
    throw new ValidationFailed(
      [{ field: 'decision', message: `decision: expected one of ${spec.decisions.join(', ')}` }],
      'staff decision',
    );
  }
  const { client, tableName, protocol } = functionContext();
  const steps = (await readPatientSteps(client, tableName, input.patientId)).filter(
    (step) => step.purpose === input.purpose,
  );
  const pending = steps.filter((step) => step.status === 'pending').at(-1);
  if (pending === undefined)
    return { outcome: steps.at(-1)?.status === 'decided' ? 'already-decided' : 'no-pending-step' };

  const at = now();
  const patient = await loadPatientContext(input.patientId);
  const judged = rule(input.details, { step: pending, patient, protocol, now: at, actor: input.actor });
  if (!judged.ok) throw new ValidationFailed(judged.errors, 'staff decision');
  const result = await decideStep(client, tableName, pending, {
    decision: {
      decision: judged.decision,
      details: judged.details,
      decidedBy: { kind: 'staff', id: input.actor.id },
      decidedAt: at.toISOString(),
      via: 'staff-api',
    },
    output: { decision: judged.decision, ...judged.output },
    writes: judged.writes,
    actor: input.actor,
    protocolVersion: judged.protocolVersion ?? protocol.version,
    reason: `${judged.reason} (staff API)`,
  });
  if (result.outcome === 'decided') return { outcome: 'delivered' };
  return { outcome: result.outcome === 'already-decided' ? 'already-decided' : 'no-pending-step' };
}

/**
 * Closes a step nobody acted on in time (record-progress calls it for `link-expired`), so its links
 * say "expired" and a late POST cannot record a decision the workflow no longer waits for.
 */
export async function expireStep(ref: {
  patientId: string;
  journeyId: string;
  stepKey: string;
}): Promise<{ outcome: 'expired' | 'not-pending' | 'no-step' }> {
  const { client, tableName } = functionContext();
  let step = await readStep(client, tableName, ref);
  for (let attempt = 1; step !== undefined && step.status === 'pending'; attempt++) {
    try {
      await commitChange(client, tableName, {
        writes: closePendingStepWrites(step, 'expired'),
        audit: {
          patientId: ref.patientId,
          actor: { type: 'system', id: 'person-action' },
          action: 'step.expired',
          reason: 'nobody acted on the link in time: the step counts as not done',
          details: { journeyId: ref.journeyId, stepKey: ref.stepKey, purpose: step.purpose },
        },
      });
      return { outcome: 'expired' };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdate || error instanceof ConditionFailed) || attempt >= MAX_ATTEMPTS)
        throw error;
      step = await readStep(client, tableName, ref);
    }
  }
  return { outcome: step === undefined ? 'no-step' : 'not-pending' };
}

/** Closes a still-pending step (conditional on its version and status) together with all its links. */
function closePendingStepWrites(
  step: StepItem,
  status: 'cancelled' | 'expired',
  extra: Readonly<Record<string, unknown>> = {},
): StoreWrite[] {
  return [
    {
      kind: 'update',
      key: stepKeyOf(step),
      label: 'step',
      expectedVersion: step.version,
      condition: {
        name: 'step is still pending',
        expression: '#status = :pending',
        names: { '#status': 'status' },
        values: { ':pending': 'pending' },
      },
      set: { status, ...extra },
    },
    ...closeLinksWrites(step, status),
  ];
}
