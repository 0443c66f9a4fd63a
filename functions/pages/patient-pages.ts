import { redFlagSymptoms } from '../domain/protocol.ts';
import { medicalConditions, priorTreatmentKinds } from '../domain/schemas/questionnaires.ts';
import { sideEffectSymptoms } from '../domain/schemas/side-effect-report.ts';
import type { AnswerPageOnly } from '../links/answers/answer.ts';
import { asksPregnancy, assessmentAnswer, checkInAnswer, intakeAnswer, journalAnswer, refillRequestAnswer } from '../links/answers/patient-answers.ts';
import { conditionLabels, pregnancyLabels, priorTreatmentLabels, redFlagSymptomLabels, severityOptions, sideEffectLabels } from './answer-labels.ts';
import { crisisResources } from './crisis-resources.ts';
import { formatInZone } from './format-time.ts';
import {
  checkboxGroup,
  form,
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
import { auditCFields, bladderFields, bladderOf, dast10Fields, gad7Fields, itemsOf, phq9Fields, yesNosOf } from './questionnaire-fields.ts';
import { sessionNumberOfKey } from '../domain/session-step-key.ts';

const PRIOR_ROWS = 3;
const MEDICATION_ROWS = 4;

function bpFields(state: FormState, prefix: string, count: number, legend: string): Html {
  return html`<fieldset><legend>${legend}</legend>${join(
    Array.from({ length: count }, (_, i) =>
      html`${numberField(state, `${prefix}[${i}].systolic`, `Reading ${i + 1}: upper number (systolic, mmHg)`, { min: 50, max: 300, step: '1' })}${numberField(state, `${prefix}[${i}].diastolic`, `Reading ${i + 1}: lower number (diastolic, mmHg)`, { min: 20, max: 200, step: '1' })}`,
    ),
  )}</fieldset>`;
}

function bpOf(values: FormValues, prefix: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({ systolic: numberOf(values, `${prefix}[${i}].systolic`), diastolic: numberOf(values, `${prefix}[${i}].diastolic`) })).filter(
    (reading, i) => i === 0 || reading.systolic !== undefined || reading.diastolic !== undefined,
  );
}

const thanks = (text: string) => html`<p class="notice">${text}</p><p>You can close this page.</p>`;
/** Crisis resources first when an answer called for them (functions/domain/questionnaire-triage.ts). */
const thanksAfterQuestionnaire = (text: string, pageOnly: AnswerPageOnly | undefined) => html`${pageOnly?.crisisResources === true ? crisisResources() : ''}${thanks(text)}`;

