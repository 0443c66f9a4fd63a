import * as z from 'zod/mini';
import { isStepPurpose } from '../links/purposes.ts';
import { now } from '../platform/clock.ts';
import { workflowHandler } from '../platform/workflow-handler.ts';
import { bookedConsultAt } from '../journey/steps/consult-time.ts';
import { JourneyDataMissing, PatientOnHold } from '../patient/journey-errors.ts';
import { functionContext } from '../platform/function-context.ts';
import { loadPatientContext } from '../patient/patient-context.ts';
import { planAppointmentReminders, planConsultReminders } from '../journey/steps/plan-consult-reminders.ts';
import { planPersonAction } from '../journey/steps/plan-person-action.ts';
import { planRefillWindow } from '../journey/refills/plan-refill-window.ts';
import { planSession, postponedStartOffered } from '../journey/sessions/plan-session.ts';
import { journeyRef, wholeNumberFrom } from '../journey/steps/workflow-inputs.ts';

const input = z.discriminatedUnion('what', [
  z.object({
    what: z.literal('person-action'),
    ...journeyRef,
    purpose: z.string().check(z.refine(isStepPurpose, 'expected a purpose of statemachines/person-action.asl.json')),
    stepKey: z.string().check(z.minLength(1)),
    context: z.nullish(z.record(z.string(), z.unknown())),
  }),
  z.object({ what: z.literal('consult-reminders'), ...journeyRef }),
  z.object({ what: z.literal('follow-up-reminders'), ...journeyRef }),
  z.object({
    what: z.literal('session'),
    ...journeyRef,
    sessionNumber: wholeNumberFrom(1),
    attempt: wholeNumberFrom(1),
  }),
  z.object({ what: z.literal('refill-window'), ...journeyRef, cycle: wholeNumberFrom(1) }),
]);

/** Read-only: when the journey's next steps are due. Dosing steps and refills fail closed on a hold. */
export const handler = workflowHandler('schedule', input, async (event) => {
  const { clinic, protocol } = functionContext();
  const at = now();
  const context = await loadPatientContext(event.patientId);
  const timeZone = context.patient.timeZone;
  switch (event.what) {
    case 'person-action': {
      if (!isStepPurpose(event.purpose)) throw new JourneyDataMissing(`unknown purpose ${event.purpose}`);
      const consultAt =
        event.purpose === 'consult-evaluation' ? await bookedConsultAt(event.patientId, event.journeyId) : null;
      return planPersonAction(
        {
          purpose: event.purpose,
          patientId: event.patientId,
          patientTimeZone: timeZone,
          assignedClinicianId: context.patient.assignedClinicianId,
          consultAt,
        },
        clinic,
        protocol,
        at,
      );
    }
    case 'consult-reminders': {
      const consultAt = await bookedConsultAt(event.patientId, event.journeyId);
      if (consultAt === null) throw new JourneyDataMissing('no consult is booked');
      return {
        reminders: planConsultReminders(new Date(consultAt), timeZone, protocol, at),
        protocolVersion: protocol.version,
      };
    }
    case 'follow-up-reminders': {
      // the follow-up date of the approved plan; the nth approved plan's follow-up is attempt n
      if (context.plan === undefined) throw new JourneyDataMissing('no approved treatment plan');
      const followUpAt = context.plan.followUpAt;
      const attempt = context.plans.filter((plan) => plan.approvedAt !== undefined).length;
      const reminders = planAppointmentReminders(
        { type: 'follow-up', at: new Date(followUpAt), attempt },
        timeZone,
        protocol,
        at,
      );
      return {
        reminders,
        followUpAt,
        followUpIsAhead: Date.parse(followUpAt) > at.getTime(),
        protocolVersion: protocol.version,
      };
    }
    case 'session': {
      if (context.journey.onHold) throw new PatientOnHold(event.patientId, `session ${event.sessionNumber}`);
      if (context.plan === undefined) throw new JourneyDataMissing('no approved treatment plan');
      const postponedTo = postponedStartOffered(context.record.checkIns, event.sessionNumber, event.attempt);
      return planSession(
        {
          ...event,
          plan: context.plan,
          sessions: context.sessions,
          fills: context.fills,
          patientTimeZone: timeZone,
          postponedTo,
        },
        protocol,
        at,
      );
    }
    case 'refill-window': {
      if (context.journey.onHold) throw new PatientOnHold(event.patientId, `refill window ${event.cycle}`);
      return planRefillWindow({ cycle: event.cycle, fills: context.fills, patientTimeZone: timeZone }, protocol, at);
    }
  }
});
