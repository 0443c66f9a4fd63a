import { describe, expect, it } from 'vitest';
import { judgeEligibilityDecision } from '../functions/domain/eligibility-override.ts';

describe('the eligibility decision after the consult', () => {
  it.each([
    [
      'an eligible patient is approved without a reason',
      'APPROVED',
      'ELIGIBLE',
      '',
      { allowed: true, overridden: false },
    ],
    [
      'a relative contraindication is approved with a written reason, as an override',
      'APPROVED',
      'NEEDS_REVIEW',
      'Passive thoughts only, safety plan in place',
      { allowed: true, overridden: true },
    ],
    [
      'a relative contraindication is not approved without a reason',
      'APPROVED',
      'NEEDS_REVIEW',
      '',
      { allowed: false, refusal: 'override-reason-required' },
    ],
    [
      'a reason of blanks is no reason',
      'APPROVED',
      'NEEDS_REVIEW',
      ' \n ',
      { allowed: false, refusal: 'override-reason-required' },
    ],
    [
      'an absolute contraindication is never approved, whatever the reason',
      'APPROVED',
      'INELIGIBLE',
      'The patient insists',
      { allowed: false, refusal: 'absolute-contraindication' },
    ],
    [
      'nothing is approved without a screening',
      'APPROVED',
      undefined,
      'Seen at the consult',
      { allowed: false, refusal: 'no-screening' },
    ],
    ['declining needs no reason', 'DECLINED', 'NEEDS_REVIEW', '', { allowed: true, overridden: false }],
    ['declining an ineligible patient is allowed', 'DECLINED', 'INELIGIBLE', '', { allowed: true, overridden: false }],
    ['declining without a screening is allowed', 'DECLINED', undefined, '', { allowed: true, overridden: false }],
  ] as const)('%s', (_name, decision, screening, reason, expected) => {
    expect(judgeEligibilityDecision(decision, screening, reason)).toEqual(expected);
  });
});
