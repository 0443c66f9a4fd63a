import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCheckIn, type PreviousSession } from '../functions/domain/check-in-gate.ts';
import { defaultProtocol, redFlagSymptoms, resolveProtocol } from '../functions/domain/protocol.ts';
import type { CheckIn, RedFlagSymptom } from '../functions/domain/schemas/check-in.ts';
import { checkInSchema } from '../functions/domain/schemas/check-in.ts';
import type { Session } from '../functions/domain/schemas/session.ts';
import { HOUR_MS as HOUR } from '../functions/domain/durations.ts';

const plannedStart = '2026-05-12T14:00:00.000Z';
const start = new Date(plannedStart);
const halfHourBefore = new Date(start.getTime() - HOUR / 2);
const session: Session = { number: 2, plannedStart, status: 'planned', checkInRef: null, journalRef: null };
const previousSession: PreviousSession = {
  number: 1,
  plannedStart: '2026-05-05T14:00:00.000Z',
  status: 'completed',
  journalRef: 'journal-1',
};

function checkIn(overrides: Partial<CheckIn> = {}): CheckIn {
  // parsed, so every fixture is a check-in the real form could have produced
  return checkInSchema.parse({
    monitorPresent: true,
    fastingHours: 6,
    lastAlcoholOrCannabisHoursAgo: null,
    lastBenzodiazepineHoursAgo: null,
    stimulantOrOpioidToday: false,
    heldMedicationsConfirmed: true,
    bpReadings: [
      { systolic: 122, diastolic: 78 },
      { systolic: 118, diastolic: 76 },
    ],
    redFlagSymptoms: [],
    noDrivingAcknowledged: true,
    submittedAt: halfHourBefore.toISOString(),
    ...overrides,
  });
}

// written out here rather than imported, so the properties do not trust the gate's own comparison
const atOrAbove = (r: { systolic: number; diastolic: number }, t: { systolic: number; diastolic: number }) =>
  r.systolic >= t.systolic || r.diastolic >= t.diastolic;
const evaluate = (input: CheckIn, now = halfHourBefore, context = { previousSession }) =>
  evaluateCheckIn(input, session, defaultProtocol, now, context);
const codes = (decision: ReturnType<typeof evaluateCheckIn>) => decision.reasons.map((r) => r.code);

const bp = (text: string) => {
  const [systolic, diastolic] = text.split('/').map(Number);
  return { systolic: systolic!, diastolic: diastolic! };
};

