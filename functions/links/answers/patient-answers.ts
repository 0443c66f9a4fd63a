import { evaluateCheckIn } from '../../domain/check-in-gate.ts';
import { assessmentSchema } from '../../domain/schemas/assessment.ts';
import { checkInSchema } from '../../domain/schemas/check-in.ts';
import { journalEntrySchema } from '../../domain/schemas/journal-entry.ts';
import type { FieldError } from '../../domain/schemas/field-errors.ts';
import { safeParseFields } from '../../domain/schemas/parse.ts';
import { intakeSchema } from '../../domain/schemas/questionnaires.ts';
import { sideEffectReportSchema } from '../../domain/schemas/side-effect-report.ts';
import { triageSideEffects } from '../../domain/triage.ts';
import { localDate } from '../../domain/local-time.ts';
import { latestAssessment } from '../../domain/latest-assessment.ts';
import {
  triageQuestionnaire,
  type PreviousQuestionnaire,
  type QuestionnaireAnswers,
} from '../../domain/questionnaire-triage.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { keys } from '../../store/table-design.ts';
import { en } from '../../pages/messages-en.ts';
import { fieldProblem, type AnswerAlert, type AnswerContext, type AnswerPageOnly, type AnswerRule } from './answer.ts';
import { sessionNumberOfKey } from '../../domain/session-step-key.ts';

/** Session number of a step key such as "session-2-a1-check-in" (the schedule's key + the step). */
export function sessionNumberOf(context: AnswerContext): number | undefined {
  const fromContext = context.step.context?.['sessionNumber'];
  if (typeof fromContext === 'number') return fromContext;
  return sessionNumberOfKey(context.step.stepKey);
}

function withTime(answer: unknown, field: string, context: AnswerContext): Record<string, unknown> {
  return { ...(answer as Record<string, unknown>), [field]: context.now.toISOString() };
}

export const intakeAnswer: AnswerRule = (answer, context) => {
  const parsed = safeParseFields(intakeSchema, withTime(answer, 'submittedAt', context));
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const { patientId, journeyId } = context.step;
  const triaged = triageAnswers(parsed.data, null, context);
  return {
    ok: true,
    decision: 'SUBMITTED',
    output: {},
    details: { intake: 'stored', triage: triaged.codes },
    writes: [
      {
        kind: 'create',
        key: keys.intake(patientId, journeyId),
        label: 'intake',
        itemType: 'INTAKE',
        attributes: { patientId, journeyId, ...parsed.data },
      },
    ],
    reason: 'the patient submitted the intake questionnaires',
    protocolVersion: context.protocol.version,
    alert: triaged.alert,
    pageOnly: triaged.pageOnly,
  };
};

/**
 * The one questionnaire triage (functions/domain/questionnaire-triage.ts) applied to a submitted form:
 * the clinician's alert (urgent for the same day, else a notice for review), what the page shows, and the
 * finding codes recorded on the step. Change is measured from the previous questionnaire: the latest
 * assessment, else the intake.
 */
/** Which form the answers came from, as the clinician's alert says it. */
const questionnaireNames: Readonly<Record<string, string>> = {
  intake: 'intake questionnaires',
  assessment: 'assessment',
  'refill-request': 'monthly check-in for a refill',
};

function triageAnswers(
  answers: QuestionnaireAnswers,
  previous: PreviousQuestionnaire | null,
  context: AnswerContext,
): { alert: AnswerAlert | undefined; pageOnly: AnswerPageOnly; codes: string[] } {
  const triage = triageQuestionnaire(
    answers,
    previous,
    context.protocol,
    localDate(context.now, context.patient.patient.timeZone),
  );
  const codes = triage.findings.map((f) => f.code);
  const alert: AnswerAlert | undefined =
    triage.urgency === null
      ? undefined
      : {
          urgency: triage.urgency,
          key: 'triage',
          message: `The patient's answers (${questionnaireNames[context.step.purpose] ?? 'a questionnaire'}, protocol ${triage.protocolVersion}) need you: ${triage.findings.map((f) => f.message).join('; ')}.`,
        };
  return { alert, pageOnly: { crisisResources: triage.crisisResources }, codes };
}

