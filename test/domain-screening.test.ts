import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  absoluteExclusionConditions,
  defaultProtocol,
  relativeReviewConditions,
  resolveProtocol,
  reviewMedicationClasses,
} from '../functions/domain/protocol.ts';
import { ageOn, screen } from '../functions/domain/screening.ts';
import { medicalConditions, screeningResultSchema, type Intake } from '../functions/domain/schemas/index.ts';
import { NOW, aPatient, anIntake } from './support/domain-fixtures.ts';

const protocol = defaultProtocol;

function screenWith(change: (intake: Intake) => void, patient = aPatient(), now = NOW) {
  const intake = anIntake();
  change(intake);
  return screen(intake, patient, protocol, now);
}

const codes = (result: ReturnType<typeof screen>) => result.reasons.map((reason) => reason.code);

describe('screening outcome', () => {
  it('finds an intake with no contraindication ELIGIBLE, with no reasons and the protocol version', () => {
    const result = screen(anIntake(), aPatient(), protocol, NOW);
    expect(result.outcome).toBe('ELIGIBLE');
    expect(result.reasons).toEqual([]);
    expect(result.urgentAlert).toBe(false);
    expect(result.protocolVersion).toBe(protocol.version);
    expect(result.decidedAt).toBe(NOW.toISOString());
    expect(result.scores).toMatchObject({
      gad7: { total: 11, band: 'moderate' },
      phq9: { total: 12, band: 'moderate', item9: 0 },
    });
  });

  it('produces a result that its own schema accepts', () => {
    const result = screenWith((intake) => {
      intake.medicalHistory.conditions = ['opioid-use-disorder', 'seizures'];
      intake.pregnancy = 'yes';
    });
    expect(screeningResultSchema.parse(result)).toEqual(result);
  });

  it('records the version of an overriding protocol and applies its values', () => {
    const stricter = resolveProtocol({
      version: 'clinic-bp-130',
      eligibility: { restingBpReview: { systolic: 130, diastolic: 85 } },
    });
    const intake = anIntake();
    intake.vitals.restingBp = [{ systolic: 132, diastolic: 80 }];
    const result = screen(intake, aPatient(), stricter, NOW);
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(codes(result)).toEqual(['resting-bp-review-range']);
    expect(result.protocolVersion).toBe('clinic-bp-130');
  });
});

describe("age, in the patient's own time zone", () => {
  // 2026-06-15T06:00Z is still 14 June (23:00) in Los Angeles.
  const lateEveningInLosAngeles = new Date('2026-06-15T06:00:00Z');

  it.each([
    ['exactly 18 today is eligible', '2008-06-14', 'ELIGIBLE', 18],
    ['18 tomorrow (18 minus a day) is not', '2008-06-15', 'INELIGIBLE', 17],
    ['well over 18 is eligible', '1970-01-01', 'ELIGIBLE', 56],
  ])('%s', (_name, dateOfBirth, outcome, age) => {
    const result = screenWith(
      () => {},
      aPatient({ dateOfBirth, timeZone: 'America/Los_Angeles' }),
      lateEveningInLosAngeles,
    );
    expect(result.outcome).toBe(outcome);
    expect(result.scores.ageYears).toBe(age);
    expect(codes(result).includes('below-minimum-age')).toBe(outcome === 'INELIGIBLE');
  });

  it("counts a birthday on the patient's calendar, not UTC's", () => {
    // Already 15 June in UTC (and in Tokyo), so the same birth date is 18 there.
    const result = screenWith(
      () => {},
      aPatient({ dateOfBirth: '2008-06-15', timeZone: 'Asia/Tokyo' }),
      lateEveningInLosAngeles,
    );
    expect(result.scores.ageYears).toBe(18);
  });

  it.each([
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2028-02-29', 20],
  ])('someone born %s is %i on %s', (dateOfBirth, today, age) => {
    expect(ageOn(dateOfBirth, today)).toBe(age);
  });
});

