import * as z from 'zod/mini';
import { issueMessage } from './schemas/field-errors.ts';

/**
 * The clinic's protocol: every threshold, limit, count and interval the rules use, in one typed,
 * validated, versioned configuration. Rules receive it as an argument and never hold a literal of
 * their own; every decision records `protocol.version`.
 *
 * The defaults come from DESIGN.md section 3 (public sources: published at-home ketamine studies, the
 * Spravato REMS monitoring program, providers' public eligibility pages). They are a starting point
 * for the clinic's medical director, not medical advice.
 */

const hours = z.number().check(z.positive());
const days = z.number().check(z.positive());
const score = z.number().check(z.int(), z.nonnegative());
const bloodPressure = z.strictObject({ systolic: z.number().check(z.int(), z.positive()), diastolic: z.number().check(z.int(), z.positive()) });
/** "HH:MM" in the patient's own time zone */
const localTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time as HH:MM (24-hour)'));

export const absoluteExclusionConditions = [
  'ketamine-hypersensitivity',
  'pregnancy-or-breastfeeding',
  'psychotic-disorder',
  'bipolar-mania-recent',
  'aneurysmal-vascular-disease-avm-or-intracerebral-haemorrhage',
  'unstable-cardiovascular-disease',
  'raised-intracranial-or-intraocular-pressure',
  'severe-liver-disease',
  'current-substance-dependence',
  'past-ketamine-misuse',
] as const;

export const relativeReviewConditions = [
  'controlled-cardiovascular-disease',
  'seizures',
  'untreated-thyroid-disease',
  'urinary-symptoms',
  'family-history-of-psychosis',
] as const;

export const reviewMedicationClasses = ['benzodiazepine', 'stimulant', 'maoi', 'opioid'] as const;

/** Symptoms a check-in can report; the protocol says which of them send the patient to emergency care. */
export const redFlagSymptoms = ['chest-pain', 'severe-headache', 'vision-change', 'breathing-difficulty'] as const;

/**
 * Side effects that are adverse events at any severity (each puts the patient on hold): the warning
 * signs of ketamine's known harms (suicidality, cardiovascular and respiratory events, ketamine
 * cystitis, persistent psychotic symptoms, misuse) named in published at-home protocols and the
 * Spravato REMS materials.
 */
export const alwaysAdverseEventSymptoms = [
  'suicidal-thoughts',
  'chest-pain',
  'breathing-difficulty',
  'fainting',
  'blood-in-urine',
  'severe-bladder-pain',
  'hallucinations-beyond-session',
  'signs-of-misuse',
] as const;

export const triageSeverities = ['mild', 'moderate', 'severe'] as const;

