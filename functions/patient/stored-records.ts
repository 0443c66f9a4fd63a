import * as z from 'zod/mini';
import {
  adverseEventSchema,
  assessmentSchema,
  clinicalHoldSchema,
  evaluationSchema,
  fillSchema,
  instant,
  intakeSchema,
  journalEntrySchema,
  journeySchema,
  patientSchema,
  screeningResultSchema,
  sessionSchema,
  treatmentPlanSchema,
} from '../domain/schemas/index.ts';
import type { StoredItem } from '../store/read-items.ts';
import { StoredItemInvalid } from './journey-errors.ts';

/**
 * How the journey's items carry the domain's objects: each item holds its schema's fields flat, next to
 * the store's own attributes (PK, SK, version...) and a few step fields. Reading strips what the schema
 * does not name, so a store attribute never trips a strict schema, and a malformed item is an error
 * (fail closed: a fill or a hold that cannot be read must not count as absent).
 */

// z.object(shape) strips unknown keys; the domain's strict schemas would refuse the store's attributes.
const lenient = <Shape extends z.core.$ZodShape>(shape: Shape) => z.object(shape);

export const storedPatient = lenient(patientSchema.shape);

export const storedJourney = lenient({
  ...journeySchema.shape,
  hold: z.nullable(clinicalHoldSchema),
  onHold: z.boolean(),
  enrolledAt: instant,
  /** the booked video consult, once staff (or a clinician) recorded it */
  consultAt: z._default(z.nullable(instant), null),
  /** the video call's join link recorded with the booking, shown on the consult reminder's page */
  consultJoinUrl: z._default(z.nullable(z.string()), null),
  /** the latest prescription drug monitoring program check recorded for the patient */
  pdmpCheckedAt: z._default(z.nullable(instant), null),
  /** 1 at enrolment, +1 each time a hold is lifted: names the screening of each pass */
  screeningRound: z._default(z.number().check(z.int(), z.gte(1)), 1),
  closedReason: z._default(z.nullable(z.string()), null),
});

export const storedIntake = lenient(intakeSchema.shape);

export const storedEvaluation = lenient(evaluationSchema.shape);

export const storedScreening = lenient({ ...screeningResultSchema.shape, screeningId: z.string() });

export const storedPlan = lenient({
  ...treatmentPlanSchema.shape,
  /** the TREATMENT_PLAN's id (its SK after PLAN#) */
  planId: z.string(),
});

export const storedSession = lenient({
  ...sessionSchema.shape,
  attempt: z._default(z.number().check(z.int(), z.gte(1)), 1),
  completedAt: z._default(z.nullable(instant), null),
});

export const storedJournalEntry = lenient(journalEntrySchema.shape);

/** An assessment (after a session, or with a refill request); the refill request adds its lost/stolen flag. */
export const storedAssessment = lenient({
  ...assessmentSchema.shape,
  assessmentId: z.string(),
  /** the workflow step it answered, e.g. "refill-2-request-1" or "session-2-a1-assessment" */
  stepKey: z._default(z.nullable(z.string()), null),
  lostOrStolenReplacement: z._default(z.boolean(), false),
});

/** A fill as recorded: cycle 0 is the initial fill (fillNumber 1); fill numbers count fills, whatever the cycle. */
export const storedFill = lenient({
  ...fillSchema.shape,
  cycle: z.number().check(z.int(), z.gte(0)),
  /** doses supplied (null on fills recorded before quantities were computed) */
  quantity: z._default(z.nullable(z.number().check(z.positive())), null),
  doseMg: z._default(z.nullable(z.number().check(z.positive())), null),
  /** a refill's doses are sessions firstSessionNumber .. firstSessionNumber + quantity - 1 (null on the initial fill: induction's) */
  firstSessionNumber: z._default(z.nullable(z.number().check(z.int(), z.positive())), null),
  pdmpCheckedAt: z._default(z.nullable(instant), null),
});

export const storedAdverseEvent = lenient(adverseEventSchema.shape);

export type StoredPatient = z.infer<typeof storedPatient>;
export type JourneyState = z.infer<typeof storedJourney> & { readonly version: number };
export type StoredIntake = z.infer<typeof storedIntake>;
export type StoredEvaluation = z.infer<typeof storedEvaluation>;
export type StoredScreening = z.infer<typeof storedScreening>;
export type StoredPlan = z.infer<typeof storedPlan>;
export type StoredSession = z.infer<typeof storedSession>;
export type StoredJournalEntry = z.infer<typeof storedJournalEntry>;
export type StoredAssessment = z.infer<typeof storedAssessment>;
export type StoredFill = z.infer<typeof storedFill>;
export type StoredAdverseEvent = z.infer<typeof storedAdverseEvent>;

/** The id part of an item's SK after its type prefix, e.g. "plan-1" from "PLAN#plan-1". */
export function idAfterPrefix(item: StoredItem, prefix: string): string {
  return item.SK.startsWith(prefix) ? item.SK.slice(prefix.length) : item.SK;
}

export function readStored<Schema extends z.ZodMiniType>(
  schema: Schema,
  item: StoredItem,
  extra: Record<string, unknown> = {},
): z.output<Schema> {
  const parsed = schema.safeParse({ ...item, ...extra });
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(item)').join(', ');
  // keys and field names only: the values may be answers
  throw new StoredItemInvalid(`item ${item.PK} / ${item.SK} does not match its schema (fields: ${fields})`);
}
