import type { Protocol } from '../domain/protocol.ts';
import { dueAt } from '../domain/reminder-timing.ts';
import type { StoredPlan, StoredSession } from './stored-records.ts';

export interface SessionPlan {
  /** `session-<n>-a<attempt>`: names the session's steps, links and reminders */
  readonly key: string;
  readonly plannedStart: string;
  readonly prepReminderAt: string;
  readonly checkInOpensAt: string;
  readonly endsAt: string;
  readonly assessmentDue: boolean;
  readonly reasons: readonly string[];
  readonly protocolVersion: string;
}

const HOUR = 3_600_000;

/**
 * When session n (attempt a) takes place:
 * - the plan's own time for it (or the previous planned time plus the plan's interval);
 * - never sooner than the protocol's minimum gap after the last completed session;
 * - a new attempt (after a postponement, a missed check-in or a hold) is offered
 *   `checkIn.postponeStepHours` from now, and no planned time is ever so close that its check-in window
 *   would already be open.
 */
export function planSession(
  input: { sessionNumber: number; attempt: number; plan: StoredPlan; sessions: readonly StoredSession[]; patientTimeZone: string },
  protocol: Protocol,
  now: Date,
): SessionPlan {
  const { sessionNumber, attempt, plan } = input;
  const reasons: string[] = [];
  const planned = plan.plannedSessionTimes[sessionNumber - 1];
  const lastPlanned = plan.plannedSessionTimes.at(-1);
  const planTime =
    planned !== undefined
      ? Date.parse(planned)
      : Date.parse(lastPlanned ?? now.toISOString()) + (sessionNumber - plan.plannedSessionTimes.length) * plan.intervalDays * 24 * HOUR;
  reasons.push(planned !== undefined ? `session ${sessionNumber} as planned` : `session ${sessionNumber} ${plan.intervalDays} day(s) after the plan's last planned time`);
  let start = planTime;

  const lastCompleted = input.sessions
    .filter((s) => s.status === 'completed' && s.number < sessionNumber)
    .reduce<number | undefined>((latest, s) => Math.max(latest ?? 0, Date.parse(s.plannedStart)), undefined);
  if (lastCompleted !== undefined) {
    const earliest = lastCompleted + protocol.induction.minimumHoursBetweenSessions * HOUR;
    if (start < earliest) {
      start = earliest;
      reasons.push(`at least ${protocol.induction.minimumHoursBetweenSessions} h after the last session`);
    }
  }
  const offered = now.getTime() + protocol.checkIn.postponeStepHours * HOUR;
  if (attempt > 1 && start < offered) {
    start = offered;
    reasons.push(`attempt ${attempt}: offered ${protocol.checkIn.postponeStepHours} h later`);
  } else if (start - protocol.checkIn.opensHoursBefore * HOUR < now.getTime()) {
    start = offered;
    reasons.push(`the planned time had passed: offered ${protocol.checkIn.postponeStepHours} h from now`);
  }

  const plannedStart = new Date(start);
  const prep = dueAt('session-prep', plannedStart, input.patientTimeZone, protocol).dueAt;
  const assessmentAfter = protocol.induction.assessmentAfterSessions;
  const assessmentDue = assessmentAfter.includes(sessionNumber) || (assessmentAfter.includes('last') && sessionNumber === plan.sessionCount);
  return {
    key: `session-${sessionNumber}-a${attempt}`,
    plannedStart: plannedStart.toISOString(),
    // a preparation time already past is sent at once rather than skipped
    prepReminderAt: new Date(Math.max(prep.getTime(), now.getTime())).toISOString(),
    checkInOpensAt: new Date(start - protocol.checkIn.opensHoursBefore * HOUR).toISOString(),
    endsAt: new Date(start + protocol.induction.sessionDurationMinutes * 60_000).toISOString(),
    assessmentDue,
    reasons,
    protocolVersion: protocol.version,
  };
}