describe('check-in gate: blood pressure', () => {
  it.each([
    { readings: ['139/89', '139/89'], outcome: 'CLEARED' },
    { readings: ['140/90', '120/80'], outcome: 'POSTPONED' },
    { readings: ['120/80', '140/90'], outcome: 'POSTPONED' },
    { readings: ['140/70', '120/80'], outcome: 'POSTPONED' },
    { readings: ['130/90', '120/80'], outcome: 'POSTPONED' },
    { readings: ['150/95', '148/94'], outcome: 'POSTPONED' },
    { readings: ['179/119', '120/80'], outcome: 'POSTPONED' },
    // 180/110 was the old single-reading "emergency"; under the AHA's 180/120 it postpones
    { readings: ['180/110', '120/80'], outcome: 'RECHECK' },
    { readings: ['179/110', '120/80'], outcome: 'POSTPONED' },
    { readings: ['150/120', '120/80'], outcome: 'RECHECK' },
    { readings: ['185/125', '182/121'], outcome: 'RECHECK' },
  ])('readings $readings (no symptoms, no recheck yet) → $outcome', ({ readings, outcome }) => {
    const decision = evaluate(checkIn({ bpReadings: readings.map(bp) }));
    expect(decision.outcome).toBe(outcome);
  });

  it.each([
    { first: '180/100', recheck: '180/100', outcome: 'POSTPONED', code: 'BP_CRISIS_PERSISTENT' },
    { first: '170/120', recheck: '175/120', outcome: 'POSTPONED', code: 'BP_CRISIS_PERSISTENT' },
    { first: '180/100', recheck: '179/119', outcome: 'POSTPONED', code: 'BP_AT_OR_ABOVE_POSTPONE' },
    { first: '190/125', recheck: '130/80', outcome: 'POSTPONED', code: 'BP_AT_OR_ABOVE_POSTPONE' },
  ])(
    'a crisis reading $first without symptoms, rechecked at $recheck: $outcome ($code), never a dose that day',
    ({ first, recheck, outcome, code }) => {
      const decision = evaluate(checkIn({ bpReadings: [bp(first), bp('120/80')], bpRecheck: bp(recheck) }));
      expect(decision.outcome).toBe(outcome);
      expect(codes(decision)).toContain(code);
      expect(decision.holdSignal).toBeNull();
    },
  );

  it("asks for a recheck after the protocol's minutes and records nothing else as the reason", () => {
    const decision = evaluate(checkIn({ bpReadings: [bp('181/100'), bp('120/80')] }));
    expect(decision.outcome).toBe('RECHECK');
    expect(decision.reasons[0]).toEqual({
      code: 'BP_CRISIS_RECHECK_NEEDED',
      message: 'blood pressure 181/100 is at or above 180/120: rest 5 minutes and measure again',
    });
    expect(decision.suggestedStart).toBeNull();
  });

  it.each(defaultProtocol.checkIn.bpCrisisSymptoms.map((symptom) => ({ symptom })))(
    'a crisis reading with $symptom is an emergency and a hold, with no recheck',
    ({ symptom }) => {
      const decision = evaluate(checkIn({ bpReadings: [bp('180/90'), bp('120/80')], redFlagSymptoms: [symptom] }));
      expect(decision.outcome).toBe('EMERGENCY');
      expect(codes(decision)[0]).toBe('BP_CRISIS_WITH_SYMPTOMS');
      expect(decision.holdSignal?.kind).toBe('red-flag-at-check-in');
    },
  );

  it('a recheck that reaches the crisis threshold with a symptom is an emergency too', () => {
    const decision = evaluate(
      checkIn({ bpReadings: [bp('182/100'), bp('120/80')], bpRecheck: bp('181/100'), redFlagSymptoms: ['back-pain'] }),
    );
    expect(decision.outcome).toBe('EMERGENCY');
    expect(codes(decision)).toContain('BP_CRISIS_WITH_SYMPTOMS');
  });

  it('back pain without a crisis reading postpones (a red flag, not an emergency on its own)', () => {
    const decision = evaluate(checkIn({ redFlagSymptoms: ['back-pain'] }));
    expect(decision.outcome).toBe('POSTPONED');
    expect(codes(decision)).toEqual(['RED_FLAG_SYMPTOM']);
  });

  it.each([
    { why: 'fasted exactly 4 h', input: { fastingHours: 4 } },
    { why: 'alcohol or cannabis exactly 48 h ago', input: { lastAlcoholOrCannabisHoursAgo: 48 } },
    { why: 'a benzodiazepine exactly 24 h ago', input: { lastBenzodiazepineHoursAgo: 24 } },
    {
      why: 'no alcohol, cannabis or benzodiazepine in recent memory',
      input: { lastAlcoholOrCannabisHoursAgo: null, lastBenzodiazepineHoursAgo: null },
    },
  ])('clears when $why', ({ input }) => {
    const decision = evaluate(checkIn(input));
    expect(decision.outcome).toBe('CLEARED');
    expect(decision.reasons).toEqual([
      { code: 'ALL_CHECKS_PASSED', message: `every check-in rule of protocol ${defaultProtocol.version} passed` },
    ]);
    expect(decision.suggestedStart).toBeNull();
    expect(decision.holdSignal).toBeNull();
  });

  it('lists every failed rule, not only the first', () => {
    const decision = evaluate(
      checkIn({
        monitorPresent: false,
        fastingHours: 1,
        lastAlcoholOrCannabisHoursAgo: 5,
        lastBenzodiazepineHoursAgo: 5,
        stimulantOrOpioidToday: true,
        heldMedicationsConfirmed: false,
        bpReadings: [{ systolic: 145, diastolic: 92 }],
        noDrivingAcknowledged: false,
      }),
    );
    expect(decision.outcome).toBe('POSTPONED');
    expect(new Set(codes(decision))).toEqual(
      new Set([
        'NO_ADULT_MONITOR',
        'NOT_FASTED',
        'RECENT_ALCOHOL_OR_CANNABIS',
        'RECENT_BENZODIAZEPINE',
        'STIMULANT_OR_OPIOID_TODAY',
        'HELD_MEDICATIONS_NOT_CONFIRMED',
        'TOO_FEW_BP_READINGS',
        'BP_AT_OR_ABOVE_POSTPONE',
        'NO_DRIVING_NOT_ACKNOWLEDGED',
      ]),
    );
  });

  it('a missing monitor postpones and starts a clinical hold', () => {
    const decision = evaluate(checkIn({ monitorPresent: false }));
    expect(decision.holdSignal).toEqual({
      kind: 'missing-monitor',
      description: 'no adult monitor is present for the session',
    });
  });

  it('a high reading postpones without a hold', () => {
    expect(
      evaluate(
        checkIn({
          bpReadings: [
            { systolic: 150, diastolic: 95 },
            { systolic: 150, diastolic: 95 },
          ],
        }),
      ).holdSignal,
    ).toBeNull();
  });
});

