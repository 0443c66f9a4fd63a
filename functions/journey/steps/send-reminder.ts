import type { EmailKind } from '../../email/templates.ts';
import { isQuietHour } from '../../domain/reminder-timing.ts';
import { formatInZone } from '../../pages/format-time.ts';
import { languageOf, messagesFor } from '../../pages/message-catalogue.ts';
import { now } from '../../platform/clock.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import { bookedConsultAt } from './consult-time.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';
import { notOnHoldCheck } from '../../patient/hold-check.ts';
import { sendOnce, type OneEmail } from '../../email/send-once.ts';
import { HOUR_MS } from '../../domain/durations.ts';
import { againViewOnlyLink, firstViewOnlyLink } from '../../links/view-only-link.ts';
import type { PatientContext } from '../../patient/patient-context.ts';
import { sessionNumberOfKey } from '../../domain/session-step-key.ts';

export type ReminderKindSent = 'consult' | 'follow-up' | 'session-prep' | 'refill-window';

const emailKinds: Record<ReminderKindSent, EmailKind> = {
  consult: 'consult-reminder',
  'follow-up': 'follow-up-reminder',
  'session-prep': 'session-prep-reminder',
  'refill-window': 'refill-window-reminder',
};

/**
 * One scheduled reminder to the patient, once per reminder key and at least once (sendOnce), and never while the
 * patient is on hold (PatientOnHold: the marker's transaction checks the hold).
 *
 * Quiet hours: the schedule already chose the time (appointment reminders at their fixed offsets, the
 * refill window moved out of quiet hours). This function does not refuse a reminder that arrives in
 * quiet hours anyway (a retry after an outage, a clock jump): holding it back would need a wait the
 * workflow does not have, and a late reminder helps more than none. The audit trail marks it.
 */
/**
 * The preparation reminder's link: a view-only page (purpose `preparation`) with the plan's preparation
 * notes and the session's time, open until the session's hour ends. The email itself stays neutral.
 */
function preparationLink(
  input: { patientId: string; journeyId: string; reminderKey: string },
  context: PatientContext,
  at: Date,
): NonNullable<OneEmail['viewLink']> {
  const { client, tableName, protocol, environment } = functionContext();
  const number = sessionNumberOfKey(input.reminderKey);
  const session = context.sessions.find((s) => s.number === number);
  const endsAt =
    session === undefined
      ? at.getTime() + protocol.patientLinks.validHours * HOUR_MS
      : Date.parse(session.plannedStart) + protocol.induction.sessionDurationMinutes * 60_000;
  const request = {
    patientId: input.patientId,
    journeyId: input.journeyId,
    stepKey: input.reminderKey,
    purpose: 'preparation',
    person: { kind: 'patient', id: input.patientId },
    expiresAt: new Date(Math.max(endsAt, at.getTime() + HOUR_MS)).toISOString(),
  } as const;
  return {
    first: () => firstViewOnlyLink(request, environment.appBaseUrl, at),
    again: () => againViewOnlyLink(client, tableName, request, environment.appBaseUrl),
  };
}

/**
 * The consult reminder's link: a view-only page (purpose `consult`) with the consult's time and the video
 * call's join link from the booking, open until an hour after the consult starts. The email stays neutral.
 */
function consultLink(
  input: { patientId: string; journeyId: string; reminderKey: string },
  consultAt: string | null,
  at: Date,
): NonNullable<OneEmail['viewLink']> {
  const { client, tableName, protocol, environment } = functionContext();
  const endsAt =
    consultAt === null ? at.getTime() + protocol.patientLinks.validHours * HOUR_MS : Date.parse(consultAt) + HOUR_MS;
  const request = {
    patientId: input.patientId,
    journeyId: input.journeyId,
    stepKey: input.reminderKey,
    purpose: 'consult',
    person: { kind: 'patient', id: input.patientId },
    expiresAt: new Date(Math.max(endsAt, at.getTime() + HOUR_MS)).toISOString(),
  } as const;
  return {
    first: () => firstViewOnlyLink(request, environment.appBaseUrl, at),
    again: () => againViewOnlyLink(client, tableName, request, environment.appBaseUrl),
  };
}

/** The session a preparation reminder is for ("session-2-..."), so the email names its time, not just "tomorrow". */
function sessionStartOf(reminderKey: string, context: PatientContext): string | null {
  const number = sessionNumberOfKey(reminderKey);
  return context.sessions.find((s) => s.number === number)?.plannedStart ?? null;
}

export async function sendReminder(input: {
  patientId: string;
  journeyId: string;
  reminderKey: string;
  kind: ReminderKindSent;
  actor: AuditActor;
}): Promise<{ sent: boolean }> {
  const { protocol } = functionContext();
  const context = await loadPatientContext(input.patientId);
  const timeZone = context.patient.timeZone;
  const language = languageOf(context.patient);
  const appointmentAt =
    input.kind === 'consult'
      ? await bookedConsultAt(input.patientId, input.journeyId)
      : input.kind === 'follow-up'
        ? (context.plan?.followUpAt ?? null)
        : input.kind === 'session-prep'
          ? sessionStartOf(input.reminderKey, context)
          : null;
  const at = now();
  const viewLink =
    input.kind === 'session-prep'
      ? preparationLink(input, context, at)
      : input.kind === 'consult'
        ? consultLink(input, appointmentAt, at)
        : undefined;
  const result = await sendOnce({
    patientId: input.patientId,
    markerKey: input.reminderKey,
    to: context.patient.email,
    recipient: 'patient',
    kind: emailKinds[input.kind],
    variables: {
      firstName: context.patient.firstName,
      when:
        appointmentAt === null ? undefined : formatInZone(appointmentAt, timeZone, messagesFor(language).dateLocale),
      language,
    },
    actor: input.actor,
    action: `reminder.${input.kind}`,
    reason: `${input.kind} reminder ${input.reminderKey}`,
    unlessOnHold: notOnHoldCheck(input.patientId),
    details: { inQuietHours: isQuietHour(at, timeZone, protocol) },
    ...(viewLink === undefined ? {} : { viewLink }),
  });
  return { sent: result.sent };
}
