import { alertClinician } from '../../links/clinician-alert.ts';
import { commitChange, type AuditActor } from '../../store/audited-change.ts';
import { IDEMPOTENCY_RECORD_LABEL, rememberResultWrite } from '../../store/idempotency-record.ts';
import { AlreadyExists } from '../../store/store-errors.ts';
import { now } from '../../platform/clock.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';
import { fillRefusal } from '../../domain/fill-refusal.ts';
import { askPatientToContactClinic } from '../steps/contact-clinic-email.ts';
import { DAY_MS } from '../../domain/durations.ts';

const REMEMBER_DAYS = 45;

export type RefillOutcomeEvent = 'refill-refused' | 'refill-not-requested' | 'refill-not-approved';

/**
 * A refill cycle that ends (or loops) without a fill: recorded, and the right person told once per
 * cycle. Refused or not requested: the clinician (they clear what only they can, or reach out);
 * not approved: the patient is asked to contact the clinic. Never a fill.
 */
export async function recordRefillOutcome(input: {
  patientId: string;
  cycle: number;
  event: RefillOutcomeEvent;
  retryable?: boolean;
  /** the gate passed the request and the clinician approved, but recording the fill refused it (RefillNotAllowed) */
  atFill?: boolean;
  actor: AuditActor;
}): Promise<{ notified: boolean }> {
  const { client, tableName, protocol } = functionContext();
  const context = await loadPatientContext(input.patientId);
  const gate = context.record.audit
    .filter((event) => event.action === 'refill.gate-decided' && event.details?.['cycle'] === input.cycle)
    .at(-1);
  // Recorded once per outcome: a cycle may be refused again, but only after a new gate decision, so the
  // latest one names the outcome; a retried call finds the record and adds nothing to the audit trail.
  const idempotencyKey = `refill-outcome:${input.patientId}:${input.cycle}:${input.event}:${gate?.eventId ?? 'no-gate-decision'}`;
  try {
    await commitChange(client, tableName, {
      writes: [
        rememberResultWrite(idempotencyKey, { recorded: true }, new Date(now().getTime() + REMEMBER_DAYS * DAY_MS)),
      ],
      audit: {
        patientId: input.patientId,
        actor: input.actor,
        action: `refill.${input.event.slice('refill-'.length)}`,
        reason: describe(input.event, input.retryable, input.atFill),
        details: {
          cycle: input.cycle,
          ...(input.retryable === undefined ? {} : { retryable: input.retryable }),
          ...(input.atFill === true ? { atFill: true } : {}),
        },
      },
    });
  } catch (error) {
    if (!(error instanceof AlreadyExists && error.write.label === IDEMPOTENCY_RECORD_LABEL)) throw error;
  }
  const markerKey = `refill-${input.cycle}-${input.event.slice('refill-'.length)}-notice`;
  if (input.event === 'refill-not-approved') {
    const notified = await askPatientToContactClinic({
      patientId: input.patientId,
      markerKey,
      patient: context.patient,
      actor: input.actor,
      reason: describe(input.event, input.retryable, input.atFill),
    });
    return { notified };
  }
  // A refusal at recording follows a gate decision that passed: quoting it would contradict the notice, so
  // the notice says why the fill was refused (the same check recordFill made, true still since it only
  // becomes true with time).
  const whyAtFill =
    input.atFill === true && context.plan !== undefined
      ? fillRefusal({ ...context, plan: context.plan }, input.cycle, now(), protocol)
      : null;
  const details =
    input.event !== 'refill-refused'
      ? ''
      : input.atFill === true
        ? whyAtFill === null
          ? ''
          : ` The fill was refused because ${whyAtFill}.`
        : gate === undefined
          ? ''
          : ` The refill gate found: ${gate.reason}`;
  const alerted = await alertClinician({
    patientId: input.patientId,
    journeyId: context.journey.id,
    clinicianId: context.patient.assignedClinicianId,
    urgency: 'notice',
    alertKey: markerKey,
    message: `Refill cycle ${input.cycle}: ${describe(input.event, input.retryable, input.atFill)}.${details}`,
    actor: input.actor,
    reason: describe(input.event, input.retryable, input.atFill),
  });
  return { notified: alerted.outcome === 'sent' };
}

function describe(event: RefillOutcomeEvent, retryable: boolean | undefined, atFill: boolean | undefined): string {
  switch (event) {
    case 'refill-refused':
      if (atFill === true)
        return 'the clinician approved the refill, but the fill was refused at recording; refills end until the clinician reviews';
      return retryable === true
        ? 'the refill gate refused the request; the patient is asked again'
        : 'the refill gate refused the request; refills end until the clinician reviews';
    case 'refill-not-requested':
      return 'the patient did not request the refill in time';
    case 'refill-not-approved':
      return 'the clinician declined the refill, or the approval expired: no fill';
  }
}
