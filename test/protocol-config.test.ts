import { describe, expect, it } from 'vitest';
import { InvalidProtocol } from '../functions/domain/domain-errors.ts';
import { defaultProtocol, protocolSchema, resolveProtocol } from '../functions/domain/protocol.ts';

describe('the default protocol', () => {
  it('is valid against its own schema', () => {
    expect(protocolSchema.parse(defaultProtocol)).toEqual(defaultProtocol);
  });

  it.each<[string, (p: typeof defaultProtocol) => unknown, unknown]>([
    ['minimum age 18', (p) => p.eligibility.minimumAgeYears, 18],
    ['enrolment PHQ-9 ≥ 10 or GAD-7 ≥ 10', (p) => [p.eligibility.minimumPhq9, p.eligibility.minimumGad7], [10, 10]],
    ['at least one prior treatment', (p) => p.eligibility.minimumPriorTreatments, 1],
    ['resting BP exclusion at 160/100', (p) => p.eligibility.restingBpExclusion, { systolic: 160, diastolic: 100 }],
    ['resting BP review from 140/90', (p) => p.eligibility.restingBpReview, { systolic: 140, diastolic: 90 }],
    [
      'DAST-10 exclusion at 6, review from 3',
      (p) => [p.eligibility.dast10Exclusion, p.eligibility.dast10ReviewFrom],
      [6, 3],
    ],
    ['AUDIT-C review at 4 (men) and 3 (women)', (p) => p.eligibility.auditCReview, { male: 4, female: 3 }],
    ['any history of mania or hypomania is reviewed', (p) => p.eligibility.maniaOrHypomaniaHistory, 'review'],
    [
      'pregnant now, planning or breastfeeding is reviewed (the session is postponed)',
      (p) => p.eligibility.pregnancyNowPlannedOrBreastfeeding,
      'review',
    ],
    [
      'C-SSRS lookbacks 1 and 3 months',
      (p) => [p.eligibility.cssrsIdeationLookbackMonths, p.eligibility.cssrsBehaviourLookbackMonths],
      [1, 3],
    ],
    ['GAD-7 bands from 0, 5, 10, 15', (p) => p.bands.gad7.map((band) => band.from), [0, 5, 10, 15]],
    ['PHQ-9 bands from 0, 5, 10, 15, 20', (p) => p.bands.phq9.map((band) => band.from), [0, 5, 10, 15, 20]],
    [
      '4 induction sessions, ≥ 72 h apart, 7 days by default',
      (p) => [
        p.induction.sessionCount,
        p.induction.minimumHoursBetweenSessions,
        p.induction.defaultDaysBetweenSessions,
      ],
      [4, 72, 7],
    ],
    [
      'max 450 mg sublingual, 7 mg/kg, 300 mg for a first plan',
      (p) => p.dose,
      { maxSublingualMg: 450, maxMgPerKg: 7, firstDoseMaxMg: 300, route: 'sublingual' },
    ],
    [
      "a PDMP check within 7 days before prescribing; the prescriber's own in-person evaluation",
      (p) => p.prescribing,
      { pdmpCheckWithinDays: 7, inPersonEvaluationBy: 'prescribing-clinician' },
    ],
    [
      'hypertensive crisis at 180/120 (AHA), recheck after 5 minutes; postpone from 140/90',
      (p) => [p.checkIn.bpCrisisAtOrAbove, p.checkIn.bpRecheckAfterMinutes, p.checkIn.postponeAtOrAbove],
      [{ systolic: 180, diastolic: 120 }, 5, { systolic: 140, diastolic: 90 }],
    ],
    [
      'questionnaire triage: item 9 above 0, a rise of 5, severe from PHQ-9 20 and GAD-7 15',
      (p) => p.questionnaires,
      { phq9Item9AlertAbove: 0, riseForReview: { phq9: 5, gad7: 5 }, severeFrom: { phq9: 20, gad7: 15 } },
    ],
    ['30 days per fill', (p) => p.supply.maxDaysPerFill, 30],
    [
      'refill after 28 days, at most 5 refills within 6 months',
      (p) => [p.refill.minimumDaysSinceLastFill, p.refill.maxRefills, p.refill.maxMonthsFromPrescription],
      [28, 5, 6],
    ],
    ['telehealth prescribing until 2026-12-31', (p) => p.telehealth.prescribingValidUntil, '2026-12-31'],
  ])('has the DESIGN default: %s', (_name, read, expected) => {
    expect(read(defaultProtocol)).toEqual(expected);
  });

  it('lists every absolute and relative condition, so screening checks all of them by default', () => {
    expect(defaultProtocol.eligibility.absoluteExclusions).toHaveLength(9);
    expect(defaultProtocol.eligibility.absoluteExclusions).toContain('opioid-use-disorder');
    expect(defaultProtocol.eligibility.relativeConditions).toHaveLength(7);
    expect(defaultProtocol.eligibility.relativeConditions).toEqual(
      expect.arrayContaining(['sleep-apnoea', 'significant-lung-disease']),
    );
    expect(defaultProtocol.eligibility.reviewMedicationClasses).toEqual([
      'benzodiazepine',
      'stimulant',
      'maoi',
      'opioid',
      'other-cns-depressant',
    ]);
  });
});

