import type { Protocol } from '../../domain/protocol.ts';
import { dueAt } from '../../domain/reminder-timing.ts';
import { purposeSpecs, type StepPurpose } from '../../links/purposes.ts';
import type { ClinicConfig } from '../../platform/clinic-config.ts';
import { backupOf, clinicianById } from '../../patient/care-team.ts';
import { HOUR_SECONDS } from '../../domain/durations.ts';

/** Decisions that stopped treatment waits on: their links stay open until the workflow asks again. */
const stoppedTreatmentDecisions: ReadonlySet<StepPurpose> = new Set(['hold-decision', 'missed-check-ins']);

export interface PersonRef {
  readonly kind: 'patient' | 'clinician';
  readonly id: string;
}

/** What statemachines/person-action.asl.json needs: who acts, when to remind, whom to escalate to, when it ends. */
export interface PersonActionPlan {
  readonly person: PersonRef;
  readonly firstWaitSeconds: number;
  /** 0 = no reminder */
  readonly reminderWaitSeconds: number;
  /** 0 = no escalation */
  readonly escalationWaitSeconds: number;
  readonly escalationPerson?: PersonRef;
  readonly expiresAt: string;
  readonly reasons: readonly string[];
  readonly protocolVersion: string;
}

export interface PersonActionInput {
  readonly purpose: StepPurpose;
  readonly patientId: string;
  readonly patientTimeZone: string;
  readonly assignedClinicianId: string;
  /** the booked consult, for the evaluation that follows it */
  readonly consultAt: string | null;
}

/**
 * The protocol's waits for each kind of step:
 * - clinician decisions: reminder after `approvals.reminderAfterHours`, the backup clinician after
 *   `backupClinicianAfterHours`, expiry after `linkValidHours` (72 h); with no backup configured, the
 *   reminder wait runs to expiry. The consult evaluation counts from the consult itself. A decision
 *   that stopped treatment waits on expires after `stoppedTreatmentAskAgainAfterDays` instead, and the
 *   workflow asks again.
 * - check-in: open from when it is asked (2 h before the start) until the window closes (1 h after);
 *   a reminder at the planned start, no escalation (a missed check-in is recorded as such).
 * - journal: nudge 12 h after the prompt (moved out of quiet hours), the clinician alerted at 48 h, and
 *   the link valid for the patient-link validity after that alert.
 * - other patient forms: reminder after `intakeReminderEveryHours` (out of quiet hours), the clinician
 *   alerted after `clinicianAlertAfterReminderIntervals` of them, expiry at `patientLinks.validHours` (or later, never earlier).
 */
