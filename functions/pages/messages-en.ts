import type { RedFlagSymptom } from '../domain/schemas/check-in.ts';
import type { MedicalCondition } from '../domain/schemas/questionnaires.ts';
import type { SideEffectSeverity, SideEffectSymptom } from '../domain/schemas/side-effect-report.ts';

/**
 * Everything a patient reads, in English: page headings and text, buttons, form chrome and error
 * instructions, the answers' labels, crisis resources, status pages and emails. `messages-es.ts` has the
 * same keys in Spanish (the type makes a missing key a compile error; test/patient-language.test.ts
 * checks every key at run time too). Clinician pages and emails stay in English and are not here.
 *
 * `instruments` holds the published questionnaires' own wording (instructions, items, answer options).
 * A language may leave an instrument out: a validated questionnaire must be given in its official,
 * licensed translation, never one of ours, so the page shows the English original (marked `lang="en"`)
 * until the clinic adds the official text here.
 */
export interface InstrumentText {
  /** the instrument's own instruction, above its items */
  readonly instruction?: string;
  readonly items: readonly string[];
  /** one list for every item, or one list per item (AUDIT-C) */
  readonly options?: readonly string[] | readonly (readonly string[])[];
}

export type Instrument = 'gad7' | 'phq9' | 'cssrs' | 'auditC' | 'dast10';

/** Published item wording (short form) of the instruments the intake, assessments and refills ask. */
export const englishInstruments: Readonly<Record<Instrument, InstrumentText>> = {
  gad7: {
    instruction: 'Over the last 2 weeks, how often have you been bothered by the following?',
    items: [
      'Feeling nervous, anxious or on edge',
      'Not being able to stop or control worrying',
      'Worrying too much about different things',
      'Trouble relaxing',
      'Being so restless that it is hard to sit still',
      'Becoming easily annoyed or irritable',
      'Feeling afraid as if something awful might happen',
    ],
    options: ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'],
  },
  phq9: {
    instruction: 'Over the last 2 weeks, how often have you been bothered by the following?',
    items: [
      'Little interest or pleasure in doing things',
      'Feeling down, depressed, or hopeless',
      'Trouble falling or staying asleep, or sleeping too much',
      'Feeling tired or having little energy',
      'Poor appetite or overeating',
      'Feeling bad about yourself, or that you are a failure or have let yourself or your family down',
      'Trouble concentrating on things, such as reading or watching television',
      'Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless',
      'Thoughts that you would be better off dead, or of hurting yourself in some way',
    ],
    options: ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'],
  },
  cssrs: {
    instruction: 'In the past month:',
    items: [
      'Have you wished you were dead or wished you could go to sleep and not wake up?',
      'Have you actually had any thoughts of killing yourself?',
      'Have you been thinking about how you might do this?',
      'Have you had these thoughts and had some intention of acting on them?',
      'Have you started to work out or worked out the details of how to kill yourself, and do you intend to carry out this plan?',
      'Have you ever done anything, started to do anything, or prepared to do anything to end your life?',
    ],
  },
  auditC: {
    items: [
      'How often do you have a drink containing alcohol?',
      'How many standard drinks do you have on a typical day when you are drinking?',
      'How often do you have six or more drinks on one occasion?',
    ],
    options: [
      ['Never', 'Monthly or less', '2-4 times a month', '2-3 times a week', '4 or more times a week'],
      ['1 or 2', '3 or 4', '5 or 6', '7 to 9', '10 or more'],
      ['Never', 'Less than monthly', 'Monthly', 'Weekly', 'Daily or almost daily'],
    ],
  },
  dast10: {
    items: [
      'Have you used drugs other than those required for medical reasons?',
      'Do you use more than one drug at a time?',
      'Are you always able to stop using drugs when you want to?',
      'Have you had "blackouts" or "flashbacks" as a result of drug use?',
      'Do you ever feel bad or guilty about your drug use?',
      'Does your spouse (or parents) ever complain about your involvement with drugs?',
      'Have you neglected your family because of your use of drugs?',
      'Have you engaged in illegal activities in order to obtain drugs?',
      'Have you ever experienced withdrawal symptoms when you stopped taking drugs?',
      'Have you had medical problems as a result of your drug use?',
    ],
  },
};

