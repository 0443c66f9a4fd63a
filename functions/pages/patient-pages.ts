import { redFlagSymptoms } from '../domain/protocol.ts';
import { medicalConditions, priorTreatmentKinds } from '../domain/schemas/questionnaires.ts';
import { sideEffectSymptoms } from '../domain/schemas/side-effect-report.ts';
import type { AnswerPageOnly } from '../links/answers/answer.ts';
import {
  asksPregnancy,
  assessmentAnswer,
  checkInAnswer,
  intakeAnswer,
  journalAnswer,
  refillRequestAnswer,
} from '../links/answers/patient-answers.ts';
import { pregnancyOptions, severityOptions } from './answer-labels.ts';
import { crisisResources } from './crisis-resources.ts';
import { formatInZone } from './format-time.ts';
import { messagesFor } from './message-catalogue.ts';
import { en, type Messages } from './messages-en.ts';
import {
  checkboxGroup,
  form,
  messagesOf,
  numberField,
  numberOf,
  radioGroup,
  selectField,
  submitButton,
  textArea,
  textField,
  valueOf,
  valuesOf,
  yesNoField,
  yesNoOf,
  type FormState,
  type FormValues,
} from './form-fields.ts';
import { html, join, type Html } from './html.ts';
import type { PageView, PurposePage } from './page-view.ts';
import {
  auditCFields,
  bladderFields,
  bladderOf,
  cssrsQuestions,
  dast10Fields,
  gad7Fields,
  itemsOf,
  phq9Fields,
  yesNosOf,
} from './questionnaire-fields.ts';
import { sessionNumberOfKey } from '../domain/session-step-key.ts';

const PRIOR_ROWS = 3;
const MEDICATION_ROWS = 4;

function bpFields(state: FormState, prefix: string, count: number, legend: string): Html {
  const bp = messagesOf(state).bloodPressure;
  return html`<fieldset><legend>${legend}</legend>${join(
    Array.from(
      { length: count },
      (_, i) =>
        html`${numberField(state, `${prefix}[${i}].systolic`, bp.upper(i + 1), { min: 50, max: 300, step: '1' })}${numberField(state, `${prefix}[${i}].diastolic`, bp.lower(i + 1), { min: 20, max: 200, step: '1' })}`,
    ),
  )}</fieldset>`;
}

function bpOf(values: FormValues, prefix: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    systolic: numberOf(values, `${prefix}[${i}].systolic`),
    diastolic: numberOf(values, `${prefix}[${i}].diastolic`),
  })).filter((reading, i) => i === 0 || reading.systolic !== undefined || reading.diastolic !== undefined);
}

/** The page's catalogue: the patient's language (PageView.language). */
const words = (view: PageView): Messages => messagesFor(view.language);

const thanks = (m: Messages, text: string) => html`<p class="notice">${text}</p><p>${m.form.closePage}</p>`;
/** Crisis resources first when an answer called for them (functions/domain/questionnaire-triage.ts). */
const thanksAfterQuestionnaire = (m: Messages, text: string, pageOnly: AnswerPageOnly | undefined) =>
  html`${pageOnly?.crisisResources === true ? crisisResources(m) : ''}${thanks(m, text)}`;