describe('check-in gate: pregnancy', () => {
  it.each([
    { asked: true, answer: true, outcome: 'POSTPONED' },
    { asked: true, answer: false, outcome: 'CLEARED' },
    { asked: false, answer: true, outcome: 'CLEARED' },
  ])('asked $asked, answered $answer → $outcome', ({ asked, answer, outcome }) => {
    const decision = evaluateCheckIn(
      checkIn({ pregnantPlannedOrBreastfeeding: answer }),
      session,
      defaultProtocol,
      halfHourBefore,
      { previousSession, asksPregnancy: asked },
    );
    expect(decision.outcome).toBe(outcome);
    expect(codes(decision).includes('PREGNANCY_POSSIBLE')).toBe(outcome === 'POSTPONED');
  });
});

describe('check-in gate: emergency', () => {
  it.each(defaultProtocol.checkIn.emergencySymptoms.map((symptom) => ({ symptom })))(
    'sends the patient to emergency care on $symptom',
    ({ symptom }) => {
      const decision = evaluate(checkIn({ redFlagSymptoms: [symptom] }));
      expect(decision.outcome).toBe('EMERGENCY');
      expect(decision.holdSignal?.kind).toBe('red-flag-at-check-in');
      expect(decision.suggestedStart).toBeNull();
    },
  );

  it('wins over a postponement and keeps every other reason', () => {
    const decision = evaluate(checkIn({ monitorPresent: false, fastingHours: 1, redFlagSymptoms: ['chest-pain'] }));
    expect(decision.outcome).toBe('EMERGENCY');
    expect(codes(decision)).toEqual(['EMERGENCY_SYMPTOM', 'NO_ADULT_MONITOR', 'NOT_FASTED']);
    expect(decision.holdSignal?.description).toContain('chest-pain');
    expect(decision.holdSignal?.description).toContain('no adult monitor');
  });

  it('wins even over a check-in sent after the window closed', () => {
    const decision = evaluate(
      checkIn({
        bpReadings: [
          { systolic: 185, diastolic: 125 },
          { systolic: 184, diastolic: 114 },
        ],
        redFlagSymptoms: ['vision-change'],
      }),
      new Date(start.getTime() + 3 * HOUR),
    );
    expect(decision.outcome).toBe('EMERGENCY');
    expect(codes(decision)).toEqual([
      'BP_CRISIS_WITH_SYMPTOMS',
      'EMERGENCY_SYMPTOM',
      'AFTER_WINDOW',
      'BP_AT_OR_ABOVE_POSTPONE',
    ]);
  });

  it('treats a red-flag symptom the clinic removed from its emergency list as a postponement, never as cleared', () => {
    const protocol = resolveProtocol({
      version: 'no-headache-emergency',
      checkIn: { emergencySymptoms: ['chest-pain', 'vision-change', 'breathing-difficulty'] },
    });
    const decision = evaluateCheckIn(
      checkIn({ redFlagSymptoms: ['severe-headache'] }),
      session,
      protocol,
      halfHourBefore,
    );
    expect(decision.outcome).toBe('POSTPONED');
    expect(codes(decision)).toEqual(['RED_FLAG_SYMPTOM']);
    expect(decision.protocolVersion).toBe('no-headache-emergency');
  });
});