describe("resolveProtocol (a clinic's overrides)", () => {
  it('gives the defaults when there are no overrides', () => {
    expect(resolveProtocol(undefined)).toBe(defaultProtocol);
    expect(resolveProtocol(null)).toBe(defaultProtocol);
  });

  it('merges nested objects: the values named change, the rest keep their defaults', () => {
    const clinic = resolveProtocol({
      version: 'clinic-2026-1',
      refill: { maxRefills: 3 },
      dose: { maxSublingualMg: 300 },
    });
    expect(clinic.version).toBe('clinic-2026-1');
    expect(clinic.refill).toEqual({ ...defaultProtocol.refill, maxRefills: 3 });
    expect(clinic.dose.maxSublingualMg).toBe(300);
    expect(clinic.eligibility).toEqual(defaultProtocol.eligibility);
  });

  it('replaces arrays whole rather than merging them item by item', () => {
    const clinic = resolveProtocol({ version: 'clinic-reminders', reminders: { consultHoursBefore: [48] } });
    expect(clinic.reminders.consultHoursBefore).toEqual([48]);
  });

  it('does not change the defaults it merged from', () => {
    resolveProtocol({ version: 'clinic-x', eligibility: { minimumAgeYears: 21 } });
    expect(defaultProtocol.eligibility.minimumAgeYears).toBe(18);
  });

  it.each<[string, unknown, RegExp]>([
    ['overrides without a version', { refill: { maxRefills: 3 } }, /must set "version"/],
    ['an empty version', { version: '' }, /must set "version"/],
    [
      'changed values under the default version',
      { version: defaultProtocol.version, refill: { maxRefills: 3 } },
      /must differ from the default/,
    ],
    [
      'a value of the wrong type, naming its field',
      { version: 'v2', refill: { maxRefills: 'three' } },
      /refill\.maxRefills/,
    ],
    ['a negative threshold', { version: 'v2', eligibility: { minimumAgeYears: -1 } }, /eligibility\.minimumAgeYears/],
    ['an unknown field', { version: 'v2', eligibility: { maximumAgeYears: 80 } }, /maximumAgeYears/],
    [
      'an unknown condition',
      { version: 'v2', eligibility: { absoluteExclusions: ['asthma'] } },
      /eligibility\.absoluteExclusions\.0/,
    ],
    [
      'early replacement of lost medication',
      { version: 'v2', refill: { replaceLostMedicationEarly: true } },
      /replaceLostMedicationEarly/,
    ],
    [
      'a malformed local time',
      { version: 'v2', reminders: { quietHoursStart: '9pm' } },
      /expected a local time as HH:MM/,
    ],
    ['overrides that are not an object', ['v2'], /must be an object/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => resolveProtocol(overrides)).toThrow(InvalidProtocol);
    expect(() => resolveProtocol(overrides)).toThrow(message);
  });

  it('accepts the default version alone, which changes nothing', () => {
    expect(resolveProtocol({ version: defaultProtocol.version })).toEqual(defaultProtocol);
  });
});
