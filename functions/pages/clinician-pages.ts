import { latestAssessment } from '../domain/latest-assessment.ts';
import { localDate } from '../domain/local-time.ts';
import { telehealthCutOffWarning } from '../domain/telehealth-cut-off.ts';
import { computeFollowUp, type TreatmentResponse } from '../domain/follow-up.ts';
import { scoreGad7, scorePhq9 } from '../domain/scoring.ts';
import { evaluationModalities } from '../domain/schemas/evaluation.ts';
import {
  acceptedDecisions,
  choiceAnswer,
  eligibilityAnswer,
  NOTE_MAX_CHARACTERS,
  OVERRIDE_REASON_MAX_CHARACTERS,
  treatmentPlanAnswer,
} from '../links/answers/clinician-answers.ts';
import { consultBookingAnswer, consultEvaluationAnswer } from '../links/answers/consult-answers.ts';
import { formatInZone } from './format-time.ts';
import {
  form,
  numberField,
  numberOf,
  radioGroup,
  submitButton,
  textArea,
  textField,
  valueOf,
  type FormState,
  type FormValues,
} from './form-fields.ts';
import { html, join, type Html } from './html.ts';
import { instantFromLocalInput } from './local-input.ts';
import type { PageView, PurposePage } from './page-view.ts';
import type { StepAlert } from '../links/step-store.ts';
import { sessionNumberOfKey } from '../domain/session-step-key.ts';
import {
  adverseEventKindLabels,
  adverseEventReporterLabels,
  bladderSymptomLabels,
  clinicianName,
  conditionLabel,
  evaluationModalityLabels,
  journeyPhaseLabels,
  screeningOutcomeWords,
} from './clinician-labels.ts';

/** Who the decision is about: clinician pages may show what the clinician needs to decide. */
export function patientHeader(view: PageView): Html {
  const p = view.patient.patient;
  return html`<table><tr><th>Patient</th><td>${p.firstName} ${p.lastName}</td></tr><tr><th>Date of birth</th><td>${p.dateOfBirth}</td></tr><tr><th>Journey phase</th><td>${journeyPhaseLabels[view.patient.journey.phase]}</td></tr></table>`;
}

const decisionOf = (values: FormValues) => valueOf(values, 'decision');
const recorded = (text: string) => html`<p class="notice" role="status">${text}</p><p>You can close this page.</p>`;

export const consultBookingPage: PurposePage = {
  title: 'Book the video consult',
  rule: consultBookingAnswer,
  render: (view, state) =>
    html`${patientHeader(view)}${form(
      'consult-booking',
      state,
      html`${textField(state, 'consultAt', `Consult date and time (${view.timeZone})`, { type: 'datetime-local' })}${textField(state, 'joinUrl', 'Video call link (optional)', { hint: 'The https:// address the patient opens to join. It is shown on the page behind their reminder, never in the email.' })}`,
      submitButton('Book the consult', 'BOOKED'),
    )}`,
  answerFrom: (values, view) => {
    const link = valueOf(values, 'joinUrl')?.trim();
    return {
      consultAt: instantFromLocalInput(valueOf(values, 'consultAt'), view.timeZone),
      ...(link ? { joinUrl: link } : {}),
    };
  },
  done: (view, _decision, output) =>
    recorded(
      `The consult is booked for ${typeof output['consultAt'] === 'string' ? formatInZone(output['consultAt'], view.timeZone) : 'the chosen time'}.`,
    ),
};

/** The telehealth cut-off, said where it can still be planned for (consult evaluation, plan), never found at a refill. */
function telehealthNotice(view: PageView): Html {
  // the clinician on the link is the one who would prescribe
  const warning = telehealthCutOffWarning(
    localDate(view.now, view.patient.patient.timeZone),
    view.patient.evaluations,
    view.link.person.id,
    view.protocol,
  );
  return warning === null ? html`` : html`<p class="notice" role="status">${warning}</p>`;
}