export const intakePage: PurposePage = {
  title: en.titles.intake,
  titleKey: 'intake',
  rule: intakeAnswer,
  render: (_view, state) => {
    const m = messagesOf(state);
    const t = m.intake;
    return form(
      'intake',
      state,
      html`<p>${t.intro}</p>
${gad7Fields(state)}${phq9Fields(state)}
${cssrsQuestions(state, (label) => textField(state, 'cssrs.behaviourLastOn', label, { type: 'date' }))}
${auditCFields(state)}${dast10Fields(state)}
<fieldset><legend>${t.historyLegend}</legend>
${checkboxGroup(
  state,
  'medicalHistory.conditions',
  t.conditionsQuestion,
  medicalConditions.map((value) => ({ value, label: m.labels.conditions[value] })),
  m.form.tickAll,
)}
${yesNoField(state, 'medicalHistory.maniaOrHypomania', t.mania, t.maniaHint)}
${join(
  Array.from(
    { length: PRIOR_ROWS },
    (_, i) =>
      html`${textField(state, `medicalHistory.priorTreatments[${i}].name`, t.priorName(i + 1))}${selectField(
        state,
        `medicalHistory.priorTreatments[${i}].kind`,
        t.priorKind(i + 1),
        priorTreatmentKinds.map((value) => ({ value, label: m.labels.priorTreatments[value] ?? value })),
      )}`,
  ),
)}</fieldset>
${radioGroup(state, 'pregnancy', t.pregnancy, pregnancyOptions(m))}
<fieldset><legend>${t.medicationsLegend}</legend><p class="hint">${t.medicationsHint}</p>${join(
        Array.from({ length: MEDICATION_ROWS }, (_, i) =>
          textField(state, `currentMedications.medications[${i}].name`, t.medicationName(i + 1)),
        ),
      )}</fieldset>
${numberField(state, 'vitals.weightKg', t.weight, { min: 25, max: 350, step: '0.1', hint: t.weightHint })}
${bpFields(state, 'vitals.restingBp', 2, t.restingBp)}`,
      submitButton(t.submit),
    );
  },
  answerFrom: (values, view) => {
    const rows = <T>(count: number, row: (i: number) => T & { name: unknown }) =>
      Array.from({ length: count }, (_, i) => row(i)).filter((r) => r.name !== undefined && r.name !== '');
    return {
      gad7: { items: itemsOf(values, 'gad7', 7) },
      phq9: { items: itemsOf(values, 'phq9', 9) },
      cssrs: {
        wishToBeDead: yesNoOf(values, 'cssrs.wishToBeDead'),
        suicidalThoughts: yesNoOf(values, 'cssrs.suicidalThoughts'),
        thoughtsOfMethod: yesNoOf(values, 'cssrs.thoughtsOfMethod'),
        intentToAct: yesNoOf(values, 'cssrs.intentToAct'),
        planWithIntent: yesNoOf(values, 'cssrs.planWithIntent'),
        suicidalBehaviour: yesNoOf(values, 'cssrs.suicidalBehaviour'),
        behaviourLastOn: valueOf(values, 'cssrs.behaviourLastOn') || null,
      },
      auditC: { items: itemsOf(values, 'auditC', 3) },
      dast10: { answers: yesNosOf(values, 'dast10.answers', 10) },
      medicalHistory: {
        conditions: [...valuesOf(values, 'medicalHistory.conditions')],
        priorTreatments: rows(PRIOR_ROWS, (i) => ({
          name: valueOf(values, `medicalHistory.priorTreatments[${i}].name`)?.trim(),
          kind: valueOf(values, `medicalHistory.priorTreatments[${i}].kind`) || undefined,
        })),
        maniaOrHypomania: yesNoOf(values, 'medicalHistory.maniaOrHypomania'),
      },
      currentMedications: {
        medications: rows(MEDICATION_ROWS, (i) => ({
          name: valueOf(values, `currentMedications.medications[${i}].name`)?.trim(),
        })),
      },
      // measured as the form is sent
      vitals: {
        restingBp: bpOf(values, 'vitals.restingBp', 2),
        weightKg: numberOf(values, 'vitals.weightKg'),
        measuredAt: view.now.toISOString(),
      },
      pregnancy: valueOf(values, 'pregnancy'),
    };
  },
  done: (view, _decision, _output, pageOnly) =>
    thanksAfterQuestionnaire(words(view), words(view).intake.thanks, pageOnly),
};

/** The reading after rest, when the patient entered one (the form asks for it only after a crisis reading). */
function recheckOf(values: FormValues): { bpRecheck?: unknown } {
  const systolic = numberOf(values, 'bpRecheck.systolic');
  const diastolic = numberOf(values, 'bpRecheck.diastolic');
  return systolic === undefined && diastolic === undefined ? {} : { bpRecheck: { systolic, diastolic } };
}

function plannedSession(view: PageView): PageView['patient']['sessions'][number] | undefined {
  const number = sessionNumberOfKey(view.step.stepKey);
  return view.patient.sessions.find((s) => s.number === number);
}

