import * as z from 'zod/mini';
import { absoluteExclusionConditions, relativeReviewConditions, reviewMedicationClasses } from '../protocol.ts';
import { bloodPressureReading, calendarDate, instant, shortText, wholeNumber, yesNo } from './common.ts';

const itemsOf = (count: number, max: number) =>
  z
    .array(wholeNumber(0, max), { error: `expected a list of ${count} answers, each 0 to ${max}` })
    .check(z.length(count, `expected exactly ${count} answers, each 0 to ${max}`));

/** GAD-7: seven items, each 0 (not at all) to 3 (nearly every day), over the last two weeks. */
export const gad7Schema = z.strictObject({ items: itemsOf(7, 3) });

/** PHQ-9: nine items, 0-3; item 9 asks about thoughts of being better off dead or of self-harm. */
export const phq9Schema = z.strictObject({ items: itemsOf(9, 3) });

/** AUDIT-C: the first three AUDIT questions, each 0-4. */
export const auditCSchema = z.strictObject({ items: itemsOf(3, 4) });

/**
 * DAST-10: ten yes/no questions, in the published order. Question 3 ("Are you always able to stop using
 * drugs when you want to?") scores a point for "no"; scoring handles that, answers are stored as given.
 */
export const dast10Schema = z.strictObject({
  answers: z
    .array(yesNo, { error: 'expected a list of 10 yes/no answers' })
    .check(z.length(10, 'expected exactly 10 yes/no answers')),
});

/**
 * C-SSRS screener, the six questions of the Columbia protocol's screen version. Questions 1-5 ask about
 * the past month. Because a clinic may widen the protocol's lookbacks, recency is recorded as a date:
 * `intentOrPlanLastOn` (optional; when absent a "yes" to question 4 or 5 is taken as within the past
 * month, the instrument's own window) and `behaviourLastOn` (required when question 6 is "yes").
 */
export const cssrsScreenerSchema = z
  .strictObject({
    /** 1. wished you were dead or could go to sleep and not wake up */
    wishToBeDead: yesNo,
    /** 2. actually had thoughts of killing yourself */
    suicidalThoughts: yesNo,
    /** 3. thought about how you might do this */
    thoughtsOfMethod: yesNo,
    /** 4. had these thoughts and some intention of acting on them */
    intentToAct: yesNo,
    /** 5. started to work out or worked out the details, and intend to carry out this plan */
    planWithIntent: yesNo,
    intentOrPlanLastOn: z.optional(calendarDate),
    /** 6. ever done, started to do, or prepared to do anything to end your life */
    suicidalBehaviour: yesNo,
    behaviourLastOn: z.nullable(calendarDate),
  })
  .check(
    z.refine((answers) => !answers.suicidalBehaviour || answers.behaviourLastOn !== null, {
      message: 'expected the date of the most recent behaviour when question 6 is answered yes',
      path: ['behaviourLastOn'],
    }),
  );

export const medicalConditions = [...absoluteExclusionConditions, ...relativeReviewConditions] as const;
export type MedicalCondition = (typeof medicalConditions)[number];

export const priorTreatmentKinds = ['medication', 'psychotherapy', 'neuromodulation', 'other'] as const;

export const medicalHistorySchema = z.strictObject({
  conditions: z
    .array(z.enum(medicalConditions, { error: `expected one of ${medicalConditions.join(', ')}` }), {
      error: 'expected a list of conditions (may be empty)',
    })
    .check(z.refine((list) => new Set(list).size === list.length, 'expected each condition at most once')),
  priorTreatments: z.array(
    z.strictObject({
      name: shortText(200),
      kind: z.enum(priorTreatmentKinds, { error: `expected one of ${priorTreatmentKinds.join(', ')}` }),
    }),
    { error: 'expected a list of prior treatments (may be empty)' },
  ),
  /** ever had a period of mania or hypomania (any history counts, however long ago) */
  maniaOrHypomania: yesNo,
});

export const medicationClasses = [...reviewMedicationClasses, 'other'] as const;
export type MedicationClass = (typeof medicationClasses)[number];

/**
 * A current medication as the patient names it. Screening matches the name against the protocol's table
 * (functions/domain/medication-names.ts); a class the patient gives is only ever added to what the name
 * says, never trusted to clear it.
 */
export const medicationSchema = z.strictObject({
  name: shortText(200),
  class: z.optional(z.enum(medicationClasses, { error: `expected one of ${medicationClasses.join(', ')}` })),
});

export const currentMedicationsSchema = z.strictObject({
  medications: z.array(medicationSchema, { error: 'expected a list of medications (may be empty)' }),
});

export const vitalsSchema = z.strictObject({
  /** seated resting readings; the highest one is judged, so one high reading cannot be averaged away */
  restingBp: z
    .array(bloodPressureReading, { error: 'expected a list of blood pressure readings' })
    .check(
      z.minLength(1, 'expected at least one blood pressure reading'),
      z.maxLength(6, 'expected at most 6 blood pressure readings'),
    ),
  /** the dose limit in mg/kg is checked against it when the plan is approved */
  weightKg: z
    .number({ error: 'expected a weight in kg' })
    .check(z.gte(25, 'expected a weight in kg from 25 to 350'), z.lte(350, 'expected a weight in kg from 25 to 350')),
  measuredAt: instant,
});

/**
 * Asked of everyone at intake, in one question: "pregnant now, planning to become pregnant, or
 * breastfeeding?" with "I cannot become pregnant" as an answer, so the check-in asks again only those
 * who can. (A checkbox worded "now or in the past" excluded anyone ever pregnant.)
 */
export const pregnancyAnswers = ['yes', 'no', 'cannot-become-pregnant'] as const;
export type PregnancyAnswer = (typeof pregnancyAnswers)[number];

export const intakeSchema = z.strictObject({
  gad7: gad7Schema,
  phq9: phq9Schema,
  cssrs: cssrsScreenerSchema,
  auditC: auditCSchema,
  dast10: dast10Schema,
  medicalHistory: medicalHistorySchema,
  currentMedications: currentMedicationsSchema,
  vitals: vitalsSchema,
  pregnancy: z.enum(pregnancyAnswers, { error: 'expected yes, no, or cannot-become-pregnant' }),
  submittedAt: instant,
});

export type Gad7 = z.infer<typeof gad7Schema>;
export type Phq9 = z.infer<typeof phq9Schema>;
export type AuditC = z.infer<typeof auditCSchema>;
export type Dast10 = z.infer<typeof dast10Schema>;
export type CssrsScreener = z.infer<typeof cssrsScreenerSchema>;
export type MedicalHistory = z.infer<typeof medicalHistorySchema>;
export type Medication = z.infer<typeof medicationSchema>;
export type CurrentMedications = z.infer<typeof currentMedicationsSchema>;
export type Vitals = z.infer<typeof vitalsSchema>;
export type Intake = z.infer<typeof intakeSchema>;