function previousQuestionnaire(context: AnswerContext): PreviousQuestionnaire | null {
  const latest = latestAssessment(context.patient.assessments);
  if (latest !== undefined) return { phq9: latest.phq9, gad7: latest.gad7, bladderCheck: latest.bladderCheck };
  const intake = context.patient.intake;
  if (intake === undefined) return null;
  return {
    phq9: intake.phq9,
    gad7: intake.gad7,
    urinarySymptomsKnown: intake.medicalHistory.conditions.includes('urinary-symptoms'),
  };
}

/** Patients who can become pregnant are asked at each check-in; without an intake on record, everyone is. */
export function asksPregnancy(context: Pick<AnswerContext, 'patient'>): boolean {
  return context.patient.intake?.pregnancy !== 'cannot-become-pregnant';
}

/**
 * The check-in gate decides on POST. REFUSED (outside the window, session not waiting...) records
 * nothing: the page shows why, and the workflow keeps waiting until the window closes.
 */
export const checkInAnswer: AnswerRule = (answer, context) => {
  const parsed = safeParseFields(checkInSchema, withTime(answer, 'submittedAt', context));
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const number = sessionNumberOf(context);
  const session = context.patient.sessions.find((s) => s.number === number);
  if (number === undefined || session === undefined)
    return { ok: false, errors: [fieldProblem('(form)', en.rules.sessionNotPlanned)] };
  const asked = asksPregnancy(context) && context.protocol.checkIn.askPregnancyAtEachCheckIn;
  if (asked && parsed.data.pregnantPlannedOrBreastfeeding === undefined) {
    return { ok: false, errors: [fieldProblem('pregnantPlannedOrBreastfeeding', 'expected yes or no')] };
  }
  const previous = context.patient.sessions.find((s) => s.number === number - 1) ?? null;
  const gate = evaluateCheckIn(parsed.data, session, context.protocol, context.now, {
    previousSession: previous,
    hold: context.patient.journey.hold,
    asksPregnancy: asked,
  });
  if (gate.outcome === 'REFUSED') {
    return {
      ok: false,
      errors: gate.reasons.map((reason) =>
        fieldProblem('(form)', `this check-in cannot be accepted: ${reason.message}`),
      ),
    };
  }
  if (gate.outcome === 'RECHECK') {
    // nothing is recorded yet: the page keeps the answers and asks for the reading after rest
    const minutes = context.protocol.checkIn.bpRecheckAfterMinutes;
    return {
      ok: false,
      errors: [
        fieldProblem(
          'bpRecheck.systolic',
          `your blood pressure is very high. Do not take your dose. Sit quietly for ${minutes} minutes, measure again, and enter the new reading here. If you have chest pain, shortness of breath, back pain, numbness or weakness, a change in vision or trouble speaking, call 911 now.`,
        ),
      ],
    };
  }
  const persistentCrisis = gate.reasons.find((r) => r.code === 'BP_CRISIS_PERSISTENT');
  const suggestedStart = gate.suggestedStart?.toISOString() ?? null;
  const reasons = gate.reasons.map((r) => r.code);
  const { patientId, stepKey } = context.step;
  return {
    ok: true,
    decision: gate.outcome,
    output: { sessionNumber: number, reasons, suggestedStart },
    details: { sessionNumber: number, reasons: gate.reasons, suggestedStart },
    writes: [
      {
        kind: 'create',
        key: keys.checkIn(patientId, number, stepKey),
        label: 'check-in',
        itemType: 'CHECK_IN',
        attributes: {
          patientId,
          sessionNumber: number,
          stepKey,
          ...parsed.data,
          outcome: gate.outcome,
          reasons: gate.reasons,
          suggestedStart,
          protocolVersion: gate.protocolVersion,
        },
      },
      // the session names the check-in that cleared or stopped it, so "no session without a passed
      // check-in" can be read from the session itself; a postponed one is marked by the workflow
      {
        kind: 'update',
        key: keys.session(patientId, number),
        label: 'session',
        condition: {
          name: 'session is waiting for its check-in',
          expression: '#status = :planned',
          names: { '#status': 'status' },
          values: { ':planned': 'planned' },
        },
        set: {
          checkInRef: stepKey,
          ...(sessionStatusAfter[gate.outcome] === undefined ? {} : { status: sessionStatusAfter[gate.outcome] }),
        },
      },
    ],
    reason: `check-in for session ${number}: ${gate.outcome}`,
    protocolVersion: gate.protocolVersion,
    hold: gate.holdSignal ?? undefined,
    // a crisis reading that stays high after rest, without symptoms: the clinician contacts the patient today
    alert:
      persistentCrisis === undefined
        ? undefined
        : {
            urgency: 'urgent',
            key: 'bp-crisis',
            message: `Check-in for session ${number}: ${persistentCrisis.message}. The dose was withheld; please contact the patient today.`,
          },
  };
};