export const consultEvaluationPage: PurposePage = {
  title: 'Record the consult evaluation',
  rule: consultEvaluationAnswer,
  render: (view, state) =>
    html`${patientHeader(view)}${telehealthNotice(view)}${form(
      'consult-evaluation',
      state,
      html`${radioGroup(
        state,
        'modality',
        'How was the consult held?',
        evaluationModalities.map((m) => ({ value: m, label: evaluationModalityLabels[m] })),
      )}${textArea(state, 'notes', 'Evaluation notes')}`,
      submitButton('Record the evaluation', 'EVALUATED'),
    )}`,
  answerFrom: (values) => ({ modality: valueOf(values, 'modality'), notes: valueOf(values, 'notes') ?? '' }),
  done: () => recorded('The evaluation is recorded.'),
};

function screeningSummary(view: PageView): Html {
  const screening = view.patient.screenings.at(-1);
  if (screening === undefined) return html`<p class="urgent">No screening result is stored yet.</p>`;
  const s = screening.scores;
  return html`<h2>Screening: ${screeningOutcomeWords[screening.outcome]}</h2>
<table>
<tr><th>GAD-7</th><td>${s.gad7.total} (${s.gad7.band})</td></tr>
<tr><th>PHQ-9</th><td>${s.phq9.total} (${s.phq9.band}); item 9: ${s.phq9.item9}</td></tr>
<tr><th>C-SSRS risk</th><td>${s.cssrs.risk}</td></tr>
<tr><th>AUDIT-C</th><td>${s.auditC.total}${s.auditC.positive ? ' (positive)' : ''}</td></tr>
<tr><th>DAST-10</th><td>${s.dast10.total} (${s.dast10.band})</td></tr>
<tr><th>Resting BP</th><td>${s.restingBp.systolic}/${s.restingBp.diastolic}</td></tr>
<tr><th>Age</th><td>${s.ageYears}</td></tr>
</table>
<h2>Reasons</h2>${screening.reasons.length === 0 ? html`<p>No exclusion or review reason found.</p>` : html`<ul>${join(screening.reasons.map((r) => html`<li>${r.severity === 'exclusion' ? 'Exclusion' : 'Review'}: ${reasonWords(r)}</li>`))}</ul>`}
<p class="hint">Protocol ${screening.protocolVersion}</p>
${join(view.patient.evaluations.map((e) => html`<h2>Consult evaluation (${evaluationModalityLabels[e.modality].toLowerCase()})</h2><p>${e.notes}</p>`))}`;
}

/**
 * A screening reason in words: a contraindication from the intake's conditions is named as the intake
 * asked it ("Bladder or urinary problems ..."), not by its code ("urinary-symptoms").
 */
function reasonWords(reason: { code: string; message: string; severity: string }): string {
  const condition = conditionLabel(reason.code);
  if (condition === undefined) return reason.message;
  return `${reason.severity === 'exclusion' ? 'absolute' : 'relative'} contraindication: ${condition}`;
}

export const eligibilityPage: PurposePage = {
  title: 'Eligibility decision',
  rule: eligibilityAnswer,
  render: (view, state) => {
    const needsReview = view.patient.screenings.at(-1)?.outcome === 'NEEDS_REVIEW';
    return html`${patientHeader(view)}${screeningSummary(view)}${form(
      'eligibility',
      state,
      html`${textArea(state, 'overrideReason', 'Override reason', { hint: needsReview ? 'Required to approve: a relative contraindication was found. Say why it is acceptable for this patient.' : 'Only needed when the screening found a relative contraindication.', maxLength: OVERRIDE_REASON_MAX_CHARACTERS })}${textArea(state, 'note', 'Note (optional)', { maxLength: NOTE_MAX_CHARACTERS })}`,
      html`${submitButton('Approve', 'APPROVED')}${submitButton('Decline', 'DECLINED', true)}`,
    )}`;
  },
  answerFrom: (values) => ({
    decision: decisionOf(values),
    overrideReason: valueOf(values, 'overrideReason'),
    note: valueOf(values, 'note'),
  }),
  done: (_view, decision) =>
    recorded(
      decision === 'APPROVED'
        ? 'Eligibility approved. You will be asked for the treatment plan next.'
        : 'Eligibility declined. The patient will be asked to contact the clinic.',
    ),
};