export function planPersonAction(
  input: PersonActionInput,
  clinic: ClinicConfig,
  protocol: Protocol,
  now: Date,
): PersonActionPlan {
  const clinician = clinicianById(clinic, input.assignedClinicianId);
  const clinicianRef: PersonRef = { kind: 'clinician', id: clinician.id };
  const base = { protocolVersion: protocol.version };
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  const secondsUntil = (date: Date) => Math.max(1, Math.ceil((date.getTime() - now.getTime()) / 1000));

  if (purposeSpecs[input.purpose].actor === 'clinician') {
    const { reminderAfterHours, backupClinicianAfterHours, stoppedTreatmentAskAgainAfterDays } = protocol.approvals;
    const linkValidHours = stoppedTreatmentDecisions.has(input.purpose)
      ? stoppedTreatmentAskAgainAfterDays * 24
      : protocol.approvals.linkValidHours;
    // the evaluation can only happen after the consult, so its clock starts there
    const startsAt =
      input.purpose === 'consult-evaluation' && input.consultAt !== null
        ? Math.max(0, (Date.parse(input.consultAt) - now.getTime()) / 1000)
        : 0;
    const first = Math.ceil(startsAt + reminderAfterHours * HOUR_SECONDS);
    const total = Math.ceil(startsAt + linkValidHours * HOUR_SECONDS);
    const backup = backupOf(clinic, clinician);
    if (backup === undefined) {
      return {
        ...base,
        person: clinicianRef,
        firstWaitSeconds: first,
        reminderWaitSeconds: total - first,
        escalationWaitSeconds: 0,
        expiresAt: at(total),
        reasons: [
          `reminder after ${reminderAfterHours} h, no backup clinician configured, expires after ${linkValidHours} h`,
        ],
      };
    }
    const toBackup = Math.ceil(startsAt + backupClinicianAfterHours * HOUR_SECONDS);
    return {
      ...base,
      person: clinicianRef,
      firstWaitSeconds: first,
      reminderWaitSeconds: toBackup - first,
      escalationWaitSeconds: total - toBackup,
      escalationPerson: { kind: 'clinician', id: backup.id },
      expiresAt: at(total),
      reasons: [
        `reminder after ${reminderAfterHours} h, backup clinician after ${backupClinicianAfterHours} h, expires after ${linkValidHours} h`,
      ],
    };
  }

  const patientRef: PersonRef = { kind: 'patient', id: input.patientId };
  if (input.purpose === 'recovery') {
    // asked at the end of the session hour: no answer in time, and the patient is asked to keep the adult
    // there, and soon after (clinicianAlertMinutesAfterRecoveryReminder) the clinician is alerted (urgent); the link stays open for the evening
    const { recoveryConfirmWithinMinutes, clinicianAlertMinutesAfterRecoveryReminder, recoveryLinkValidHours } =
      protocol.afterSession;
    const first = recoveryConfirmWithinMinutes * 60;
    const toAlert = clinicianAlertMinutesAfterRecoveryReminder * 60;
    const total = Math.max(first + toAlert + 60, recoveryLinkValidHours * HOUR_SECONDS);
    return {
      ...base,
      person: patientRef,
      firstWaitSeconds: first,
      reminderWaitSeconds: toAlert,
      escalationWaitSeconds: total - first - toAlert,
      escalationPerson: clinicianRef,
      expiresAt: at(total),
      reasons: [
        `recovery confirmed within ${recoveryConfirmWithinMinutes} min of the session hour, else the adult is asked to stay and the clinician alerted`,
      ],
    };
  }
  if (input.purpose === 'check-in') {
    const first = protocol.checkIn.opensHoursBefore * HOUR_SECONDS;
    const second = protocol.checkIn.closesHoursAfter * HOUR_SECONDS;
    return {
      ...base,
      person: patientRef,
      firstWaitSeconds: first,
      reminderWaitSeconds: second,
      escalationWaitSeconds: 0,
      expiresAt: at(first + second),
      reasons: ['open until the check-in window closes; a reminder at the planned start'],
    };
  }
  if (input.purpose === 'journal') {
    // the journal is asked for at the prompt time, which is `now`
    const plannedStart = new Date(now.getTime() - protocol.journal.promptMinutesAfterStart * 60_000);
    const nudge = secondsUntil(dueAt('session-journal-nudge', plannedStart, input.patientTimeZone, protocol).dueAt);
    const alert = Math.max(
      nudge + 1,
      secondsUntil(dueAt('session-journal-clinician-alert', plannedStart, input.patientTimeZone, protocol).dueAt),
    );
    const after = protocol.patientLinks.validHours * HOUR_SECONDS;
    return {
      ...base,
      person: patientRef,
      firstWaitSeconds: nudge,
      reminderWaitSeconds: alert - nudge,
      escalationWaitSeconds: after,
      escalationPerson: clinicianRef,
      expiresAt: at(alert + after),
      reasons: [
        `nudge ${protocol.journal.nudgeHoursAfterPrompt} h after the prompt, clinician alerted at ${protocol.journal.clinicianAlertHoursAfterPrompt} h`,
      ],
    };
  }
  if (input.purpose === 'refill-request') {
    // asked when the window opens, days before the fill is due: the link must outlive the due day, or a
    // patient who waits for it loses the refill; the clinician is told if nothing came by the due day
    const { windowOpensDaysBeforeDue, requestOpenDaysAfterDue } = protocol.refill;
    const reminder = secondsUntil(dueAt('intake-reminder-1', now, input.patientTimeZone, protocol).dueAt);
    const alert = Math.max(reminder + 1, Math.ceil(windowOpensDaysBeforeDue * 24 * HOUR_SECONDS));
    const total = Math.max(
      alert + 1,
      Math.ceil((windowOpensDaysBeforeDue + requestOpenDaysAfterDue) * 24 * HOUR_SECONDS),
    );
    return {
      ...base,
      person: patientRef,
      firstWaitSeconds: reminder,
      reminderWaitSeconds: alert - reminder,
      escalationWaitSeconds: total - alert,
      escalationPerson: clinicianRef,
      expiresAt: at(total),
      reasons: [
        `open from the window until ${requestOpenDaysAfterDue} days after the fill is due; the clinician is told on the due day`,
      ],
    };
  }
  const every = protocol.patientLinks.intakeReminderEveryHours;
  const alertAfterHours = protocol.patientLinks.clinicianAlertAfterReminderIntervals * every;
  const reminder = secondsUntil(dueAt('intake-reminder-1', now, input.patientTimeZone, protocol).dueAt);
  const alert = Math.max(reminder + 1, Math.ceil(alertAfterHours * HOUR_SECONDS));
  const total = Math.max(alert + 1, Math.ceil(protocol.patientLinks.validHours * HOUR_SECONDS));
  return {
    ...base,
    person: patientRef,
    firstWaitSeconds: reminder,
    reminderWaitSeconds: alert - reminder,
    escalationWaitSeconds: total - alert,
    escalationPerson: clinicianRef,
    expiresAt: at(total),
    reasons: [
      `reminder after ${every} h (out of quiet hours), clinician told after ${alertAfterHours} h, expires after ${protocol.patientLinks.validHours} h`,
    ],
  };
}
