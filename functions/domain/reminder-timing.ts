import { UnknownReminderKind } from './domain-errors.ts';
import { addCalendarDays, assertTimeZone, fromLocal, minuteOfDay, parseLocalTime, toLocal } from './local-time.ts';
import type { DecisionReason, Protocol } from './protocol.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './durations.ts';

/**
 * When each reminder is due.
 *
 * Two families, treated differently by the quiet hours:
 * - tied to an appointment or session time (consult and follow-up reminders, session preparation,
 *   the check-in link, the journal prompt): sent exactly when the protocol says, even at night,
 *   because moving them would make them useless (a check-in link shifted past the check-in window)
 *   or misleading (a "see you in an hour" sent after the appointment). Session preparation is sent
 *   at a local time the medical director chose, so it too is honoured as configured.
 * - free-floating nudges (intake reminders, the journal nudge, the refill window): moved out of the
 *   patient's quiet hours to the next end of quiet hours, in the patient's own zone.
 * Clinician alerts are not the patient's mail, and a missing journal is a safety signal: the patient's
 * quiet hours never delay them.
 *
 * Hours before/after are elapsed hours (a "24 h" reminder is 24 real hours earlier, also across a
 * daylight-saving change); "the day before at 18:00" is calendar arithmetic on the patient's wall clock.
 */

export type AppointmentKind = 'consult' | 'follow-up';

export type ReminderKind =
  | `${AppointmentKind}-${number}h-before`
  | 'session-prep'
  | 'session-check-in-link'
  | 'session-journal-prompt'
  | 'session-journal-nudge'
  | 'session-journal-clinician-alert'
  | `intake-reminder-${number}`
  | 'refill-window-opens';

export type ReminderAudience = 'patient' | 'clinician';

export interface ReminderTiming {
  kind: ReminderKind;
  audience: ReminderAudience;
  /** the instant the kind is measured from (see `dueAt`) */
  anchor: Date;
  dueAt: Date;
  /** true when the protocol's time fell in the patient's quiet hours and was moved out of them */
  shiftedForQuietHours: boolean;
  reasons: DecisionReason[];
  protocolVersion: string;
}

export interface ScheduledReminder extends ReminderTiming {
  /** the same for the same reminder however often the schedule is recomputed: the exactly-once key */
  reminderKey: string;
}

export type ReminderAnchor =
  | { type: AppointmentKind; at: Date; attempt?: number }
  /** sessionNumber is 1-based; attempt counts reschedulings of the same session (1 = first booking) */
  | { type: 'session'; sessionNumber: number; plannedStart: Date; attempt?: number }
  | { type: 'intake'; enrolledAt: Date }
  /** cycle is the 1-based refill number the window opens for */
  | { type: 'refill-window'; cycle: number; lastFillAt: Date };

export interface ReminderSchedule {
  reminders: ScheduledReminder[];
  protocolVersion: string;
}

/**
 * When one reminder of `kind` is due. The anchor is the appointment time for appointment kinds, the
 * session's planned start for every session kind (journal nudge and clinician alert included), the
 * enrolment time for intake reminders, and the last fill for the refill window.
 */
