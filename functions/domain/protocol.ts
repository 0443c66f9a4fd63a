import * as z from 'zod/mini';
import { issueMessage } from './schemas/field-errors.ts';
import { InvalidProtocol } from './domain-errors.ts';

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
const bloodPressure = z.strictObject({
  systolic: z.number().check(z.int(), z.positive()),
  diastolic: z.number().check(z.int(), z.positive()),
});
/** "HH:MM" in the patient's own time zone */
const localTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time as HH:MM (24-hour)'));

/**
 * Conditions the intake's medical history lists. Pregnancy and mania are not here: each has its own
 * question (a checklist worded "now or in the past" excluded anyone ever pregnant, and a date of the last
 * manic episode missed hypomania and older episodes).
 */
export const absoluteExclusionConditions = [
  'ketamine-hypersensitivity',
  'psychotic-disorder',
  'aneurysmal-vascular-disease-avm-or-intracerebral-haemorrhage',
  'unstable-cardiovascular-disease',
  'raised-intracranial-or-intraocular-pressure',
  'severe-liver-disease',
  'current-substance-dependence',
  'past-ketamine-misuse',
  'opioid-use-disorder',
] as const;

export const relativeReviewConditions = [
  'controlled-cardiovascular-disease',
  'seizures',
  'untreated-thyroid-disease',
  'urinary-symptoms',
  'family-history-of-psychosis',
  'sleep-apnoea',
  'significant-lung-disease',
] as const;

/**
 * Classes of current medication that interact with ketamine: the Spravato label's drug interactions
 * (section 7: CNS depressants such as benzodiazepines and opioids, psychostimulants, MAOIs). A patient's
 * medication is matched to a class by its name (protocol `medications`), never by the patient's own filing.
 */
export const reviewMedicationClasses = [
  'benzodiazepine',
  'stimulant',
  'maoi',
  'opioid',
  'other-cns-depressant',
] as const;
export type InteractingMedicationClass = (typeof reviewMedicationClasses)[number];

/**
 * Symptoms a check-in can report; the protocol says which of them send the patient to emergency care on
 * their own, and which do so with a blood pressure at the crisis threshold.
 */
export const redFlagSymptoms = [
  'chest-pain',
  'breathing-difficulty',
  'back-pain',
  'numbness-or-weakness',
  'vision-change',
  'trouble-speaking',
  'severe-headache',
] as const;

/** How screening treats a finding whose weight the clinic's medical director chooses. */
export const screeningSeverities = ['exclusion', 'review'] as const;

/** Who must have done the in-person evaluation that prescribing after the telehealth cut-off requires. */
export const inPersonEvaluators = ['prescribing-clinician', 'any-clinician'] as const;

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

const medicationNames = z
  .array(z.string().check(z.regex(/^[a-z0-9][a-z0-9 ]*$/, 'expected a lower-case name of letters, digits and spaces')))
  .check(z.minLength(1));