describe('resting blood pressure', () => {
  it.each([
    [139, 89, 'ELIGIBLE', []],
    [140, 89, 'NEEDS_REVIEW', ['resting-bp-review-range']],
    [139, 90, 'NEEDS_REVIEW', ['resting-bp-review-range']],
    [140, 90, 'NEEDS_REVIEW', ['resting-bp-review-range']],
    [159, 99, 'NEEDS_REVIEW', ['resting-bp-review-range']],
    [160, 99, 'INELIGIBLE', ['resting-bp-at-exclusion-threshold']],
    [159, 100, 'INELIGIBLE', ['resting-bp-at-exclusion-threshold']],
    [160, 100, 'INELIGIBLE', ['resting-bp-at-exclusion-threshold']],
    [185, 115, 'INELIGIBLE', ['resting-bp-at-exclusion-threshold']],
  ])('%i/%i is %s', (systolic, diastolic, outcome, expected) => {
    const result = screenWith((intake) => {
      intake.vitals.restingBp = [{ systolic, diastolic }];
    });
    expect(result.outcome).toBe(outcome);
    expect(codes(result)).toEqual(expected);
  });

  it('judges the highest reading, so one high reading is not averaged away', () => {
    const result = screenWith((intake) => {
      intake.vitals.restingBp = [
        { systolic: 120, diastolic: 80 },
        { systolic: 162, diastolic: 84 },
      ];
    });
    expect(result.outcome).toBe('INELIGIBLE');
    expect(result.scores.restingBp).toEqual({ systolic: 162, diastolic: 84 });
  });
});

describe('absolute exclusions', () => {
  it.each(absoluteExclusionConditions)(
    '"%s" in the medical history makes the patient INELIGIBLE with its own reason',
    (condition) => {
      const result = screenWith((intake) => {
        intake.medicalHistory.conditions = [condition];
      });
      expect(result.outcome).toBe('INELIGIBLE');
      expect(codes(result)).toEqual([condition]);
      expect(result.reasons[0]?.severity).toBe('exclusion');
    },
  );

  it.each([
    { history: false, weight: 'review' as const, outcome: 'ELIGIBLE' },
    { history: true, weight: 'review' as const, outcome: 'NEEDS_REVIEW' },
    { history: true, weight: 'exclusion' as const, outcome: 'INELIGIBLE' },
  ])(
    'a history of mania or hypomania ($history, protocol: $weight) is $outcome, however long ago',
    ({ history, weight, outcome }) => {
      const rules =
        weight === 'review'
          ? protocol
          : resolveProtocol({ version: 'mania-excludes', eligibility: { maniaOrHypomaniaHistory: 'exclusion' } });
      const intake = anIntake();
      intake.medicalHistory.maniaOrHypomania = history;
      const result = screen(intake, aPatient(), rules, NOW);
      expect(result.outcome).toBe(outcome);
      expect(codes(result)).toEqual(history ? ['mania-or-hypomania-history'] : []);
    },
  );

  it.each([
    { answer: 'yes' as const, outcome: 'NEEDS_REVIEW' },
    { answer: 'no' as const, outcome: 'ELIGIBLE' },
    { answer: 'cannot-become-pregnant' as const, outcome: 'ELIGIBLE' },
  ])('pregnant now, planning to be, or breastfeeding answered "$answer" is $outcome', ({ answer, outcome }) => {
    const result = screenWith((intake) => {
      intake.pregnancy = answer;
    });
    expect(result.outcome).toBe(outcome);
    expect(codes(result)).toEqual(answer === 'yes' ? ['pregnancy-now-planned-or-breastfeeding'] : []);
  });

  it('no longer excludes someone who was pregnant in the past: the checklist has no pregnancy item', () => {
    expect(medicalConditions as readonly string[]).not.toContain('pregnancy-or-breastfeeding');
  });

  it.each([
    [6, 'INELIGIBLE', 'dast10-at-exclusion-threshold'],
    [5, 'NEEDS_REVIEW', 'dast10-review-range'],
    [3, 'NEEDS_REVIEW', 'dast10-review-range'],
  ])('a DAST-10 score of %i is %s', (score, outcome, code) => {
    const result = screenWith((intake) => {
      // "no" to question 3 scores 1; each other "yes" scores 1
      intake.dast10.answers = Array.from({ length: 10 }, (_, index) => index !== 2 && index <= score - 1);
    });
    expect(result.scores.dast10.total).toBe(score);
    expect(result.outcome).toBe(outcome);
    expect(codes(result)).toEqual([code]);
  });

  it('a DAST-10 score of 2 is no reason at all', () => {
    const result = screenWith((intake) => {
      intake.dast10.answers = [true, false, false, false, false, false, false, false, false, false];
    });
    expect(result.scores.dast10.total).toBe(2);
    expect(result.outcome).toBe('ELIGIBLE');
  });
});

