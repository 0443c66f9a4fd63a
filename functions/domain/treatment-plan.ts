import type { Protocol } from './protocol.ts';
import type { FieldError } from './schemas/field-errors.ts';
import { safeParseFields } from './schemas/parse.ts';
import { treatmentPlanSchema, type TreatmentPlan } from './schemas/treatment-plan.ts';
import { HOUR_MS } from './durations.ts';

export type TreatmentPlanValidation = { ok: true; plan: TreatmentPlan } | { ok: false; errors: FieldError[] };


/**
 * Checks a treatment plan against the protocol's limits before a clinician can approve it. Takes the
 * plan as submitted (a malformed one gets its field errors too) and lists every problem, not only the
 * first, so the clinician fixes the plan in one pass.
 */
export function validateTreatmentPlan(input: unknown, protocol: Protocol, now: Date): TreatmentPlanValidation {
  const parsed = safeParseFields(treatmentPlanSchema, input);
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const plan = parsed.data;
  const errors: FieldError[] = [];
  const problem = (field: string, detail: string) => errors.push({ field, message: `${field}: ${detail}` });

  if (plan.route !== protocol.dose.route) problem('route', `expected "${protocol.dose.route}", the only route the protocol allows`);
  if (plan.doseMg > protocol.dose.maxSublingualMg) {
    problem('doseMg', `expected at most ${protocol.dose.maxSublingualMg} mg per session, the protocol's limit (got ${plan.doseMg})`);
  }

  const induction = protocol.induction;
  if (plan.sessionCount !== induction.sessionCount && plan.sessionCountReason === undefined) {
    problem(
      'sessionCount',
      `expected ${induction.sessionCount} sessions, the protocol's induction count, or a reason in sessionCountReason for ${plan.sessionCount}`,
    );
  }
  if (plan.intervalDays * 24 < induction.minimumHoursBetweenSessions) {
    problem('intervalDays', `expected at least ${induction.minimumHoursBetweenSessions / 24} days, the protocol's minimum of ${induction.minimumHoursBetweenSessions} hours between sessions`);
  }

  const times = plan.plannedSessionTimes.map((time) => Date.parse(time));
  if (times.length !== plan.sessionCount) {
    problem('plannedSessionTimes', `expected ${plan.sessionCount} planned times, one per session (got ${times.length})`);
  }
  times.forEach((time, index) => {
    const field = `plannedSessionTimes[${index}]`;
    if (time <= now.getTime()) problem(field, 'expected a time in the future');
    const previous = times[index - 1];
    if (previous !== undefined && time - previous < induction.minimumHoursBetweenSessions * HOUR_MS) {
      problem(field, `expected at least ${induction.minimumHoursBetweenSessions} hours after session ${index} (sessions in order)`);
    }
  });

  const lastStart = Math.max(...times);
  const lastEnd = lastStart + induction.sessionDurationMinutes * 60 * 1000;
  if (Date.parse(plan.followUpAt) < lastEnd) {
    problem('followUpAt', `expected a time after the last session ends (${new Date(lastEnd).toISOString()})`);
  }

  if (plan.daysOfSupply > protocol.supply.maxDaysPerFill) {
    problem('daysOfSupply', `expected at most ${protocol.supply.maxDaysPerFill} days per fill (got ${plan.daysOfSupply})`);
  }
  if (plan.refillsAllowed > protocol.refill.maxRefills) {
    problem('refillsAllowed', `expected at most ${protocol.refill.maxRefills} refills (got ${plan.refillsAllowed})`);
  }

  return errors.length === 0 ? { ok: true, plan } : { ok: false, errors };
}
