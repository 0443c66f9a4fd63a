import { describe, expect, it } from 'vitest';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import type { TreatmentPlan } from '../functions/domain/schemas/index.ts';
import { validateTreatmentPlan, type PrescribingRecord } from '../functions/domain/treatment-plan.ts';
import { NOW, aTreatmentPlan } from './support/domain-fixtures.ts';
import { DAY_MS as DAY } from '../functions/domain/durations.ts';

const protocol = defaultProtocol;

/** A second plan (the first-dose limit is not in play) for a 70 kg patient, PDMP checked yesterday, before the telehealth cut-off. */
function aRecord(overrides: Partial<PrescribingRecord> = {}): PrescribingRecord {
  return {
    prescriberId: 'dr-lee',
    timeZone: 'America/New_York',
    weightKg: 70,
    firstPlan: false,
    pdmpCheckedAt: new Date(NOW.getTime() - DAY).toISOString(),
    evaluations: [{ modality: 'telehealth', clinicianId: 'dr-lee' }],
    ...overrides,
  };
}

function validateWith(
  change: (plan: TreatmentPlan) => void,
  now = NOW,
  record = aRecord({ pdmpCheckedAt: new Date(now.getTime() - DAY).toISOString() }),
) {
  const plan = aTreatmentPlan();
  change(plan);
  return validateTreatmentPlan(plan, protocol, now, record);
}

const fieldsOf = (result: ReturnType<typeof validateTreatmentPlan>) =>
  result.ok ? [] : result.errors.map((error) => error.field);

describe('treatment-plan validation', () => {
  it('accepts a plan within every protocol limit', () => {
    expect(validateTreatmentPlan(aTreatmentPlan(), protocol, NOW, aRecord())).toEqual({
      ok: true,
      plan: aTreatmentPlan(),
    });
  });

  it.each<[string, (plan: TreatmentPlan) => void, string[]]>([
    ['a dose of exactly 450 mg is allowed', (plan) => (plan.doseMg = 450), []],
    ['a dose of 451 mg is over the limit', (plan) => (plan.doseMg = 451), ['doseMg']],
    ["an oral route is not the protocol's route", (plan) => (plan.route = 'oral'), ['route']],
    ['30 days of supply is allowed', (plan) => (plan.daysOfSupply = 30), []],
    ['31 days of supply is too much for one fill', (plan) => (plan.daysOfSupply = 31), ['daysOfSupply']],
    ['5 refills are allowed', (plan) => (plan.refillsAllowed = 5), []],
    ['6 refills are too many', (plan) => (plan.refillsAllowed = 6), ['refillsAllowed']],
    ['an interval of 3 days (72 h) is allowed', (plan) => (plan.intervalDays = 3), []],
    ['an interval of 2 days is under the minimum', (plan) => (plan.intervalDays = 2), ['intervalDays']],
  ])('%s', (_name, change, fields) => {
    expect(fieldsOf(validateWith(change))).toEqual(fields);
  });

  it("needs the protocol's induction count of sessions, or a reason for another count", () => {
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
    const result = validateWith(
      (plan) => {
        plan.doseMg = 600;
        plan.daysOfSupply = 60;
        plan.refillsAllowed = 12;
      },
      NOW,
      aRecord({ firstPlan: true, pdmpCheckedAt: null }),
    );
    expect(fieldsOf(result)).toEqual(['doseMg', 'daysOfSupply', 'refillsAllowed', 'doseMg', 'doseMg', 'prescribing']);
    expect(result.ok ? [] : result.errors.map((error) => error.message)).toEqual([
      "doseMg: expected at most 450 mg per session, the protocol's limit (got 600)",
      'daysOfSupply: expected at most 30 days per fill (got 60)',
      'refillsAllowed: expected at most 5 refills (got 12)',
      "doseMg: expected at most 490 mg for 70 kg (7 mg/kg, the protocol's limit; got 600 mg, 8.6 mg/kg)",
      "doseMg: expected at most 300 mg for a first dose, the protocol's limit (got 600)",
      'prescribing: a PDMP check must be recorded within 7 days before prescribing; none is recorded',
    ]);
  });

  it('answers a malformed plan with the fields that are wrong', () => {
    const result = validateTreatmentPlan(
      { ...aTreatmentPlan(), doseMg: '300 mg', surprise: true },
      protocol,
      NOW,
      aRecord(),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'doseMg', message: 'doseMg: expected a dose in mg' },
      { field: 'surprise', message: 'surprise: is not a known field; remove it' },
    ]);
  });

  it('applies the limits of an overriding protocol', () => {
    const lowerDose = resolveProtocol({ version: 'clinic-max-200', dose: { maxSublingualMg: 200 } });
    expect(fieldsOf(validateTreatmentPlan(aTreatmentPlan(), lowerDose, NOW, aRecord()))).toEqual(['doseMg']);
  });
});

