import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import {
  evaluateRefill,
  type RefillHistory,
  type RefillReasonCode,
  type RefillRequest,
} from '../functions/domain/refill-gate.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../functions/domain/durations.ts';

const NOW = new Date('2026-04-17T15:00:00.000Z'); // 11:00 EDT
const iso = (ms: number) => new Date(ms).toISOString();
const before = (now: Date, ms: number) => iso(now.getTime() - ms);

interface Scenario {
  request: RefillRequest;
  history: RefillHistory;
  now: Date;
}

/** A refill request that passes every rule: the second refill, exactly 28 days after the last fill. */
function passing(now = NOW): Scenario {
  const lastFill = now.getTime() - 28 * DAY;
  return {
    now,
    request: {
      lostOrStolenReplacement: false,
      assessment: {
        takenAt: before(now, 2 * DAY),
        bladderCheck: { frequency: false, urgency: false, painOnUrination: false, bloodInUrine: false },
        phq9: { items: [1, 1, 1, 0, 0, 1, 0, 0, 0] },
      },
    },
    history: {
      timeZone: 'America/New_York',
      prescription: {
        prescriptionIssuedOn: new Date(now.getTime() - 80 * DAY).toISOString().slice(0, 10),
        refillsAllowed: 5,
        approvedBy: 'dr-lee',
      },
      fills: [
        { fillNumber: 1, filledAt: iso(lastFill - 28 * DAY) },
        { fillNumber: 2, filledAt: iso(lastFill) },
      ],
      pdmpCheckedAt: before(now, 1 * DAY),
      hold: null,
      adverseEvents: [],
      sessions: [
        { number: 4, plannedStart: iso(lastFill - 10 * DAY), status: 'completed', journalRef: 'journal-4' },
        { number: 5, plannedStart: iso(lastFill + 10 * DAY), status: 'completed', journalRef: 'journal-5' },
      ],
      evaluations: [{ modality: 'telehealth', evaluatedAt: iso(lastFill - 60 * DAY), clinicianId: 'dr-lee' }],
    },
  };
}

const decide = (s: Scenario, protocol = defaultProtocol) => evaluateRefill(s.request, s.history, protocol, s.now);
const codes = (s: Scenario, protocol = defaultProtocol) => decide(s, protocol).reasons.map((r) => r.code);

function withFillsBefore(s: Scenario, count: number): Scenario {
  const last = s.now.getTime() - 28 * DAY;
  const fills = Array.from({ length: count }, (_, i) => ({
    fillNumber: i + 1,
    filledAt: iso(last - (count - 1 - i) * 28 * DAY),
  }));
  return { ...s, history: { ...s.history, fills } };
}

describe('refill gate: a request that passes every rule', () => {
  it('goes to the clinician as approvable, never as approved', () => {
    const decision = decide(passing());
    expect(decision).toMatchObject({
      outcome: 'APPROVABLE',
      refillNumber: 2,
      nextFillNumber: 3,
      holdSignal: null,
      forClinician: [],
      protocolVersion: defaultProtocol.version,
      decidedAt: NOW,
    });
    expect(decision.reasons).toEqual([
      {
        code: 'ALL_RULES_PASSED',
        message: `refill 2 of 5 passes every rule of protocol ${defaultProtocol.version}; the clinician decides`,
      },
    ]);
  });
});

