import type { ScreeningOutcome } from './schemas/screening-result.ts';

/**
 * The clinician's eligibility decision after the consult, against the screening it answers. A relative
 * contraindication (NEEDS_REVIEW) may be approved only with a written override reason; an absolute one
 * (INELIGIBLE) never; without a screening there is nothing to approve. Declining is always allowed.
 */
export type EligibilityDecision = 'APPROVED' | 'DECLINED';

export type EligibilityRefusal = 'no-screening' | 'absolute-contraindication' | 'override-reason-required';

export type EligibilityJudgement =
  | { readonly allowed: true; readonly overridden: boolean }
  | { readonly allowed: false; readonly refusal: EligibilityRefusal };

/** `overrideReason` as written, trimmed: blank is no reason. */
export function judgeEligibilityDecision(
  decision: EligibilityDecision,
  screening: ScreeningOutcome | undefined,
  overrideReason: string,
): EligibilityJudgement {
  if (decision === 'DECLINED') return { allowed: true, overridden: false };
  if (screening === undefined) return { allowed: false, refusal: 'no-screening' };
  if (screening === 'INELIGIBLE') return { allowed: false, refusal: 'absolute-contraindication' };
  if (screening === 'NEEDS_REVIEW' && overrideReason.trim() === '')
    return { allowed: false, refusal: 'override-reason-required' };
  return { allowed: true, overridden: screening === 'NEEDS_REVIEW' };
}