describe('enrolment criteria', () => {
  it.each([
    ['PHQ-9 9 and GAD-7 9 is below enrolment', [3, 3, 3, 0, 0, 0, 0, 0, 0], [3, 3, 3, 0, 0, 0, 0], 'INELIGIBLE'],
    ['PHQ-9 10 alone meets it', [3, 3, 3, 1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], 'ELIGIBLE'],
    ['GAD-7 10 alone meets it', [0, 0, 0, 0, 0, 0, 0, 0, 0], [3, 3, 3, 1, 0, 0, 0], 'ELIGIBLE'],
  ])('%s', (_name, phq9, gad7, outcome) => {
    const result = screenWith((intake) => {
      intake.phq9.items = phq9;
      intake.gad7.items = gad7;
    });
    expect(result.outcome).toBe(outcome);
    expect(codes(result).includes('severity-below-enrolment-threshold')).toBe(outcome === 'INELIGIBLE');
  });

  it('no prior treatment tried makes the patient INELIGIBLE', () => {
    const result = screenWith((intake) => {
      intake.medicalHistory.priorTreatments = [];
    });
    expect(result.outcome).toBe('INELIGIBLE');
    expect(codes(result)).toEqual(['too-few-prior-treatments']);
  });
});

describe('relative contraindications', () => {
  it.each(relativeReviewConditions)('"%s" in the medical history needs review', (condition) => {
    const result = screenWith((intake) => {
      intake.medicalHistory.conditions = [condition];
    });
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(codes(result)).toEqual([condition]);
    expect(result.reasons[0]?.severity).toBe('review');
  });

  it.each(reviewMedicationClasses)('a current %s medication needs review', (medicationClass) => {
    const result = screenWith((intake) => {
      intake.currentMedications.medications.push({ name: `some ${medicationClass}`, class: medicationClass });
    });
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(codes(result)).toEqual([`medication-${medicationClass}`]);
    expect(result.reasons[0]?.message).toContain(`some ${medicationClass}`);
  });

  it('PHQ-9 item 9 above 0 needs review', () => {
    const result = screenWith((intake) => {
      intake.phq9.items[8] = 1;
    });
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(codes(result)).toEqual(['phq9-item9-positive']);
  });

  it.each([
    ['female', 'NEEDS_REVIEW'],
    ['male', 'ELIGIBLE'],
  ] as const)('AUDIT-C 3 for a %s patient is %s', (sexAtBirth, outcome) => {
    const result = screenWith((intake) => {
      intake.auditC.items = [1, 1, 1];
    }, aPatient({ sexAtBirth }));
    expect(result.outcome).toBe(outcome);
  });

  it.each([
    { wishToBeDead: true, suicidalThoughts: false, codes: [] },
    { wishToBeDead: false, suicidalThoughts: true, codes: ['cssrs-low-with-active-thoughts'] },
    { wishToBeDead: true, suicidalThoughts: true, codes: ['cssrs-low-with-active-thoughts'] },
  ])(
    'a "low" C-SSRS (wish to be dead $wishToBeDead, active thoughts $suicidalThoughts) needs review only with active thoughts',
    ({ wishToBeDead, suicidalThoughts, codes: expected }) => {
      const result = screenWith((intake) => {
        intake.cssrs.wishToBeDead = wishToBeDead;
        intake.cssrs.suicidalThoughts = suicidalThoughts;
      });
      expect(result.scores.cssrs.risk).toBe('low');
      expect(codes(result)).toEqual(expected);
      expect(result.outcome).toBe(expected.length > 0 ? 'NEEDS_REVIEW' : 'ELIGIBLE');
      expect(result.urgentAlert).toBe(false);
    },
  );

  it('moderate C-SSRS risk needs review and raises no urgent alert', () => {
    const result = screenWith((intake) => {
      intake.cssrs.suicidalThoughts = true;
      intake.cssrs.thoughtsOfMethod = true;
    });
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(codes(result)).toEqual(['cssrs-moderate-risk']);
    expect(result.urgentAlert).toBe(false);
  });
});

