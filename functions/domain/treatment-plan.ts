import { localDate } from './local-time.ts';
import { inPersonEvaluationMissing, pdmpCheckMissing } from './prescribing.ts';
import type { Protocol } from './protocol.ts';
import type { Evaluation } from './schemas/evaluation.ts';
import type { FieldError } from './schemas/field-errors.ts';
import { safeParseFields } from './schemas/parse.ts';
import { treatmentPlanSchema, type TreatmentPlan } from './schemas/treatment-plan.ts';
import { HOUR_MS } from './durations.ts';
import { fillQuantity } from './fill-quantity.ts';

export type TreatmentPlanValidation = { ok: true; plan: TreatmentPlan } | { ok: false; errors: FieldError[] };

/**
 * What approving this plan prescribes against: the prescriber, the patient's weight from intake, whether
 * it is their first plan (its dose is their first dose), the PDMP check and the evaluations on record.
 */
export interface PrescribingRecord {
  readonly prescriberId: string;
  /** the patient's zone: the telehealth cut-off is a date on their calendar */
  readonly timeZone: string;
  /** from the intake; null when none is recorded (the plan cannot then be checked, so it is refused) */
  readonly weightKg: number | null;
  /** no plan was approved for the patient before this one */
  readonly firstPlan: boolean;
  readonly pdmpCheckedAt: string | null;
  readonly evaluations: readonly Pick<Evaluation, 'modality' | 'clinicianId'>[];
}

/** Field name of prescribing problems that are not about one field of the plan. */
export const PRESCRIBING_FIELD = 'prescribing';

/**
 * Checks a treatment plan against the protocol's limits before a clinician can approve it. Takes the
 * plan as submitted (a malformed one gets its field errors too) and lists every problem, not only the
 * first, so the clinician fixes the plan in one pass.
 */
export function validateTreatmentPlan(
  input: unknown,
  protocol: Protocol,
  now: Date,
  record: PrescribingRecord,
): TreatmentPlanValidation {
  const parsed = safeParseFields(treatmentPlanSchema, input);
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const plan = parsed.data;
  const errors: FieldError[] = [];
  const problem = (field: string, detail: string) => errors.push({ field, message: `${field}: ${detail}` });

  if (plan.route !== protocol.dose.route)
    problem('route', `expected "${protocol.dose.route}", the only route the protocol allows`);
  if (plan.doseMg > protocol.dose.maxSublingualMg) {
    problem(
      'doseMg',
      `expected at most ${protocol.dose.maxSublingualMg} mg per session, the protocol's limit (got ${plan.doseMg})`,
    );
  }

  const induction = protocol.induction;
  if (plan.sessionCount !== induction.sessionCount && plan.sessionCountReason === undefined) {
    problem(
      'sessionCount',
      `expected ${induction.sessionCount} sessions, the protocol's induction count, or a reason in sessionCountReason for ${plan.sessionCount}`,
    );
  }
  if (plan.intervalDays * 24 < induction.minimumHoursBetweenSessions) {
    problem(
      'intervalDays',
      `expected at least ${induction.minimumHoursBetweenSessions / 24} days, the protocol's minimum of ${induction.minimumHoursBetweenSessions} hours between sessions`,
    );
  }

  const times = plan.plannedSessionTimes.map((time) => Date.parse(time));
  if (times.length !== plan.sessionCount) {
    problem(
      'plannedSessionTimes',
      `expected ${plan.sessionCount} planned times, one per session (got ${times.length})`,
    );
  }
  times.forEach((time, index) => {
    const field = `plannedSessionTimes[${index}]`;
    if (time <= now.getTime()) problem(field, 'expected a time in the future');
    const previous = times[index - 1];
    if (previous !== undefined && time - previous < induction.minimumHoursBetweenSessions * HOUR_MS) {
      problem(
        field,
        `expected at least ${induction.minimumHoursBetweenSessions} hours after session ${index} (sessions in order)`,
      );
    }
  });

  const lastStart = Math.max(...times);
  const lastEnd = lastStart + induction.sessionDurationMinutes * 60 * 1000;
  if (Date.parse(plan.followUpAt) < lastEnd) {
    problem('followUpAt', `expected a time after the last session ends (${new Date(lastEnd).toISOString()})`);
  }

  if (plan.daysOfSupply > protocol.supply.maxDaysPerFill) {
    problem(
      'daysOfSupply',
      `expected at most ${protocol.supply.maxDaysPerFill} days per fill (got ${plan.daysOfSupply})`,
    );
  }
  errors.push(...maintenanceProblems(plan, protocol));
  if (plan.refillsAllowed > protocol.refill.maxRefills) {
    problem('refillsAllowed', `expected at most ${protocol.refill.maxRefills} refills (got ${plan.refillsAllowed})`);
  }
  errors.push(...prescribingProblems(plan, record, protocol, now));

  return errors.length === 0 ? { ok: true, plan } : { ok: false, errors };
}