/** A time in the patient's zone, written in their language. */
const timeFor = (view: PageView, instant: string | Date): string =>
  formatInZone(instant, view.timeZone, words(view).dateLocale);

function sessionStart(view: PageView): string | undefined {
  const session = plannedSession(view);
  return session === undefined ? undefined : timeFor(view, session.plannedStart);
}

/** The preparation guidance the clinician wrote on the approved plan (emails stay neutral; the page says it). */
function preparationNotes(view: PageView): Html {
  const guidance = view.patient.plan?.preparationGuidance.trim() ?? '';
  return guidance === ''
    ? html``
    : html`<h2>${words(view).checkIn.preparationHeading}</h2><p class="prep">${guidance}</p>`;
}

export const checkInPage: PurposePage = {
  title: en.titles['check-in'],
  titleKey: 'check-in',
  rule: checkInAnswer,
  render: (view, state) => {
    const start = sessionStart(view);
    const m = messagesOf(state);
    const t = m.checkIn;
    return form(
      'check-in',
      state,
      html`${start ? html`<p>${t.plannedFor} <strong>${start}</strong>.</p>` : ''}
${preparationNotes(view)}
${yesNoField(state, 'monitorPresent', t.monitor)}
${numberField(state, 'fastingHours', t.fasting, { min: 0, step: '0.5' })}
${numberField(state, 'lastAlcoholOrCannabisHoursAgo', t.alcohol, { min: 0, hint: t.noneInLastWeek })}
${numberField(state, 'lastBenzodiazepineHoursAgo', t.benzodiazepine, { min: 0, hint: t.noneInLastWeek })}
${yesNoField(state, 'stimulantOrOpioidToday', t.stimulant)}
${yesNoField(state, 'heldMedicationsConfirmed', t.heldMedications)}
${bpFields(state, 'bpReadings', 2, t.bpReadings)}
<fieldset><legend>${t.recheckLegend}</legend>${numberField(state, 'bpRecheck.systolic', t.recheckUpper, { min: 50, max: 300, step: '1' })}${numberField(state, 'bpRecheck.diastolic', t.recheckLower, { min: 20, max: 200, step: '1' })}</fieldset>
${checkboxGroup(
  state,
  'redFlagSymptoms',
  m.form.anyOfTheseNow,
  redFlagSymptoms.map((value) => ({ value, label: m.labels.redFlags[value] })),
  m.form.tickAll,
)}
${asksPregnancy(view) ? yesNoField(state, 'pregnantPlannedOrBreastfeeding', t.pregnancy) : ''}
${yesNoField(state, 'noDrivingAcknowledged', t.noDriving)}`,
      submitButton(t.submit),
    );
  },
  answerFrom: (values) => ({
    monitorPresent: yesNoOf(values, 'monitorPresent'),
    fastingHours: numberOf(values, 'fastingHours'),
    lastAlcoholOrCannabisHoursAgo: numberOf(values, 'lastAlcoholOrCannabisHoursAgo') ?? null,
    lastBenzodiazepineHoursAgo: numberOf(values, 'lastBenzodiazepineHoursAgo') ?? null,
    stimulantOrOpioidToday: yesNoOf(values, 'stimulantOrOpioidToday'),
    heldMedicationsConfirmed: yesNoOf(values, 'heldMedicationsConfirmed'),
    bpReadings: bpOf(values, 'bpReadings', 2),
    redFlagSymptoms: [...valuesOf(values, 'redFlagSymptoms')],
    noDrivingAcknowledged: yesNoOf(values, 'noDrivingAcknowledged'),
    ...recheckOf(values),
    ...(yesNoOf(values, 'pregnantPlannedOrBreastfeeding') === undefined
      ? {}
      : { pregnantPlannedOrBreastfeeding: yesNoOf(values, 'pregnantPlannedOrBreastfeeding') }),
  }),
  done: (view, decision, output) => {
    const t = words(view).checkIn;
    if (decision === 'EMERGENCY') {
      return html`<p class="urgent" role="alert">${t.emergency}</p><p>${t.careTeamTold}</p>`;
    }
    const reasons = Array.isArray(output['reasons']) ? output['reasons'] : [];
    if (decision === 'POSTPONED' && reasons.includes('BP_CRISIS_PERSISTENT')) {
      return html`<p class="urgent" role="alert">${t.bpCrisis}</p><p>${t.bpCrisisWarning}</p>`;
    }
    if (decision === 'POSTPONED') {
      const next = typeof output['suggestedStart'] === 'string' ? timeFor(view, output['suggestedStart']) : undefined;
      return html`<p class="notice" role="status">${t.postponed}</p>${next ? html`<p>${t.earliestNewTime} <strong>${next}</strong>. ${t.careTeamWillConfirm}</p>` : ''}<p>${t.careTeamTold}</p>`;
    }
    return html`<p class="notice" role="status">${t.cleared}</p><p>${t.clearedAdvice}</p>${preparationNotes(view)}`;
  },
};

