import type { Protocol } from '../domain/protocol.ts';
import { reminderSchedule } from '../domain/reminder-timing.ts';

/** The consult reminders still ahead (24 h and 1 h before, per the protocol); ones already past are skipped. */
export function planConsultReminders(consultAt: Date, patientTimeZone: string, protocol: Protocol, now: Date): { key: string; at: string }[] {
  return reminderSchedule({ type: 'consult', at: consultAt }, patientTimeZone, protocol)
    .reminders.filter((reminder) => reminder.dueAt.getTime() > now.getTime())
    .map((reminder) => ({ key: reminder.reminderKey, at: reminder.dueAt.toISOString() }));
}
