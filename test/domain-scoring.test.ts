import { describe, expect, it } from 'vitest';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import {
  bandOf,
  cssrsRisk,
  lookbackStart,
  scoreAuditC,
  scoreDast10,
  scoreGad7,
  scorePhq9,
} from '../functions/domain/scoring.ts';
import type { CssrsScreener } from '../functions/domain/schemas/index.ts';
import { itemsSumming } from './support/domain-fixtures.ts';

const protocol = defaultProtocol;

describe('PHQ-9 scoring', () => {
  it('scores all 1s as 9, "mild" (the published example)', () => {
    expect(scorePhq9({ items: [1, 1, 1, 1, 1, 1, 1, 1, 1] }, protocol)).toEqual({ total: 9, band: 'mild', item9: 1 });
  });

  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately severe'],
    [19, 'moderately severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('puts a total of %i in the band "%s"', (total, band) => {
    const score = scorePhq9({ items: itemsSumming(9, total) }, protocol);
    expect(score.total).toBe(total);
    expect(score.band).toBe(band);
  });

  it('reports item 9 (thoughts of self-harm) on its own', () => {
    expect(scorePhq9({ items: [0, 0, 0, 0, 0, 0, 0, 0, 2] }, protocol).item9).toBe(2);
  });
});

describe('GAD-7 scoring', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('puts a total of %i in the band "%s"', (total, band) => {
    expect(scoreGad7({ items: itemsSumming(7, total) }, protocol)).toEqual({ total, band });
  });

  it('adds the seven items (all 2s make 14, "moderate")', () => {
    expect(scoreGad7({ items: [2, 2, 2, 2, 2, 2, 2] }, protocol)).toEqual({ total: 14, band: 'moderate' });
  });
});

describe('DAST-10 scoring', () => {
  const answers = (yesAt: number[]) => Array.from({ length: 10 }, (_, index) => yesAt.includes(index + 1));

  it.each([
    ['all "no" scores 1, for "no" to question 3', [], 1, 'low'],
    ['all "yes" scores 9, question 3 being reversed', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9, 'severe'],
    ['"yes" to question 3 only scores 0', [3], 0, 'none'],
    ['"yes" to questions 1, 2 and 3 scores 2', [1, 2, 3], 2, 'low'],
    ['"yes" to questions 1 and 2 (and "no" to 3) scores 3, "moderate"', [1, 2], 3, 'moderate'],
    ['"yes" to 1, 2, 4, 5, 6 with "no" to 3 scores 6, "substantial"', [1, 2, 4, 5, 6], 6, 'substantial'],
  ])('%s', (_name, yesAt, total, band) => {
    expect(scoreDast10({ answers: answers(yesAt as number[]) }, protocol)).toEqual({ total, band });
  });
});

describe('AUDIT-C scoring', () => {
  it.each([
    ['female', [1, 1, 1], 3, true],
    ['male', [1, 1, 1], 3, false],
    ['male', [2, 1, 1], 4, true],
    ['female', [1, 1, 0], 2, false],
    ['intersex', [1, 1, 1], 3, true],
  ] as const)('for sex at birth %s, answers %j total %i and are positive: %s', (sex, items, total, positive) => {
    expect(scoreAuditC({ items: [...items] }, sex, protocol)).toEqual({ total, positive });
  });

  it('takes the thresholds from the protocol', () => {
    const stricter = resolveProtocol({
      version: 'stricter-audit',
      eligibility: { auditCReview: { male: 3, female: 2 } },
    });
    expect(scoreAuditC({ items: [1, 1, 1] }, 'male', stricter).positive).toBe(true);
  });
});

describe('C-SSRS screener risk', () => {
  const today = '2026-06-15';
  const noes: CssrsScreener = {
    wishToBeDead: false,
    suicidalThoughts: false,
    thoughtsOfMethod: false,
    intentToAct: false,
    planWithIntent: false,
    suicidalBehaviour: false,
    behaviourLastOn: null,
  };

  it.each<[string, Partial<CssrsScreener>, string]>([
    ['all "no" is no risk', {}, 'none'],
    ['a wish to be dead is low risk', { wishToBeDead: true }, 'low'],
    ['non-specific thoughts are low risk', { wishToBeDead: true, suicidalThoughts: true }, 'low'],
    ['thoughts of a method are moderate risk', { suicidalThoughts: true, thoughtsOfMethod: true }, 'moderate'],
    [
      'intent to act (undated, so within the past month) is imminent',
      { suicidalThoughts: true, intentToAct: true },
      'imminent',
    ],
    [
      'a plan with intent 20 days ago is imminent',
      { planWithIntent: true, intentOrPlanLastOn: '2026-05-26' },
      'imminent',
    ],
    ['intent exactly one month ago is imminent', { intentToAct: true, intentOrPlanLastOn: '2026-05-15' }, 'imminent'],
    ['intent a month and a day ago is moderate', { intentToAct: true, intentOrPlanLastOn: '2026-05-14' }, 'moderate'],
    ['behaviour two months ago is imminent', { suicidalBehaviour: true, behaviourLastOn: '2026-04-15' }, 'imminent'],
    [
      'behaviour exactly three months ago is imminent',
      { suicidalBehaviour: true, behaviourLastOn: '2026-03-15' },
      'imminent',
    ],
    [
      'behaviour three months and a day ago is moderate',
      { suicidalBehaviour: true, behaviourLastOn: '2026-03-14' },
      'moderate',
    ],
    ['behaviour years ago is moderate', { suicidalBehaviour: true, behaviourLastOn: '2019-01-01' }, 'moderate'],
  ])('%s', (_name, answers, risk) => {
    expect(cssrsRisk({ ...noes, ...answers }, protocol, today)).toBe(risk);
  });

  it('widens the behaviour lookback when the protocol does', () => {
    const wider = resolveProtocol({ version: 'wider-cssrs', eligibility: { cssrsBehaviourLookbackMonths: 6 } });
    expect(cssrsRisk({ ...noes, suicidalBehaviour: true, behaviourLastOn: '2026-01-01' }, wider, today)).toBe(
      'imminent',
    );
  });
});

describe('lookbacks and bands', () => {
  it.each([
    ['2026-08-31', 6, '2026-02-28'],
    ['2024-08-31', 6, '2024-02-29'],
    ['2026-01-15', 1, '2025-12-15'],
    ['2026-03-31', 1, '2026-02-28'],
    ['2026-06-15', 3, '2026-03-15'],
    ['2026-06-15', 24, '2024-06-15'],
  ] as const)('a lookback from %s of %i months starts on %s', (today, months, start) => {
    expect(lookbackStart(today, months)).toBe(start);
  });

  it('uses the bands of an overriding protocol', () => {
    const custom = resolveProtocol({
      version: 'custom-bands',
      bands: {
        gad7: [
          { from: 0, label: 'low' },
          { from: 8, label: 'high' },
        ],
      },
    });
    expect(scoreGad7({ items: itemsSumming(7, 8) }, custom).band).toBe('high');
    expect(scoreGad7({ items: itemsSumming(7, 7) }, custom).band).toBe('low');
  });

  it('refuses to band a total below the first band, rather than guess', () => {
    expect(() => bandOf(0, [{ from: 1, label: 'some' }])).toThrow(RangeError);
  });
});
