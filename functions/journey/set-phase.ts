import type { JourneyPhase } from '../domain/schemas/index.ts';
import type { AuditActor } from '../store/audited-change.ts';
import { updateJourney } from './update-journey.ts';

/**
 * Moves the journey to a phase; a retry finds it there and changes nothing. Discharge closes the journey
 * and clears a hold (nothing is left to hold), everything else keeps the status (a journey on hold stays
 * on hold whatever its phase).
 */
export async function setPhase(patientId: string, phase: JourneyPhase, actor: AuditActor, reason: string): Promise<{ changed: boolean }> {
  const closing = phase === 'discharged' || phase === 'declined' || phase === 'ineligible';
  const { changed } = await updateJourney(patientId, ({ journey }) => {
    if (journey.phase === phase) return undefined;
    return {
      set: closing ? { phase, status: 'closed', onHold: false, hold: null } : { phase },
      audit: { patientId, actor, action: `journey.phase-${phase}`, reason, details: { from: journey.phase, to: phase } },
    };
  });
  return { changed };
}