describe('refill gate: the interval since the last fill', () => {
  it.each([
    { since: 28 * DAY, outcome: 'APPROVABLE', label: 'exactly 28 days' },
    { since: 28 * DAY + 1, outcome: 'APPROVABLE', label: '28 days and a millisecond' },
    { since: 28 * DAY - HOUR, outcome: 'REFUSED', label: '27 days 23 h' },
    { since: 28 * DAY - 1, outcome: 'REFUSED', label: 'a millisecond short of 28 days' },
    { since: 27 * DAY, outcome: 'REFUSED', label: '27 days' },
  ])('a refill $label after the last fill is $outcome', ({ since, outcome }) => {
    const s = passing();
    s.history.fills = [
      { fillNumber: 1, filledAt: before(NOW, since + 28 * DAY) },
      { fillNumber: 2, filledAt: before(NOW, since) },
    ];
    const decision = decide(s);
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'REFUSED') expect(decision.reasons.map((r) => r.code)).toEqual(['TOO_EARLY']);
  });

  it('says when the refill becomes possible', () => {
    const s = passing();
    s.history.fills = [{ fillNumber: 1, filledAt: before(NOW, 28 * DAY - HOUR) }];
    expect(decide(s).reasons[0]?.message).toBe(
      `27 day(s) 23 h since the last fill; a refill needs 28 days (from ${iso(NOW.getTime() + HOUR)})`,
    );
  });

  it('measures from the latest fill whatever order the fills are listed in, and across time-zone offsets', () => {
    const s = passing();
    s.history.fills = [
      { fillNumber: 2, filledAt: '2026-03-21T01:00:00+10:00' }, // 2026-03-20T15:00Z, exactly 28 days before NOW
      { fillNumber: 1, filledAt: '2026-02-20T15:00:00Z' },
    ];
    expect(decide(s).outcome).toBe('APPROVABLE');
    s.history.fills = [{ fillNumber: 2, filledAt: '2026-03-21T02:00:00+10:00' }, ...s.history.fills.slice(1)];
    expect(codes(s)).toEqual(['TOO_EARLY']);
  });

  it('refuses a refill with no previous fill', () => {
    const s = passing();
    s.history.fills = [];
    expect(codes(s)).toContain('NO_PREVIOUS_FILL');
  });
});

describe('refill gate: lost or stolen medication', () => {
  const lostReported = (s: Scenario, status: 'open' | 'resolved') => [
    { id: 'ae-lost', kind: 'lost-or-stolen-medication' as const, status, reportedAt: before(s.now, 2 * DAY) },
  ];

  it('is never replaced early, with its own reason besides the interval', () => {
    const s = passing();
    s.history.fills = [{ fillNumber: 1, filledAt: before(NOW, 20 * DAY) }];
    s.request.lostOrStolenReplacement = true;
    s.history.adverseEvents = lostReported(s, 'resolved');
    expect(codes(s)).toEqual(['TOO_EARLY', 'LOST_OR_STOLEN_NEVER_EARLY']);
  });

  it('first reported with a refill request, it opens an adverse event and the request waits for the clinician', () => {
    const s = passing();
    s.request.lostOrStolenReplacement = true;
    const decision = decide(s);
    expect(decision.outcome).toBe('REFUSED');
    expect(decision.reasons.map((r) => r.code)).toEqual(['LOST_OR_STOLEN_NEEDS_REVIEW']);
    expect(decision.holdSignal?.kind).toBe('lost-or-stolen-medication');
  });

  it('once reported and resolved, goes to the clinician at the normal interval, flagged', () => {
    const s = passing();
    s.request.lostOrStolenReplacement = true;
    s.history.adverseEvents = lostReported(s, 'resolved');
    const decision = decide(s);
    expect(decision.outcome).toBe('APPROVABLE');
    expect(decision.forClinician.map((n) => n.code)).toEqual(['LOST_OR_STOLEN_REPLACEMENT']);
    expect(decision.holdSignal).toBeNull();
  });

  it('while the report is still open, is refused for the open adverse event', () => {
    const s = passing();
    s.request.lostOrStolenReplacement = true;
    s.history.adverseEvents = lostReported(s, 'open');
    expect(codes(s)).toEqual(['OPEN_ADVERSE_EVENT']);
  });
});

