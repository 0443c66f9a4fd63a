import * as z from 'zod/mini';
import { clinicianId, freeText, instant } from './common.ts';

export const evaluationModalities = ['in-person', 'telehealth'] as const;

/** The clinician's consult evaluation; after the telehealth cut-off an in-person one must be on record. */
export const evaluationSchema = z.strictObject({
  clinicianId,
  notes: freeText(10_000),
  modality: z.enum(evaluationModalities, { error: `expected one of ${evaluationModalities.join(', ')}` }),
  evaluatedAt: instant,
});

export type EvaluationModality = (typeof evaluationModalities)[number];
export type Evaluation = z.infer<typeof evaluationSchema>;
