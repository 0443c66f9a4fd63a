import { evaluateRefill, type RefillReasonCode } from '../../domain/refill-gate.ts';
import { now } from '../../platform/clock.ts';
import { commitChange, type AuditActor } from '../../store/audited-change.ts';
import { IDEMPOTENCY_RECORD_LABEL, rememberedResult, rememberResultWrite } from '../../store/idempotency-record.ts';
import { AlreadyExists } from '../../store/store-errors.ts';
import { placeOnHold } from '../holds/clinical-hold.ts';
import { failClosedOnHold, notOnHoldCheck } from '../../patient/hold-check.ts';
import { JourneyDataMissing, PatientOnHold } from '../../patient/journey-errors.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';
import { DAY_MS } from '../../domain/durations.ts';

/**
 * What the workflow receives: the decision, the failed rules' codes and when to ask again. The reasons in
 * words (which can name a bladder finding or quote a hold's reason) stay in the audit event: execution
 * history and the workflow logs keep every task's result.
 */
export interface RefillGateAnswer {
  readonly decision: 'APPROVABLE' | 'REFUSED';
  readonly reasons: readonly RefillReasonCode[];
  /** true when asking the patient again (or waiting) can lead to a refill this cycle */
  readonly retryable: boolean;
  /** present when the only failed rules are about time: the workflow waits until then and asks again */
  readonly allowedFrom?: string;
  readonly refillNumber: number;
  readonly protocolVersion: string;
}

/** Rules that time alone clears; lost or stolen medication included: it waits, it is never early. */
const timingRules = new Set<RefillReasonCode>(['TOO_EARLY', 'LOST_OR_STOLEN_NEVER_EARLY']);
/** Rules a fresh request clears (a new assessment), or the clinic (a PDMP check) before the patient asks again. */
const fixableRules = new Set<RefillReasonCode>([
  'ASSESSMENT_NOT_RECENT',
  'BLADDER_CHECK_NOT_RECENT',
  'PDMP_CHECK_NOT_RECENT',
]);

const REMEMBER_DAYS = 45;

/**
 * The refill gate through the store: every rule of evaluateRefill, on the patient's record and the
 * cycle's latest request. Fails closed on hold (PatientOnHold, also checked in the decision's own
 * transaction). A finding that is an adverse event (lost or stolen medication not yet reviewed, blood in
 * the urine) puts the patient on hold and answers PatientOnHold.
 *
 * The decision is recorded with its reasons and protocol version, once per request and per side of the
 * interval (a retried call answers the remembered decision; the call after the wait decides anew).
 */
export async function runRefillGate(input: {
  patientId: string;
  cycle: number;
  actor: AuditActor;
}): Promise<RefillGateAnswer> {
  const { client, tableName, protocol } = functionContext();
  const context = await loadPatientContext(input.patientId);
  if (context.journey.onHold) throw new PatientOnHold(input.patientId, `the refill gate of cycle ${input.cycle}`);
  const plan = context.plan;
  if (plan === undefined) throw new JourneyDataMissing('no approved prescription to refill');

  const request = context.assessments
    .filter((a) => a.stepKey?.startsWith(`refill-${input.cycle}-request`) === true)
    .at(-1);
  const at = now();
  const decision = evaluateRefill(
    {
      lostOrStolenReplacement: request?.lostOrStolenReplacement ?? false,
      assessment:
        request === undefined
          ? null
          : { takenAt: request.takenAt, bladderCheck: request.bladderCheck, phq9: request.phq9 },
    },
    {
      timeZone: context.patient.timeZone,
      prescription: plan,
      fills: context.fills,
      pdmpCheckedAt: context.journey.pdmpCheckedAt,
      hold: context.journey.hold,
      adverseEvents: context.adverseEvents,
      sessions: context.sessions,
      evaluations: context.evaluations,
    },
    protocol,
    at,
  );

  if (decision.holdSignal !== null) {
    await placeOnHold({
      patientId: input.patientId,
      reason: `refill request: ${decision.holdSignal.description}`,
      adverseEvent: {
        kind: decision.holdSignal.kind,
        reportedBy: 'system',
        description: decision.holdSignal.description,
      },
      actor: input.actor,
      adverseEventId: `refill-${input.cycle}-${request?.assessmentId ?? 'none'}`,
    });
    throw new PatientOnHold(input.patientId, `the refill of cycle ${input.cycle}`);
  }

  const codes = decision.reasons.map((r) => r.code);
  const onlyTiming = decision.outcome === 'REFUSED' && codes.every((c) => timingRules.has(c));
  const lastFill = context.fills.reduce((latest, f) => Math.max(latest, Date.parse(f.filledAt)), 0);
  const answer: RefillGateAnswer = {
    decision: decision.outcome,
    reasons: codes,
    retryable: decision.outcome === 'REFUSED' && codes.every((c) => timingRules.has(c) || fixableRules.has(c)),
    ...(onlyTiming
      ? { allowedFrom: new Date(lastFill + protocol.refill.minimumDaysSinceLastFill * DAY_MS).toISOString() }
      : {}),
    refillNumber: decision.refillNumber,
    protocolVersion: decision.protocolVersion,
  };

  const side = codes.includes('TOO_EARLY') ? 'early' : 'due';
  const idempotencyKey = `refill-gate:${input.patientId}:${input.cycle}:${request?.assessmentId ?? 'none'}:${side}`;
  try {
    await failClosedOnHold(input.patientId, `the refill gate of cycle ${input.cycle}`, () =>
      commitChange(client, tableName, {
        writes: [
          rememberResultWrite(idempotencyKey, answer, new Date(at.getTime() + REMEMBER_DAYS * DAY_MS)),
          notOnHoldCheck(input.patientId),
        ],
        audit: {
          patientId: input.patientId,
          actor: input.actor,
          action: 'refill.gate-decided',
          reason: `${decision.outcome}: ${decision.reasons.map((r) => r.message).join('; ')}`,
          protocolVersion: decision.protocolVersion,
          details: {
            cycle: input.cycle,
            refillNumber: decision.refillNumber,
            reasonCodes: codes,
            forClinician: decision.forClinician,
            retryable: answer.retryable,
            ...(answer.allowedFrom === undefined ? {} : { allowedFrom: answer.allowedFrom }),
          },
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof AlreadyExists && error.write.label === IDEMPOTENCY_RECORD_LABEL)) throw error;
    const remembered = await rememberedResult(client, tableName, idempotencyKey);
    if (remembered.found) return rememberedAnswer(remembered.result as RememberedGateAnswer);
    throw error;
  }
  return answer;
}

/** A decision remembered before answers carried codes only (up to REMEMBER_DAYS old) had whole reasons. */
type RememberedGateAnswer = Omit<RefillGateAnswer, 'reasons'> & {
  readonly reasons: readonly (RefillReasonCode | { readonly code: RefillReasonCode })[];
};

function rememberedAnswer(remembered: RememberedGateAnswer): RefillGateAnswer {
  return {
    ...remembered,
    reasons: remembered.reasons.map((reason) => (typeof reason === 'string' ? reason : reason.code)),
  };
}