export const en = {
  /** the value of <html lang> */
  htmlLang: 'en',
  /** the locale dates and times are written in ("Mon, Jun 1, 2026, 9:00 AM EDT") */
  dateLocale: 'en-US',

  titles: {
    intake: 'Your intake questionnaires',
    'check-in': 'Check in before your session',
    preparation: 'Preparing for your session',
    consult: 'Your video appointment',
    journal: 'Your session journal',
    assessment: 'A short check on how you are doing',
    'refill-request': 'Your monthly check-in',
    recovery: 'How are you now?',
  },

  form: {
    yes: 'Yes',
    no: 'No',
    choose: 'Choose…',
    atMostCharacters: (limit: string) => `At most ${limit} characters.`,
    problemHeading: 'There is a problem',
    chooseOne: 'choose one answer',
    numberFromTo: (min: number, max: number) => `enter a number from ${min} to ${max}`,
    numberAtLeast: (min: number) => `enter a number of ${min} or more`,
    number: 'enter a number',
    date: 'enter a date',
    dateTime: 'enter a date and a time',
    text: 'write an answer',
    tooLong: (limit: string, length: string | undefined) =>
      `shorten this to at most ${limit} characters${length === undefined ? '' : ` (it has ${length})`}. Nothing was saved, and your text is kept below`,
    /** a rule's own sentence has no translation: the person is asked to check the answer */
    checkThisAnswer: 'please check this answer',
    unreadable: 'One of the answers could not be read. Please check the form and send it again.',
    /** a rule refused the whole form for a reason it says only in English */
    formNotAccepted:
      'This form could not be accepted, and nothing was recorded. Please contact your clinic if this happens again.',
    tickAll: 'Tick all that apply; leave empty if none.',
    anyOfTheseNow: 'Do you have any of these right now?',
    closePage: 'You can close this page.',
    infoOnly: 'This page is for information; there is nothing to submit.',
  },

  /**
   * The answer rules' own sentences a patient may read (functions/links/answers/patient-answers.ts writes
   * the English ones from here), so a page in another language says them in that language.
   */
  rules: {
    sessionNotPlanned: 'this session is not planned; please contact your clinic',
    journalForNoSession: 'this journal is not for a known session',
    sideEffectsNoButMarked:
      'you answered No, but some side effects in the list are marked. Choose Yes to send them, or set them back to None',
    sideEffectsYesButNone:
      'you answered Yes: please mark how strong each side effect was, or write about it, or answer No',
  },

  questionnaires: {
    gad7Legend: 'How you have been feeling (GAD-7)',
    gad7Name: 'Anxiety questionnaire',
    phq9Legend: 'Your mood (PHQ-9)',
    phq9Name: 'Mood questionnaire',
    cssrsLegend: 'Thoughts of self-harm (C-SSRS screener)',
    cssrsName: 'Self-harm questions',
    cssrsBehaviourLastOn: 'If yes to question 6: when was the most recent time?',
    auditCLegend: 'Alcohol (AUDIT-C)',
    auditCName: 'Alcohol questions',
    dast10Legend: 'Drug use in the past 12 months (DAST-10)',
    dast10Name: 'Drug use questions',
    /** said above an instrument shown in English because no official translation is on file */
    originalLanguageNote: "These questions are shown in English, the questionnaire's original language.",
    question: (questionnaire: string, number: number, item: string) => `${questionnaire}, question ${number} (${item})`,
    bladderLegend: 'Bladder check (since your last check)',
    bladder: {
      frequency: 'Do you need to pass urine more often than usual?',
      urgency: 'Do you have sudden urges to pass urine?',
      painOnUrination: 'Is passing urine painful?',
      bloodInUrine: 'Have you seen blood in your urine?',
    },
  },

  instruments: englishInstruments as Partial<Record<Instrument, InstrumentText>>,

  /**
   * What patients read for each coded answer. Written out rather than made from the codes: "Maoi",
   * "Aneurysmal vascular disease avm or intracerebral haemorrhage" and "Chest pain" from "chest-pain" read
   * as a machine talking. Typed as complete records, so a new code cannot reach a form without its words.
   */
  labels: {
    conditions: {
      'ketamine-hypersensitivity': 'An allergy or a serious reaction to ketamine',
      'psychotic-disorder': 'A psychotic disorder, such as schizophrenia, now or in the past',
      'aneurysmal-vascular-disease-avm-or-intracerebral-haemorrhage':
        'An aneurysm, an arteriovenous malformation (AVM), or bleeding in the brain',
      'unstable-cardiovascular-disease':
        'Heart or blood vessel disease that is not under control (for example chest pain at rest, or a recent heart attack)',
      'raised-intracranial-or-intraocular-pressure':
        'Raised pressure inside the head or the eye (for example some kinds of glaucoma)',
      'severe-liver-disease': 'Severe liver disease, such as cirrhosis',
      'current-substance-dependence': 'Dependence on alcohol or drugs now',
      'past-ketamine-misuse': 'Using ketamine other than as prescribed, at any time',
      'opioid-use-disorder': 'Opioid use disorder (problems with opioid use), now or in the past',
      'controlled-cardiovascular-disease': 'Heart or blood vessel disease that is under control with treatment',
      seizures: 'Seizures or epilepsy',
      'untreated-thyroid-disease': 'A thyroid problem that is not being treated',
      'urinary-symptoms': 'Bladder or urinary problems (pain, urgency, going often, or blood in the urine)',
      'family-history-of-psychosis': 'A parent, brother, sister or child with a psychotic disorder',
      'sleep-apnoea': 'Sleep apnea (breathing stops during sleep)',
      'significant-lung-disease': 'Significant lung disease, such as COPD or severe asthma',
    } as Readonly<Record<MedicalCondition, string>>,
    redFlags: {
      'chest-pain': 'Chest pain',
      'breathing-difficulty': 'Shortness of breath or trouble breathing',
      'back-pain': 'Back pain',
      'numbness-or-weakness': 'Numbness or weakness',
      'vision-change': 'A change in your vision',
      'trouble-speaking': 'Trouble speaking',
      'severe-headache': 'A severe headache',
    } as Readonly<Record<RedFlagSymptom, string>>,
    priorTreatments: {
      medication: 'Medication',
      psychotherapy: 'Talking therapy (psychotherapy)',
      neuromodulation: 'Brain stimulation (such as TMS or ECT)',
      other: 'Something else',
    } as Readonly<Record<string, string>>,
    pregnancy: {
      yes: 'Yes',
      no: 'No',
      'cannot-become-pregnant': 'I cannot become pregnant',
    },
    sideEffects: {
      nausea: 'Nausea',
      vomiting: 'Vomiting',
      dizziness: 'Dizziness',
      headache: 'Headache',
      dissociation: 'Feeling detached or unreal (dissociation)',
      sedation: 'Drowsiness',
      confusion: 'Confusion',
      anxiety: 'Anxiety',
      palpitations: 'A racing or pounding heart',
      'blurred-vision': 'Blurred vision',
      'urinary-symptoms': 'Bladder or urinary problems (going often, urgency, pain)',
      'low-mood': 'Low mood',
      'suicidal-thoughts': 'Thoughts of harming or killing yourself',
      'chest-pain': 'Chest pain',
      'breathing-difficulty': 'Shortness of breath or trouble breathing',
      fainting: 'Fainting',
      'blood-in-urine': 'Blood in your urine',
      'severe-bladder-pain': 'Severe bladder pain',
      'hallucinations-beyond-session': 'Seeing or hearing things after the session ended',
      'signs-of-misuse': 'Taking more than prescribed, or wanting to',
    } as Readonly<Record<SideEffectSymptom, string>>,
    severities: { none: 'None', mild: 'Mild', moderate: 'Moderate', severe: 'Severe' } as Readonly<
      Record<SideEffectSeverity, string>
    >,
  },

  intake: {
    intro: 'Please answer every question. Your answers go only to your care team.',
    historyLegend: 'Medical history',
    conditionsQuestion: 'Do any of these apply to you?',
    mania:
      'Have you ever had a period of mania or hypomania (days of unusually high energy or mood, needing much less sleep, racing thoughts)?',
    maniaHint: 'However long ago.',
    priorName: (n: number) => `Earlier treatment ${n}: what was it?`,
    priorKind: (n: number) => `Earlier treatment ${n}: kind`,
    pregnancy: 'Are you pregnant now, planning to become pregnant, or breastfeeding?',
    medicationsLegend: 'Current medications',
    medicationsHint:
      'Write each name as it is on the label (for example "sertraline 50 mg"), including anything you take only sometimes.',
    medicationName: (n: number) => `Medication ${n}: name`,
    weight: 'Your weight in kilograms',
    weightHint: 'Your dose depends on it. Pounds divided by 2.2 is kilograms.',
    restingBp: 'Blood pressure at rest (sit quietly for 5 minutes first)',
    submit: 'Submit my answers',
    thanks: 'Thank you. Your answers have been sent to your care team.',
  },

  bloodPressure: {
    upper: (n: number) => `Reading ${n}: upper number (systolic, mmHg)`,
    lower: (n: number) => `Reading ${n}: lower number (diastolic, mmHg)`,
  },

  checkIn: {
    plannedFor: 'Your session is planned for',
    preparationHeading: 'Your preparation notes',
    monitor: 'Is an adult with you who will stay for the whole session?',
    fasting: 'How many hours since you last ate?',
    alcohol: 'How many hours since you last had alcohol or cannabis?',
    benzodiazepine: 'How many hours since you last took a sedative or sleeping tablet (benzodiazepine)?',
    noneInLastWeek: 'Leave empty if none in the last week.',
    stimulant: 'Have you taken a stimulant or an opioid painkiller today?',
    heldMedications: 'Have you paused the medicines your care team asked you to pause?',
    bpReadings: 'Two seated blood pressure readings, a few minutes apart',
    recheckLegend: 'A third reading, only if this page asks for it',
    recheckUpper: 'After resting: upper number (systolic, mmHg)',
    recheckLower: 'After resting: lower number (diastolic, mmHg)',
    pregnancy: 'Are you pregnant now, planning to become pregnant, or breastfeeding?',
    noDriving: 'Do you agree not to drive until tomorrow morning?',
    submit: 'Send my check-in',
    emergency: "Do not take today's dose. Please go to emergency care now, or call your local emergency number.",
    careTeamTold: 'Your care team has been told.',
    bpCrisis:
      "Do not take today's dose. Your blood pressure is still very high, so your care team will contact you today.",
    bpCrisisWarning:
      'If you get chest pain, shortness of breath, back pain, numbness or weakness, a change in vision or trouble speaking, call 911 now.',
    postponed: "Today's session is postponed. Please do not take today's dose.",
    earliestNewTime: 'The earliest new time is',
    careTeamWillConfirm: 'Your care team will confirm it with you.',
    cleared: "You are cleared for today's session.",
    clearedAdvice: 'Please follow your preparation notes, and do not drive until tomorrow morning.',
  },

  preparation: {
    addToCalendar: 'Add to my calendar',
    calendarHint: "(an .ics file for your phone's or computer's calendar)",
    checkInComes: (hours: number) =>
      `A short check-in form will arrive by email ${hours} hours before the session. Please have an adult with you who can stay for the whole session, and do not plan to drive until the next morning.`,
    calendarTitle: 'Appointment with your care team',
  },

  consult: {
    on: 'Your video appointment is on',
    timeToCome: 'Your clinic will tell you the time of your video appointment.',
    joinToCome: 'Your clinic will send you the way to join the call.',
    join: 'Join the video call',
    joinHint: (host: string) =>
      `Opens the video service at ${host}. Please join a few minutes early, somewhere quiet and private.`,
    calendarTitle: 'Video appointment with your care team',
  },

  journal: {
    text: 'How was your session? Write as much or as little as you like.',
    mood: 'How do you feel now, from 0 (worst) to 10 (best)? (optional)',
    any: 'Have you had any side effects since your session?',
    anyHint: 'For example nausea, dizziness, a headache, or feeling detached.',
    whichLegend: 'Which side effects, and how strong?',
    whichHint: 'Leave "None" for anything you did not have.',
    freeText: 'Anything else about how you feel (optional)',
    submit: 'Send my journal',
    noAnotherDose: 'Please do not take another dose until your care team has spoken with you.',
    adverse:
      "Thank you. What you reported needs your care team's attention: they have been told and will contact you. Please do not take another dose until they do. If you feel unwell now, call your local emergency number.",
    thanks: 'Thank you. Your journal has been sent to your care team.',
  },

  assessment: {
    submit: 'Send my answers',
    thanks: 'Thank you. Your answers have been sent to your care team.',
  },

  refillRequest: {
    lostOrStolen: 'Is this request to replace a supply that was lost or stolen?',
    submit: 'Send my request',
    thanks: 'Thank you. Your request has been sent to your care team, who will review it.',
  },

  recovery: {
    intro: 'Your session hour is over. Please answer before the adult who is with you leaves.',
    question: 'Have you recovered (awake, steady on your feet and thinking clearly)?',
    yes: 'Yes: I have recovered, and the adult with me may leave',
    notYet: 'Not yet: the adult with me will stay',
    submit: 'Send',
    hold: 'Please do not take another dose. If you feel unwell now, call 911 or go to the nearest emergency department. Keep the adult who is with you there.',
    careTeamWillContact: 'Your care team has been told and will contact you.',
    recovered: 'Thank you. The adult with you may leave. Please do not drive until tomorrow morning.',
    journalNext: 'Your journal form comes next.',
    keepAdult: 'Please keep the adult who is with you there until you feel fully recovered.',
    careTeamToday: 'Your care team has been told and will contact you today. If you feel worse, call 911.',
  },

  /** shown at once when an answer speaks of thoughts of death or self-harm; no PHI, the same for everyone */
  crisis: {
    intro: 'If you are thinking about harming yourself, you do not have to wait for us.',
    lifelineBefore: 'Call or text',
    lifelineAfter: '(the 988 Suicide & Crisis Lifeline), any time, day or night, or chat at 988lifeline.org.',
    emergencyBefore: 'If you are in danger now, call',
    emergencyAfter: 'or go to the nearest emergency department.',
    answersGo: 'Your answers go to your care team.',
  },

  status: {
    contact: 'If you think this is a mistake, please contact your clinic.',
    notFoundTitle: 'Link not found',
    notFound: 'This link is not valid. Please check that you opened the whole link from your email.',
    expiredTitle: 'This link has expired',
    expired: 'This link is no longer valid. Nothing was recorded from it.',
    supersededTitle: 'This link has been replaced',
    superseded: 'A newer email has a new link for this step. Please use that one.',
    alreadyDoneTitle: 'Already done',
    alreadyDone: (who: string, when: string) =>
      `This was already decided by ${who} at ${when}. Nothing more was recorded.`,
    you: 'you',
    someone: 'someone',
    anEarlierTime: 'an earlier time',
    aClinician: 'a clinician',
    clinicStaff: 'clinic staff',
    thePatient: 'the patient',
    stoppedTitle: 'This step was stopped',
    stopped: 'This step was stopped; your clinic will be in touch.',
    wrongPurposeTitle: 'This form does not belong to this link',
    wrongPurpose: 'The form sent does not match this link. Nothing was recorded.',
    unsupportedTitle: 'This form could not be read',
    unsupported:
      'The answers were not sent the way this page sends them, so nothing was recorded. Please open the link from your email again and use the form on the page.',
    viewOnlyTitle: 'Nothing to submit',
    viewOnly: 'This page is for information only. Nothing was recorded.',
    tooManyTitle: 'Please wait a moment',
    tooMany: 'This link was used too often in the last minute. Please wait a minute and try again.',
    methodTitle: 'Not allowed',
    method: 'This page can only be opened or submitted.',
    errorTitle: 'Something went wrong',
    error: 'Your answer may not have been recorded. Please try again in a few minutes.',
  },

  /** patient emails: a neutral sentence and a link (functions/email/templates.ts) */
  email: {
    greeting: (firstName: string | undefined) => (firstName ? `Hello ${firstName},` : 'Hello,'),
    openPage: 'Open the secure page',
    personal: 'This link is personal; please do not forward this email.',
    signature: 'Your care team',
    formSubject: 'A short form is waiting for you',
    form: (until: string | undefined) =>
      `There is a short form waiting for you${until ? `; the link works until ${until}` : ''}.`,
    formReminderSubject: 'Reminder: a short form is waiting for you',
    formReminder: 'A friendly reminder: your form is still waiting for you.',
    recoverySubject: 'Please keep your companion with you',
    recovery: (withLink: boolean) =>
      `Please ask the adult who is with you to stay until you have told us you feel recovered${withLink ? ' on the secure page below' : ''}.`,
    consultSubject: 'Your appointment is coming up',
    consult: (when: string | undefined, withLink: boolean) =>
      `A reminder that your video appointment is ${when ? `on ${when}` : 'coming up soon'}.${withLink ? ' The secure page below has the way to join the call.' : ''}`,
    followUpSubject: 'Your follow-up appointment is coming up',
    followUp: (when: string | undefined) =>
      `A reminder that your follow-up appointment with your care team is ${when ? `on ${when}` : 'coming up soon'}.`,
    sessionPrepSubject: 'Your appointment is tomorrow',
    sessionPrep: (when: string | undefined, withLink: boolean) =>
      `A reminder about your appointment ${when ? `on ${when}` : 'tomorrow'}.${withLink ? " Your care team's preparation notes are on the secure page below." : ' Please follow the preparation notes from your care team.'} A short check-in form will arrive by email shortly before the appointment.`,
    refillWindowSubject: 'Time for your monthly check-in',
    refillWindow: 'It is time for your monthly check-in. A short form will follow shortly.',
    contactClinicSubject: 'Please get in touch with us',
    contactClinic: 'Thank you for your time with us. Please contact the clinic so we can talk about your next steps.',
  },
};

export type Messages = typeof en;
export type PageTitleKey = keyof Messages['titles'];
