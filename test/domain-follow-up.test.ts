import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MismatchedInstruments } from '../functions/domain/domain-errors.ts';
import { computeFollowUp, computeResponse, type FollowUpInstrument } from '../functions/domain/follow-up.ts';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';

const gad7 = (score: number) => ({ instrument: 'gad7' as const, score });
const phq9 = (score: number) => ({ instrument: 'phq9' as const, score });

describe('follow-up response and remission', () => {
  it.each([
    {
      instrument: 'phq9',
      baseline: 20,
      latest: 10,
      response: true,
      remission: false,
      why: 'exactly 50 % counts as response',
    },
    {
      instrument: 'gad7',
      baseline: 14,
      latest: 7,
      response: true,
      remission: false,
      why: 'exactly 50 % of an even baseline',
    },
    { instrument: 'gad7', baseline: 15, latest: 8, response: false, remission: false, why: '46.7 % is short of 50 %' },
    { instrument: 'gad7', baseline: 15, latest: 7, response: true, remission: false, why: '53.3 % fall' },
    {
      instrument: 'phq9',
      baseline: 10,
      latest: 4,
      response: true,
      remission: true,
      why: 'below 5 from a baseline of exactly 10',
    },
    {
      instrument: 'phq9',
      baseline: 10,
      latest: 5,
      response: true,
      remission: false,
      why: 'a score of 5 is not below 5',
    },
    {
      instrument: 'phq9',
      baseline: 9,
      latest: 0,
      response: true,
      remission: false,
      why: 'a baseline of 9 cannot remit',
    },
    { instrument: 'gad7', baseline: 12, latest: 15, response: false, remission: false, why: 'worse than baseline' },
    { instrument: 'gad7', baseline: 0, latest: 0, response: false, remission: false, why: 'nothing to fall from' },
  ] as const)('$instrument $baseline → $latest: response $response, remission $remission ($why)', (row) => {
    const result = computeResponse(
      { instrument: row.instrument, score: row.baseline },
      { instrument: row.instrument, score: row.latest },
      defaultProtocol,
    );
    expect(result.response).toBe(row.response);
    expect(result.remission).toBe(row.remission);
    expect(result.protocolVersion).toBe(defaultProtocol.version);
    expect(result.reasons.length).toBeGreaterThanOrEqual(2);
  });

  it('says why remission is impossible from a baseline of 9', () => {
    const result = computeResponse(phq9(9), phq9(2), defaultProtocol);
    const reason = result.reasons.find((r) => r.code === 'REMISSION_NOT_APPLICABLE');
    expect(reason?.message).toContain('baseline of 10 or more');
    expect(reason?.message).toContain('was 9');
  });

  it('reports the fall as a percentage of the baseline', () => {
    expect(computeResponse(gad7(20), gad7(5), defaultProtocol).fallPercent).toBe(75);
    expect(computeResponse(gad7(10), gad7(12), defaultProtocol).fallPercent).toBe(-20);
    expect(computeResponse(gad7(0), gad7(3), defaultProtocol).fallPercent).toBeNull();
  });

  it('takes its thresholds from the protocol', () => {
    const strict = resolveProtocol({
      version: 'strict-1',
      followUp: { responseMinimumFallPercent: 60, remissionBelow: 4, remissionBaselineAtLeast: 15 },
    });
    const result = computeResponse(phq9(15), phq9(4), strict);
    expect(result).toMatchObject({ response: true, remission: false, protocolVersion: 'strict-1' });
    expect(computeResponse(phq9(10), phq9(4), strict).response).toBe(true);
    expect(computeResponse(phq9(10), phq9(5), strict).response).toBe(false);
  });

  it('refuses to compare two different instruments', () => {
    expect(() => computeResponse(gad7(15), phq9(5), defaultProtocol)).toThrow(MismatchedInstruments);
  });

  it('computes both measures from two assessments as filled in', () => {
    // GAD-7 15 → 6 (60 % fall, not below 5); PHQ-9 18 → 4 (response and remission)
    const baseline = { gad7: { items: [3, 3, 2, 2, 2, 2, 1] }, phq9: { items: [2, 2, 2, 2, 2, 2, 2, 2, 2] } };
    const latest = { gad7: { items: [1, 1, 1, 1, 1, 1, 0] }, phq9: { items: [1, 1, 1, 1, 0, 0, 0, 0, 0] } };
    const result = computeFollowUp(baseline, latest, defaultProtocol);
    expect(result.gad7).toMatchObject({
      instrument: 'gad7',
      baseline: 15,
      latest: 6,
      fallPercent: 60,
      response: true,
      remission: false,
    });
    expect(result.phq9).toMatchObject({ instrument: 'phq9', baseline: 18, latest: 4, response: true, remission: true });
    expect(result.protocolVersion).toBe(defaultProtocol.version);
  });

  it('never calls a rise in score a response, and remission always needs a qualifying baseline', () => {
    const instrument = fc.constantFrom<FollowUpInstrument>('gad7', 'phq9');
    fc.assert(
      fc.property(
        instrument,
        fc.integer({ min: 0, max: 27 }),
        fc.integer({ min: 0, max: 27 }),
        (which, baseline, latest) => {
          const result = computeResponse(
            { instrument: which, score: baseline },
            { instrument: which, score: latest },
            defaultProtocol,
          );
          if (latest >= baseline) expect(result.response).toBe(false);
          if (result.remission) expect(baseline).toBeGreaterThanOrEqual(10);
          if (result.response) expect(2 * latest).toBeLessThanOrEqual(baseline);
        },
      ),
    );
  });
});