const PLAN_SESSIONS = 6;

/** What the plan is checked against when approved, so the clinician sees the limits before submitting. */
function prescribingFacts(view: PageView): Html {
  const p = view.protocol;
  const weight = view.patient.intake?.vitals.weightKg;
  const firstPlan = view.patient.plan === undefined;
  const pdmp = view.patient.journey.pdmpCheckedAt;
  const inPerson = view.patient.evaluations.filter((e) => e.modality === 'in-person');
  return html`<h2>Prescribing checks (protocol ${p.version})</h2><table>
<tr><th>Weight at intake</th><td>${weight === undefined ? 'not recorded: the plan cannot be approved until it is' : html`${weight} kg: at most ${Math.floor(weight * p.dose.maxMgPerKg)} mg per session (${p.dose.maxMgPerKg} mg/kg)`}</td></tr>
<tr><th>First dose</th><td>${firstPlan ? `this is the first plan: at most ${p.dose.firstDoseMaxMg} mg` : 'an earlier plan was approved'}</td></tr>
<tr><th>PDMP check</th><td>${pdmp === null ? 'none recorded' : formatInZone(pdmp, view.timeZone)} (needed within ${p.prescribing.pdmpCheckWithinDays === 1 ? '24 hours' : `${p.prescribing.pdmpCheckWithinDays} days`} before approval)</td></tr>
<tr><th>In-person evaluation</th><td>${inPerson.length === 0 ? 'none on record' : inPerson.map((e) => `${clinicianName(view.clinic, e.clinicianId)}, ${formatInZone(e.evaluatedAt, view.timeZone)}`).join('; ')} (telehealth alone until ${p.telehealth.prescribingValidUntil}; after it, by ${p.prescribing.inPersonEvaluationBy === 'prescribing-clinician' ? 'the prescribing clinician' : 'any clinician'})</td></tr>
</table>`;
}

/**
 * The sessions and the follow-up happen where the patient is: their times are typed and shown in the
 * patient's zone, with the clinic's beside it, so a patient three zones away is not booked for 7 a.m.
 */
function patientTimesHint(view: PageView): string {
  const patientZone = view.patient.patient.timeZone;
  if (patientZone === view.timeZone)
    return `Times are in the patient's time zone, which is also the clinic's (${patientZone}).`;
  return `Times are in the patient's time zone, ${patientZone}. Now it is ${formatInZone(view.now, patientZone)} for the patient and ${formatInZone(view.now, view.timeZone)} at the clinic.`;
}

