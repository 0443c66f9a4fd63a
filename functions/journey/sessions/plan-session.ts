import type { Protocol } from '../../domain/protocol.ts';
import { addCalendarDays, fromLocal, toLocal } from '../../domain/local-time.ts';
import { dueAt } from '../../domain/reminder-timing.ts';
import type { StoredItem } from '../../store/read-items.ts';
import type { StoredFill, StoredPlan, StoredSession } from '../../patient/stored-records.ts';
import { JourneyDataMissing } from '../../patient/journey-errors.ts';
import { DAY_MS, HOUR_MS } from '../../domain/durations.ts';

export interface SessionPlan {
  /** `session-<n>-a<attempt>`: names the session's steps, links and reminders */
  readonly key: string;
  readonly plannedStart: string;
  readonly prepReminderAt: string;
  readonly checkInOpensAt: string;
  readonly endsAt: string;
  readonly assessmentDue: boolean;
  /** the patient's first dose ever: the clinician is asked to check in 1 to 2 days after it */
  readonly firstDose: boolean;
  readonly reasons: readonly string[];
  readonly protocolVersion: string;
}

/**
 * When session n (attempt a) takes place:
 * - the plan's own time for it (or the previous planned time plus the plan's interval);
 * - never sooner than the protocol's minimum gap after the last completed session;
 * - a new attempt after a postponement takes the time the check-in gate offered the patient (the page
 *   showed it: the same time of day, after the abstinence intervals and the gap to the previous session);
 * - a new attempt after a missed check-in or a hold is the next day it can be, at the plan's local time;
 * - no planned time is ever so close that its check-in window would already be open.
 */
export function planSession(
  input: {
    sessionNumber: number;
    attempt: number;
    plan: StoredPlan;
    sessions: readonly StoredSession[];
    /** the fills: a maintenance session is planned from the fill that supplies it */
    fills?: readonly StoredFill[];
    patientTimeZone: string;
    /** the check-in gate's suggested start when it postponed the previous attempt (see postponedStartOffered) */
    postponedTo?: string | null;
  },
  protocol: Protocol,
  now: Date,
): SessionPlan {
  const { sessionNumber, attempt, plan } = input;
  const reasons: string[] = [];
  const maintenance = sessionNumber > plan.sessionCount ? maintenanceDoseTime(input, protocol) : null;
  let planTime: number;
  if (maintenance !== null) {
    planTime = maintenance.at;
    reasons.push(...maintenance.reasons);
  } else {
    const planned = plan.plannedSessionTimes[sessionNumber - 1];
    const lastPlanned = plan.plannedSessionTimes.at(-1);
    planTime =
      planned !== undefined
        ? Date.parse(planned)
        : Date.parse(lastPlanned ?? now.toISOString()) +
          (sessionNumber - plan.plannedSessionTimes.length) * plan.intervalDays * 24 * HOUR_MS;
    reasons.push(
      planned !== undefined
        ? `session ${sessionNumber} as planned`
        : `session ${sessionNumber} ${plan.intervalDays} day(s) after the plan's last planned time`,
    );
  }
  let start = planTime;

  const lastCompleted = input.sessions
    .filter((s) => s.status === 'completed' && s.number < sessionNumber)
    .reduce<number | undefined>((latest, s) => Math.max(latest ?? 0, Date.parse(s.plannedStart)), undefined);
  if (lastCompleted !== undefined) {
    const earliest = lastCompleted + protocol.induction.minimumHoursBetweenSessions * HOUR_MS;
    if (start < earliest) {
      start = earliest;
      reasons.push(`at least ${protocol.induction.minimumHoursBetweenSessions} h after the last session`);
    }
  }
  const offered = now.getTime() + protocol.checkIn.postponeStepHours * HOUR_MS;
  const gateOffer = attempt > 1 && input.postponedTo ? Date.parse(input.postponedTo) : Number.NaN;
  const windowStillClosed = now.getTime() + protocol.checkIn.opensHoursBefore * HOUR_MS;
  if (Number.isFinite(gateOffer) && start < Math.max(gateOffer, windowStillClosed)) {
    start = Math.max(gateOffer, windowStillClosed);
    reasons.push(`attempt ${attempt}: the new time the check-in gate offered`);
  } else if (attempt > 1 && !Number.isFinite(gateOffer) && start < windowStillClosed) {
    // a missed check-in or a hold: the next day the session can be, at the plan's own local time (a
    // fixed 24 h would drift an hour across a DST change, and "an hour later each day" after each miss)
    start = sameLocalTimeNotBefore(planTime, Math.max(start, windowStillClosed), input.patientTimeZone);
    reasons.push(`attempt ${attempt}: the next day at the plan's local time`);
  } else if (start - protocol.checkIn.opensHoursBefore * HOUR_MS < now.getTime()) {
    start = offered;
    reasons.push(`the planned time had passed: offered ${protocol.checkIn.postponeStepHours} h from now`);
  }

  const plannedStart = new Date(start);
  const prep = dueAt('session-prep', plannedStart, input.patientTimeZone, protocol).dueAt;
  const assessmentAfter = protocol.induction.assessmentAfterSessions;
  // maintenance doses have no assessment of their own: the refill request asks for it
  const assessmentDue =
    maintenance === null &&
    (assessmentAfter.includes(sessionNumber) ||
      (assessmentAfter.includes('last') && sessionNumber === plan.sessionCount));
  return {
    key: `session-${sessionNumber}-a${attempt}`,
    plannedStart: plannedStart.toISOString(),
    // a preparation time already past is sent at once rather than skipped
    prepReminderAt: new Date(Math.max(prep.getTime(), now.getTime())).toISOString(),
    checkInOpensAt: new Date(start - protocol.checkIn.opensHoursBefore * HOUR_MS).toISOString(),
    endsAt: new Date(start + protocol.induction.sessionDurationMinutes * 60_000).toISOString(),
    assessmentDue,
    firstDose: !input.sessions.some((s) => s.status === 'completed'),
    reasons,
    protocolVersion: protocol.version,
  };
}

