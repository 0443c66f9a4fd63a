import * as z from 'zod/mini';
import { alwaysAdverseEventSymptoms } from '../protocol.ts';
import { freeText, instant, wholeNumber } from './common.ts';

/** Everything a patient can report; the protocol's always-adverse symptoms must be reportable too. */
export const sideEffectSymptoms = [
  'nausea',
  'vomiting',
  'dizziness',
  'headache',
  'dissociation',
  'sedation',
  'confusion',
  'anxiety',
  'palpitations',
  'blurred-vision',
  'urinary-symptoms',
  'low-mood',
  ...alwaysAdverseEventSymptoms,
] as const;

export const sideEffectSeverities = ['none', 'mild', 'moderate', 'severe'] as const;

export const sideEffectReportSchema = z.strictObject({
  sessionNumber: z.nullable(wholeNumber(1, 52)),
  symptoms: z
    .array(
      z.strictObject({
        symptom: z.enum(sideEffectSymptoms, { error: `expected one of ${sideEffectSymptoms.join(', ')}` }),
        severity: z.enum(sideEffectSeverities, { error: `expected one of ${sideEffectSeverities.join(', ')}` }),
      }),
      { error: 'expected a list of symptoms with their severity' },
    )
    .check(
      z.refine(
        (list) => new Set(list.map((entry) => entry.symptom)).size === list.length,
        'expected each symptom at most once',
      ),
    ),
  freeText: freeText(5_000),
  submittedAt: instant,
});

export type SideEffectSymptom = (typeof sideEffectSymptoms)[number];
export type SideEffectSeverity = (typeof sideEffectSeverities)[number];
export type SideEffectReport = z.infer<typeof sideEffectReportSchema>;