export const intakePage: PurposePage = {
  title: 'Your intake questionnaires',
  rule: intakeAnswer,
  render: (_view, state) =>
    form(
      'intake',
      state,
      html`<p>Please answer every question. Your answers go only to your care team.</p>
${gad7Fields(state)}${phq9Fields(state)}
<fieldset><legend>Thoughts of self-harm (C-SSRS screener)</legend><p class="hint">In the past month:</p>
${yesNoField(state, 'cssrs.wishToBeDead', '1. Have you wished you were dead or wished you could go to sleep and not wake up?')}
${yesNoField(state, 'cssrs.suicidalThoughts', '2. Have you actually had any thoughts of killing yourself?')}
${yesNoField(state, 'cssrs.thoughtsOfMethod', '3. Have you been thinking about how you might do this?')}
${yesNoField(state, 'cssrs.intentToAct', '4. Have you had these thoughts and had some intention of acting on them?')}
${yesNoField(state, 'cssrs.planWithIntent', '5. Have you started to work out or worked out the details of how to kill yourself, and do you intend to carry out this plan?')}
${yesNoField(state, 'cssrs.suicidalBehaviour', '6. Have you ever done anything, started to do anything, or prepared to do anything to end your life?')}
${textField(state, 'cssrs.behaviourLastOn', 'If yes to question 6: when was the most recent time?', { type: 'date' })}</fieldset>
${auditCFields(state)}${dast10Fields(state)}
<fieldset><legend>Medical history</legend>
${checkboxGroup(state, 'medicalHistory.conditions', 'Do any of these apply to you?', medicalConditions.map((value) => ({ value, label: conditionLabels[value] })), 'Tick all that apply; leave empty if none.')}
${yesNoField(state, 'medicalHistory.maniaOrHypomania', 'Have you ever had a period of mania or hypomania (days of unusually high energy or mood, needing much less sleep, racing thoughts)?', 'However long ago.')}
${join(
  Array.from({ length: PRIOR_ROWS }, (_, i) => html`${textField(state, `medicalHistory.priorTreatments[${i}].name`, `Earlier treatment ${i + 1}: what was it?`)}${selectField(state, `medicalHistory.priorTreatments[${i}].kind`, `Earlier treatment ${i + 1}: kind`, priorTreatmentKinds.map((value) => ({ value, label: priorTreatmentLabels[value] ?? value })))}`),
)}</fieldset>
${radioGroup(state, 'pregnancy', 'Are you pregnant now, planning to become pregnant, or breastfeeding?', pregnancyLabels)}
<fieldset><legend>Current medications</legend><p class="hint">Write each name as it is on the label (for example "sertraline 50 mg"), including anything you take only sometimes.</p>${join(
        Array.from({ length: MEDICATION_ROWS }, (_, i) => textField(state, `currentMedications.medications[${i}].name`, `Medication ${i + 1}: name`)),
      )}</fieldset>
${numberField(state, 'vitals.weightKg', 'Your weight in kilograms', { min: 25, max: 350, step: '0.1', hint: 'Your dose depends on it. Pounds divided by 2.2 is kilograms.' })}
${bpFields(state, 'vitals.restingBp', 2, 'Blood pressure at rest (sit quietly for 5 minutes first)')}`,
      submitButton('Submit my answers'),
    ),
  answerFrom: (values, view) => {
    const rows = <T,>(count: number, row: (i: number) => T & { name: unknown }) => Array.from({ length: count }, (_, i) => row(i)).filter((r) => r.name !== undefined && r.name !== '');
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
        priorTreatments: rows(PRIOR_ROWS, (i) => ({ name: valueOf(values, `medicalHistory.priorTreatments[${i}].name`)?.trim(), kind: valueOf(values, `medicalHistory.priorTreatments[${i}].kind`) || undefined })),
        maniaOrHypomania: yesNoOf(values, 'medicalHistory.maniaOrHypomania'),
      },
      currentMedications: {
        medications: rows(MEDICATION_ROWS, (i) => ({ name: valueOf(values, `currentMedications.medications[${i}].name`)?.trim() })),
      },
      // measured as the form is sent
      vitals: { restingBp: bpOf(values, 'vitals.restingBp', 2), weightKg: numberOf(values, 'vitals.weightKg'), measuredAt: view.now.toISOString() },
      pregnancy: valueOf(values, 'pregnancy'),
    };
  },
  done: (_view, _decision, _output, pageOnly) => thanksAfterQuestionnaire('Thank you. Your answers have been sent to your care team.', pageOnly),
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

function sessionStart(view: PageView): string | undefined {
  const session = plannedSession(view);
  return session === undefined ? undefined : formatInZone(session.plannedStart, view.timeZone);
}

/** The preparation guidance the clinician wrote on the approved plan (emails stay neutral; the page says it). */
function preparationNotes(view: PageView): Html {
  const guidance = view.patient.plan?.preparationGuidance.trim() ?? '';
  return guidance === '' ? html`` : html`<h2>Your preparation notes</h2><p class="prep">${guidance}</p>`;
}