export const treatmentPlanPage: PurposePage = {
  title: 'Treatment plan',
  rule: treatmentPlanAnswer,
  render: (view, state) => {
    const p = view.protocol;
    const patientZone = view.patient.patient.timeZone;
    return html`${patientHeader(view)}${telehealthNotice(view)}${prescribingFacts(view)}${form(
      'treatment-plan',
      state,
      html`<fieldset><legend>Dose</legend>${numberField(state, 'plan.doseMg', 'Dose per session (mg)', { min: 0, hint: `At most ${p.dose.maxSublingualMg} mg per session, ${p.dose.maxMgPerKg} mg/kg, and ${p.dose.firstDoseMaxMg} mg for a first plan, under protocol ${p.version}.` })}${radioGroup(state, 'plan.route', 'Route', [{ value: p.dose.route, label: p.dose.route }])}</fieldset>
<fieldset><legend>Induction sessions</legend>${numberField(state, 'plan.sessionCount', 'Number of sessions', { min: 1, max: 52, step: '1', hint: `The protocol's induction count is ${p.induction.sessionCount}.` })}
${textField(state, 'plan.sessionCountReason', 'Reason for a different number of sessions (if any)')}
${numberField(state, 'plan.intervalDays', 'Days between sessions', { min: 1, hint: `At least ${p.induction.minimumHoursBetweenSessions / 24} days apart.` })}
<p class="hint">${patientTimesHint(view)}</p>
${join(Array.from({ length: PLAN_SESSIONS }, (_, i) => textField(state, `plan.plannedSessionTimes[${i}]`, `Session ${i + 1} start (${patientZone})`, { type: 'datetime-local' })))}</fieldset>
<fieldset><legend>Monitoring</legend>${radioGroup(
        state,
        'plan.monitoring.adultMonitorRequired',
        'An adult monitor stays for the whole session',
        [
          { value: 'yes', label: 'Required' },
          { value: 'no', label: 'Not required' },
        ],
      )}
${radioGroup(state, 'plan.monitoring.bloodPressureBeforeEachSession', 'Blood pressure before each session', [
  { value: 'yes', label: 'Required' },
  { value: 'no', label: 'Not required' },
])}
${textArea(state, 'plan.monitoring.notes', 'Monitoring notes')}</fieldset>
${textField(state, 'plan.followUpAt', `Follow-up appointment (${patientZone})`, { type: 'datetime-local', hint: patientTimesHint(view) })}
${textArea(state, 'plan.preparationGuidance', 'Preparation guidance for the patient')}
<fieldset><legend>Prescription</legend>${textField(state, 'plan.prescriptionIssuedOn', 'Date of issue', { type: 'date' })}
${numberField(state, 'plan.daysOfSupply', 'Days of supply per fill', { min: 1, step: '1', hint: `At most ${p.supply.maxDaysPerFill} days.` })}
${numberField(state, 'plan.refillsAllowed', 'Refills allowed', { min: 0, step: '1', hint: `At most ${p.refill.maxRefills}.` })}</fieldset>
<fieldset><legend>Maintenance</legend>${numberField(state, 'plan.maintenanceIntervalDays', 'Days between maintenance doses', { min: p.maintenance.minDaysBetweenDoses, max: p.maintenance.maxDaysBetweenDoses, step: '1', hint: `After induction, each refill supplies a dose every this many days (${p.maintenance.minDaysBetweenDoses} to ${p.maintenance.maxDaysBetweenDoses}, at most ${p.maintenance.maxDosesPerFill} doses per fill). Each dose has its own check-in, hour and journal.` })}</fieldset>
${textArea(state, 'note', 'Note if you decline (optional)', { maxLength: NOTE_MAX_CHARACTERS })}`,
      html`${submitButton('Approve plan', 'APPROVED')}${submitButton('Decline', 'DECLINED', true)}`,
    )}`;
  },
  answerFrom: (values, view) => {
    // typed in the patient's zone (patientTimesHint)
    const patientZone = view.patient.patient.timeZone;
    const times = Array.from({ length: PLAN_SESSIONS }, (_, i) =>
      instantFromLocalInput(valueOf(values, `plan.plannedSessionTimes[${i}]`), patientZone),
    ).filter((t) => t !== undefined);
    const yes = (name: string) =>
      valueOf(values, name) === 'yes' ? true : valueOf(values, name) === 'no' ? false : undefined;
    const reason = valueOf(values, 'plan.sessionCountReason')?.trim();
    return {
      decision: decisionOf(values),
      note: valueOf(values, 'note'),
      plan: {
        doseMg: numberOf(values, 'plan.doseMg'),
        route: valueOf(values, 'plan.route'),
        sessionCount: numberOf(values, 'plan.sessionCount'),
        ...(reason ? { sessionCountReason: reason } : {}),
        intervalDays: numberOf(values, 'plan.intervalDays'),
        plannedSessionTimes: times,
        monitoring: {
          adultMonitorRequired: yes('plan.monitoring.adultMonitorRequired'),
          bloodPressureBeforeEachSession: yes('plan.monitoring.bloodPressureBeforeEachSession'),
          notes: valueOf(values, 'plan.monitoring.notes') ?? '',
        },
        followUpAt: instantFromLocalInput(valueOf(values, 'plan.followUpAt'), patientZone),
        preparationGuidance: valueOf(values, 'plan.preparationGuidance'),
        prescriptionIssuedOn: valueOf(values, 'plan.prescriptionIssuedOn') || undefined,
        daysOfSupply: numberOf(values, 'plan.daysOfSupply'),
        refillsAllowed: numberOf(values, 'plan.refillsAllowed'),
        maintenanceIntervalDays: numberOf(values, 'plan.maintenanceIntervalDays'),
      },
    };
  },
  done: (_view, decision, output) =>
    recorded(
      decision === 'APPROVED'
        ? `The plan is approved (${String(output['sessionCount'])} sessions).`
        : 'The plan was declined.',
    ),
};