/**
 * When a maintenance dose (a session after induction's) is due: the plan's interval after the session
 * before it, at the plan's local time of day, and never before the fill that supplies it has had the
 * protocol's time to arrive. A session no fill supplies is refused: every dose is dispensed first.
 */
function maintenanceDoseTime(
  input: {
    sessionNumber: number;
    plan: StoredPlan;
    sessions: readonly StoredSession[];
    fills?: readonly StoredFill[];
    patientTimeZone: string;
  },
  protocol: Protocol,
): { at: number; reasons: string[] } {
  const { sessionNumber, plan } = input;
  const fill = (input.fills ?? []).find(
    (f) =>
      f.firstSessionNumber !== null &&
      sessionNumber >= f.firstSessionNumber &&
      sessionNumber < f.firstSessionNumber + (f.quantity ?? 0),
  );
  if (fill === undefined || fill.firstSessionNumber === null)
    throw new JourneyDataMissing(`no fill supplies maintenance session ${sessionNumber}`);
  const dose = sessionNumber - fill.firstSessionNumber + 1;
  const timeOfDay = Date.parse(plan.plannedSessionTimes[0] ?? fill.filledAt);
  const previous = input.sessions.filter((s) => s.number < sessionNumber).sort((a, b) => b.number - a.number)[0];
  const arrived = Date.parse(fill.filledAt) + protocol.maintenance.firstDoseHoursAfterFill * HOUR_MS;
  const reasons = [`maintenance dose ${dose} of ${fill.quantity ?? 0} from fill ${fill.fillNumber}`];
  let at = arrived;
  if (previous !== undefined) {
    // searched from half a day early, so the due day's planned time is found whatever time of day the
    // previous session ended up at (a postponement) and across a DST change
    const due = Date.parse(previous.plannedStart) + plan.maintenanceIntervalDays * DAY_MS - DAY_MS / 2;
    at = sameLocalTimeNotBefore(timeOfDay, due, input.patientTimeZone);
    reasons.push(`${plan.maintenanceIntervalDays} day(s) after session ${previous.number}, at the plan's time of day`);
  }
  if (at < arrived) {
    at = sameLocalTimeNotBefore(timeOfDay, arrived, input.patientTimeZone);
    reasons.push(`not before ${protocol.maintenance.firstDoseHoursAfterFill} h after the fill (delivery)`);
  }
  return { at, reasons };
}

/** The first instant at or after `notBefore` whose local wall-clock time is that of `model`. */
export function sameLocalTimeNotBefore(model: number, notBefore: number, timeZone: string): number {
  const time = toLocal(new Date(model), timeZone);
  const day = toLocal(new Date(notBefore), timeZone);
  for (let days = 0; ; days++) {
    const candidate = fromLocal(
      addCalendarDays({ ...day, hour: time.hour, minute: time.minute }, days),
      timeZone,
    ).getTime();
    if (candidate >= notBefore) return candidate;
  }
}

/**
 * The start the check-in gate offered when it postponed the attempt before this one, read from that
 * attempt's CHECK_IN item (its step key is `session-<n>-a<attempt>-check-in`); null when the previous
 * attempt was not postponed at check-in (missed, held) or on the first attempt.
 */
export function postponedStartOffered(
  checkIns: readonly StoredItem[],
  sessionNumber: number,
  attempt: number,
): string | null {
  if (attempt <= 1) return null;
  const stepKey = `session-${sessionNumber}-a${attempt - 1}-check-in`;
  const postponed = checkIns.find((item) => item['stepKey'] === stepKey && item['outcome'] === 'POSTPONED');
  const suggested = postponed?.['suggestedStart'];
  return typeof suggested === 'string' ? suggested : null;
}