export const protocolSchema = z.strictObject({
  /** changes whenever any value changes; stored with every decision */
  version: z.string().check(z.minLength(1)),
  eligibility: z.strictObject({
    minimumAgeYears: z.number().check(z.int(), z.positive()),
    /** enrolment needs PHQ-9 >= this OR GAD-7 >= the next one */
    minimumPhq9: score,
    minimumGad7: score,
    minimumPriorTreatments: z.number().check(z.int(), z.nonnegative()),
    absoluteExclusions: z.array(z.enum(absoluteExclusionConditions)),
    /** months that a manic episode counts as "recent" for the bipolar exclusion */
    bipolarManiaLookbackMonths: z.number().check(z.int(), z.positive()),
    dast10Exclusion: score,
    dast10ReviewFrom: score,
    restingBpExclusion: bloodPressure,
    restingBpReview: bloodPressure,
    phq9Item9ReviewAbove: score,
    auditCReview: z.strictObject({ male: score, female: score }),
    relativeConditions: z.array(z.enum(relativeReviewConditions)),
    reviewMedicationClasses: z.array(z.enum(reviewMedicationClasses)),
    /** C-SSRS: ideation with intent or plan within this many months, behaviour within the next, is imminent risk */
    cssrsIdeationLookbackMonths: z.number().check(z.int(), z.positive()),
    cssrsBehaviourLookbackMonths: z.number().check(z.int(), z.positive()),
  }),
  bands: z.strictObject({
    /** lower bound of each band, ascending; the first must be 0 */
    gad7: z.array(z.strictObject({ from: score, label: z.string() })).check(z.minLength(1)),
    phq9: z.array(z.strictObject({ from: score, label: z.string() })).check(z.minLength(1)),
    dast10: z.array(z.strictObject({ from: score, label: z.string() })).check(z.minLength(1)),
  }),
  induction: z.strictObject({
    sessionCount: z.number().check(z.int(), z.positive()),
    minimumHoursBetweenSessions: hours,
    defaultDaysBetweenSessions: days,
    /** assessments are due after these session numbers; 'last' is the final induction session */
    assessmentAfterSessions: z.array(z.union([z.number().check(z.int(), z.positive()), z.literal('last')])),
    sessionDurationMinutes: z.number().check(z.int(), z.positive()),
    /** after this many missed check-ins for one session no more links are sent; the clinician decides */
    maxMissedCheckIns: z.number().check(z.int(), z.positive()),
  }),
  checkIn: z.strictObject({
    opensHoursBefore: hours,
    closesHoursAfter: hours,
    minimumFastingHours: hours,
    alcoholOrCannabisFreeHours: hours,
    benzodiazepineFreeHours: hours,
    requiredBpReadings: z.number().check(z.int(), z.positive()),
    postponeAtOrAbove: bloodPressure,
    emergencyAtOrAbove: bloodPressure,
    emergencySymptoms: z.array(z.enum(redFlagSymptoms)),
    /** a postponed session is offered this many hours later (then again, until nothing blocks it) */
    postponeStepHours: hours,
  }),
  journal: z.strictObject({
    promptMinutesAfterStart: z.number().check(z.int(), z.positive()),
    nudgeHoursAfterPrompt: hours,
    clinicianAlertHoursAfterPrompt: hours,
    blocksNextSession: z.boolean(),
  }),
  dose: z.strictObject({
    maxSublingualMg: z.number().check(z.positive()),
    route: z.literal('sublingual'),
  }),
  supply: z.strictObject({ maxDaysPerFill: z.number().check(z.int(), z.positive()) }),
  refill: z.strictObject({
    minimumDaysSinceLastFill: days,
    maxRefills: z.number().check(z.int(), z.nonnegative()),
    maxMonthsFromPrescription: z.number().check(z.int(), z.positive()),
    assessmentWithinDays: days,
    bladderCheckWithinDays: days,
    pdmpCheckWithinDays: days,
    clinicianCheckInAfterDaysWithoutSession: days,
    /** lost or stolen medication is never replaced before the normal interval */
    replaceLostMedicationEarly: z.literal(false),
    /** how many days before it is due the refill window opens with a reminder */
    windowOpensDaysBeforeDue: days,
    /** how long after the fill falls due the request link stays open (a patient who waits for the due day keeps the refill) */
    requestOpenDaysAfterDue: days,
  }),
  followUp: z.strictObject({
    responseMinimumFallPercent: z.number().check(z.positive(), z.lte(100)),
    remissionBelow: score,
    remissionBaselineAtLeast: score,
  }),
  telehealth: z.strictObject({
    /** ISO date (inclusive) until which prescribing by telehealth alone is allowed */
    prescribingValidUntil: z.iso.date(),
  }),
  approvals: z.strictObject({
    linkValidHours: hours,
    reminderAfterHours: hours,
    backupClinicianAfterHours: hours,
    /**
     * A decision that stopped treatment waits on (a clinical hold, too many missed check-ins) is asked
     * again (reminder, then backup) after this many days when unanswered, never sooner: no dose is given
     * meanwhile, so nothing unsafe waits on it, and asking every 72 h would only bury the clinician in mail.
     */
    stoppedTreatmentAskAgainAfterDays: days,
  }),
  alerts: z.strictObject({
    /** how long the view link of an alert to a clinician (urgent or notice) stays open */
    linkValidHours: hours,
  }),
  patientLinks: z.strictObject({
    /** how long a patient form link stays valid when the step has no tighter window */
    validHours: hours,
    intakeReminderEveryHours: hours,
    intakeMaxReminders: z.number().check(z.int(), z.nonnegative()),
    /** a patient form still unanswered after this many reminder intervals is brought to the clinician */
    clinicianAlertAfterReminderIntervals: z.number().check(z.int(), z.positive()),
  }),
  triage: z.strictObject({
    /** these are adverse events whatever severity the patient gives them */
    alwaysAdverseEventSymptoms: z.array(z.enum(alwaysAdverseEventSymptoms)),
    /** any symptom at or above this severity is an adverse event */
    adverseEventAtSeverity: z.enum(triageSeverities),
    /** any symptom at or above this severity is watched by the clinician */
    monitorAtSeverity: z.enum(triageSeverities),
    /** symptoms the clinician watches at any severity (early signs of harm) */
    monitorAtAnySeverity: z.array(z.string().check(z.minLength(1))),
  }),
  reminders: z.strictObject({
    consultHoursBefore: z.array(hours),
    /** before the follow-up appointment on the approved plan, as for the consult */
    followUpHoursBefore: z.array(hours),
    sessionPrepDaysBefore: days,
    sessionPrepLocalTime: localTime,
    quietHoursStart: localTime,
    quietHoursEnd: localTime,
  }),
});