const sessionStatusAfter: Partial<Record<string, 'checked-in' | 'emergency'>> = {
  CLEARED: 'checked-in',
  EMERGENCY: 'emergency',
};

/** The journal and its structured side-effect report; triage may put the patient on hold. */
export const journalAnswer: AnswerRule = (answer, context) => {
  const number = sessionNumberOf(context);
  const raw = answer as {
    journal?: Record<string, unknown>;
    anySideEffects?: unknown;
    sideEffects?: Record<string, unknown>;
  };
  const at = context.now.toISOString();
  const answered = sideEffectsAnswered(raw.anySideEffects, raw.sideEffects);
  if (answered !== undefined) return { ok: false, errors: [answered] };
  const journal = safeParseFields(journalEntrySchema, { ...raw.journal, sessionNumber: number, submittedAt: at });
  const report = safeParseFields(sideEffectReportSchema, {
    ...raw.sideEffects,
    sessionNumber: number ?? null,
    submittedAt: at,
  });
  const errors = [
    ...(journal.success ? [] : journal.errors.map(prefix('journal'))),
    ...(report.success ? [] : report.errors.map(prefix('sideEffects'))),
  ];
  if (!journal.success || !report.success || number === undefined)
    return { ok: false, errors: errors.length > 0 ? errors : [fieldProblem('(form)', en.rules.journalForNoSession)] };
  // An out-of-order journal (a stray or replayed request) must not stand in for a session still to come:
  // it would take that session's journal slot and hide a later missing journal from the gate.
  const session = context.patient.sessions.find((s) => s.number === number);
  if (session?.status !== 'completed') {
    return {
      ok: false,
      errors: [
        fieldProblem(
          '(form)',
          `this journal is for session ${number}, which has not taken place yet; nothing was recorded`,
        ),
      ],
    };
  }
  const triage = triageSideEffects(report.data, context.protocol);
  const { patientId, stepKey } = context.step;
  const writes: StoreWrite[] = [
    {
      kind: 'create',
      key: keys.journalEntry(patientId, number),
      label: 'journal entry',
      itemType: 'JOURNAL_ENTRY',
      attributes: { patientId, stepKey, ...journal.data },
    },
    {
      kind: 'create',
      key: keys.sideEffectReport(patientId, stepKey),
      label: 'side-effect report',
      itemType: 'SIDE_EFFECT_REPORT',
      attributes: {
        patientId,
        stepKey,
        ...report.data,
        triage: triage.outcome,
        triageReasons: triage.reasons,
        protocolVersion: triage.protocolVersion,
      },
    },
    {
      kind: 'update',
      key: keys.session(patientId, number),
      label: 'session',
      condition: { name: 'session exists', expression: 'attribute_exists(#n)', names: { '#n': 'number' } },
      set: { journalRef: `journal-${number}` },
    },
  ];
  return {
    ok: true,
    decision: 'SUBMITTED',
    output: { sessionNumber: number, triage: triage.outcome },
    details: { sessionNumber: number, triage: triage.outcome, triageReasons: triage.reasons },
    writes,
    reason: `journal for session ${number}; side effects triaged ${triage.outcome}`,
    protocolVersion: triage.protocolVersion,
    hold: triage.holdSignal ?? undefined,
    // thoughts of self-harm, at any severity: crisis resources on the page at once (the hold alerts the clinician)
    pageOnly: {
      crisisResources: report.data.symptoms.some((s) => s.symptom === 'suicidal-thoughts' && s.severity !== 'none'),
    },
  };
};

