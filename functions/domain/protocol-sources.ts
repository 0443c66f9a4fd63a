import type { Protocol } from './protocol.ts';

/**
 * Where every protocol value comes from, so the clinic's medical director can see what each default rests
 * on before approving a version (`npm run protocol:doc` writes the table, docs/protocol.md).
 *
 * - regulation: a law or rule the clinic must follow (21 CFR 1306.22, the DEA telemedicine rule);
 * - evidence: a published instrument, study or drug label that gives this value;
 * - clinical-judgement: no source fixes the value; it is a reasoned default for the director to confirm.
 *   Operational values (link lifetimes, reminder times) are clinical judgement too.
 *
 * The defaults are a starting point for the medical director, not medical advice. Where a value is
 * judgement the citation says so rather than borrowing a source that does not give it.
 */

export const sourceKinds = ['regulation', 'evidence', 'clinical-judgement'] as const;
export type SourceKind = (typeof sourceKinds)[number];

export interface ValueSource {
  readonly kind: SourceKind;
  readonly citation: string;
  /** one line: why this value */
  readonly reason: string;
}

const HULL_2022 =
  'Hull TD et al. 2022, "At-home, sublingual ketamine telehealth is a safe and effective treatment for moderate to severe anxiety and depression", J Affect Disord 314:59-67';
const SPRAVATO = 'Spravato (esketamine) US prescribing information';
const SPRAVATO_REMS = 'Spravato REMS';
const PHQ9 = 'Kroenke K, Spitzer RL, Williams JBW 2001, "The PHQ-9", J Gen Intern Med 16:606-613';
const GAD7 =
  'Spitzer RL et al. 2006, "A brief measure for assessing generalized anxiety disorder: the GAD-7", Arch Intern Med 166:1092-1097';
const CSSRS = 'C-SSRS screen version and its triage (Columbia Lighthouse Project)';
const AHA_CRISIS =
  'American Heart Association, "Hypertensive crisis: when you should call 911 for high blood pressure"';
const JUDGEMENT = 'none: clinical judgement';

const judgement = (reason: string, context?: string): ValueSource => ({
  kind: 'clinical-judgement',
  citation: context === undefined ? JUDGEMENT : `${JUDGEMENT} (${context})`,
  reason,
});
const evidence = (citation: string, reason: string): ValueSource => ({ kind: 'evidence', citation, reason });
const regulation = (citation: string, reason: string): ValueSource => ({ kind: 'regulation', citation, reason });

/**
 * Keyed by the value's path in the protocol. A source may stand on a value object whose parts go together
 * (a blood pressure's systolic and diastolic, a pair of sex-specific cut-offs).
 */
