import * as z from 'zod/mini';
import { absoluteExclusionConditions, relativeReviewConditions, reviewMedicationClasses } from '../protocol.ts';
import { instant, shortText } from './common.ts';

export const screeningOutcomes = ['INELIGIBLE', 'NEEDS_REVIEW', 'ELIGIBLE'] as const;

/** Codes of reasons that make a patient ineligible. Conditions use the protocol's own names. */
export const exclusionReasonCodes = [
  'below-minimum-age',
  'severity-below-enrolment-threshold',
  'too-few-prior-treatments',
  ...absoluteExclusionConditions,
  'dast10-at-exclusion-threshold',
  'resting-bp-at-exclusion-threshold',
  'cssrs-imminent-risk',
] as const;

/** Codes of reasons that need a clinician's review (a relative contraindication). */
export const reviewReasonCodes = [
  'phq9-item9-positive',
  'cssrs-moderate-risk',
  'cssrs-low-with-active-thoughts',
  'audit-c-positive',
  'dast10-review-range',
  'resting-bp-review-range',
  ...relativeReviewConditions,
  ...reviewMedicationClasses.map((medicationClass) => `medication-${medicationClass}` as const),
  'medication-unrecognised',
] as const;

/** Codes whose severity the protocol chooses (exclusion or review). */
export const protocolWeightedReasonCodes = [
  'mania-or-hypomania-history',
  'pregnancy-now-planned-or-breastfeeding',
] as const;

export const screeningReasonCodes = [
  ...exclusionReasonCodes,
  ...reviewReasonCodes,
  ...protocolWeightedReasonCodes,
] as const;
export const reasonSeverities = ['exclusion', 'review'] as const;

export const screeningReasonSchema = z.strictObject({
  code: z.enum(screeningReasonCodes, { error: 'expected a known screening reason code' }),
  message: shortText(500),
  severity: z.enum(reasonSeverities, { error: `expected one of ${reasonSeverities.join(', ')}` }),
});

export const cssrsRiskLevels = ['none', 'low', 'moderate', 'imminent'] as const;

const total = z
  .number({ error: 'expected a whole number' })
  .check(z.int('expected a whole number'), z.gte(0, 'expected 0 or more'));
const band = z.string({ error: 'expected a band label' }).check(z.minLength(1, 'expected a band label'));

export const screeningScoresSchema = z.strictObject({
  ageYears: total,
  gad7: z.strictObject({ total, band }),
  phq9: z.strictObject({ total, band, item9: total }),
  auditC: z.strictObject({ total, positive: z.boolean({ error: 'expected true or false' }) }),
  dast10: z.strictObject({ total, band }),
  cssrs: z.strictObject({ risk: z.enum(cssrsRiskLevels, { error: `expected one of ${cssrsRiskLevels.join(', ')}` }) }),
  restingBp: z.strictObject({ systolic: total, diastolic: total }),
});

export const screeningResultSchema = z.strictObject({
  outcome: z.enum(screeningOutcomes, { error: `expected one of ${screeningOutcomes.join(', ')}` }),
  /** every reason found, not only the first */
  reasons: z.array(screeningReasonSchema),
  scores: screeningScoresSchema,
  /** imminent suicide risk: the clinician is alerted the same day, whatever the outcome */
  urgentAlert: z.boolean({ error: 'expected true or false' }),
  protocolVersion: z
    .string({ error: 'expected the protocol version' })
    .check(z.minLength(1, 'expected the protocol version')),
  decidedAt: instant,
});

export type ScreeningOutcome = (typeof screeningOutcomes)[number];
export type ScreeningReasonCode = (typeof screeningReasonCodes)[number];
export type ExclusionReasonCode = (typeof exclusionReasonCodes)[number];
export type ReviewReasonCode = (typeof reviewReasonCodes)[number];
export type ScreeningReason = z.infer<typeof screeningReasonSchema>;
export type CssrsRisk = (typeof cssrsRiskLevels)[number];
export type ScreeningScores = z.infer<typeof screeningScoresSchema>;
export type ScreeningResult = z.infer<typeof screeningResultSchema>;