describe('imminent suicide risk', () => {
  it('makes the patient INELIGIBLE and raises the urgent alert', () => {
    const result = screenWith((intake) => {
      intake.cssrs.suicidalThoughts = true;
      intake.cssrs.planWithIntent = true;
    });
    expect(result.outcome).toBe('INELIGIBLE');
    expect(codes(result)).toEqual(['cssrs-imminent-risk']);
    expect(result.urgentAlert).toBe(true);
    expect(result.scores.cssrs.risk).toBe('imminent');
  });

  it('raises the urgent alert even when the patient is already ineligible for other reasons', () => {
    const result = screenWith(
      (intake) => {
        intake.medicalHistory.conditions = ['psychotic-disorder'];
        intake.cssrs.suicidalBehaviour = true;
        intake.cssrs.behaviourLastOn = '2026-06-01';
      },
      aPatient({ dateOfBirth: '2010-01-01' }),
    );
    expect(result.urgentAlert).toBe(true);
    expect(codes(result)).toEqual(
      expect.arrayContaining(['below-minimum-age', 'psychotic-disorder', 'cssrs-imminent-risk']),
    );
  });
});

describe('several reasons at once', () => {
  it('lists every reason, exclusions and reviews alike, not only the first', () => {
    const result = screenWith((intake) => {
      intake.medicalHistory.conditions = ['opioid-use-disorder', 'seizures', 'severe-liver-disease'];
      intake.pregnancy = 'yes';
      intake.vitals.restingBp = [{ systolic: 145, diastolic: 92 }];
      intake.currentMedications.medications.push({ name: 'lorazepam', class: 'benzodiazepine' });
      intake.phq9.items[8] = 2;
    });
    expect(result.outcome).toBe('INELIGIBLE');
    expect(codes(result).sort()).toEqual(
      [
        'opioid-use-disorder',
        'pregnancy-now-planned-or-breastfeeding',
        'severe-liver-disease',
        'seizures',
        'resting-bp-review-range',
        'medication-benzodiazepine',
        'phq9-item9-positive',
      ].sort(),
    );
  });

  it('needs review (not ineligible) when only relative contraindications are found', () => {
    const result = screenWith((intake) => {
      intake.medicalHistory.conditions = ['urinary-symptoms', 'untreated-thyroid-disease'];
      intake.currentMedications.medications.push({ name: 'tramadol', class: 'opioid' });
    });
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(codes(result)).toHaveLength(3);
  });
});

describe('screening never lets a contraindication through', () => {
  it('whatever the mix of conditions, readings and answers, an absolute one is INELIGIBLE and any one is never ELIGIBLE', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...medicalConditions), { maxLength: 4 }),
        fc.integer({ min: 90, max: 200 }),
        fc.integer({ min: 50, max: 89 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }),
        (conditions, systolic, diastolic, intent, phq9) => {
          const result = screenWith((intake) => {
            intake.medicalHistory.conditions = conditions;
            intake.vitals.restingBp = [{ systolic, diastolic }];
            intake.cssrs.intentToAct = intent;
            intake.phq9.items = phq9;
          });
          const absolute = conditions.some((condition) =>
            (absoluteExclusionConditions as readonly string[]).includes(condition),
          );
          if (absolute || systolic >= 160 || intent) expect(result.outcome).toBe('INELIGIBLE');
          if (conditions.length > 0 || systolic >= 140 || (phq9[8] ?? 0) > 0)
            expect(result.outcome).not.toBe('ELIGIBLE');
          expect(result.urgentAlert).toBe(intent);
          expect(result.outcome === 'INELIGIBLE').toBe(
            result.reasons.some((reason) => reason.severity === 'exclusion'),
          );
        },
      ),
    );
  });
});