export const checkInPage: PurposePage = {
  title: 'Check in before your session',
  rule: checkInAnswer,
  render: (view, state) => {
    const start = sessionStart(view);
    return form(
      'check-in',
      state,
      html`${start ? html`<p>Your session is planned for <strong>${start}</strong>.</p>` : ''}
${preparationNotes(view)}
${yesNoField(state, 'monitorPresent', 'Is an adult with you who will stay for the whole session?')}
${numberField(state, 'fastingHours', 'How many hours since you last ate?', { min: 0, step: '0.5' })}
${numberField(state, 'lastAlcoholOrCannabisHoursAgo', 'How many hours since you last had alcohol or cannabis?', { min: 0, hint: 'Leave empty if none in the last week.' })}
${numberField(state, 'lastBenzodiazepineHoursAgo', 'How many hours since you last took a sedative or sleeping tablet (benzodiazepine)?', { min: 0, hint: 'Leave empty if none in the last week.' })}
${yesNoField(state, 'stimulantOrOpioidToday', 'Have you taken a stimulant or an opioid painkiller today?')}
${yesNoField(state, 'heldMedicationsConfirmed', 'Have you paused the medicines your care team asked you to pause?')}
${bpFields(state, 'bpReadings', 2, 'Two seated blood pressure readings, a few minutes apart')}
<fieldset><legend>A third reading, only if this page asks for it</legend>${numberField(state, 'bpRecheck.systolic', 'After resting: upper number (systolic, mmHg)', { min: 50, max: 300, step: '1' })}${numberField(state, 'bpRecheck.diastolic', 'After resting: lower number (diastolic, mmHg)', { min: 20, max: 200, step: '1' })}</fieldset>
${checkboxGroup(state, 'redFlagSymptoms', 'Do you have any of these right now?', redFlagSymptoms.map((value) => ({ value, label: redFlagSymptomLabels[value] })), 'Tick all that apply; leave empty if none.')}
${asksPregnancy(view) ? yesNoField(state, 'pregnantPlannedOrBreastfeeding', 'Are you pregnant now, planning to become pregnant, or breastfeeding?') : ''}
${yesNoField(state, 'noDrivingAcknowledged', 'Do you agree not to drive until tomorrow morning?')}`,
      submitButton('Send my check-in'),
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
    ...(yesNoOf(values, 'pregnantPlannedOrBreastfeeding') === undefined ? {} : { pregnantPlannedOrBreastfeeding: yesNoOf(values, 'pregnantPlannedOrBreastfeeding') }),
  }),
  done: (view, decision, output) => {
    if (decision === 'EMERGENCY') {
      return html`<p class="urgent" role="alert">Do not take today's dose. Please go to emergency care now, or call your local emergency number.</p><p>Your care team has been told.</p>`;
    }
    const reasons = Array.isArray(output['reasons']) ? output['reasons'] : [];
    if (decision === 'POSTPONED' && reasons.includes('BP_CRISIS_PERSISTENT')) {
      return html`<p class="urgent" role="alert">Do not take today's dose. Your blood pressure is still very high, so your care team will contact you today.</p><p>If you get chest pain, shortness of breath, back pain, numbness or weakness, a change in vision or trouble speaking, call 911 now.</p>`;
    }
    if (decision === 'POSTPONED') {
      const next = typeof output['suggestedStart'] === 'string' ? formatInZone(output['suggestedStart'], view.timeZone) : undefined;
      return html`<p class="notice" role="status">Today's session is postponed. Please do not take today's dose.</p>${next ? html`<p>The earliest new time is <strong>${next}</strong>. Your care team will confirm it with you.</p>` : ''}<p>Your care team has been told.</p>`;
    }
    return html`<p class="notice" role="status">You are cleared for today's session.</p><p>Please follow your preparation notes, and do not drive until tomorrow morning.</p>${preparationNotes(view)}`;
  },
};

/** The link that downloads the page's appointment (`?calendar`, functions/link-pages/serve-link.ts). */
const addToCalendar = html`<p><a href="?calendar" download="appointment.ics">Add to my calendar</a> <span class="hint">(an .ics file for your phone's or computer's calendar)</span></p>`;

