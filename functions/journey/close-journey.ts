import type { JourneyPhase } from '../domain/schemas/index.ts';
import type { AuditActor } from '../store/audited-change.ts';
import { askPatientToContactClinic } from './contact-clinic-email.ts';
import { updateJourney } from './update-journey.ts';

const phaseFor: Record<string, JourneyPhase> = { ineligible: 'ineligible', declined: 'declined' };

/**
 * Ends the journey with its reason (intake not completed, ineligible, declined, a decision that expired).
 * With `notifyPatient`, the patient gets one neutral "please contact the clinic" email: no reasons in
 * it, the clinic talks to them.
 */
export async function closeJourney(input: { patientId: string; reason: string; notifyPatient: boolean; actor: AuditActor }): Promise<{ phase: JourneyPhase; notified: boolean }> {
  const phase = phaseFor[input.reason] ?? 'discharged';
  const { context } = await updateJourney(input.patientId, ({ journey }) => {
    if (journey.status === 'closed') return undefined;
    return {
      set: { phase, status: 'closed', onHold: false, hold: null, closedReason: input.reason },
      audit: { patientId: input.patientId, actor: input.actor, action: 'journey.closed', reason: input.reason, details: { phase, from: journey.phase } },
    };
  });
  if (!input.notifyPatient) return { phase, notified: false };
  const notified = await askPatientToContactClinic({
    patientId: input.patientId,
    markerKey: 'journey-closed',
    patient: context.patient,
    actor: input.actor,
    reason: `the journey closed (${input.reason}); the patient is asked to contact the clinic`,
  });
  return { phase, notified };
}