/** "session 2", from a session step's key ("session-2-..."); undefined for a step of no session. */
function sessionOf(view: PageView): string | undefined {
  const number = sessionNumberOfKey(view.step.stepKey);
  return number === undefined ? undefined : `session ${number}`;
}

function choicePage(input: {
  title: string;
  purpose: string;
  intro: (view: PageView) => Html;
  choices: readonly { decision: string; label: string }[];
  noteRequiredFor?: readonly string[];
  noteLabel: string;
}): PurposePage {
  return {
    title: input.title,
    rule: choiceAnswer(
      input.choices.map((c) => c.decision),
      input.title,
      input.noteRequiredFor,
    ),
    render: (view, state: FormState) => {
      const accepted = acceptedDecisions(
        input.choices.map((c) => c.decision),
        view.step.context,
      );
      const offered = input.choices.filter((c) => accepted.includes(c.decision));
      return html`${patientHeader(view)}${input.intro(view)}${form(input.purpose, state, textArea(state, 'note', input.noteLabel, { maxLength: NOTE_MAX_CHARACTERS }), join(offered.map((c, i) => submitButton(c.label, c.decision, i > 0))))}`;
    },
    answerFrom: (values) => ({ decision: decisionOf(values), note: valueOf(values, 'note') }),
    done: (_view, decision) =>
      recorded(`Recorded: ${input.choices.find((c) => c.decision === decision)?.label ?? decision}.`),
  };
}

const measureNames: Record<TreatmentResponse['instrument'], string> = {
  gad7: 'GAD-7 (anxiety)',
  phq9: 'PHQ-9 (depression)',
};

/** The domain's reason for a finding, as a sentence ("GAD-7 fell from 14 to 6 (57.1 % of baseline ...)"). */
function reasonFor(measure: TreatmentResponse, codes: readonly string[]): string {
  const reason = measure.reasons.find((r) => codes.includes(r.code));
  return reason === undefined ? '' : `${reason.message.replace(/^./, (c) => c.toUpperCase())}.`;
}

/**
 * One measure as a card (a list of facts that wraps on a phone, not a six-column table that spills past
 * 390 px), each finding with its reason: a "No" for remission from a baseline under the protocol's
 * threshold says so, instead of leaving it to the audit.
 */
function measureCard(measure: TreatmentResponse): Html {
  const change =
    measure.fallPercent === null
      ? 'not measurable (baseline 0)'
      : measure.fallPercent >= 0
        ? `fell ${Math.round(measure.fallPercent)} %`
        : `rose ${Math.round(-measure.fallPercent)} %`;
  const remissionJudged = !measure.reasons.some((r) => r.code === 'REMISSION_NOT_APPLICABLE');
  return html`<section class="measure"><h3>${measureNames[measure.instrument]}</h3><dl class="facts">
<div><dt>Baseline</dt><dd>${measure.baseline}</dd></div>
<div><dt>Latest</dt><dd>${measure.latest}</dd></div>
<div><dt>Change</dt><dd>${change}</dd></div>
<div><dt>Response</dt><dd><strong>${measure.response ? 'Yes' : 'No'}</strong>. ${reasonFor(measure, ['RESPONSE', 'NO_RESPONSE', 'RESPONSE_NOT_APPLICABLE'])}</dd></div>
<div><dt>Remission</dt><dd><strong>${measure.remission ? 'Yes' : remissionJudged ? 'No' : 'No, not judged'}</strong>. ${reasonFor(measure, ['REMISSION', 'NO_REMISSION', 'REMISSION_NOT_APPLICABLE'])}</dd></div>
</dl></section>`;
}