/** Behind the preparation reminder: the session's time and the plan's preparation notes; nothing to submit. */
export const preparationPage: PurposePage = {
  title: 'Preparing for your session',
  rule: undefined,
  calendar: (view) => {
    const session = plannedSession(view);
    return session === undefined ? undefined : { uid: `${view.step.journeyId}-session-${session.number}@care-journeys`, start: new Date(session.plannedStart), durationMinutes: view.protocol.induction.sessionDurationMinutes, title: 'Appointment with your care team', now: view.now };
  },
  render: (view) => {
    const start = sessionStart(view);
    return html`${start ? html`<p>Your session is planned for <strong>${start}</strong>.</p>${addToCalendar}` : ''}${preparationNotes(view)}
<p>A short check-in form will arrive by email ${view.protocol.checkIn.opensHoursBefore} hours before the session. Please have an adult with you who can stay for the whole session, and do not plan to drive until the next morning.</p>
<p>This page is for information; there is nothing to submit.</p>`;
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
  title: 'Your video appointment',
  rule: undefined,
  calendar: (view) => {
    const { consultAt } = view.patient.journey;
    return consultAt === null ? undefined : { uid: `${view.step.journeyId}-consult@care-journeys`, start: new Date(consultAt), durationMinutes: CONSULT_CALENDAR_MINUTES, title: 'Video appointment with your care team', now: view.now };
  },
  render: (view) => {
    const { consultAt, consultJoinUrl } = view.patient.journey;
    const join = typeof consultJoinUrl === 'string' && consultJoinUrl.startsWith('https://') ? consultJoinUrl : null;
    return html`${consultAt ? html`<p>Your video appointment is on <strong>${formatInZone(consultAt, view.timeZone)}</strong>.</p>${addToCalendar}` : html`<p>Your clinic will tell you the time of your video appointment.</p>`}
${join === null ? html`<p>Your clinic will send you the way to join the call.</p>` : html`<p><a class="join" href="${join}" rel="noopener noreferrer">Join the video call</a></p><p class="hint">Opens the video service at ${new URL(join).hostname}. Please join a few minutes early, somewhere quiet and private.</p>`}
<p>This page is for information; there is nothing to submit.</p>`;
  },
  answerFrom: () => ({}),
  done: () => html``,
};

export const journalPage: PurposePage = {
  title: 'Your session journal',
  rule: journalAnswer,
  render: (_view, state) =>
    form(
      'journal',
      state,
      html`${textArea(state, 'journal.text', 'How was your session? Write as much or as little as you like.')}
${numberField(state, 'journal.mood', 'How do you feel now, from 0 (worst) to 10 (best)? (optional)', { min: 0, max: 10, step: '1' })}
<div class="reveal">${yesNoField(state, 'sideEffects.any', 'Have you had any side effects since your session?', 'For example nausea, dizziness, a headache, or feeling detached.')}
<div class="if-yes"><fieldset><legend>Which side effects, and how strong?</legend><p class="hint">Leave "None" for anything you did not have.</p>${join(
        sideEffectSymptoms.map((symptom) => radioGroup(state, `sideEffects.${symptom}`, sideEffectLabels[symptom], severityOptions)),
      )}</fieldset>
${textArea(state, 'sideEffects.freeText', 'Anything else about how you feel (optional)')}</div></div>`,
      submitButton('Send my journal'),
    ),
  answerFrom: (values) => ({
    journal: { text: valueOf(values, 'journal.text') ?? '', ...(numberOf(values, 'journal.mood') === undefined ? {} : { mood: numberOf(values, 'journal.mood') }) },
    anySideEffects: yesNoOf(values, 'sideEffects.any'),
    sideEffects: {
      symptoms: sideEffectSymptoms.map((symptom) => ({ symptom, severity: valueOf(values, `sideEffects.${symptom}`) ?? 'none' })),
      freeText: valueOf(values, 'sideEffects.freeText') ?? '',
    },
  }),
  done: (_view, _decision, output, pageOnly) =>
    pageOnly?.crisisResources === true
      ? html`${crisisResources()}<p class="urgent" role="alert">Please do not take another dose until your care team has spoken with you.</p>`
      : output['triage'] === 'ADVERSE_EVENT'
      ? html`<p class="urgent" role="alert">Thank you. What you reported needs your care team's attention: they have been told and will contact you. Please do not take another dose until they do. If you feel unwell now, call your local emergency number.</p>`
      : thanks('Thank you. Your journal has been sent to your care team.'),
};

export const assessmentPage: PurposePage = {
  title: 'A short check on how you are doing',
  rule: assessmentAnswer,
  render: (_view, state) => form('assessment', state, html`${gad7Fields(state)}${phq9Fields(state)}${bladderFields(state, 'bladderCheck')}`, submitButton('Send my answers')),
  answerFrom: (values) => ({ gad7: { items: itemsOf(values, 'gad7', 7) }, phq9: { items: itemsOf(values, 'phq9', 9) }, bladderCheck: bladderOf(values, 'bladderCheck') }),
  done: (_view, _decision, _output, pageOnly) => thanksAfterQuestionnaire('Thank you. Your answers have been sent to your care team.', pageOnly),
};

export const refillRequestPage: PurposePage = {
  title: 'Your monthly check-in',
  rule: refillRequestAnswer,
  render: (_view, state) =>
    form(
      'refill-request',
      state,
      html`${gad7Fields(state, 'assessment.gad7')}${phq9Fields(state, 'assessment.phq9')}${bladderFields(state, 'assessment.bladderCheck')}
${yesNoField(state, 'lostOrStolenReplacement', 'Is this request to replace a supply that was lost or stolen?')}`,
      submitButton('Send my request'),
    ),
  answerFrom: (values) => ({
    assessment: { gad7: { items: itemsOf(values, 'assessment.gad7', 7) }, phq9: { items: itemsOf(values, 'assessment.phq9', 9) }, bladderCheck: bladderOf(values, 'assessment.bladderCheck') },
    lostOrStolenReplacement: yesNoOf(values, 'lostOrStolenReplacement'),
  }),
  done: (_view, _decision, _output, pageOnly) => thanksAfterQuestionnaire('Thank you. Your request has been sent to your care team, who will review it.', pageOnly),
};