/** The maintenance cadence within the protocol's range, and the doses it puts in one fill within its cap. */
function maintenanceProblems(
  plan: Pick<TreatmentPlan, 'doseMg' | 'maintenanceIntervalDays' | 'daysOfSupply'>,
  protocol: Protocol,
): FieldError[] {
  const errors: FieldError[] = [];
  const rule = protocol.maintenance;
  const field = 'maintenanceIntervalDays';
  if (
    plan.maintenanceIntervalDays < rule.minDaysBetweenDoses ||
    plan.maintenanceIntervalDays > rule.maxDaysBetweenDoses
  ) {
    errors.push({
      field,
      message: `${field}: expected every ${rule.minDaysBetweenDoses} to ${rule.maxDaysBetweenDoses} days, the protocol's maintenance range (got ${plan.maintenanceIntervalDays})`,
    });
    return errors;
  }
  const supply = fillQuantity(plan, protocol);
  if (supply.doses === 0) {
    errors.push({
      field,
      message: `${field}: expected a dose at least once in the ${plan.daysOfSupply} days of a fill (got every ${plan.maintenanceIntervalDays} days)`,
    });
  } else if (supply.cappedFrom !== null) {
    errors.push({
      field,
      message: `${field}: a dose every ${plan.maintenanceIntervalDays} days for ${plan.daysOfSupply} days is ${supply.cappedFrom} doses per fill, above the protocol's cap of ${rule.maxDosesPerFill}`,
    });
  }
  return errors;
}

/**
 * The rules of prescribing itself, checked when the plan is approved: the dose against the patient's
 * weight and (for a first plan) the first-dose limit, a recent PDMP check, and after the telehealth
 * cut-off an in-person evaluation by the prescriber (or per the protocol's documented rule).
 */
export function prescribingProblems(
  plan: Pick<TreatmentPlan, 'doseMg'>,
  record: PrescribingRecord,
  protocol: Protocol,
  now: Date,
): FieldError[] {
  const errors: FieldError[] = [];
  const problem = (field: string, detail: string) => errors.push({ field, message: `${field}: ${detail}` });
  const dose = protocol.dose;
  if (record.weightKg === null) {
    problem(
      'doseMg',
      `no weight is recorded at intake, so the limit of ${dose.maxMgPerKg} mg/kg cannot be checked; record the weight first`,
    );
  } else {
    const limit = Math.floor(dose.maxMgPerKg * record.weightKg);
    if (plan.doseMg > dose.maxMgPerKg * record.weightKg) {
      problem(
        'doseMg',
        `expected at most ${limit} mg for ${record.weightKg} kg (${dose.maxMgPerKg} mg/kg, the protocol's limit; got ${plan.doseMg} mg, ${round(plan.doseMg / record.weightKg)} mg/kg)`,
      );
    }
  }
  if (record.firstPlan && plan.doseMg > dose.firstDoseMaxMg) {
    problem(
      'doseMg',
      `expected at most ${dose.firstDoseMaxMg} mg for a first dose, the protocol's limit (got ${plan.doseMg})`,
    );
  }
  const pdmp = pdmpCheckMissing(record.pdmpCheckedAt, now, protocol);
  if (pdmp !== null) problem(PRESCRIBING_FIELD, pdmp);
  const inPerson = inPersonEvaluationMissing(
    localDate(now, record.timeZone),
    record.evaluations,
    record.prescriberId,
    protocol,
  );
  if (inPerson !== null) problem(PRESCRIBING_FIELD, inPerson);
  return errors;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
