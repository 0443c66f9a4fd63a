import { journeyPhases, type JourneyPhase } from '../../domain/schemas/index.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import { askPatientToContactClinic } from './contact-clinic-email.ts';
import { updateJourney } from './update-journey.ts';

const phaseFor: Record<string, JourneyPhase> = { ineligible: 'ineligible', declined: 'declined' };
const treatmentStartsAt = journeyPhases.indexOf('induction');

/**
 * The phase a closing journey ends in: ineligible and declined name themselves; a journey that closes
 * because a step went undone before any treatment (no fill ever made) closed before treatment, and is
 * never called "discharged", which says the patient was treated.
 */
export function closingPhase(reason: string, current: JourneyPhase, everFilled: boolean): JourneyPhase {
  const named = phaseFor[reason];
  if (named !== undefined) return named;
  return !everFilled && journeyPhases.indexOf(current) < treatmentStartsAt ? 'closed-before-treatment' : 'discharged';
}

/**
 * Ends the journey with its reason (intake not completed, ineligible, declined, a decision that expired).
 * With `notifyPatient`, the patient gets one neutral "please contact the clinic" email: no reasons in
 * it, the clinic talks to them. A retry finds the journey closed and the email's marker, and sends nothing.
 */
export async function closeJourney(input: {
  patientId: string;
  reason: string;
  notifyPatient: boolean;
  actor: AuditActor;
}): Promise<{ phase: JourneyPhase; notified: boolean }> {
  let phase: JourneyPhase = 'discharged';
  const { context } = await updateJourney(input.patientId, ({ journey, fills }) => {
    phase = journey.status === 'closed' ? journey.phase : closingPhase(input.reason, journey.phase, fills.length > 0);
    if (journey.status === 'closed') return undefined;
    return {
      set: { phase, status: 'closed', onHold: false, hold: null, closedReason: input.reason },
      audit: {
        patientId: input.patientId,
        actor: input.actor,
        action: 'journey.closed',
        reason: input.reason,
        details: { phase, from: journey.phase },
      },
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