describe('check-in gate: window and schedule', () => {
  const opens = new Date(start.getTime() - 2 * HOUR);
  const closes = new Date(start.getTime() + 1 * HOUR);
  it.each([
    { when: 'exactly when the window opens', now: opens, outcome: 'CLEARED', code: 'ALL_CHECKS_PASSED' },
    {
      when: 'a millisecond before the window opens',
      now: new Date(opens.getTime() - 1),
      outcome: 'REFUSED',
      code: 'BEFORE_WINDOW',
    },
    { when: 'exactly when the window closes', now: closes, outcome: 'CLEARED', code: 'ALL_CHECKS_PASSED' },
    {
      when: 'a millisecond after the window closes',
      now: new Date(closes.getTime() + 1),
      outcome: 'REFUSED',
      code: 'AFTER_WINDOW',
    },
  ])('a check-in $when is $outcome', ({ now, outcome, code }) => {
    const decision = evaluate(checkIn(), now);
    expect(decision.outcome).toBe(outcome);
    expect(codes(decision)).toEqual([code]);
  });

  it('refuses a check-in outside the window even when it would also postpone, and starts no hold for a missing monitor', () => {
    const decision = evaluate(checkIn({ monitorPresent: false }), new Date(opens.getTime() - HOUR));
    expect(decision.outcome).toBe('REFUSED');
    expect(codes(decision)).toEqual(['BEFORE_WINDOW', 'NO_ADULT_MONITOR']);
    expect(decision.holdSignal).toBeNull();
    expect(decision.suggestedStart).toBeNull();
  });

  it.each(['checked-in', 'postponed', 'completed', 'missed', 'cancelled'] as const)(
    'refuses a check-in for a session that is %s',
    (status) => {
      const decision = evaluateCheckIn(checkIn(), { ...session, status }, defaultProtocol, halfHourBefore, {
        previousSession,
      });
      expect(decision.outcome).toBe('REFUSED');
      expect(codes(decision)).toEqual(['SESSION_NOT_AWAITING_CHECK_IN']);
    },
  );

  it('refuses while the patient is on clinical hold', () => {
    const hold = { since: '2026-05-10T09:00:00Z', reason: 'severe side effect', adverseEventId: 'ae-1' };
    const decision = evaluateCheckIn(checkIn(), session, defaultProtocol, halfHourBefore, { previousSession, hold });
    expect(decision.outcome).toBe('REFUSED');
    expect(codes(decision)).toEqual(['ON_CLINICAL_HOLD']);
  });

  it('refuses while the previous session has no journal', () => {
    const decision = evaluate(checkIn(), halfHourBefore, { previousSession: { ...previousSession, journalRef: null } });
    expect(codes(decision)).toEqual(['PREVIOUS_JOURNAL_MISSING']);
    expect(decision.outcome).toBe('REFUSED');
  });

  it.each([
    { gap: 72, outcome: 'CLEARED' },
    { gap: 71.5, outcome: 'REFUSED' },
  ])('a session $gap h after the previous one is $outcome', ({ gap, outcome }) => {
    const previous = { ...previousSession, plannedStart: new Date(start.getTime() - gap * HOUR).toISOString() };
    expect(evaluate(checkIn(), halfHourBefore, { previousSession: previous }).outcome).toBe(outcome);
  });
});

describe('check-in gate: the new time offered after a postponement', () => {
  it('is the same time the next day by default', () => {
    const decision = evaluate(
      checkIn({
        bpReadings: [
          { systolic: 150, diastolic: 95 },
          { systolic: 150, diastolic: 95 },
        ],
      }),
    );
    expect(decision.suggestedStart?.toISOString()).toBe('2026-05-13T14:00:00.000Z');
  });

  it('waits until the alcohol interval has passed', () => {
    // drink 10 h before a check-in 1 h before the start: clear 37 h after the start, so two days on
    const decision = evaluate(checkIn({ lastAlcoholOrCannabisHoursAgo: 10 }), new Date(start.getTime() - HOUR));
    expect(decision.suggestedStart?.toISOString()).toBe('2026-05-14T14:00:00.000Z');
  });

  it('lies in the future even with a short step offered as the window closes', () => {
    const protocol = resolveProtocol({ version: 'short-step', checkIn: { postponeStepHours: 1 } });
    const decision = evaluateCheckIn(
      checkIn({ fastingHours: 2 }),
      session,
      protocol,
      new Date(start.getTime() + HOUR),
      { previousSession },
    );
    expect(decision.outcome).toBe('POSTPONED');
    expect(decision.suggestedStart?.toISOString()).toBe('2026-05-12T16:00:00.000Z');
  });
});

