import { commitChange, type AuditActor } from '../store/audited-change.ts';
import { clinicianById } from './care-team.ts';
import { journeyStore } from './journey-store.ts';
import { loadPatientContext } from './patient-context.ts';
import { sendOnce } from './send-once.ts';

export type RefillOutcomeEvent = 'refill-refused' | 'refill-not-requested' | 'refill-not-approved';

/**
 * A refill cycle that ends (or loops) without a fill: recorded, and the right person told once per
 * cycle. Refused or not requested: the clinician (they clear what only they can, or reach out);
 * not approved: the patient is asked to contact the clinic. Never a fill.
 */
export async function recordRefillOutcome(input: { patientId: string; cycle: number; event: RefillOutcomeEvent; retryable?: boolean; actor: AuditActor }): Promise<{ notified: boolean }> {
  const { client, tableName, clinic } = journeyStore();
  const context = await loadPatientContext(input.patientId);
  await commitChange(client, tableName, {
    writes: [],
    audit: {
      patientId: input.patientId,
      actor: input.actor,
      action: `refill.${input.event.slice('refill-'.length)}`,
      reason: describe(input.event, input.retryable),
      details: { cycle: input.cycle, ...(input.retryable === undefined ? {} : { retryable: input.retryable }) },
    },
  });
  const toPatient = input.event === 'refill-not-approved';
  const clinician = clinicianById(clinic, context.patient.assignedClinicianId);
  const sent = await sendOnce({
    patientId: input.patientId,
    markerKey: `refill-${input.cycle}-${input.event.slice('refill-'.length)}-notice`,
    to: toPatient ? context.patient.email : clinician.email,
    recipient: toPatient ? 'patient' : 'clinician',
    kind: toPatient ? 'please-contact-clinic' : 'clinician-notice',
    variables: toPatient ? { firstName: context.patient.firstName } : {},
    actor: input.actor,
    action: toPatient ? 'email.please-contact-clinic' : 'email.clinician-notice',
    reason: describe(input.event, input.retryable),
    failClosedOnHold: false,
  });
  return { notified: sent.sent };
}

function describe(event: RefillOutcomeEvent, retryable: boolean | undefined): string {
  switch (event) {
    case 'refill-refused':
      return retryable === true ? 'the refill gate refused the request; the patient is asked again' : 'the refill gate refused the request; refills end until the clinician reviews';
    case 'refill-not-requested':
      return 'the patient did not request the refill in time';
    case 'refill-not-approved':
      return 'the clinician declined the refill, or the approval expired: no fill';
  }
}