export function dueAt(kind: ReminderKind, anchor: Date, patientTimeZone: string, protocol: Protocol): ReminderTiming {
  assertTimeZone(patientTimeZone);
  const timing = (audience: ReminderAudience, at: Date, shiftable: boolean, why: DecisionReason): ReminderTiming => {
    const quiet = shiftable && audience === 'patient' ? outOfQuietHours(at, patientTimeZone, protocol) : undefined;
    return {
      kind,
      audience,
      anchor,
      dueAt: quiet?.at ?? at,
      shiftedForQuietHours: quiet !== undefined,
      reasons: quiet === undefined ? [why] : [why, quiet.reason],
      protocolVersion: protocol.version,
    };
  };
  const promptAt = new Date(anchor.getTime() + protocol.journal.promptMinutesAfterStart * MINUTE_MS);

  const appointment = /^(consult|follow-up)-(\d+(?:\.\d+)?)h-before$/.exec(kind);
  if (appointment !== null) {
    const hoursBefore = Number(appointment[2]);
    const offered = appointmentHoursBefore(appointment[1] as AppointmentKind, protocol);
    if (!offered.includes(hoursBefore)) {
      throw new UnknownReminderKind(
        `protocol ${protocol.version} sends ${appointment[1]} reminders ${offered.join(' h, ')} h before, not ${hoursBefore} h`,
      );
    }
    return timing('patient', new Date(anchor.getTime() - hoursBefore * HOUR_MS), false, {
      code: 'APPOINTMENT_REMINDER',
      message: `${hoursBefore} h before the ${appointment[1]} appointment`,
    });
  }
  const intake = /^intake-reminder-(\d+)$/.exec(kind);
  if (intake !== null) {
    const n = Number(intake[1]);
    if (n < 1 || n > protocol.patientLinks.intakeMaxReminders) {
      throw new UnknownReminderKind(
        `protocol ${protocol.version} sends at most ${protocol.patientLinks.intakeMaxReminders} intake reminders, not a number ${n}`,
      );
    }
    return timing(
      'patient',
      new Date(anchor.getTime() + n * protocol.patientLinks.intakeReminderEveryHours * HOUR_MS),
      true,
      {
        code: 'INTAKE_REMINDER',
        message: `intake reminder ${n}, every ${protocol.patientLinks.intakeReminderEveryHours} h after enrolment until the questionnaires are done`,
      },
    );
  }

  switch (kind) {
    case 'session-prep':
      return timing('patient', sessionPrepAt(anchor, patientTimeZone, protocol), false, {
        code: 'SESSION_PREP',
        message: `${protocol.reminders.sessionPrepDaysBefore} day(s) before the session at ${protocol.reminders.sessionPrepLocalTime} in the patient's time zone`,
      });
    case 'session-check-in-link':
      return timing('patient', new Date(anchor.getTime() - protocol.checkIn.opensHoursBefore * HOUR_MS), false, {
        code: 'CHECK_IN_OPENS',
        message: `the check-in opens ${protocol.checkIn.opensHoursBefore} h before the planned start`,
      });
    case 'session-journal-prompt':
      return timing('patient', promptAt, false, {
        code: 'JOURNAL_PROMPT',
        message: `${protocol.journal.promptMinutesAfterStart} min after the session starts`,
      });
    case 'session-journal-nudge':
      return timing('patient', new Date(promptAt.getTime() + protocol.journal.nudgeHoursAfterPrompt * HOUR_MS), true, {
        code: 'JOURNAL_NUDGE',
        message: `${protocol.journal.nudgeHoursAfterPrompt} h after the journal prompt, if the journal is still missing`,
      });
    case 'session-journal-clinician-alert':
      return timing(
        'clinician',
        new Date(promptAt.getTime() + protocol.journal.clinicianAlertHoursAfterPrompt * HOUR_MS),
        false,
        {
          code: 'JOURNAL_MISSING_ALERT',
          message: `${protocol.journal.clinicianAlertHoursAfterPrompt} h after the journal prompt, if the journal is still missing`,
        },
      );
    case 'refill-window-opens': {
      const daysUntilOpen = protocol.refill.minimumDaysSinceLastFill - protocol.refill.windowOpensDaysBeforeDue;
      return timing('patient', new Date(anchor.getTime() + daysUntilOpen * DAY_MS), true, {
        code: 'REFILL_WINDOW_OPENS',
        message: `${protocol.refill.windowOpensDaysBeforeDue} day(s) before a refill can be requested (${protocol.refill.minimumDaysSinceLastFill} days after the last fill)`,
      });
    }
    default:
      throw new UnknownReminderKind(`unknown reminder kind "${kind}"`);
  }
}