describe('prescribing checks at plan approval', () => {
  const withDose = (doseMg: number) => (plan: TreatmentPlan) => (plan.doseMg = doseMg);
  const messages = (result: ReturnType<typeof validateTreatmentPlan>) =>
    result.ok ? [] : result.errors.map((error) => error.message);

  it.each([
    { weightKg: 50, doseMg: 350, fields: [] },
    { weightKg: 50, doseMg: 351, fields: ['doseMg'] },
    // the example: 450 mg is 9 mg/kg for a 50 kg patient
    { weightKg: 50, doseMg: 450, fields: ['doseMg'] },
    { weightKg: 64.3, doseMg: 450, fields: [] },
    { weightKg: 64.2, doseMg: 450, fields: ['doseMg'] },
  ])('$doseMg mg for $weightKg kg against 7 mg/kg: $fields', ({ weightKg, doseMg, fields }) => {
    expect(fieldsOf(validateWith(withDose(doseMg), NOW, aRecord({ weightKg })))).toEqual(fields);
  });

  it("names the limit in mg for the patient's weight", () => {
    expect(messages(validateWith(withDose(450), NOW, aRecord({ weightKg: 50 })))).toEqual([
      "doseMg: expected at most 350 mg for 50 kg (7 mg/kg, the protocol's limit; got 450 mg, 9 mg/kg)",
    ]);
  });

  it('refuses a plan when no weight is recorded: the mg/kg limit cannot be checked', () => {
    expect(messages(validateWith(() => {}, NOW, aRecord({ weightKg: null })))).toEqual([
      'doseMg: no weight is recorded at intake, so the limit of 7 mg/kg cannot be checked; record the weight first',
    ]);
  });

  it.each([
    { firstPlan: true, doseMg: 300, fields: [] },
    { firstPlan: true, doseMg: 301, fields: ['doseMg'] },
    { firstPlan: false, doseMg: 301, fields: [] },
  ])(
    'a first plan ($firstPlan) at $doseMg mg against the 300 mg first-dose limit: $fields',
    ({ firstPlan, doseMg, fields }) => {
      expect(fieldsOf(validateWith(withDose(doseMg), NOW, aRecord({ firstPlan })))).toEqual(fields);
    },
  );

  it.each([
    { label: 'none recorded', at: null, fields: ['prescribing'] },
    { label: 'exactly 7 days old', at: new Date(NOW.getTime() - 7 * DAY).toISOString(), fields: [] },
    {
      label: '7 days and a millisecond old',
      at: new Date(NOW.getTime() - 7 * DAY - 1).toISOString(),
      fields: ['prescribing'],
    },
  ])('a PDMP check $label: $fields', ({ at, fields }) => {
    expect(fieldsOf(validateWith(() => {}, NOW, aRecord({ pdmpCheckedAt: at })))).toEqual(fields);
  });

  it.each([
    { label: 'exactly 24 hours old', age: DAY, fields: [] },
    { label: '24 hours and a millisecond old', age: DAY + 1, fields: ['prescribing'] },
  ])('a state that needs a PDMP check within 24 h: a check $label gives $fields', ({ age, fields }) => {
    const within24h = resolveProtocol({ version: 'state-24h-pdmp', prescribing: { pdmpCheckWithinDays: 1 } });
    const result = validateTreatmentPlan(
      aTreatmentPlan(),
      within24h,
      NOW,
      aRecord({ pdmpCheckedAt: new Date(NOW.getTime() - age).toISOString() }),
    );
    expect(fieldsOf(result)).toEqual(fields);
    if (fields.length > 0) expect(messages(result)[0]).toContain('within 24 hours');
  });

  const afterCutOff = new Date('2027-01-01T15:00:00Z');
  const planAfterCutOff = (plan: TreatmentPlan) => {
    plan.plannedSessionTimes = [
      '2027-01-10T15:00:00Z',
      '2027-01-17T15:00:00Z',
      '2027-01-24T15:00:00Z',
      '2027-01-31T15:00:00Z',
    ];
    plan.followUpAt = '2027-02-07T15:00:00Z';
  };
  it.each([
    {
      now: new Date('2026-12-31T23:00:00-05:00'),
      evaluations: [{ modality: 'telehealth' as const, clinicianId: 'dr-lee' }],
      fields: [],
    },
    {
      now: afterCutOff,
      evaluations: [{ modality: 'telehealth' as const, clinicianId: 'dr-lee' }],
      fields: ['prescribing'],
    },
    {
      now: afterCutOff,
      evaluations: [{ modality: 'in-person' as const, clinicianId: 'dr-kim' }],
      fields: ['prescribing'],
    },
    { now: afterCutOff, evaluations: [{ modality: 'in-person' as const, clinicianId: 'dr-lee' }], fields: [] },
  ])('the telehealth rule at approval, $now with $evaluations: $fields', ({ now, evaluations, fields }) => {
    const record = aRecord({ evaluations, pdmpCheckedAt: new Date(now.getTime() - DAY).toISOString() });
    expect(fieldsOf(validateWith(planAfterCutOff, now, record))).toEqual(fields);
  });
});
