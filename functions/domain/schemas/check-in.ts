import * as z from 'zod/mini';
import { redFlagSymptoms } from '../protocol.ts';
import { bloodPressureReading, instant, nonNegativeAmount, yesNo } from './common.ts';

const hoursAgo = z.nullable(nonNegativeAmount('hours', 100_000));

/**
 * The patient's pre-session check-in. The schema checks shape only; the check-in gate judges the values
 * (including that there are exactly the protocol's number of BP readings), so a bad day postpones
 * the session with a reason instead of bouncing the form.
 */
export const checkInSchema = z.strictObject({
  /** an adult who will stay for the whole session is with the patient now */
  monitorPresent: yesNo,
  fastingHours: nonNegativeAmount('hours', 1_000),
  /** hours since the last alcohol or cannabis; null when none in recent memory */
  lastAlcoholOrCannabisHoursAgo: hoursAgo,
  /** hours since the last benzodiazepine dose; null when none in recent memory */
  lastBenzodiazepineHoursAgo: hoursAgo,
  stimulantOrOpioidToday: yesNo,
  /** the medications the plan says to hold were held */
  heldMedicationsConfirmed: yesNo,
  bpReadings: z
    .array(bloodPressureReading, { error: 'expected a list of seated blood pressure readings' })
    .check(
      z.minLength(1, 'expected at least one blood pressure reading'),
      z.maxLength(6, 'expected at most 6 blood pressure readings'),
    ),
  redFlagSymptoms: z
    .array(z.enum(redFlagSymptoms, { error: `expected one of ${redFlagSymptoms.join(', ')}` }), {
      error: 'expected a list of symptoms (empty when none)',
    })
    .check(z.refine((list) => new Set(list).size === list.length, 'expected each symptom at most once')),
  noDrivingAcknowledged: yesNo,
  /** a reading after resting, asked for when a reading reached the crisis threshold without symptoms */
  bpRecheck: z.optional(bloodPressureReading),
  /** asked of patients who can become pregnant: pregnant now, planning to become pregnant, or breastfeeding */
  pregnantPlannedOrBreastfeeding: z.optional(yesNo),
  submittedAt: instant,
});

export type RedFlagSymptom = (typeof redFlagSymptoms)[number];
export type CheckIn = z.infer<typeof checkInSchema>;