/** Every reminder an anchor produces, each with its exactly-once key. */
export function reminderSchedule(
  anchor: ReminderAnchor,
  patientTimeZone: string,
  protocol: Protocol,
): ReminderSchedule {
  const scheduled = (key: string, kind: ReminderKind, at: Date): ScheduledReminder => ({
    reminderKey: key,
    ...dueAt(kind, at, patientTimeZone, protocol),
  });
  let reminders: ScheduledReminder[];
  switch (anchor.type) {
    case 'consult':
    case 'follow-up': {
      const prefix = `${anchor.type}${attemptSuffix(anchor.attempt)}`;
      reminders = appointmentHoursBefore(anchor.type, protocol).map((hours) =>
        scheduled(`${prefix}-${hours}h-before`, `${anchor.type}-${hours}h-before`, anchor.at),
      );
      break;
    }
    case 'session': {
      const prefix = `session-${anchor.sessionNumber}${attemptSuffix(anchor.attempt)}`;
      const kinds = [
        'session-prep',
        'session-check-in-link',
        'session-journal-prompt',
        'session-journal-nudge',
        'session-journal-clinician-alert',
      ] as const;
      reminders = kinds.map((kind) =>
        scheduled(`${prefix}-${kind.slice('session-'.length)}`, kind, anchor.plannedStart),
      );
      break;
    }
    case 'intake':
      reminders = Array.from({ length: protocol.patientLinks.intakeMaxReminders }, (_, i) =>
        scheduled(`intake-reminder-${i + 1}`, `intake-reminder-${i + 1}`, anchor.enrolledAt),
      );
      break;
    case 'refill-window':
      reminders = [scheduled(`refill-${anchor.cycle}-window-opens`, 'refill-window-opens', anchor.lastFillAt)];
      break;
  }
  reminders.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return { reminders, protocolVersion: protocol.version };
}

/** Whether `instant` falls in the patient's quiet hours (start inclusive, end exclusive). */
export function isQuietHour(instant: Date, patientTimeZone: string, protocol: Protocol): boolean {
  const minute = minuteOfDay(toLocal(instant, patientTimeZone));
  const start = minuteOfDay(parseLocalTime(protocol.reminders.quietHoursStart));
  const end = minuteOfDay(parseLocalTime(protocol.reminders.quietHoursEnd));
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

function outOfQuietHours(
  at: Date,
  timeZone: string,
  protocol: Protocol,
): { at: Date; reason: DecisionReason } | undefined {
  if (!isQuietHour(at, timeZone, protocol)) return undefined;
  const local = toLocal(at, timeZone);
  const end = parseLocalTime(protocol.reminders.quietHoursEnd);
  // Quiet hours that wrap midnight end tomorrow when we are in the evening part, today otherwise.
  const endsTomorrow = minuteOfDay(local) >= minuteOfDay(end);
  const day = addCalendarDays(local, endsTomorrow ? 1 : 0);
  const shifted = fromLocal({ ...day, hour: end.hour, minute: end.minute }, timeZone);
  return {
    at: shifted,
    reason: {
      code: 'QUIET_HOURS_SHIFT',
      message: `moved out of the patient's quiet hours (${protocol.reminders.quietHoursStart}-${protocol.reminders.quietHoursEnd}) to ${protocol.reminders.quietHoursEnd}`,
    },
  };
}

function sessionPrepAt(plannedStart: Date, timeZone: string, protocol: Protocol): Date {
  const sessionDay = toLocal(plannedStart, timeZone);
  const prepDay = addCalendarDays(sessionDay, -protocol.reminders.sessionPrepDaysBefore);
  const time = parseLocalTime(protocol.reminders.sessionPrepLocalTime);
  return fromLocal({ ...prepDay, hour: time.hour, minute: time.minute }, timeZone);
}

function appointmentHoursBefore(kind: AppointmentKind, protocol: Protocol): readonly number[] {
  return kind === 'consult' ? protocol.reminders.consultHoursBefore : protocol.reminders.followUpHoursBefore;
}

function attemptSuffix(attempt: number | undefined): string {
  return attempt === undefined || attempt <= 1 ? '' : `-attempt-${attempt}`;
}