export const protocolSources: Readonly<Record<string, ValueSource>> = {
  'eligibility.minimumAgeYears': evidence(
    `${SPRAVATO}, 1 and 8.4 (adults only); ${HULL_2022} (adults)`,
    'safety in people under 18 is not established',
  ),
  'eligibility.maximumPlausibleAgeYears': judgement(
    'a date of birth giving an older age is far likelier a typing slip (1925 for 1995) than a patient; refused at enrolment, to be checked and sent again',
    'data entry, not eligibility',
  ),
  'eligibility.minimumPhq9': evidence(
    `${HULL_2022}; ${PHQ9} (10 is "moderate")`,
    'the study treated moderate to severe depression',
  ),
  'eligibility.minimumGad7': evidence(
    `${HULL_2022}; ${GAD7} (10 is "moderate")`,
    'the study treated moderate to severe anxiety',
  ),
  'eligibility.minimumPriorTreatments': judgement(
    'ketamine is offered after standard treatment has not given enough relief',
    "providers' public eligibility pages say the same",
  ),
  'eligibility.absoluteExclusions': evidence(
    `${SPRAVATO}, 4 (aneurysmal vascular disease, arteriovenous malformation, intracerebral haemorrhage, hypersensitivity); the other conditions are the usual exclusions of published at-home programmes (clinical judgement)`,
    'conditions where a dose can cause serious harm at home without clinical monitoring',
  ),
  'eligibility.maniaOrHypomaniaHistory': evidence(
    `${HULL_2022} (excluded any history of mania)`,
    'ketamine can precipitate mania; review lets the clinician weigh it, "exclusion" follows the study exactly',
  ),
  'eligibility.pregnancyNowPlannedOrBreastfeeding': evidence(
    `${SPRAVATO}, 8.1 and 8.2`,
    'ketamine may cause fetal harm and passes into breast milk: treatment waits for the clinician',
  ),
  'eligibility.dast10Exclusion': evidence(
    'DAST-10 scoring guide (Skinner HA 1982, Addict Behav 7:363-371): 6-8 substantial, 9-10 severe',
    'a substantial drug problem makes unsupervised doses of a controlled drug unsafe',
  ),
  'eligibility.dast10ReviewFrom': evidence(
    'DAST-10 scoring guide: 3-5 moderate',
    'a moderate drug problem is for the clinician to weigh',
  ),
  'eligibility.restingBpExclusion': judgement(
    'a resting pressure this high leaves no room for the rise ketamine causes',
    `${SPRAVATO}, 5.6 (blood pressure increases)`,
  ),
  'eligibility.restingBpReview': evidence(
    `${SPRAVATO}, 5.6 (consider the risk when baseline BP is above 140/90)`,
    'ketamine raises blood pressure for about two hours; the protocol reviews from 140/90 inclusive',
  ),
  'eligibility.phq9Item9ReviewAbove': evidence(
    `${PHQ9} and its instruction manual`,
    'any positive answer to item 9 needs a suicide risk assessment',
  ),
  'eligibility.cssrsLowWithActiveThoughtsReview': evidence(
    CSSRS,
    'a "yes" to question 2 (active suicidal thoughts) calls for a mental health review even without method, intent or plan',
  ),
  'eligibility.auditCReview': evidence(
    'AUDIT-C scoring guide (Bush K et al. 1998, Arch Intern Med 158:1789-1795; Bradley KA et al. 2007, Alcohol Clin Exp Res 31:1208-1217): positive at 4 for men, 3 for women',
    "alcohol adds to ketamine's sedation",
  ),
  'eligibility.relativeConditions': judgement(
    'each raises a known ketamine risk (blood pressure, seizures, cystitis, psychosis, breathing during sedation) that a clinician can weigh',
    `${SPRAVATO}, 5.6 and 5.8 for blood pressure and cystitis; sleep apnoea and lung disease because sessions are not clinically monitored`,
  ),
  'eligibility.reviewMedicationClasses': evidence(
    `${SPRAVATO}, 7 (CNS depressants such as benzodiazepines and opioids, psychostimulants, MAOIs)`,
    'these raise sedation, blood pressure or both',
  ),
  'eligibility.unrecognisedMedicationReview': judgement(
    'a name the table does not know may be an interacting drug: the clinician reads it',
  ),
  'eligibility.cssrsIdeationLookbackMonths': evidence(
    `${CSSRS}: questions 1-5 ask about the past month`,
    'intent or a plan in the past month is high risk',
  ),
  'eligibility.cssrsBehaviourLookbackMonths': evidence(
    `${CSSRS}: behaviour in the past 3 months is high risk`,
    'recent suicidal behaviour is high risk',
  ),
  'bands.gad7': evidence(GAD7, 'the published severity bands'),
  'bands.phq9': evidence(PHQ9, 'the published severity bands'),
  'bands.dast10': evidence('DAST-10 scoring guide (Skinner HA 1982)', 'the published severity bands'),
  'induction.sessionCount': evidence(`${HULL_2022} (four sessions over four weeks)`, 'the regimen the study measured'),
  'induction.minimumHoursBetweenSessions': judgement(
    'leaves time to recover and to read the journal before the next dose',
  ),
  'induction.defaultDaysBetweenSessions': judgement("weekly sessions fit the study's four weeks", HULL_2022),
  'induction.assessmentAfterSessions': judgement('a mid-point and an end-of-induction measurement of PHQ-9 and GAD-7'),
  'induction.maxMissedCheckIns': judgement(
    'three missed check-ins in a row say more than a busy day: the clinician reaches out before more links are sent',
  ),
  'induction.sessionDurationMinutes': judgement(
    'the session hour of published at-home programmes',
    "providers' public pages describe an hour with eyeshades and music",
  ),
  'checkIn.opensHoursBefore': judgement('operational: close enough to the dose to describe the patient that day'),
  'checkIn.closesHoursAfter': judgement("operational: a late start is still the same day's session"),
  'checkIn.minimumFastingHours': judgement(
    'reduces nausea and vomiting during the session',
    `${SPRAVATO}, 2 advises no food for 2 hours before; 4 hours is stricter`,
  ),
  'checkIn.alcoholOrCannabisFreeHours': judgement(
    'alcohol and cannabis add to sedation and dissociation',
    `${SPRAVATO}, 7 (CNS depressants)`,
  ),
  'checkIn.benzodiazepineFreeHours': judgement(
    'benzodiazepines add to sedation and may blunt the effect',
    `${SPRAVATO}, 7 (CNS depressants)`,
  ),
  'checkIn.requiredBpReadings': evidence(
    'American Heart Association home blood pressure monitoring guidance (two or more readings a minute apart)',
    'one reading can mislead',
  ),
  'checkIn.postponeAtOrAbove': evidence(
    `${SPRAVATO}, 5.6 (140/90)`,
    'ketamine raises blood pressure; a dose waits for a normal reading',
  ),
  'checkIn.bpCrisisAtOrAbove': evidence(AHA_CRISIS, '180/120 or higher is a hypertensive crisis: never dose'),
  'checkIn.bpCrisisSymptoms': evidence(
    `${AHA_CRISIS} (chest pain, shortness of breath, back pain, numbness or weakness, change in vision, difficulty speaking); severe headache added by clinical judgement`,
    'with a crisis reading these are signs of organ damage: emergency care',
  ),
  'checkIn.bpRecheckAfterMinutes': evidence(
    `${AHA_CRISIS} (without symptoms, wait five minutes and measure again)`,
    'a single high reading is often lower after rest',
  ),
  'checkIn.emergencySymptoms': judgement(
    'warning signs of a heart attack or stroke need emergency care whatever the reading',
    AHA_CRISIS,
  ),
  'checkIn.askPregnancyAtEachCheckIn': evidence(
    `${SPRAVATO}, 8.1 and 8.2`,
    'pregnancy can begin during treatment; each dose is asked about again',
  ),
  'checkIn.postponeStepHours': judgement('operational: a postponed session is offered at the same time the next day'),
  'journal.promptMinutesAfterStart': judgement(
    'at the end of the session hour',
    "providers' public pages: a journal after the hour",
  ),
  'journal.nudgeHoursAfterPrompt': judgement('operational reminder'),
  'journal.clinicianAlertHoursAfterPrompt': judgement(
    'a journal still missing after two days may mean something went wrong',
  ),
  'journal.blocksNextSession': judgement('the clinician reads how the last dose went before the next'),
  'dose.maxSublingualMg': judgement(
    'the upper fixed dose of published at-home sublingual programmes; the medical director confirms it',
  ),
  'dose.maxMgPerKg': judgement(
    'a fixed dose is a much larger dose for a light patient (450 mg is 9 mg/kg at 50 kg)',
    'Andrade C 2019, "Oral ketamine for depression, 2: practical considerations", J Clin Psychiatry, reports oral doses of 0.25-7 mg/kg',
  ),
  'dose.firstDoseMaxMg': judgement("the first dose starts low until the patient's response is known"),
  'dose.route': evidence(HULL_2022, 'the route the study measured'),
  'prescribing.pdmpCheckWithinDays': regulation(
    'state prescription drug monitoring program mandates (they vary: some require a check within 24 hours of prescribing)',
    'a recent PDMP check before any prescription of a controlled drug',
  ),
  'prescribing.inPersonEvaluationBy': regulation(
    '21 U.S.C. 829(e) (Ryan Haight Act): an in-person medical evaluation by the prescribing practitioner',
    "after the telehealth flexibilities end, the prescriber's own evaluation counts",
  ),
  'maintenance.minDaysBetweenDoses': judgement(
    "a maintenance dose at most weekly, the induction's own cadence; the plan chooses within the range",
  ),
  'maintenance.maxDaysBetweenDoses': judgement(
    'beyond four weeks between doses the plan is no longer maintenance but a pause; the clinician writes a new plan',
  ),
  'maintenance.maxDosesPerFill': judgement(
    "a month's supply at the weekly maximum: four doses; limits what could be misused or lost",
  ),
  'maintenance.firstDoseHoursAfterFill': judgement(
    'operational: time for the pharmacy to deliver before the first dose of a fill is planned',
  ),
  'supply.maxDaysPerFill': judgement(
    'a month at a time limits what could be misused or lost',
    "providers' public pages: one month at a time",
  ),
  'refill.minimumDaysSinceLastFill': judgement('a 30-day supply is not refilled more than two days early'),
  'refill.maxRefills': regulation('21 CFR 1306.22 (Schedule III-V: at most five refills)', 'ketamine is Schedule III'),
  'refill.maxMonthsFromPrescription': regulation(
    '21 CFR 1306.22 (Schedule III-V: refills within six months of issue)',
    'ketamine is Schedule III',
  ),
  'refill.assessmentWithinDays': judgement('each refill rests on how the patient is now'),
  'refill.bladderCheckWithinDays': judgement('ketamine cystitis is found by asking', `${SPRAVATO}, 5.8`),
  'refill.clinicianCheckInAfterDaysWithoutSession': judgement(
    'three months without contact needs a clinician before more medication',
  ),
  'refill.replaceLostMedicationEarly': judgement('early replacement is a known diversion route', SPRAVATO_REMS),
  'refill.windowOpensDaysBeforeDue': judgement('operational reminder'),
  'refill.requestOpenDaysAfterDue': judgement('operational: a patient who waits for the due day keeps the refill'),
  'followUp.responseMinimumFallPercent': evidence(
    `${HULL_2022} (response: a fall of 50 % or more)`,
    'the usual definition of response',
  ),
  'followUp.remissionBelow': evidence(`${PHQ9}; ${HULL_2022}`, 'a score below 5 is "minimal"'),
  'followUp.remissionBaselineAtLeast': judgement('remission is counted only from at least moderate symptoms'),
  'afterSession.recoveryConfirmWithinMinutes': judgement(
    'the monitor stays until the patient says they have recovered; half an hour past the session hour is time enough to notice one who has not',
    'ASA and ASKP3 statements on monitoring after ketamine',
  ),
  'afterSession.clinicianAlertMinutesAfterRecoveryReminder': judgement(
    'operational: the patient is asked to keep the adult there first, and the clinician hears of it straight after',
  ),
  'afterSession.recoveryLinkValidHours': judgement(
    'operational: the check stays answerable through the evening after a session',
  ),
  'afterSession.firstDoseCheckInFromDays': evidence(
    HULL_2022,
    "the study's clinicians contacted patients 1 to 2 days after the first dose",
  ),
  'afterSession.firstDoseCheckInToDays': evidence(
    HULL_2022,
    "the study's clinicians contacted patients 1 to 2 days after the first dose",
  ),
  'telehealth.prescribingValidUntil': regulation(
    'DEA and HHS telemedicine flexibilities, extended by 90 FR 61301 through 2026-12-31',
    'after it, an in-person evaluation must be on record',
  ),
  'approvals.linkValidHours': judgement('operational: an unanswered approval expires as "not approved"'),
  'approvals.reminderAfterHours': judgement('operational reminder'),
  'approvals.backupClinicianAfterHours': judgement('operational: the backup clinician decides when the first is away'),
  'approvals.stoppedTreatmentAskAgainAfterDays': judgement(
    'operational: no dose is given while a hold or missed check-ins wait on the clinician, so a weekly question keeps them informed without burying them in mail',
  ),
  'alerts.linkValidHours': judgement(
    'operational: a clinician away for a long weekend still finds out which patient an alert was about',
  ),
  'patientLinks.validHours': judgement('operational'),
  'patientLinks.intakeReminderEveryHours': judgement('operational reminder'),
  'patientLinks.intakeMaxReminders': judgement('operational: enough reminders without pestering'),
  'patientLinks.clinicianAlertAfterReminderIntervals': judgement('an unanswered form is brought to the clinician'),
  'triage.alwaysAdverseEventSymptoms': evidence(
    `${SPRAVATO} (boxed warning, 5.1-5.8) and ${SPRAVATO_REMS} materials`,
    "warning signs of ketamine's known harms hold the patient at any severity",
  ),
  'triage.adverseEventAtSeverity': judgement('a severe side effect stops dosing until the clinician reviews'),
  'triage.monitorAtSeverity': judgement('a moderate side effect is for the clinician to watch'),
  'triage.monitorAtAnySeverity': evidence(
    `${SPRAVATO}, 5.8 (ulcerative or interstitial cystitis)`,
    'urinary symptoms can be the first sign of ketamine cystitis',
  ),
  'questionnaires.phq9Item9AlertAbove': evidence(
    `${PHQ9} and its instruction manual`,
    'any thought of self-harm reaches the clinician the same day',
  ),
  'questionnaires.riseForReview.phq9': evidence(
    'Löwe B et al. 2004, "Monitoring depression treatment outcomes with the PHQ-9", Med Care 42:1194-1201 (5 points is a clinically significant change)',
    'a clinically significant worsening',
  ),
  'questionnaires.riseForReview.gad7': judgement('the same size as for the PHQ-9'),
  'questionnaires.severeFrom': evidence(`${PHQ9} (20 severe); ${GAD7} (15 severe)`, 'a move into the severe band'),
  'medications.interacting': evidence(
    `${SPRAVATO}, 7 for the classes; generic and US brand names from their FDA labels`,
    "the names patients type; the list is the medical director's to extend",
  ),
  'medications.recognisedNonInteracting': judgement(
    'common medications known not to interact, so they need no review; anything else is reviewed',
  ),
  'reminders.consultHoursBefore': judgement('operational reminders'),
  'reminders.followUpHoursBefore': judgement('operational reminders'),
  'reminders.sessionPrepDaysBefore': judgement('the patient prepares (monitor, fasting, no driving) the day before'),
  'reminders.sessionPrepLocalTime': judgement('operational: early evening'),
  'reminders.quietHoursStart': judgement('operational: no email at night'),
  'reminders.quietHoursEnd': judgement('operational: no email at night'),
};

/** Fields about the version itself, not values a rule uses. */
const versionFields = new Set(['version', 'approvedBy', 'approvedOn']);

/** Every value of a protocol, as "section.name" paths (objects are walked; arrays and scalars are values). */
export function protocolValuePaths(protocol: Protocol): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`);
    } else if (!versionFields.has(path)) {
      paths.push(path);
    }
  };
  walk(protocol, '');
  return paths;
}

/** The source of a value: its own, or that of the value object it belongs to (below a section). */
export function sourceOf(path: string): { readonly path: string; readonly source: ValueSource } | undefined {
  const parts = path.split('.');
  for (let length = parts.length; length >= 2; length--) {
    const key = parts.slice(0, length).join('.');
    const source = protocolSources[key];
    if (source !== undefined) return { path: key, source };
  }
  return undefined;
}

/** The value at a path (for the protocol table). */
export function valueAt(protocol: Protocol, path: string): unknown {
  let value: unknown = protocol;
  for (const part of path.split('.')) value = (value as Record<string, unknown>)[part];
  return value;
}
