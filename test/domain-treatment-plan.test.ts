import { describe, expect, it } from 'vitest';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import type { TreatmentPlan } from '../functions/domain/schemas/index.ts';
import { validateTreatmentPlan } from '../functions/domain/treatment-plan.ts';
import { NOW, aTreatmentPlan } from './support/domain-fixtures.ts';

const protocol = defaultProtocol;

function validateWith(change: (plan: TreatmentPlan) => void, now = NOW) {
  const plan = aTreatmentPlan();
  change(plan);
  return validateTreatmentPlan(plan, protocol, now);
}

const fieldsOf = (result: ReturnType<typeof validateTreatmentPlan>) => (result.ok ? [] : result.errors.map((error) => error.field));

describe('treatment-plan validation', () => {
  it('accepts a plan within every protocol limit', () => {
    expect(validateTreatmentPlan(aTreatmentPlan(), protocol, NOW)).toEqual({ ok: true, plan: aTreatmentPlan() });
  });

  it.each<[string, (plan: TreatmentPlan) => void, string[]]>([
    ['a dose of exactly 450 mg is allowed', (plan) => (plan.doseMg = 450), []],
    ['a dose of 451 mg is over the limit', (plan) => (plan.doseMg = 451), ['doseMg']],
    ['an oral route is not the protocol\'s route', (plan) => (plan.route = 'oral'), ['route']],
    ['30 days of supply is allowed', (plan) => (plan.daysOfSupply = 30), []],
    ['31 days of supply is too much for one fill', (plan) => (plan.daysOfSupply = 31), ['daysOfSupply']],
    ['5 refills are allowed', (plan) => (plan.refillsAllowed = 5), []],
    ['6 refills are too many', (plan) => (plan.refillsAllowed = 6), ['refillsAllowed']],
    ['an interval of 3 days (72 h) is allowed', (plan) => (plan.intervalDays = 3), []],
    ['an interval of 2 days is under the minimum', (plan) => (plan.intervalDays = 2), ['intervalDays']],
  ])('%s', (_name, change, fields) => {
    expect(fieldsOf(validateWith(change))).toEqual(fields);
  });

  it('needs the protocol\'s induction count of sessions, or a reason for another count', () => {
    const sixSessions = (plan: TreatmentPlan) => {
      plan.sessionCount = 6;
      plan.plannedSessionTimes = [...plan.plannedSessionTimes, '2026-07-29T13:00:00Z', '2026-08-05T13:00:00Z'];
      plan.followUpAt = '2026-08-12T13:00:00Z';
    };
    const withoutReason = validateWith(sixSessions);
    expect(fieldsOf(withoutReason)).toEqual(['sessionCount']);
    expect(withoutReason.ok ? '' : withoutReason.errors[0]?.message).toMatch(/expected 4 sessions.*sessionCountReason/);

    const withReason = validateWith((plan) => {
      sixSessions(plan);
      plan.sessionCountReason = 'partial response after four sessions; two more agreed at follow-up';
    });
    expect(withReason.ok).toBe(true);
  });

  it('needs one planned time per session', () => {
    expect(fieldsOf(validateWith((plan) => plan.plannedSessionTimes.pop()))).toEqual(['plannedSessionTimes']);
  });

  it.each([
    ['exactly 72 hours apart is allowed', '2026-07-04T13:00:00Z', []],
    ['71 hours 59 minutes apart is too close', '2026-07-04T12:59:00Z', ['plannedSessionTimes[1]']],
  ])('sessions %s', (_name, second, fields) => {
    const result = validateWith((plan) => {
      plan.plannedSessionTimes[1] = second;
    });
    expect(fieldsOf(result)).toEqual(fields);
  });

  it('refuses sessions listed out of order', () => {
    const result = validateWith((plan) => {
      plan.plannedSessionTimes = [...plan.plannedSessionTimes].reverse();
    });
    expect(fieldsOf(result)).toEqual(['plannedSessionTimes[1]', 'plannedSessionTimes[2]', 'plannedSessionTimes[3]']);
  });

  it('refuses a session that is not in the future', () => {
    const result = validateWith(() => {}, new Date('2026-07-01T13:00:00Z'));
    expect(fieldsOf(result)).toEqual(['plannedSessionTimes[0]']);
    expect(result.ok ? '' : result.errors[0]?.message).toBe('plannedSessionTimes[0]: expected a time in the future');
  });

  it.each([
    ['before the last session', '2026-07-20T13:00:00Z', ['followUpAt']],
    ['during the last session', '2026-07-22T13:30:00Z', ['followUpAt']],
    ['as the last session ends', '2026-07-22T14:00:00Z', []],
  ])('a follow-up %s is judged by when that session ends', (_name, followUpAt, fields) => {
    expect(fieldsOf(validateWith((plan) => (plan.followUpAt = followUpAt)))).toEqual(fields);
  });

  it('lists every problem at once', () => {
    const result = validateWith((plan) => {
      plan.doseMg = 600;
      plan.daysOfSupply = 60;
      plan.refillsAllowed = 12;
    });
    expect(fieldsOf(result)).toEqual(['doseMg', 'daysOfSupply', 'refillsAllowed']);
    expect(result.ok ? [] : result.errors.map((error) => error.message)).toEqual([
      'doseMg: expected at most 450 mg per session, the protocol\'s limit (got 600)',
      'daysOfSupply: expected at most 30 days per fill (got 60)',
      'refillsAllowed: expected at most 5 refills (got 12)',
    ]);
  });

  it('answers a malformed plan with the fields that are wrong', () => {
    const result = validateTreatmentPlan({ ...aTreatmentPlan(), doseMg: '300 mg', surprise: true }, protocol, NOW);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'doseMg', message: 'doseMg: expected a dose in mg' },
      { field: 'surprise', message: 'surprise: is not a known field; remove it' },
    ]);
  });

  it('applies the limits of an overriding protocol', () => {
    const lowerDose = resolveProtocol({ version: 'clinic-max-200', dose: { maxSublingualMg: 200 } });
    expect(fieldsOf(validateTreatmentPlan(aTreatmentPlan(), lowerDose, NOW))).toEqual(['doseMg']);
  });
});
