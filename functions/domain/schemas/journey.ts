import * as z from 'zod/mini';
import { id, instant, shortText } from './common.ts';

export const journeyPhases = [
  'intake',
  'consult',
  'screening',
  'eligibility',
  'treatment-plan',
  'induction',
  'follow-up',
  'maintenance',
  'on-hold',
  'discharged',
  'declined',
  'ineligible',
  'closed-before-treatment',
] as const;

/** Phases a journey never leaves. */
export const finalJourneyPhases = [
  'discharged',
  'declined',
  'ineligible',
  'closed-before-treatment',
] as const satisfies readonly JourneyPhase[];

export const journeyStatuses = ['active', 'on-hold', 'closed'] as const;

export const clinicalHoldSchema = z.strictObject({
  since: instant,
  reason: shortText(500),
  adverseEventId: id,
});

export const journeySchema = z
  .strictObject({
    id,
    patientId: id,
    phase: z.enum(journeyPhases, { error: `expected one of ${journeyPhases.join(', ')}` }),
    status: z.enum(journeyStatuses, { error: `expected one of ${journeyStatuses.join(', ')}` }),
    /** null when not on hold; every dosing step, reminder and refill checks it and fails closed */
    hold: z.nullable(clinicalHoldSchema),
    /** optimistic-lock counter: every write names the version it read */
    version: z
      .number({ error: 'expected a whole number 0 or more' })
      .check(z.int('expected a whole number'), z.gte(0, 'expected a whole number 0 or more')),
  })
  .check(
    z.refine((journey) => (journey.status === 'on-hold') === (journey.hold !== null), {
      message: 'expected a hold exactly when the status is "on-hold"',
      path: ['hold'],
    }),
  );

export type JourneyPhase = (typeof journeyPhases)[number];
export type JourneyStatus = (typeof journeyStatuses)[number];
export type ClinicalHold = z.infer<typeof clinicalHoldSchema>;
export type Journey = z.infer<typeof journeySchema>;