describe('refill gate: how many refills and how long', () => {
  it.each([
    { fills: 5, refill: 5, outcome: 'APPROVABLE' },
    { fills: 6, refill: 6, outcome: 'REFUSED' },
    { fills: 7, refill: 7, outcome: 'REFUSED' },
  ])('refill $refill ($fills fills before it) is $outcome', ({ fills, refill, outcome }) => {
    const s = withFillsBefore(passing(), fills);
    const decision = decide(s);
    expect(decision.refillNumber).toBe(refill);
    expect(decision.outcome).toBe(outcome);
    if (outcome === 'REFUSED')
      expect(decision.reasons).toEqual([
        { code: 'REFILLS_EXHAUSTED', message: `this would be refill ${refill}; the protocol allows 5` },
      ]);
  });

  it('keeps to a prescription that allows fewer refills than the protocol', () => {
    const s = withFillsBefore(passing(), 4);
    s.history.prescription.refillsAllowed = 3;
    expect(decide(s).reasons).toEqual([
      { code: 'REFILLS_EXHAUSTED', message: 'this would be refill 4; the prescription allows 3' },
    ]);
  });

  it.each([
    { issued: '2025-10-17', outcome: 'APPROVABLE', label: 'exactly 6 months to the day' },
    { issued: '2025-10-16', outcome: 'REFUSED', label: '6 months and a day' },
    {
      issued: '2025-10-31',
      outcome: 'APPROVABLE',
      label: 'a month-end issue date (31 October + 6 months is 30 April)',
    },
  ])('a prescription issued $issued ($label) is $outcome on 2026-04-17', ({ issued, outcome }) => {
    const s = passing();
    s.history.prescription.prescriptionIssuedOn = issued;
    expect(decide(s).outcome).toBe(outcome);
    if (outcome === 'REFUSED') expect(codes(s)).toEqual(['PRESCRIPTION_TOO_OLD']);
  });

  it('counts the months on the patient calendar, not in UTC', () => {
    // 02:00Z on the 18th is still 22:00 on the 17th in New York
    const s = passing(new Date('2026-04-18T02:00:00Z'));
    s.history.prescription.prescriptionIssuedOn = '2025-10-17';
    expect(decide(s).outcome).toBe('APPROVABLE');
    s.history.timeZone = 'Europe/London';
    expect(codes(s)).toEqual(['PRESCRIPTION_TOO_OLD']);
  });
});

describe('refill gate: the fresh check', () => {
  it.each([
    { age: 7 * DAY, outcome: 'APPROVABLE' },
    { age: 7 * DAY + 1, outcome: 'REFUSED' },
  ])('an assessment $age ms old is $outcome', ({ age, outcome }) => {
    const s = passing();
    s.request.assessment = { ...s.request.assessment!, takenAt: before(NOW, age) };
    expect(decide(s).outcome).toBe(outcome);
    if (outcome === 'REFUSED') expect(codes(s)).toEqual(['ASSESSMENT_NOT_RECENT', 'BLADDER_CHECK_NOT_RECENT']);
  });

  it('refuses a request sent without its assessment', () => {
    const s = passing();
    s.request.assessment = null;
    expect(codes(s)).toEqual(['ASSESSMENT_NOT_RECENT', 'BLADDER_CHECK_NOT_RECENT']);
  });

  it('judges the bladder check by its own interval', () => {
    const protocol = resolveProtocol({ version: 'bladder-3-days', refill: { bladderCheckWithinDays: 3 } });
    const s = passing();
    s.request.assessment = { ...s.request.assessment!, takenAt: before(NOW, 5 * DAY) };
    expect(codes(s, protocol)).toEqual(['BLADDER_CHECK_NOT_RECENT']);
  });

  it('treats blood in the urine as an adverse event', () => {
    const s = passing();
    s.request.assessment!.bladderCheck.bloodInUrine = true;
    const decision = decide(s);
    expect(decision.reasons.map((r) => r.code)).toEqual(['BLOOD_IN_URINE']);
    expect(decision.holdSignal?.kind).toBe('severe-side-effect');
  });

  it('shows other bladder symptoms and a positive PHQ-9 item 9 to the clinician without refusing', () => {
    const s = passing();
    s.request.assessment!.bladderCheck.urgency = true;
    s.request.assessment!.bladderCheck.painOnUrination = true;
    s.request.assessment!.phq9.items[8] = 1;
    const decision = decide(s);
    expect(decision.outcome).toBe('APPROVABLE');
    expect(decision.forClinician).toEqual([
      { code: 'BLADDER_SYMPTOMS', message: 'bladder check: urgency, painOnUrination' },
      { code: 'PHQ9_ITEM9_POSITIVE', message: 'PHQ-9 item 9 (thoughts of death or self-harm) scored 1' },
    ]);
  });

  it.each([
    { label: 'none recorded', at: null, outcome: 'REFUSED' },
    { label: '8 days old', at: before(NOW, 8 * DAY), outcome: 'REFUSED' },
    { label: 'exactly 7 days old', at: before(NOW, 7 * DAY), outcome: 'APPROVABLE' },
  ])('a PDMP check $label is $outcome', ({ at, outcome }) => {
    const s = passing();
    s.history.pdmpCheckedAt = at;
    expect(decide(s).outcome).toBe(outcome);
    if (outcome === 'REFUSED') expect(codes(s)).toEqual(['PDMP_CHECK_NOT_RECENT']);
  });
});

