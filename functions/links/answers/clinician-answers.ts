import * as z from 'zod/mini';
import { judgeEligibilityDecision, type EligibilityRefusal } from '../../domain/eligibility-override.ts';
import { validateTreatmentPlan, type PrescribingRecord } from '../../domain/treatment-plan.ts';
import { safeParseFields } from '../../domain/schemas/parse.ts';
import { keys } from '../../store/table-design.ts';
import { fieldProblem, type AnswerContext, type AnswerResult, type AnswerRule } from './answer.ts';

/**
 * The longest note and override reason a clinician may write, in characters. A longer text is refused
 * with the form sent back (text kept), never cut: a clinical note that lost its end says something else.
 */
export const NOTE_MAX_CHARACTERS = 5_000;
export const OVERRIDE_REASON_MAX_CHARACTERS = 2_000;

/**
 * A text a clinician may leave empty, trimmed; its length counted in characters as a person counts them
 * (code points), the way the page says the length.
 */
const clinicianText = (max: number) =>
  z.pipe(
    z.pipe(
      z.optional(z.string({ error: 'expected text' })),
      z.transform((text) => (text ?? '').trim()),
    ),
    z
      .string()
      .check(z.refine((text) => [...text].length <= max, `expected at most ${max.toLocaleString('en-US')} characters`)),
  );

/** A missing or odd decision is refused below with the buttons' words, not zod's. */
const decisionWord = z.catch(z.string(), '');

const choiceSchema = z.object({ decision: decisionWord, note: clinicianText(NOTE_MAX_CHARACTERS) });
const eligibilitySchema = z.object({
  decision: decisionWord,
  overrideReason: clinicianText(OVERRIDE_REASON_MAX_CHARACTERS),
  note: clinicianText(NOTE_MAX_CHARACTERS),
});
/** The plan itself is validated against the protocol (functions/domain/treatment-plan.ts). */
const treatmentPlanSchema = z.object({
  decision: decisionWord,
  note: clinicianText(NOTE_MAX_CHARACTERS),
  plan: z.optional(z.record(z.string(), z.unknown())),
});

function decided(decision: string, reason: string, details: Record<string, unknown> = {}): AnswerResult {
  return { ok: true, decision, output: {}, details, writes: [], reason };
}

/**
 * The decision words the workflow waiting on this step accepts: a workflow that handles only some of
 * them names those in the step's `context.decisions` (a refill cycle cannot start a new plan). The page
 * offers these and the answer accepts these, so a clinician is never shown a choice that is refused.
 */
export function acceptedDecisions(
  allowed: readonly string[],
  stepContext: Readonly<Record<string, unknown>> | null | undefined,
): string[] {
  const narrowed = stepContext?.['decisions'];
  return Array.isArray(narrowed) ? allowed.filter((word) => narrowed.includes(word)) : [...allowed];
}

/**
 * A clinician's choice among the step's decision words, with an optional note (required where named).
 * Any choice the workflow does not accept (acceptedDecisions) is refused rather than recorded and ignored.
 */
export function choiceAnswer(
  allowed: readonly string[],
  what: string,
  noteRequiredFor: readonly string[] = [],
): AnswerRule {
  return (answer, context) => {
    const parsed = safeParseFields(choiceSchema, answer);
    if (!parsed.success) return { ok: false, errors: parsed.errors };
    const { decision, note } = parsed.data;
    const accepted = acceptedDecisions(allowed, context.step.context);
    if (!accepted.includes(decision))
      return {
        ok: false,
        errors: [fieldProblem('decision', 'please use one of the buttons at the end of the form to decide')],
      };
    if (noteRequiredFor.includes(decision) && note === '')
      return { ok: false, errors: [fieldProblem('note', 'write a note explaining this decision')] };
    return decided(decision, `${what}: ${decision}`, note === '' ? {} : { note });
  };
}

const eligibilityRefusals: Readonly<Record<EligibilityRefusal, { field: string; words: string }>> = {
  'no-screening': { field: 'decision', words: 'there is no screening result to approve' },
  'absolute-contraindication': { field: 'decision', words: 'an absolute contraindication cannot be overridden' },
  'override-reason-required': {
    field: 'overrideReason',
    words: 'write why approving is acceptable despite the relative contraindication the screening found',
  },
};

/** Eligibility after the consult, judged by functions/domain/eligibility-override.ts. */
export const eligibilityAnswer: AnswerRule = (answer, context) => {
  const parsed = safeParseFields(eligibilitySchema, answer);
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const { decision, overrideReason, note } = parsed.data;
  if (decision !== 'APPROVED' && decision !== 'DECLINED')
    return { ok: false, errors: [fieldProblem('decision', 'please use Approve or Decline at the end of the form')] };
  const screening = context.patient.screenings.at(-1);
  const judged = judgeEligibilityDecision(decision, screening?.outcome, overrideReason);
  if (!judged.allowed) {
    const refusal = eligibilityRefusals[judged.refusal];
    return { ok: false, errors: [fieldProblem(refusal.field, refusal.words)] };
  }
  const { overridden } = judged;
  return {
    ok: true,
    decision,
    output: { overridden },
    details: {
      screeningOutcome: screening?.outcome ?? null,
      ...(overridden ? { overrideReason } : {}),
      ...(note === '' ? {} : { note }),
    },
    writes: [],
    // the audit line quotes the start; the whole reason is in the decision's details
    reason: overridden
      ? `eligibility approved with an override: ${overrideReason.slice(0, 500)}`
      : `eligibility ${decision.toLowerCase()}`,
    protocolVersion: screening?.protocolVersion,
  };
};

/** The plan is validated against the protocol before it can be approved; errors go back to the fields. */
export const treatmentPlanAnswer: AnswerRule = (answer, context: AnswerContext) => {
  const parsed = safeParseFields(treatmentPlanSchema, answer);
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const { decision, note, plan } = parsed.data;
  if (decision === 'DECLINED') return decided('DECLINED', 'treatment plan declined', note === '' ? {} : { note });
  if (decision !== 'APPROVED')
    return {
      ok: false,
      errors: [fieldProblem('decision', 'please use Approve plan or Decline at the end of the form')],
    };
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
  const validation = validateTreatmentPlan(
    { ...plan, approvedBy: approver, approvedAt: context.now.toISOString() },
    context.protocol,
    context.now,
    record,
  );
  if (!validation.ok)
    return {
      ok: false,
      errors: validation.errors.map((e) => ({ field: `plan.${e.field}`, message: `plan.${e.message}` })),
    };
  const planId = context.step.stepKey;
  return {
    ok: true,
    decision: 'APPROVED',
    output: { planId, sessionCount: validation.plan.sessionCount },
    details: { planId, sessionCount: validation.plan.sessionCount },
    writes: [
      {
        kind: 'create',
        key: keys.treatmentPlan(context.step.patientId, planId),
        label: 'treatment plan',
        itemType: 'TREATMENT_PLAN',
        attributes: { patientId: context.step.patientId, journeyId: context.step.journeyId, ...validation.plan },
      },
    ],
    reason: `treatment plan ${planId} approved`,
    protocolVersion: context.protocol.version,
  };
};