describe('check-in gate: invariants', () => {
  const reading = fc
    // the thresholds' edges come up often, not only by luck
    .tuple(
      fc.oneof(fc.constantFrom(139, 140, 179, 180), fc.integer({ min: 80, max: 230 })),
      fc.oneof(fc.constantFrom(89, 90, 109, 110), fc.integer({ min: 40, max: 150 })),
    )
    .filter(([systolic, diastolic]) => diastolic < systolic)
    .map(([systolic, diastolic]) => ({ systolic, diastolic }));
  // mostly good answers, so a single failing rule (the interesting case) comes up often
  const usually = <T>(good: fc.Arbitrary<T>, any: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: any, weight: 1 });
  const hoursAgo = (free: number) =>
    usually(fc.constant(null), fc.option(fc.double({ min: 0, max: free * 2, noNaN: true }), { nil: null }));
  const goodReading = fc.record({
    systolic: fc.integer({ min: 100, max: 139 }),
    diastolic: fc.integer({ min: 60, max: 89 }),
  });
  const arbitraryCheckIn = fc.record({
    monitorPresent: usually(fc.constant(true), fc.boolean()),
    fastingHours: usually(fc.constant(6), fc.double({ min: 0, max: 24, noNaN: true })),
    lastAlcoholOrCannabisHoursAgo: hoursAgo(48),
    lastBenzodiazepineHoursAgo: hoursAgo(24),
    stimulantOrOpioidToday: usually(fc.constant(false), fc.boolean()),
    heldMedicationsConfirmed: usually(fc.constant(true), fc.boolean()),
    bpReadings: usually(
      fc.array(goodReading, { minLength: 2, maxLength: 2 }),
      fc.array(reading, { minLength: 1, maxLength: 3 }),
    ),
    redFlagSymptoms: usually(
      fc.constant<RedFlagSymptom[]>([]),
      fc.uniqueArray(fc.constantFrom(...redFlagSymptoms), { maxLength: 2 }),
    ),
    noDrivingAcknowledged: usually(fc.constant(true), fc.boolean()),
    submittedAt: fc.constant(plannedStart),
  });
  const offsetFromStart = usually(fc.constant(-30), fc.integer({ min: -4 * 60, max: 3 * 60 })).map(
    (minutes) => new Date(start.getTime() + minutes * 60_000),
  );

  it('never clears with a reading at or above the postpone threshold; a crisis reading is an emergency with a crisis symptom, else never a dose', () => {
    fc.assert(
      fc.property(arbitraryCheckIn, offsetFromStart, (input, now) => {
        const decision = evaluateCheckIn(input, session, defaultProtocol, now, { previousSession });
        const { postponeAtOrAbove, bpCrisisAtOrAbove, bpCrisisSymptoms, emergencySymptoms } = defaultProtocol.checkIn;
        if (input.bpReadings.some((r) => atOrAbove(r, postponeAtOrAbove))) expect(decision.outcome).not.toBe('CLEARED');
        const crisis = input.bpReadings.some((r) => atOrAbove(r, bpCrisisAtOrAbove));
        if (
          (crisis && input.redFlagSymptoms.some((s) => bpCrisisSymptoms.includes(s))) ||
          input.redFlagSymptoms.some((s) => emergencySymptoms.includes(s))
        )
          expect(decision.outcome).toBe('EMERGENCY');
        if (crisis) expect(['EMERGENCY', 'RECHECK', 'REFUSED']).toContain(decision.outcome);
      }),
    );
  });

  it('clears only when every rule holds, and always gives reasons, the protocol version and a later time when postponing', () => {
    fc.assert(
      fc.property(arbitraryCheckIn, offsetFromStart, (input, now) => {
        const decision = evaluateCheckIn(input, session, defaultProtocol, now, { previousSession });
        expect(decision.reasons.length).toBeGreaterThan(0);
        expect(decision.protocolVersion).toBe(defaultProtocol.version);
        const rules = defaultProtocol.checkIn;
        const allHold =
          input.monitorPresent &&
          input.fastingHours >= rules.minimumFastingHours &&
          (input.lastAlcoholOrCannabisHoursAgo === null ||
            input.lastAlcoholOrCannabisHoursAgo >= rules.alcoholOrCannabisFreeHours) &&
          (input.lastBenzodiazepineHoursAgo === null ||
            input.lastBenzodiazepineHoursAgo >= rules.benzodiazepineFreeHours) &&
          !input.stimulantOrOpioidToday &&
          input.heldMedicationsConfirmed &&
          input.bpReadings.length >= rules.requiredBpReadings &&
          input.bpReadings.every((r) => !atOrAbove(r, rules.postponeAtOrAbove)) &&
          input.redFlagSymptoms.length === 0 &&
          input.noDrivingAcknowledged &&
          now.getTime() >= start.getTime() - rules.opensHoursBefore * HOUR &&
          now.getTime() <= start.getTime() + rules.closesHoursAfter * HOUR;
        expect(decision.outcome === 'CLEARED').toBe(allHold);
        if (decision.outcome === 'POSTPONED') {
          const suggested = decision.suggestedStart!.getTime();
          expect(suggested).toBeGreaterThan(now.getTime());
          expect(suggested).toBeGreaterThanOrEqual(
            new Date(previousSession.plannedStart).getTime() +
              defaultProtocol.induction.minimumHoursBetweenSessions * HOUR,
          );
          if (input.lastAlcoholOrCannabisHoursAgo !== null) {
            expect(suggested - now.getTime()).toBeGreaterThanOrEqual(
              (rules.alcoholOrCannabisFreeHours - input.lastAlcoholOrCannabisHoursAgo) * HOUR,
            );
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