/** The link that downloads the page's appointment (`?calendar`, functions/link-pages/serve-link.ts). */
const addToCalendar = (m: Messages) =>
  html`<p><a href="?calendar" download="appointment.ics">${m.preparation.addToCalendar}</a> <span class="hint">${m.preparation.calendarHint}</span></p>`;

/** Behind the preparation reminder: the session's time and the plan's preparation notes; nothing to submit. */
export const preparationPage: PurposePage = {
  title: en.titles.preparation,
  titleKey: 'preparation',
  rule: undefined,
  calendar: (view) => {
    const session = plannedSession(view);
    return session === undefined
      ? undefined
      : {
          uid: `${view.step.journeyId}-session-${session.number}@care-journeys`,
          start: new Date(session.plannedStart),
          durationMinutes: view.protocol.induction.sessionDurationMinutes,
          title: words(view).preparation.calendarTitle,
          now: view.now,
        };
  },
  render: (view) => {
    const start = sessionStart(view);
    const m = words(view);
    return html`${start ? html`<p>${m.checkIn.plannedFor} <strong>${start}</strong>.</p>${addToCalendar(m)}` : ''}${preparationNotes(view)}
<p>${m.preparation.checkInComes(view.protocol.checkIn.opensHoursBefore)}</p>
<p>${m.form.infoOnly}</p>`;
  },
  answerFrom: () => ({}),
  done: () => html``,
};

/**
 * Right after a dosing session, most patients have nothing to report: the page asks "Any side effects?"
 * first and shows the twenty symptoms only on "Yes" (CSS `:has`, no script: the CSP allows none). A
 * browser without `:has` drops that rule and shows the list, so no one is left without it.
 */
/**
 * Behind the consult reminder: the consult's time in the patient's zone and the video call's join link,
 * when the booking recorded one. The link is on this page rather than in the email: emails stay neutral
 * (a forwarded or previewed email would hand out the call), and this page is the patient's own.
 */
/** How long the consult's calendar entry is: a placeholder for the patient's calendar, not a clinical value. */
const CONSULT_CALENDAR_MINUTES = 45;

export const consultPage: PurposePage = {
  title: en.titles.consult,
  titleKey: 'consult',
  rule: undefined,
  calendar: (view) => {
    const { consultAt } = view.patient.journey;
    return consultAt === null
      ? undefined
      : {
          uid: `${view.step.journeyId}-consult@care-journeys`,
          start: new Date(consultAt),
          durationMinutes: CONSULT_CALENDAR_MINUTES,
          title: words(view).consult.calendarTitle,
          now: view.now,
        };
  },
  render: (view) => {
    const { consultAt, consultJoinUrl } = view.patient.journey;
    const join = typeof consultJoinUrl === 'string' && consultJoinUrl.startsWith('https://') ? consultJoinUrl : null;
    const m = words(view);
    const t = m.consult;
    return html`${consultAt ? html`<p>${t.on} <strong>${timeFor(view, consultAt)}</strong>.</p>${addToCalendar(m)}` : html`<p>${t.timeToCome}</p>`}
${join === null ? html`<p>${t.joinToCome}</p>` : html`<p><a class="join" href="${join}" rel="noopener noreferrer">${t.join}</a></p><p class="hint">${t.joinHint(new URL(join).hostname)}</p>`}
<p>${m.form.infoOnly}</p>`;
  },
  answerFrom: () => ({}),
  done: () => html``,
};