describe('refill gate: safety and contact', () => {
  it('refuses while the patient is on clinical hold', () => {
    const s = passing();
    s.history.hold = { since: before(NOW, DAY), reason: 'severe side effect', adverseEventId: 'ae-1' };
    expect(codes(s)).toEqual(['ON_CLINICAL_HOLD']);
  });

  it('refuses while an adverse event is open, and not for a resolved one', () => {
    const s = passing();
    s.history.adverseEvents = [
      { id: 'ae-2', kind: 'severe-side-effect', status: 'open', reportedAt: before(NOW, DAY) },
    ];
    expect(codes(s)).toEqual(['OPEN_ADVERSE_EVENT']);
    s.history.adverseEvents = [
      { id: 'ae-2', kind: 'severe-side-effect', status: 'resolved', reportedAt: before(NOW, DAY) },
    ];
    expect(decide(s).outcome).toBe('APPROVABLE');
  });

  it('refuses while a session since the last fill has no journal, naming it', () => {
    const s = passing();
    s.history.sessions = [s.history.sessions[0]!, { ...s.history.sessions[1]!, journalRef: null }];
    expect(decide(s).reasons).toEqual([
      { code: 'JOURNAL_MISSING', message: 'no journal for session(s) 5 since the last fill' },
    ]);
  });

  it('does not hold a refill to journals of sessions before the last fill', () => {
    const s = passing();
    s.history.sessions = [{ ...s.history.sessions[0]!, journalRef: null }, s.history.sessions[1]!];
    expect(decide(s).outcome).toBe('APPROVABLE');
  });

  it.each([
    { label: 'exactly 90 days', since: 90 * DAY, outcome: 'APPROVABLE' },
    { label: '90 days and an hour', since: 90 * DAY + HOUR, outcome: 'REFUSED' },
  ])('a last session $label ago is $outcome without a clinician check-in', ({ since, outcome }) => {
    const s = passing();
    s.history.sessions = [
      { number: 4, plannedStart: before(NOW, since), status: 'completed', journalRef: 'journal-4' },
    ];
    s.history.evaluations = [{ modality: 'telehealth', evaluatedAt: before(NOW, 200 * DAY), clinicianId: 'dr-lee' }];
    expect(decide(s).outcome).toBe(outcome);
    if (outcome === 'REFUSED') expect(codes(s)).toEqual(['CLINICIAN_CHECK_IN_NEEDED']);
  });

  it('accepts a recent clinician check-in in place of a session', () => {
    const s = passing();
    s.history.sessions = [
      { number: 4, plannedStart: before(NOW, 120 * DAY), status: 'completed', journalRef: 'journal-4' },
    ];
    s.history.evaluations = [{ modality: 'telehealth', evaluatedAt: before(NOW, 5 * DAY), clinicianId: 'dr-lee' }];
    expect(decide(s).outcome).toBe('APPROVABLE');
  });

  it.each([
    {
      now: '2026-12-31T23:30:00-05:00',
      modality: 'telehealth',
      outcome: 'APPROVABLE',
      label: 'on the last telehealth day',
    },
    {
      now: '2027-01-01T00:30:00-05:00',
      modality: 'telehealth',
      outcome: 'REFUSED',
      label: 'the day after, with telehealth only',
    },
    {
      now: '2027-01-01T00:30:00-05:00',
      modality: 'in-person',
      outcome: 'APPROVABLE',
      label: 'the day after, with an in-person evaluation',
    },
  ] as const)('a refill $label is $outcome', ({ now, modality, outcome }) => {
    const s = passing(new Date(now));
    s.history.evaluations = [{ modality, evaluatedAt: before(s.now, 40 * DAY), clinicianId: 'dr-lee' }];
    expect(decide(s).outcome).toBe(outcome);
    if (outcome === 'REFUSED') expect(codes(s)).toEqual(['IN_PERSON_EVALUATION_NEEDED']);
  });

  it.each([
    { evaluator: 'dr-lee', rule: 'prescribing-clinician', outcome: 'APPROVABLE' },
    { evaluator: 'dr-kim', rule: 'prescribing-clinician', outcome: 'REFUSED' },
    { evaluator: 'dr-kim', rule: 'any-clinician', outcome: 'APPROVABLE' },
  ] as const)(
    'after the cut-off, an in-person evaluation by $evaluator for a prescription by dr-lee is $outcome under "$rule"',
    ({ evaluator, rule, outcome }) => {
      const s = passing(new Date('2027-01-01T00:30:00-05:00'));
      s.history.evaluations = [{ modality: 'in-person', evaluatedAt: before(s.now, 40 * DAY), clinicianId: evaluator }];
      const protocol =
        rule === 'any-clinician'
          ? resolveProtocol({
              version: 'any-clinician-in-person',
              prescribing: { inPersonEvaluationBy: 'any-clinician' },
            })
          : defaultProtocol;
      expect(decide(s, protocol).outcome).toBe(outcome);
      if (outcome === 'REFUSED')
        expect(decide(s, protocol).reasons[0]?.message).toContain('not done by the prescribing clinician (dr-lee)');
    },
  );
});