export const protocolSchema = z.strictObject({
  /** changes whenever any value changes; stored with every decision */
  version: z.string().check(z.minLength(1)),
  /** who approved this version for the clinic (its medical director); a clinic's override must name them */
  approvedBy: z.optional(z.string().check(z.minLength(1))),
  /** when (YYYY-MM-DD) */
  approvedOn: z.optional(z.iso.date()),
  eligibility: z.strictObject({
    minimumAgeYears: z.number().check(z.int(), z.positive()),
    /** an older age at enrolment is taken for a typing slip in the date of birth and refused by the staff API */
    maximumPlausibleAgeYears: z.number().check(z.int(), z.positive()),
    /** enrolment needs PHQ-9 >= this OR GAD-7 >= the next one */
    minimumPhq9: score,
    minimumGad7: score,
    minimumPriorTreatments: z.number().check(z.int(), z.nonnegative()),
    absoluteExclusions: z.array(z.enum(absoluteExclusionConditions)),
    /** any history of mania or hypomania */
    maniaOrHypomaniaHistory: z.enum(screeningSeverities),
    /** pregnant now, planning to be, or breastfeeding (asked of patients who can become pregnant) */
    pregnancyNowPlannedOrBreastfeeding: z.enum(screeningSeverities),
    dast10Exclusion: score,
    dast10ReviewFrom: score,
    restingBpExclusion: bloodPressure,
    restingBpReview: bloodPressure,
    phq9Item9ReviewAbove: score,
    /** C-SSRS: a "low" result (no method, intent, plan or behaviour) with active thoughts (question 2) is reviewed */
    cssrsLowWithActiveThoughtsReview: z.boolean(),
    auditCReview: z.strictObject({ male: score, female: score }),
    relativeConditions: z.array(z.enum(relativeReviewConditions)),
    reviewMedicationClasses: z.array(z.enum(reviewMedicationClasses)),
    /** a medication whose name the protocol's table does not know goes to the clinician */
    unrecognisedMedicationReview: z.literal(true),
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
    /** a hypertensive crisis: never dose; with a crisis symptom it is an emergency, without one a recheck */
    bpCrisisAtOrAbove: bloodPressure,
    /** with a reading at the crisis threshold, any of these is an emergency (signs of organ damage) */
    bpCrisisSymptoms: z.array(z.enum(redFlagSymptoms)),
    /** a crisis reading without symptoms is measured again after this many minutes of rest */
    bpRecheckAfterMinutes: z.number().check(z.int(), z.positive()),
    /** these send the patient to emergency care whatever the blood pressure */
    emergencySymptoms: z.array(z.enum(redFlagSymptoms)),
    /** patients who can become pregnant are asked at every check-in; "yes" postpones the session */
    askPregnancyAtEachCheckIn: z.literal(true),
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
    /** per-session dose limit by the weight recorded at intake */
    maxMgPerKg: z.number().check(z.positive()),
    /** the dose of a patient's first approved plan (their first dose) */
    firstDoseMaxMg: z.number().check(z.positive()),
    route: z.literal('sublingual'),
  }),
  /** what a clinician must have on record before prescribing (plan approval and every refill) */
  prescribing: z.strictObject({
    /** a prescription drug monitoring program check within this many days (1 for states that require 24 h) */
    pdmpCheckWithinDays: days,
    /** after the telehealth cut-off, whose in-person evaluation counts */
    inPersonEvaluationBy: z.enum(inPersonEvaluators),
  }),
  supply: z.strictObject({ maxDaysPerFill: z.number().check(z.int(), z.positive()) }),
  /** after induction every dose runs the session flow; the plan sets the cadence within this range */
  maintenance: z.strictObject({
    minDaysBetweenDoses: days,
    maxDaysBetweenDoses: days,
    /** a fill never supplies more doses than this, whatever the plan's supply period and cadence */
    maxDosesPerFill: z.number().check(z.int(), z.positive()),
    /** the first dose of a fill is planned no sooner than this many hours after the fill (delivery) */
    firstDoseHoursAfterFill: hours,
  }),
  refill: z.strictObject({
    minimumDaysSinceLastFill: days,
    maxRefills: z.number().check(z.int(), z.nonnegative()),
    maxMonthsFromPrescription: z.number().check(z.int(), z.positive()),
    assessmentWithinDays: days,
    bladderCheckWithinDays: days,
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
  afterSession: z.strictObject({
    /** the patient confirms recovery within this many minutes of the session hour's end, or the adult is asked to stay and the clinician is alerted */
    recoveryConfirmWithinMinutes: z.number().check(z.int(), z.positive()),
    /** after the patient is asked to keep the adult there, how many minutes until the clinician is alerted */
    clinicianAlertMinutesAfterRecoveryReminder: z.number().check(z.int(), z.positive()),
    /** how long the recovery check's link stays open after the clinician is alerted */
    recoveryLinkValidHours: hours,
    /** when the clinician contacts the patient after the first dose: from this many days ... */
    firstDoseCheckInFromDays: days,
    /** ... to this many */
    firstDoseCheckInToDays: days,
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
  /** the one triage of every questionnaire, at intake and after (assessments, refill requests) */
  questionnaires: z.strictObject({
    /** PHQ-9 item 9 above this alerts the clinician the same day */
    phq9Item9AlertAbove: score,
    /** a rise of at least this many points from the previous questionnaire goes to clinician review */
    riseForReview: z.strictObject({ phq9: score.check(z.positive()), gad7: score.check(z.positive()) }),
    /** a move into the band starting here goes to clinician review */
    severeFrom: z.strictObject({ phq9: score, gad7: score }),
  }),
  /**
   * Names (generic and brand, lower case) matched against what the patient types. Each interacting class
   * lists its own; `recognisedNonInteracting` are names known not to interact. Any other name goes to the
   * clinician: an unrecognised medication never passes silently.
   */
  medications: z.strictObject({
    interacting: z.strictObject({
      benzodiazepine: medicationNames,
      stimulant: medicationNames,
      maoi: medicationNames,
      opioid: medicationNames,
      'other-cns-depressant': medicationNames,
    }),
    recognisedNonInteracting: medicationNames,
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
  version: '2026-12-default-3',
  eligibility: {
    minimumAgeYears: 18,
    maximumPlausibleAgeYears: 110,
    minimumPhq9: 10,
    minimumGad7: 10,
    minimumPriorTreatments: 1,
    absoluteExclusions: [...absoluteExclusionConditions],
    maniaOrHypomaniaHistory: 'review',
    pregnancyNowPlannedOrBreastfeeding: 'review',
    dast10Exclusion: 6,
    dast10ReviewFrom: 3,
    restingBpExclusion: { systolic: 160, diastolic: 100 },
    restingBpReview: { systolic: 140, diastolic: 90 },
    phq9Item9ReviewAbove: 0,
    cssrsLowWithActiveThoughtsReview: true,
    auditCReview: { male: 4, female: 3 },
    relativeConditions: [...relativeReviewConditions],
    reviewMedicationClasses: [...reviewMedicationClasses],
    unrecognisedMedicationReview: true,
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
    bpCrisisAtOrAbove: { systolic: 180, diastolic: 120 },
    bpCrisisSymptoms: [...redFlagSymptoms],
    bpRecheckAfterMinutes: 5,
    emergencySymptoms: [
      'chest-pain',
      'breathing-difficulty',
      'numbness-or-weakness',
      'vision-change',
      'trouble-speaking',
      'severe-headache',
    ],
    askPregnancyAtEachCheckIn: true,
    postponeStepHours: 24,
  },
  journal: {
    promptMinutesAfterStart: 60,
    nudgeHoursAfterPrompt: 12,
    clinicianAlertHoursAfterPrompt: 48,
    blocksNextSession: true,
  },
  dose: { maxSublingualMg: 450, maxMgPerKg: 7, firstDoseMaxMg: 300, route: 'sublingual' },
  prescribing: { pdmpCheckWithinDays: 7, inPersonEvaluationBy: 'prescribing-clinician' },
  supply: { maxDaysPerFill: 30 },
  maintenance: { minDaysBetweenDoses: 7, maxDaysBetweenDoses: 28, maxDosesPerFill: 4, firstDoseHoursAfterFill: 48 },
  refill: {
    minimumDaysSinceLastFill: 28,
    maxRefills: 5,
    maxMonthsFromPrescription: 6,
    assessmentWithinDays: 7,
    bladderCheckWithinDays: 7,
    clinicianCheckInAfterDaysWithoutSession: 90,
    replaceLostMedicationEarly: false,
    windowOpensDaysBeforeDue: 3,
    requestOpenDaysAfterDue: 7,
  },
  followUp: { responseMinimumFallPercent: 50, remissionBelow: 5, remissionBaselineAtLeast: 10 },
  afterSession: {
    recoveryConfirmWithinMinutes: 30,
    clinicianAlertMinutesAfterRecoveryReminder: 1,
    recoveryLinkValidHours: 12,
    firstDoseCheckInFromDays: 1,
    firstDoseCheckInToDays: 2,
  },
  telehealth: { prescribingValidUntil: '2026-12-31' },
  approvals: {
    linkValidHours: 72,
    reminderAfterHours: 24,
    backupClinicianAfterHours: 48,
    stoppedTreatmentAskAgainAfterDays: 7,
  },
  // a clinician away for a long weekend still finds out which patient an alert was about
  alerts: { linkValidHours: 7 * 24 },
  patientLinks: {
    validHours: 72,
    intakeReminderEveryHours: 24,
    intakeMaxReminders: 3,
    clinicianAlertAfterReminderIntervals: 2,
  },
  triage: {
    alwaysAdverseEventSymptoms: [...alwaysAdverseEventSymptoms],
    adverseEventAtSeverity: 'severe',
    monitorAtSeverity: 'moderate',
    // frequency or urgency can be the first sign of ketamine cystitis
    monitorAtAnySeverity: ['urinary-symptoms'],
  },
  questionnaires: {
    phq9Item9AlertAbove: 0,
    riseForReview: { phq9: 5, gad7: 5 },
    severeFrom: { phq9: 20, gad7: 15 },
  },
  medications: {
    interacting: {
      benzodiazepine: [
        'alprazolam',
        'xanax',
        'niravam',
        'clonazepam',
        'klonopin',
        'diazepam',
        'valium',
        'valtoco',
        'diastat',
        'lorazepam',
        'ativan',
        'loreev',
        'chlordiazepoxide',
        'librium',
        'clorazepate',
        'tranxene',
        'temazepam',
        'restoril',
        'triazolam',
        'halcion',
        'oxazepam',
        'estazolam',
        'flurazepam',
        'quazepam',
        'doral',
        'midazolam',
        'nayzilam',
        'clobazam',
        'onfi',
        'sympazan',
        'remimazolam',
        'byfavo',
      ],
      stimulant: [
        'amphetamine',
        'dextroamphetamine',
        'adderall',
        'mydayis',
        'evekeo',
        'adzenys',
        'dyanavel',
        'dexedrine',
        'zenzedi',
        'procentra',
        'xelstrym',
        'lisdexamfetamine',
        'vyvanse',
        'methamphetamine',
        'desoxyn',
        'methylphenidate',
        'ritalin',
        'concerta',
        'metadate',
        'methylin',
        'quillichew',
        'cotempla',
        'jornay',
        'aptensio',
        'daytrana',
        'relexxii',
        'dexmethylphenidate',
        'focalin',
        'serdexmethylphenidate',
        'azstarys',
        'modafinil',
        'provigil',
        'armodafinil',
        'nuvigil',
        'solriamfetol',
        'sunosi',
        'phentermine',
        'adipex',
        'lomaira',
        'qsymia',
      ],
      maoi: [
        'phenelzine',
        'nardil',
        'tranylcypromine',
        'parnate',
        'isocarboxazid',
        'marplan',
        'selegiline',
        'emsam',
        'eldepryl',
        'zelapar',
        'rasagiline',
        'azilect',
        'safinamide',
        'xadago',
        'moclobemide',
        'linezolid',
        'zyvox',
        'methylene blue',
      ],
      opioid: [
        'morphine',
        'ms contin',
        'kadian',
        'oxycodone',
        'oxycontin',
        'roxicodone',
        'percocet',
        'endocet',
        'xtampza',
        'roxybond',
        'hydrocodone',
        'vicodin',
        'norco',
        'lortab',
        'hysingla',
        'zohydro',
        'hydromorphone',
        'dilaudid',
        'oxymorphone',
        'opana',
        'fentanyl',
        'duragesic',
        'actiq',
        'fentora',
        'subsys',
        'methadone',
        'dolophine',
        'methadose',
        'buprenorphine',
        'suboxone',
        'subutex',
        'zubsolv',
        'sublocade',
        'butrans',
        'belbuca',
        'brixadi',
        'tramadol',
        'ultram',
        'conzip',
        'tapentadol',
        'nucynta',
        'codeine',
        'tylenol 3',
        'tylenol 4',
        'meperidine',
        'demerol',
        'levorphanol',
        'pentazocine',
        'butorphanol',
        'nalbuphine',
        'oliceridine',
        'olinvyo',
        'dihydrocodeine',
        'kratom',
      ],
      'other-cns-depressant': [
        'zolpidem',
        'ambien',
        'edluar',
        'zaleplon',
        'sonata',
        'eszopiclone',
        'lunesta',
        'phenobarbital',
        'butalbital',
        'fioricet',
        'fiorinal',
        'secobarbital',
        'seconal',
        'gabapentin',
        'neurontin',
        'gralise',
        'horizant',
        'pregabalin',
        'lyrica',
        'carisoprodol',
        'soma',
        'cyclobenzaprine',
        'flexeril',
        'amrix',
        'baclofen',
        'lioresal',
        'ozobax',
        'tizanidine',
        'zanaflex',
        'methocarbamol',
        'robaxin',
        'metaxalone',
        'skelaxin',
        'sodium oxybate',
        'oxybate',
        'xyrem',
        'xywav',
        'lumryz',
        'hydroxyzine',
        'vistaril',
        'atarax',
        'diphenhydramine',
        'benadryl',
        'doxylamine',
        'unisom',
        'promethazine',
        'phenergan',
        'tylenol pm',
        'advil pm',
        'zzzquil',
        'nyquil',
      ],
    },
    recognisedNonInteracting: [
      'sertraline',
      'zoloft',
      'fluoxetine',
      'prozac',
      'escitalopram',
      'lexapro',
      'citalopram',
      'celexa',
      'paroxetine',
      'paxil',
      'fluvoxamine',
      'venlafaxine',
      'effexor',
      'desvenlafaxine',
      'pristiq',
      'duloxetine',
      'cymbalta',
      'vilazodone',
      'viibryd',
      'vortioxetine',
      'trintellix',
      'bupropion',
      'wellbutrin',
      'mirtazapine',
      'remeron',
      'levothyroxine',
      'synthroid',
      'levoxyl',
      'unithroid',
      'liothyronine',
      'cytomel',
      'lisinopril',
      'losartan',
      'amlodipine',
      'metformin',
      'atorvastatin',
      'lipitor',
      'rosuvastatin',
      'crestor',
      'simvastatin',
      'omeprazole',
      'prilosec',
      'pantoprazole',
      'protonix',
      'famotidine',
      'pepcid',
      'loratadine',
      'claritin',
      'cetirizine',
      'zyrtec',
      'fexofenadine',
      'allegra',
      'ibuprofen',
      'advil',
      'motrin',
      'naproxen',
      'aleve',
      'acetaminophen',
      'paracetamol',
      'tylenol',
      'vitamin d',
      'multivitamin',
      'fish oil',
      'magnesium',
      'iron',
      'birth control',
      'oral contraceptive',
    ],
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

/**
 * A clinic's overrides: any subset of the protocol, always a version of its own, and who approved that
 * version and when (a clinic's config must say; see `resolveProtocol`'s `requireApproval`).
 */
export type ProtocolOverrides = { version: string; approvedBy?: string; approvedOn?: string } & DeepPartial<
  Omit<Protocol, 'version' | 'approvedBy' | 'approvedOn'>
>;
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface ResolveOptions {
  /**
   * A clinic's version must name who approved it and when (`approvedBy`, `approvedOn`): the clinic config
   * (read at synth and by the local runtime) asks for this, so no deployment runs an unsigned version.
   */
  readonly requireApproval?: boolean;
}

const versionFields = new Set(['version', 'approvedBy', 'approvedOn']);

/**
 * The protocol in force: the defaults with the clinic's overrides laid over them, validated as a whole.
 * Overrides must name a version different from the defaults', so no decision can ever record a version
 * whose values it did not use. Arrays replace, objects merge.
 */
export function resolveProtocol(overrides?: unknown, options: ResolveOptions = {}): Protocol {
  if (overrides === undefined || overrides === null) return defaultProtocol;
  if (!isPlainObject(overrides)) throw new InvalidProtocol('protocol overrides must be an object');
  const version = overrides['version'];
  if (typeof version !== 'string' || version.length === 0) {
    throw new InvalidProtocol('protocol overrides must set "version" to a name of their own');
  }
  if (version === defaultProtocol.version && Object.keys(overrides).some((key) => !versionFields.has(key))) {
    throw new InvalidProtocol(
      `protocol overrides change values, so "version" must differ from the default "${defaultProtocol.version}"`,
    );
  }
  if (options.requireApproval === true) {
    const missing = ['approvedBy', 'approvedOn'].filter(
      (field) => typeof overrides[field] !== 'string' || overrides[field] === '',
    );
    if (missing.length > 0) {
      throw new InvalidProtocol(
        `protocol version "${version}" must name who approved it and when: ${missing.map((field) => `"${field}"`).join(' and ')} missing (e.g. "approvedBy": "Dr. A. Rivera, medical director", "approvedOn": "2026-01-15")`,
      );
    }
  }
  const merged = mergeDeep(defaultProtocol, overrides);
  const parsed = protocolSchema.safeParse(merged, { error: issueMessage });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidProtocol(`protocol overrides are invalid: ${problems.join('; ')}`);
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
