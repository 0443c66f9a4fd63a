import * as z from 'zod/mini';
import { journeyPhases } from '../domain/schemas/index.ts';
import { closeJourney } from '../journey/steps/close-journey.ts';
import { followUpResponse } from '../journey/steps/follow-up-response.ts';
import { sendAlertCalledFor } from '../journey/holds/alert-called-for.ts';
import { placeHoldCalledFor } from '../journey/holds/hold-called-for.ts';
import { registerAwait } from '../journey/holds/interruptible-waits.ts';
import { JourneyDataMissing, PatientOnHold } from '../patient/journey-errors.ts';
import { liftHold } from '../journey/holds/lift-hold.ts';
import { loadPatientContext } from '../patient/patient-context.ts';
import { recordFill } from '../journey/refills/record-fill.ts';
import { recordRefillOutcome } from '../journey/refills/refill-outcomes.ts';
import { recordPlannedSession } from '../journey/sessions/record-planned-session.ts';
import { recordSessionOutcome } from '../journey/sessions/record-session-outcome.ts';
import { setPhase } from '../journey/steps/set-phase.ts';
import { journeyRef, wholeNumberFrom } from '../journey/steps/workflow-inputs.ts';
import { expireStep } from '../links/pending-steps.ts';
import type { AuditActor } from '../store/audited-change.ts';
import { workflowHandler } from '../platform/workflow-handler.ts';

const sessionAttempt = { sessionNumber: wholeNumberFrom(1), attempt: wholeNumberFrom(1) };
const input = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('phase'),
    ...journeyRef,
    phase: z.enum(journeyPhases),
    from: z.optional(z.enum(journeyPhases)),
    cycle: z.optional(wholeNumberFrom(1)),
  }),
  z.object({
    event: z.literal('journey-closed'),
    ...journeyRef,
    reason: z.string().check(z.minLength(1), z.maxLength(100)),
    notifyPatient: z.optional(z.boolean()),
  }),
  z.object({
    event: z.literal('await'),
    ...journeyRef,
    until: z.iso.datetime({ offset: true }),
    taskToken: z.string().check(z.minLength(1)),
  }),
  z.object({
    event: z.literal('link-expired'),
    ...journeyRef,
    purpose: z.string().check(z.minLength(1)),
    stepKey: z.string().check(z.minLength(1)),
  }),
  z.object({ event: z.literal('hold-lifted'), ...journeyRef, sessionNumber: z.optional(wholeNumberFrom(1)) }),
  z.object({
    event: z.literal('session-planned'),
    ...journeyRef,
    ...sessionAttempt,
    plannedStart: z.iso.datetime({ offset: true }),
  }),
  z.object({ event: z.literal('session-postponed'), ...journeyRef, ...sessionAttempt }),
  z.object({
    event: z.literal('session-missed'),
    ...journeyRef,
    ...sessionAttempt,
    missedCheckIns: z.optional(wholeNumberFrom(1)),
  }),
  // attempt is optional: an execution started on an older definition (before the attempt was passed) still records
  z.object({
    event: z.literal('session-completed'),
    ...journeyRef,
    sessionNumber: wholeNumberFrom(1),
    attempt: z.optional(wholeNumberFrom(1)),
  }),
  z.object({ event: z.literal('follow-up'), ...journeyRef, from: z.optional(z.enum(journeyPhases)) }),
  z.object({
    event: z.literal('hold-called-for'),
    ...journeyRef,
    stepKey: z.string().check(z.minLength(1), z.maxLength(120)),
  }),
  z.object({
    event: z.literal('alert-called-for'),
    ...journeyRef,
    stepKey: z.string().check(z.minLength(1), z.maxLength(120)),
  }),
  z.object({ event: z.literal('fill'), ...journeyRef, cycle: wholeNumberFrom(1) }),
  z.object({
    event: z.literal('refill-refused'),
    ...journeyRef,
    cycle: wholeNumberFrom(1),
    retryable: z.boolean(),
    atFill: z.optional(z.boolean()),
  }),
  z.object({ event: z.literal('refill-not-requested'), ...journeyRef, cycle: wholeNumberFrom(1) }),
  z.object({ event: z.literal('refill-not-approved'), ...journeyRef, cycle: wholeNumberFrom(1) }),
]);

const actor: AuditActor = { type: 'system', id: 'record-progress' };

/** One journey step recorded with one conditional, audited change; every event is safe to retry. */
export const handler = workflowHandler('record-progress', input, async (event) => {
  const { patientId } = event;
  switch (event.event) {
    case 'phase': {
      const { ignored } = await setPhase(
        patientId,
        event.phase,
        actor,
        `the workflow reached ${event.phase}`,
        event.from,
      );
      if (ignored !== undefined) return { phase: event.phase, ignored };
      if (event.phase !== 'induction') return { phase: event.phase };
      const { plan } = await loadPatientContext(patientId);
      if (plan === undefined) throw new JourneyDataMissing('induction starts without an approved treatment plan');
      // The approved prescription is filled once (cycle 0), the anchor of every refill interval; on hold
      // it is not, and the next plan approval after the hold records it.
      const initialFill = await recordFill({ patientId, cycle: 0, actor }).catch((error: unknown) => {
        if (error instanceof PatientOnHold) return undefined;
        throw error;
      });
      return { phase: event.phase, sessionCount: plan.sessionCount, initialFillRecorded: initialFill !== undefined };
    }
    case 'journey-closed':
      return closeJourney({ patientId, reason: event.reason, notifyPatient: event.notifyPatient ?? false, actor });
    case 'await':
      return registerAwait(event);
    case 'link-expired':
      return expireStep(event);
    case 'hold-lifted':
      return liftHold({
        patientId,
        actor: { type: 'clinician', id: 'hold-decision' },
        reason: 'the clinician decided to resume',
      });
    case 'session-planned':
      return recordPlannedSession({ ...event, actor });
    case 'session-postponed':
      return recordSessionOutcome({ ...event, outcome: 'postponed', actor });
    case 'session-missed':
      return recordSessionOutcome({ ...event, outcome: 'missed', actor });
    case 'session-completed':
      return recordSessionOutcome({ ...event, attempt: event.attempt ?? 1, outcome: 'completed', actor });
    case 'follow-up':
      return followUpResponse({ patientId, actor, from: event.from });
    case 'hold-called-for':
      return placeHoldCalledFor({ patientId, journeyId: event.journeyId, stepKey: event.stepKey, actor });
    case 'alert-called-for':
      return sendAlertCalledFor({ patientId, journeyId: event.journeyId, stepKey: event.stepKey, actor });
    case 'fill':
      return recordFill({ patientId, cycle: event.cycle, actor });
    case 'refill-refused':
    case 'refill-not-requested':
    case 'refill-not-approved':
      return recordRefillOutcome({
        patientId,
        cycle: event.cycle,
        event: event.event,
        ...('retryable' in event ? { retryable: event.retryable } : {}),
        ...('atFill' in event && event.atFill !== undefined ? { atFill: event.atFill } : {}),
        actor,
      });
  }
});