export type Protocol = z.infer<typeof protocolSchema>;

/**
 * Typed, not parsed, at load: parsing ran on every cold start of every function. The schema's own checks
 * (ranges, formats) are applied to these defaults by test/protocol-config.test.ts.
 */
export const defaultProtocol: Protocol = {
  version: '2026-11-default-1',
  eligibility: {
    minimumAgeYears: 18,
    minimumPhq9: 10,
    minimumGad7: 10,
    minimumPriorTreatments: 1,
    absoluteExclusions: [...absoluteExclusionConditions],
    bipolarManiaLookbackMonths: 6,
    dast10Exclusion: 6,
    dast10ReviewFrom: 3,
    restingBpExclusion: { systolic: 160, diastolic: 100 },
    restingBpReview: { systolic: 140, diastolic: 90 },
    phq9Item9ReviewAbove: 0,
    auditCReview: { male: 4, female: 3 },
    relativeConditions: [...relativeReviewConditions],
    reviewMedicationClasses: [...reviewMedicationClasses],
    cssrsIdeationLookbackMonths: 1,
    cssrsBehaviourLookbackMonths: 3,
  },
  bands: {
    gad7: [
      { from: 0, label: 'minimal' },
      { from: 5, label: 'mild' },
      { from: 10, label: 'moderate' },
      { from: 15, label: 'severe' },
    ],
    phq9: [
      { from: 0, label: 'minimal' },
      { from: 5, label: 'mild' },
      { from: 10, label: 'moderate' },
      { from: 15, label: 'moderately severe' },
      { from: 20, label: 'severe' },
    ],
    dast10: [
      { from: 0, label: 'none' },
      { from: 1, label: 'low' },
      { from: 3, label: 'moderate' },
      { from: 6, label: 'substantial' },
      { from: 9, label: 'severe' },
    ],
  },
  induction: {
    sessionCount: 4,
    minimumHoursBetweenSessions: 72,
    defaultDaysBetweenSessions: 7,
    assessmentAfterSessions: [2, 'last'],
    sessionDurationMinutes: 60,
    maxMissedCheckIns: 3,
  },
  checkIn: {
    opensHoursBefore: 2,
    closesHoursAfter: 1,
    minimumFastingHours: 4,
    alcoholOrCannabisFreeHours: 48,
    benzodiazepineFreeHours: 24,
    requiredBpReadings: 2,
    postponeAtOrAbove: { systolic: 140, diastolic: 90 },
    emergencyAtOrAbove: { systolic: 180, diastolic: 110 },
    emergencySymptoms: ['chest-pain', 'severe-headache', 'vision-change', 'breathing-difficulty'],
    postponeStepHours: 24,
  },
  journal: {
    promptMinutesAfterStart: 60,
    nudgeHoursAfterPrompt: 12,
    clinicianAlertHoursAfterPrompt: 48,
    blocksNextSession: true,
  },
  dose: { maxSublingualMg: 450, route: 'sublingual' },
  supply: { maxDaysPerFill: 30 },
  refill: {
    minimumDaysSinceLastFill: 28,
    maxRefills: 5,
    maxMonthsFromPrescription: 6,
    assessmentWithinDays: 7,
    bladderCheckWithinDays: 7,
    pdmpCheckWithinDays: 7,
    clinicianCheckInAfterDaysWithoutSession: 90,
    replaceLostMedicationEarly: false,
    windowOpensDaysBeforeDue: 3,
    requestOpenDaysAfterDue: 7,
  },
  followUp: { responseMinimumFallPercent: 50, remissionBelow: 5, remissionBaselineAtLeast: 10 },
  telehealth: { prescribingValidUntil: '2026-12-31' },
  approvals: { linkValidHours: 72, reminderAfterHours: 24, backupClinicianAfterHours: 48, stoppedTreatmentAskAgainAfterDays: 7 },
  // a clinician away for a long weekend still finds out which patient an alert was about
  alerts: { linkValidHours: 7 * 24 },
  patientLinks: { validHours: 72, intakeReminderEveryHours: 24, intakeMaxReminders: 3, clinicianAlertAfterReminderIntervals: 2 },
  triage: {
    alwaysAdverseEventSymptoms: [...alwaysAdverseEventSymptoms],
    adverseEventAtSeverity: 'severe',
    monitorAtSeverity: 'moderate',
    // frequency or urgency can be the first sign of ketamine cystitis
    monitorAtAnySeverity: ['urinary-symptoms'],
  },
  reminders: {
    consultHoursBefore: [24, 1],
    followUpHoursBefore: [24, 1],
    sessionPrepDaysBefore: 1,
    sessionPrepLocalTime: '18:00',
    quietHoursStart: '21:00',
    quietHoursEnd: '08:00',
  },
};