describe('refill gate: every failed rule is listed', () => {
  it('lists all of them at once', () => {
    const s = withFillsBefore(passing(new Date('2027-03-01T15:00:00Z')), 6);
    s.history.fills = [...s.history.fills.slice(0, 5), { fillNumber: 6, filledAt: before(s.now, 10 * DAY) }];
    s.request = { lostOrStolenReplacement: true, assessment: null };
    s.history.prescription.prescriptionIssuedOn = '2026-01-01';
    s.history.pdmpCheckedAt = null;
    s.history.hold = { since: before(s.now, DAY), reason: 'misuse signs', adverseEventId: 'ae-9' };
    s.history.adverseEvents = [{ id: 'ae-9', kind: 'misuse-signs', status: 'open', reportedAt: before(s.now, DAY) }];
    s.history.sessions = [{ number: 9, plannedStart: before(s.now, 5 * DAY), status: 'completed', journalRef: null }];
    s.history.evaluations = [];
    const decision = decide(s);
    expect(decision.outcome).toBe('REFUSED');
    expect(new Set(decision.reasons.map((r) => r.code))).toEqual(
      new Set<RefillReasonCode>([
        'TOO_EARLY',
        'LOST_OR_STOLEN_NEVER_EARLY',
        'LOST_OR_STOLEN_NEEDS_REVIEW',
        'REFILLS_EXHAUSTED',
        'PRESCRIPTION_TOO_OLD',
        'ASSESSMENT_NOT_RECENT',
        'BLADDER_CHECK_NOT_RECENT',
        'PDMP_CHECK_NOT_RECENT',
        'ON_CLINICAL_HOLD',
        'OPEN_ADVERSE_EVENT',
        'JOURNAL_MISSING',
        'IN_PERSON_EVALUATION_NEEDED',
      ]),
    );
  });
});