function followUpNumbers(view: PageView): Html {
  const intake = view.patient.intake;
  const latest = latestAssessment(view.patient.assessments);
  if (intake === undefined || latest === undefined)
    return html`<p>No baseline and follow-up assessment to compare yet.</p>`;
  const followUp = computeFollowUp(intake, latest, view.protocol);
  const rules = view.protocol.followUp;
  return html`<h2>Change since intake</h2><p class="hint">Baseline: the intake. Latest: the assessment of ${formatInZone(latest.takenAt, view.timeZone)}. Response: a fall of at least ${rules.responseMinimumFallPercent} %. Remission: a score below ${rules.remissionBelow}, judged only from a baseline of ${rules.remissionBaselineAtLeast} or more (protocol ${followUp.protocolVersion}).</p>${measureCard(followUp.gad7)}${measureCard(followUp.phq9)}`;
}

export const followUpPage = choicePage({
  title: 'Follow-up decision',
  purpose: 'follow-up-decision',
  intro: followUpNumbers,
  choices: [
    { decision: 'MAINTENANCE', label: 'Continue to maintenance' },
    { decision: 'NEW_PLAN', label: 'New plan' },
    { decision: 'DISCHARGE', label: 'Discharge' },
  ],
  noteLabel: 'Note (optional)',
});

function refillFindings(view: PageView): Html {
  const latest = latestAssessment(view.patient.assessments);
  const lastFill = view.patient.fills.at(-1);
  const bladder = latest?.bladderCheck;
  const flags = bladder
    ? (Object.keys(bladderSymptomLabels) as (keyof typeof bladderSymptomLabels)[])
        .filter((name) => bladder[name])
        .map((name) => bladderSymptomLabels[name])
    : [];
  return html`<h2>Refill request</h2><table>
<tr><th>Fills so far</th><td>${view.patient.fills.length}${lastFill ? html`, the last on ${formatInZone(lastFill.filledAt, view.timeZone)}` : ''}</td></tr>
<tr><th>Latest assessment</th><td>${latest ? html`GAD-7 ${scoreGad7(latest.gad7, view.protocol).total}, PHQ-9 ${scorePhq9(latest.phq9, view.protocol).total} (item 9: ${latest.phq9.items[8] ?? '?'}), ${formatInZone(latest.takenAt, view.timeZone)}` : 'none'}</td></tr>
<tr><th>Bladder symptoms</th><td>${flags.length === 0 ? 'none reported' : flags.join(', ')}</td></tr>
<tr><th>Lost or stolen</th><td>${latest?.lostOrStolenReplacement ? 'Yes: this replaces a lost or stolen supply' : 'No'}</td></tr>
</table><p class="hint">The refill gate found this request approvable under protocol ${view.protocol.version}; every refill still needs your approval.</p>`;
}

export const refillApprovalPage = choicePage({
  title: 'Refill approval',
  purpose: 'refill-approval',
  intro: refillFindings,
  choices: [
    { decision: 'APPROVED', label: 'Approve refill' },
    { decision: 'DECLINED', label: 'Decline refill' },
  ],
  noteRequiredFor: ['DECLINED'],
  noteLabel: 'Note (required to decline)',
});

function holdSummary(view: PageView): Html {
  const hold = view.patient.journey.hold;
  const open = view.patient.adverseEvents.filter((e) => e.status === 'open');
  return html`<p class="urgent">${hold ? html`On clinical hold since ${formatInZone(hold.since, view.timeZone)}: ${hold.reason}` : 'The patient is not on hold right now.'}</p>${
    open.length === 0
      ? ''
      : html`<h2>Open adverse events</h2><ul>${join(open.map((e) => html`<li>${adverseEventKindLabels[e.kind]}, reported by ${adverseEventReporterLabels[e.reportedBy]}: ${e.description}</li>`))}</ul>`
  }`;
}