/**
 * "Any side effects?" and the list agree: No with a symptom marked (the list was filled, then the answer
 * changed) or Yes with nothing marked is sent back to be settled by the patient, not guessed either way.
 */
function sideEffectsAnswered(any: unknown, report: Record<string, unknown> | undefined): FieldError | undefined {
  if (typeof any !== 'boolean') return fieldProblem('sideEffects.any', 'expected yes or no');
  const symptoms = Array.isArray(report?.['symptoms']) ? (report['symptoms'] as { severity?: unknown }[]) : [];
  const marked = symptoms.some((s) => s.severity !== 'none');
  const written = typeof report?.['freeText'] === 'string' && report['freeText'].trim() !== '';
  if (!any && marked) return fieldProblem('sideEffects.any', en.rules.sideEffectsNoButMarked);
  if (any && !marked && !written) return fieldProblem('sideEffects.any', en.rules.sideEffectsYesButNone);
  return undefined;
}

function prefix(group: string) {
  return (error: { field: string; message: string }) => ({
    field: `${group}.${error.field}`,
    message: `${group}.${error.message}`,
  });
}

function assessmentWrite(context: AnswerContext, assessment: object, lostOrStolenReplacement: boolean): StoreWrite {
  const { patientId, stepKey } = context.step;
  return {
    kind: 'create',
    key: keys.assessment(patientId, stepKey),
    label: 'assessment',
    itemType: 'ASSESSMENT',
    attributes: { patientId, stepKey, ...assessment, lostOrStolenReplacement },
  };
}

export const assessmentAnswer: AnswerRule = (answer, context) => {
  const parsed = safeParseFields(assessmentSchema, withTime(answer, 'takenAt', context));
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const triaged = triageAnswers(parsed.data, previousQuestionnaire(context), context);
  return {
    ok: true,
    decision: 'SUBMITTED',
    output: { assessmentId: context.step.stepKey },
    details: { assessmentId: context.step.stepKey, triage: triaged.codes },
    writes: [assessmentWrite(context, parsed.data, false)],
    reason: 'the patient answered the assessment',
    protocolVersion: context.protocol.version,
    alert: triaged.alert,
    pageOnly: triaged.pageOnly,
  };
};

/** A refill request: a fresh assessment with its bladder check, and whether it replaces lost or stolen medication. */
export const refillRequestAnswer: AnswerRule = (answer, context) => {
  const raw = answer as { assessment?: Record<string, unknown>; lostOrStolenReplacement?: unknown };
  const parsed = safeParseFields(assessmentSchema, { ...raw.assessment, takenAt: context.now.toISOString() });
  const lost = raw.lostOrStolenReplacement;
  const errors = [
    ...(parsed.success ? [] : parsed.errors.map(prefix('assessment'))),
    ...(typeof lost === 'boolean' ? [] : [fieldProblem('lostOrStolenReplacement', 'expected yes or no')]),
  ];
  if (!parsed.success || typeof lost !== 'boolean') return { ok: false, errors };
  const triaged = triageAnswers(parsed.data, previousQuestionnaire(context), context);
  return {
    ok: true,
    decision: 'SUBMITTED',
    output: { assessmentId: context.step.stepKey, lostOrStolenReplacement: lost },
    details: { assessmentId: context.step.stepKey, lostOrStolenReplacement: lost, triage: triaged.codes },
    writes: [assessmentWrite(context, parsed.data, lost)],
    reason: 'the patient requested a refill',
    protocolVersion: context.protocol.version,
    alert: triaged.alert,
    pageOnly: triaged.pageOnly,
  };
};