describe('refill gate: invariants', () => {
  /** Each breaks exactly one rule of a passing request, by a random margin, and names the code it must produce. */
  const breakers: { code: RefillReasonCode; arbitrary: fc.Arbitrary<(s: Scenario) => void> }[] = [
    {
      code: 'TOO_EARLY',
      arbitrary: fc.integer({ min: 1, max: 28 * DAY - 1 }).map((short) => (s) => {
        s.history.fills = s.history.fills.map((f, i, all) =>
          i === all.length - 1 ? { ...f, filledAt: iso(s.now.getTime() - 28 * DAY + short) } : f,
        );
      }),
    },
    {
      code: 'REFILLS_EXHAUSTED',
      arbitrary: fc.integer({ min: 6, max: 12 }).map((count) => (s) => {
        const last = s.history.fills.at(-1)!;
        s.history.fills = Array.from({ length: count }, (_, i) =>
          i === count - 1
            ? { ...last, fillNumber: count }
            : { fillNumber: i + 1, filledAt: iso(new Date(last.filledAt).getTime() - (count - i) * DAY) },
        );
      }),
    },
    {
      code: 'PRESCRIPTION_TOO_OLD',
      arbitrary: fc.integer({ min: 1, max: 400 }).map((extraDays) => (s) => {
        s.history.prescription.prescriptionIssuedOn = new Date(Date.UTC(2025, 9, 16) - (extraDays - 1) * DAY)
          .toISOString()
          .slice(0, 10);
      }),
    },
    {
      code: 'ASSESSMENT_NOT_RECENT',
      arbitrary: fc.option(fc.integer({ min: 1, max: 60 * DAY }), { nil: null }).map((extra) => (s) => {
        s.request.assessment =
          extra === null ? null : { ...s.request.assessment!, takenAt: iso(s.now.getTime() - 7 * DAY - extra) };
      }),
    },
    {
      code: 'PDMP_CHECK_NOT_RECENT',
      arbitrary: fc.option(fc.integer({ min: 1, max: 60 * DAY }), { nil: null }).map((extra) => (s) => {
        s.history.pdmpCheckedAt = extra === null ? null : iso(s.now.getTime() - 7 * DAY - extra);
      }),
    },
    {
      code: 'ON_CLINICAL_HOLD',
      arbitrary: fc.constant((s: Scenario) => {
        s.history.hold = { since: iso(s.now.getTime() - DAY), reason: 'adverse event', adverseEventId: 'ae-x' };
      }),
    },
    {
      code: 'OPEN_ADVERSE_EVENT',
      arbitrary: fc
        .constantFrom('severe-side-effect', 'suicidal-ideation', 'misuse-signs', 'pregnancy', 'other')
        .map((kind) => (s: Scenario) => {
          s.history.adverseEvents = [
            ...s.history.adverseEvents,
            { id: 'ae-open', kind, status: 'open', reportedAt: iso(s.now.getTime() - DAY) },
          ];
        }),
    },
    {
      code: 'JOURNAL_MISSING',
      arbitrary: fc.constant((s: Scenario) => {
        // as late as can be, so it is after the last fill wherever another breaker moved that
        s.history.sessions = [
          ...s.history.sessions,
          { number: 6, plannedStart: s.now.toISOString(), status: 'completed', journalRef: null },
        ];
      }),
    },
    {
      code: 'CLINICIAN_CHECK_IN_NEEDED',
      arbitrary: fc.integer({ min: 1, max: 200 * DAY }).map((extra) => (s) => {
        const last = iso(s.now.getTime() - 90 * DAY - extra);
        s.history.sessions = [{ number: 5, plannedStart: last, status: 'completed', journalRef: 'j' }];
        s.history.evaluations = [{ modality: 'in-person', evaluatedAt: last, clinicianId: 'dr-lee' }];
      }),
    },
    {
      code: 'LOST_OR_STOLEN_NEEDS_REVIEW',
      arbitrary: fc.constant((s: Scenario) => {
        s.request.lostOrStolenReplacement = true;
      }),
    },
  ];

  const indexOf = (code: RefillReasonCode) => breakers.findIndex((b) => b.code === code);

  it('never says APPROVABLE when any rule fails, and names every rule that failed', () => {
    fc.assert(
      fc.property(
        fc
          .subarray(breakers.map((_, i) => i))
          // a journal missing since the last fill means a session within 28 days, so never 90 days without contact
          .filter(
            (chosen) =>
              !(chosen.includes(indexOf('JOURNAL_MISSING')) && chosen.includes(indexOf('CLINICIAN_CHECK_IN_NEEDED'))),
          )
          .chain((chosen) => fc.tuple(fc.constant(chosen), fc.tuple(...chosen.map((i) => breakers[i]!.arbitrary)))),
        ([chosen, breaks]) => {
          const scenario = passing();
          breaks.forEach((apply) => apply(scenario));
          const decision = evaluateRefill(scenario.request, scenario.history, defaultProtocol, scenario.now);
          const found = decision.reasons.map((r) => r.code);
          if (chosen.length === 0) {
            expect(decision.outcome).toBe('APPROVABLE');
          } else {
            expect(decision.outcome).toBe('REFUSED');
            for (const i of chosen) expect(found).toContain(breakers[i]!.code);
          }
          expect(decision.protocolVersion).toBe(defaultProtocol.version);
          expect(decision.reasons.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