export const holdDecisionPage = choicePage({
  title: 'Decision after a clinical hold',
  purpose: 'hold-decision',
  intro: holdSummary,
  choices: [
    { decision: 'RESUME', label: 'Resume' },
    { decision: 'NEW_PLAN', label: 'New plan' },
    { decision: 'DISCHARGE', label: 'Discharge' },
  ],
  noteRequiredFor: ['RESUME'],
  noteLabel: 'Note (required to resume: what was reviewed)',
});

export const journalMissingPage = choicePage({
  title: 'A session journal is missing',
  purpose: 'journal-missing',
  intro: (view) =>
    html`<p>The patient has not written the journal for ${sessionOf(view) ?? 'their latest session'}. The next session stays blocked until it is written.</p>`,
  choices: [
    { decision: 'ASK_AGAIN', label: 'Ask the patient again' },
    { decision: 'DISCHARGE', label: 'Discharge' },
  ],
  noteLabel: 'Note (optional)',
});

export const missedCheckInsPage = choicePage({
  title: 'Check-ins missed',
  purpose: 'missed-check-ins',
  intro: (view) =>
    html`<p>The patient has missed the check-in for ${sessionOf(view) ?? 'their next session'} ${view.protocol.induction.maxMissedCheckIns} times. They get no more check-in links for it until you decide: nothing is dosed meanwhile.</p>`,
  choices: [
    { decision: 'TRY_AGAIN', label: 'Try again (a new check-in the next day, at the planned time)' },
    { decision: 'NEW_PLAN', label: 'New plan' },
    { decision: 'DISCHARGE', label: 'Discharge' },
  ],
  noteLabel: 'Note (optional)',
});

export const firstDoseCheckInPage = choicePage({
  title: 'Check in after the first dose',
  purpose: 'first-dose-check-in',
  intro: (view) =>
    html`<p>The patient has taken their first dose. Please contact them ${view.protocol.afterSession.firstDoseCheckInFromDays} to ${view.protocol.afterSession.firstDoseCheckInToDays} days after it (sleep, side effects, mood, how the session went), then record it here.</p>`,
  choices: [{ decision: 'CHECKED_IN', label: 'I have checked in with the patient' }],
  noteRequiredFor: ['CHECKED_IN'],
  noteLabel: 'What you found (required)',
});

const stepNames: Record<string, string> = {
  intake: 'the intake questionnaires',
  'check-in': 'a pre-session check-in',
  recovery: 'the check that they have recovered after a session (the adult with them was asked to stay)',
  journal: 'a session journal',
  assessment: 'an assessment',
  'refill-request': 'a refill request',
};

/** An escalated patient step: the patient has not done it yet (request-action, escalation stage). */
function overdueStep(view: PageView): Html {
  const session = sessionOf(view);
  return html`<p class="notice">The patient has not yet completed ${stepNames[view.step.purpose] ?? 'a step of their journey'}${session === undefined ? '' : ` (${session})`}. Their link stays valid until ${formatInZone(view.step.expiresAt, view.timeZone)}.</p>`;
}

/** A clinician alert (functions/links/clinician-alert.ts): the email said only "a patient"; this page says who and what. */
function alertNotice(view: PageView, alert: StepAlert): Html {
  const urgent = alert.urgency === 'urgent';
  return html`<p class="${urgent ? 'urgent' : 'notice'}" role="status">${urgent ? 'Urgent: please review today' : 'For your attention'}</p>
<h2>What happened</h2><p>${alert.message}</p>
<table><tr><th>Raised</th><td>${formatInZone(alert.raisedAt, view.timeZone)}</td></tr></table>
<p>Any decision the journey needs from you arrives in its own email with its own link.</p>`;
}

export const noticePage: PurposePage = {
  title: 'A patient needs your attention',
  rule: undefined,
  render: (view) =>
    html`${patientHeader(view)}${view.step.alert === undefined ? overdueStep(view) : alertNotice(view, view.step.alert)}<p>This page is for information; there is nothing to submit.</p>`,
  answerFrom: () => ({}),
  done: () => html``,
};