export const journalPage: PurposePage = {
  title: en.titles.journal,
  titleKey: 'journal',
  rule: journalAnswer,
  render: (_view, state) => {
    const m = messagesOf(state);
    const t = m.journal;
    return form(
      'journal',
      state,
      html`${textArea(state, 'journal.text', t.text)}
${numberField(state, 'journal.mood', t.mood, { min: 0, max: 10, step: '1' })}
<div class="reveal">${yesNoField(state, 'sideEffects.any', t.any, t.anyHint)}
<div class="if-yes"><fieldset><legend>${t.whichLegend}</legend><p class="hint">${t.whichHint}</p>${join(
        sideEffectSymptoms.map((symptom) =>
          radioGroup(state, `sideEffects.${symptom}`, m.labels.sideEffects[symptom], severityOptions(m)),
        ),
      )}</fieldset>
${textArea(state, 'sideEffects.freeText', t.freeText)}</div></div>`,
      submitButton(t.submit),
    );
  },
  answerFrom: (values) => ({
    journal: {
      text: valueOf(values, 'journal.text') ?? '',
      ...(numberOf(values, 'journal.mood') === undefined ? {} : { mood: numberOf(values, 'journal.mood') }),
    },
    anySideEffects: yesNoOf(values, 'sideEffects.any'),
    sideEffects: {
      symptoms: sideEffectSymptoms.map((symptom) => ({
        symptom,
        severity: valueOf(values, `sideEffects.${symptom}`) ?? 'none',
      })),
      freeText: valueOf(values, 'sideEffects.freeText') ?? '',
    },
  }),
  done: (view, _decision, output, pageOnly) => {
    const m = words(view);
    if (pageOnly?.crisisResources === true)
      return html`${crisisResources(m)}<p class="urgent" role="alert">${m.journal.noAnotherDose}</p>`;
    if (output['triage'] === 'ADVERSE_EVENT') return html`<p class="urgent" role="alert">${m.journal.adverse}</p>`;
    return thanks(m, m.journal.thanks);
  },
};

export const assessmentPage: PurposePage = {
  title: en.titles.assessment,
  titleKey: 'assessment',
  rule: assessmentAnswer,
  render: (_view, state) =>
    form(
      'assessment',
      state,
      html`${gad7Fields(state)}${phq9Fields(state)}${bladderFields(state, 'bladderCheck')}`,
      submitButton(messagesOf(state).assessment.submit),
    ),
  answerFrom: (values) => ({
    gad7: { items: itemsOf(values, 'gad7', 7) },
    phq9: { items: itemsOf(values, 'phq9', 9) },
    bladderCheck: bladderOf(values, 'bladderCheck'),
  }),
  done: (view, _decision, _output, pageOnly) =>
    thanksAfterQuestionnaire(words(view), words(view).assessment.thanks, pageOnly),
};

export const refillRequestPage: PurposePage = {
  title: en.titles['refill-request'],
  titleKey: 'refill-request',
  rule: refillRequestAnswer,
  render: (_view, state) =>
    form(
      'refill-request',
      state,
      html`${gad7Fields(state, 'assessment.gad7')}${phq9Fields(state, 'assessment.phq9')}${bladderFields(state, 'assessment.bladderCheck')}
${yesNoField(state, 'lostOrStolenReplacement', messagesOf(state).refillRequest.lostOrStolen)}`,
      submitButton(messagesOf(state).refillRequest.submit),
    ),
  answerFrom: (values) => ({
    assessment: {
      gad7: { items: itemsOf(values, 'assessment.gad7', 7) },
      phq9: { items: itemsOf(values, 'assessment.phq9', 9) },
      bladderCheck: bladderOf(values, 'assessment.bladderCheck'),
    },
    lostOrStolenReplacement: yesNoOf(values, 'lostOrStolenReplacement'),
  }),
  done: (view, _decision, _output, pageOnly) =>
    thanksAfterQuestionnaire(words(view), words(view).refillRequest.thanks, pageOnly),
};
