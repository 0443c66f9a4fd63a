import { describe, expect, it } from 'vitest';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import {
  triageQuestionnaire,
  type PreviousQuestionnaire,
  type QuestionnaireAnswers,
} from '../functions/domain/questionnaire-triage.ts';
import { itemsSumming } from './support/domain-fixtures.ts';

const TODAY = '2026-06-15';
const noBladder = { frequency: false, urgency: false, painOnUrination: false, bloodInUrine: false };
const noRisk = {
  wishToBeDead: false,
  suicidalThoughts: false,
  thoughtsOfMethod: false,
  intentToAct: false,
  planWithIntent: false,
  suicidalBehaviour: false,
  behaviourLastOn: null,
};

/** PHQ-9 of `phq9` with item 9 at `item9` (the other items carry the rest), GAD-7 of `gad7`. */
function answers(
  phq9: number,
  gad7: number,
  item9 = 0,
  extra: Partial<QuestionnaireAnswers> = {},
): QuestionnaireAnswers {
  const first8 = itemsSumming(8, phq9 - item9);
  return { phq9: { items: [...first8, item9] }, gad7: { items: itemsSumming(7, gad7) }, ...extra };
}
function previous(phq9: number, gad7: number, extra: Partial<PreviousQuestionnaire> = {}): PreviousQuestionnaire {
  return { ...answers(phq9, gad7), ...extra };
}
const triage = (
  a: QuestionnaireAnswers,
  p: PreviousQuestionnaire | null = previous(10, 10),
  protocol = defaultProtocol,
) => triageQuestionnaire(a, p, protocol, TODAY);
const codes = (t: ReturnType<typeof triage>) => t.findings.map((f) => f.code);

describe('PHQ-9 item 9: a same-day alert and crisis resources, at intake and after', () => {
  it.each([
    { item9: 0, urgency: null, crisis: false },
    { item9: 1, urgency: 'urgent', crisis: true },
    { item9: 3, urgency: 'urgent', crisis: true },
  ])('item 9 answered $item9 → $urgency (crisis resources: $crisis)', ({ item9, urgency, crisis }) => {
    const t = triage(answers(10, 10, item9));
    expect(t.urgency).toBe(urgency);
    expect(t.crisisResources).toBe(crisis);
    expect(codes(t)).toEqual(item9 > 0 ? ['PHQ9_ITEM9_POSITIVE'] : []);
    expect(t.protocolVersion).toBe(defaultProtocol.version);
  });
});

describe('a rising score or a move into the severe band: clinician review', () => {
  it.each([
    { from: 10, to: 14, codes: [] },
    { from: 10, to: 15, codes: ['PHQ9_ROSE'] },
    { from: 14, to: 19, codes: ['PHQ9_ROSE'] },
    { from: 19, to: 20, codes: ['PHQ9_INTO_SEVERE_BAND'] },
    { from: 15, to: 20, codes: ['PHQ9_ROSE', 'PHQ9_INTO_SEVERE_BAND'] },
    { from: 21, to: 22, codes: [] },
    { from: 20, to: 12, codes: [] },
  ])('PHQ-9 $from → $to: $codes', ({ from, to, codes: expected }) => {
    const t = triage(answers(to, 8), previous(from, 8));
    expect(codes(t)).toEqual(expected);
    expect(t.urgency).toBe(expected.length > 0 ? 'notice' : null);
  });

  it.each([
    { from: 8, to: 12, codes: [] },
    { from: 8, to: 13, codes: ['GAD7_ROSE'] },
    { from: 14, to: 15, codes: ['GAD7_INTO_SEVERE_BAND'] },
  ])('GAD-7 $from → $to: $codes', ({ from, to, codes: expected }) => {
    expect(codes(triage(answers(10, to), previous(10, from)))).toEqual(expected);
  });

  it('measures nothing against a missing previous questionnaire', () => {
    expect(codes(triage(answers(24, 21, 0), null))).toEqual([]);
  });

  it("uses the protocol's rise", () => {
    const clinic = resolveProtocol({ version: 'rise-3', questionnaires: { riseForReview: { phq9: 3, gad7: 3 } } });
    expect(codes(triage(answers(13, 10), previous(10, 10), clinic))).toEqual(['PHQ9_ROSE']);
  });
});

describe('C-SSRS at intake', () => {
  it.each([
    { change: {}, codes: [], crisis: false },
    { change: { wishToBeDead: true }, codes: [], crisis: true },
    { change: { suicidalThoughts: true }, codes: ['CSSRS_LOW_WITH_ACTIVE_THOUGHTS'], crisis: true },
    { change: { suicidalThoughts: true, intentToAct: true }, codes: ['CSSRS_IMMINENT_RISK'], crisis: true },
  ])('answers $change → $codes', ({ change, codes: expected, crisis }) => {
    const t = triage(answers(10, 10, 0, { cssrs: { ...noRisk, ...change } }), null);
    expect(codes(t)).toEqual(expected);
    expect(t.crisisResources).toBe(crisis);
    if (expected[0] === 'CSSRS_IMMINENT_RISK') expect(t.urgency).toBe('urgent');
  });
});

describe('urinary symptoms', () => {
  it.each([
    { before: noBladder, now: { ...noBladder, urgency: true }, codes: ['NEW_URINARY_SYMPTOMS'] },
    { before: { ...noBladder, urgency: true }, now: { ...noBladder, urgency: true }, codes: [] },
    {
      before: { ...noBladder, urgency: true },
      now: { ...noBladder, urgency: true, frequency: true },
      codes: ['NEW_URINARY_SYMPTOMS'],
    },
    { before: noBladder, now: { ...noBladder, bloodInUrine: true }, codes: ['BLOOD_IN_URINE'] },
  ])('$before → $now: $codes', ({ before, now, codes: expected }) => {
    expect(
      codes(triage(answers(10, 10, 0, { bladderCheck: now }), previous(10, 10, { bladderCheck: before }))),
    ).toEqual(expected);
  });

  it("compares the first assessment with the intake's urinary-symptoms condition", () => {
    const now = answers(10, 10, 0, { bladderCheck: { ...noBladder, frequency: true } });
    expect(codes(triage(now, previous(10, 10, { urinarySymptomsKnown: false })))).toEqual(['NEW_URINARY_SYMPTOMS']);
    expect(codes(triage(now, previous(10, 10, { urinarySymptomsKnown: true })))).toEqual([]);
  });

  it('blood in the urine is urgent and listed first', () => {
    const t = triage(
      answers(15, 10, 0, { bladderCheck: { ...noBladder, bloodInUrine: true, urgency: true } }),
      previous(10, 10, { bladderCheck: noBladder }),
    );
    expect(codes(t)).toEqual(['BLOOD_IN_URINE', 'PHQ9_ROSE', 'NEW_URINARY_SYMPTOMS']);
    expect(t.urgency).toBe('urgent');
    expect(t.crisisResources).toBe(false);
  });
});
