import * as z from 'zod/mini';
import { calendarDate, clinicianId, freeText, instant, shortText, wholeNumber } from './common.ts';

/** Routes a plan may name; the protocol says which one is allowed (sublingual by default). */
export const doseRoutes = ['sublingual', 'oral', 'intranasal', 'intramuscular', 'intravenous'] as const;

export const monitoringSchema = z.strictObject({
  /** an adult stays with the patient for the whole session */
  adultMonitorRequired: z.boolean({ error: 'expected true or false' }),
  bloodPressureBeforeEachSession: z.boolean({ error: 'expected true or false' }),
  notes: freeText(2_000),
});

/**
 * The clinician's plan and prescription. Its shape is checked here; its limits against the protocol by
 * `validateTreatmentPlan`, which is the only judge of whether it can be approved.
 */
export const treatmentPlanSchema = z
  .strictObject({
    doseMg: z.number({ error: 'expected a dose in mg' }).check(z.positive('expected a dose in mg above 0')),
    route: z.enum(doseRoutes, { error: `expected one of ${doseRoutes.join(', ')}` }),
    sessionCount: wholeNumber(1, 52),
    /** required when sessionCount differs from the protocol's induction count */
    sessionCountReason: z.optional(shortText(1_000)),
    intervalDays: z
      .number({ error: 'expected a number of days' })
      .check(z.positive('expected a number of days above 0')),
    plannedSessionTimes: z
      .array(instant, { error: 'expected a list of planned session start times' })
      .check(z.minLength(1, 'expected at least one planned session time')),
    monitoring: monitoringSchema,
    followUpAt: instant,
    preparationGuidance: shortText(5_000),
    prescriptionIssuedOn: calendarDate,
    refillsAllowed: wholeNumber(0, 24),
    daysOfSupply: wholeNumber(1, 365),
    /** after induction, a dose every this many days; each runs the session flow (check-in, hour, journal) */
    maintenanceIntervalDays: wholeNumber(1, 365),
    approvedBy: z.optional(clinicianId),
    approvedAt: z.optional(instant),
  })
  .check(
    z.refine((plan) => (plan.approvedBy === undefined) === (plan.approvedAt === undefined), {
      message: 'expected approvedBy and approvedAt together, or neither',
      path: ['approvedAt'],
    }),
  );

export type DoseRoute = (typeof doseRoutes)[number];
export type Monitoring = z.infer<typeof monitoringSchema>;
export type TreatmentPlan = z.infer<typeof treatmentPlanSchema>;
