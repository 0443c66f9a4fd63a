import { validateTreatmentPlan, type PrescribingRecord } from '../../domain/treatment-plan.ts';
import { keys } from '../../store/table-design.ts';
import { fieldProblem, type AnswerContext, type AnswerResult, type AnswerRule } from './answer.ts';

interface Choice {
  decision?: unknown;
  note?: unknown;
}

function noteOf(answer: Choice): string {
  return typeof answer.note === 'string' ? answer.note.trim().slice(0, 5_000) : '';
}

function decided(decision: string, reason: string, details: Record<string, unknown> = {}): AnswerResult {
  return { ok: true, decision, output: {}, details, writes: [], reason };
}

/**
 * The decision words the workflow waiting on this step accepts: a workflow that handles only some of
 * them names those in the step's `context.decisions` (a refill cycle cannot start a new plan). The page
 * offers these and the answer accepts these, so a clinician is never shown a choice that is refused.
 */
export function acceptedDecisions(allowed: readonly string[], stepContext: Readonly<Record<string, unknown>> | null | undefined): string[] {
  const narrowed = stepContext?.['decisions'];
  return Array.isArray(narrowed) ? allowed.filter((word) => narrowed.includes(word)) : [...allowed];
}

/**
 * A clinician's choice among the step's decision words, with an optional note (required where named).
 * Any choice the workflow does not accept (acceptedDecisions) is refused rather than recorded and ignored.
 */
export function choiceAnswer(allowed: readonly string[], what: string, noteRequiredFor: readonly string[] = []): AnswerRule {
  return (answer, context) => {
    const choice = answer as Choice;
    const decision = typeof choice.decision === 'string' ? choice.decision : '';
    const accepted = acceptedDecisions(allowed, context.step.context);
    if (!accepted.includes(decision)) return { ok: false, errors: [fieldProblem('decision', `expected one of ${accepted.join(', ')}`)] };
    const note = noteOf(choice);
    if (noteRequiredFor.includes(decision) && note === '') return { ok: false, errors: [fieldProblem('note', 'expected a note explaining this decision')] };
    return decided(decision, `${what}: ${decision}`, note === '' ? {} : { note });
  };
}

/**
 * Eligibility after the consult. A relative contraindication (NEEDS_REVIEW) may be approved only with a
 * written override reason; an absolute one (INELIGIBLE) never.
 */
export const eligibilityAnswer: AnswerRule = (answer, context) => {
  const choice = answer as Choice & { overrideReason?: unknown };
  const decision = typeof choice.decision === 'string' ? choice.decision : '';
  if (decision !== 'APPROVED' && decision !== 'DECLINED') return { ok: false, errors: [fieldProblem('decision', 'expected Approve or Decline')] };
  const screening = context.patient.screenings.at(-1);
  const overrideReason = typeof choice.overrideReason === 'string' ? choice.overrideReason.trim() : '';
  const note = noteOf(choice);
  if (decision === 'APPROVED') {
    if (screening === undefined) return { ok: false, errors: [fieldProblem('decision', 'there is no screening result to approve')] };
    if (screening.outcome === 'INELIGIBLE') return { ok: false, errors: [fieldProblem('decision', 'an absolute contraindication cannot be overridden')] };
    if (screening.outcome === 'NEEDS_REVIEW' && overrideReason === '') {
      return { ok: false, errors: [fieldProblem('overrideReason', 'expected a written reason to approve despite a relative contraindication')] };
    }
  }
  const overridden = decision === 'APPROVED' && screening?.outcome === 'NEEDS_REVIEW';
  return {
    ok: true,
    decision,
    output: { overridden },
    details: { screeningOutcome: screening?.outcome ?? null, ...(overridden ? { overrideReason: overrideReason.slice(0, 2_000) } : {}), ...(note === '' ? {} : { note }) },
    writes: [],
    reason: overridden ? `eligibility approved with an override: ${overrideReason.slice(0, 500)}` : `eligibility ${decision.toLowerCase()}`,
    protocolVersion: screening?.protocolVersion,
  };
};

/** The plan is validated against the protocol before it can be approved; errors go back to the fields. */
export const treatmentPlanAnswer: AnswerRule = (answer, context: AnswerContext) => {
  const choice = answer as Choice & { plan?: Record<string, unknown> };
  const decision = typeof choice.decision === 'string' ? choice.decision : '';
  if (decision === 'DECLINED') return decided('DECLINED', 'treatment plan declined', noteOf(choice) === '' ? {} : { note: noteOf(choice) });
  if (decision !== 'APPROVED') return { ok: false, errors: [fieldProblem('decision', 'expected Approve plan or Decline')] };
  const approver = context.actor.id;
  const { patient } = context;
  const record: PrescribingRecord = {
    prescriberId: approver,
    timeZone: patient.patient.timeZone,
    // the page loads the intake for this purpose; without one there is no weight, and the plan is refused
    weightKg: patient.intake?.vitals.weightKg ?? null,
    firstPlan: patient.plan === undefined,
    pdmpCheckedAt: patient.journey.pdmpCheckedAt,
    evaluations: patient.evaluations,
  };
  const validation = validateTreatmentPlan({ ...choice.plan, approvedBy: approver, approvedAt: context.now.toISOString() }, context.protocol, context.now, record);
  if (!validation.ok) return { ok: false, errors: validation.errors.map((e) => ({ field: `plan.${e.field}`, message: `plan.${e.message}` })) };
  const planId = context.step.stepKey;
  return {
    ok: true,
    decision: 'APPROVED',
    output: { planId, sessionCount: validation.plan.sessionCount },
    details: { planId, sessionCount: validation.plan.sessionCount },
    writes: [{ kind: 'create', key: keys.treatmentPlan(context.step.patientId, planId), label: 'treatment plan', itemType: 'TREATMENT_PLAN', attributes: { patientId: context.step.patientId, journeyId: context.step.journeyId, ...validation.plan } }],
    reason: `treatment plan ${planId} approved`,
    protocolVersion: context.protocol.version,
  };
};