/**
 * Why a rule decided as it did: a stable code for programs and a sentence for people. Every decision
 * returns its reasons with `protocol.version`, and both are stored with it.
 */
export interface DecisionReason<Code extends string = string> {
  code: Code;
  message: string;
}

/** A clinic's overrides: any subset of the protocol, and always a version of its own. */
export type ProtocolOverrides = { version: string } & DeepPartial<Omit<Protocol, 'version'>>;
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export class InvalidProtocolError extends Error {
  override readonly name = 'InvalidProtocolError';
}

/**
 * The protocol in force: the defaults with the clinic's overrides laid over them, validated as a whole.
 * Overrides must name a version different from the defaults', so no decision can ever record a version
 * whose values it did not use. Arrays replace, objects merge.
 */
export function resolveProtocol(overrides?: unknown): Protocol {
  if (overrides === undefined || overrides === null) return defaultProtocol;
  if (!isPlainObject(overrides)) throw new InvalidProtocolError('protocol overrides must be an object');
  const version = overrides['version'];
  if (typeof version !== 'string' || version.length === 0) {
    throw new InvalidProtocolError('protocol overrides must set "version" to a name of their own');
  }
  if (version === defaultProtocol.version && Object.keys(overrides).length > 1) {
    throw new InvalidProtocolError(`protocol overrides change values, so "version" must differ from the default "${defaultProtocol.version}"`);
  }
  const merged = mergeDeep(defaultProtocol, overrides);
  const parsed = protocolSchema.safeParse(merged, { error: issueMessage });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidProtocolError(`protocol overrides are invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) result[key] = mergeDeep(base[key], value);
  return result;
}
