import type { Protocol } from '../../domain/protocol.ts';
import { reminderSchedule, type AppointmentKind } from '../../domain/reminder-timing.ts';

/**
 * The reminders still ahead of an appointment (the consult, or the follow-up on the approved plan), per
 * the protocol's hours before it; ones already past are skipped. `attempt` keeps a later appointment's
 * reminders (a follow-up after a new plan) from sharing the exactly-once keys of the first one's.
 */
export function planAppointmentReminders(
  appointment: { type: AppointmentKind; at: Date; attempt?: number },
  patientTimeZone: string,
  protocol: Protocol,
  now: Date,
): { key: string; at: string }[] {
  return reminderSchedule(appointment, patientTimeZone, protocol)
    .reminders.filter((reminder) => reminder.dueAt.getTime() > now.getTime())
    .map((reminder) => ({ key: reminder.reminderKey, at: reminder.dueAt.toISOString() }));
}

/** The consult reminders still ahead (24 h and 1 h before, per the protocol). */
export function planConsultReminders(
  consultAt: Date,
  patientTimeZone: string,
  protocol: Protocol,
  now: Date,
): { key: string; at: string }[] {
  return planAppointmentReminders({ type: 'consult', at: consultAt }, patientTimeZone, protocol, now);
}
