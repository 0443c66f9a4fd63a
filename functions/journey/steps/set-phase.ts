import { finalJourneyPhases, journeyPhases, type JourneyPhase } from '../../domain/schemas/index.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import { updateJourney } from './update-journey.ts';

const closingPhases: readonly JourneyPhase[] = finalJourneyPhases;

/**
 * Whether a journey in `current` may move to `next`. With `expectedFrom` (the phase the workflow believes
 * the journey is in) only that phase may be left: the workflow's own moves back (a new plan after induction
 * or follow-up, screening again after a hold) name the phase they leave, while a late Lambda retry of an
 * earlier move names a phase the journey has already left. Without it, phases only move forward. A closed
 * journey never moves; closing is allowed from any open phase.
 */
export function phaseMoveAllowed(current: JourneyPhase, next: JourneyPhase, expectedFrom?: JourneyPhase): boolean {
  if (closingPhases.includes(current)) return false;
  if (closingPhases.includes(next)) return true;
  if (expectedFrom !== undefined) return current === expectedFrom;
  return journeyPhases.indexOf(next) > journeyPhases.indexOf(current);
}

/**
 * Moves the journey to a phase; a retry finds it there and changes nothing, and a stale move (see
 * `phaseMoveAllowed`) is ignored and says why. Discharge closes the journey and clears a hold (nothing is
 * left to hold), everything else keeps the status (a journey on hold stays on hold whatever its phase).
 */
export async function setPhase(
  patientId: string,
  phase: JourneyPhase,
  actor: AuditActor,
  reason: string,
  expectedFrom?: JourneyPhase,
): Promise<{ changed: boolean; ignored?: string }> {
  const closing = closingPhases.includes(phase);
  let ignored: string | undefined;
  const { changed } = await updateJourney(patientId, ({ journey }) => {
    ignored = undefined;
    if (journey.phase === phase) return undefined;
    if (!phaseMoveAllowed(journey.phase, phase, expectedFrom)) {
      ignored = `the journey is in ${journey.phase}, not ${expectedFrom ?? `a phase before ${phase}`}`;
      return undefined;
    }
    return {
      set: closing ? { phase, status: 'closed', onHold: false, hold: null } : { phase },
      audit: {
        patientId,
        actor,
        action: `journey.phase-${phase}`,
        reason,
        details: { from: journey.phase, to: phase },
      },
    };
  });
  return ignored === undefined ? { changed } : { changed, ignored };
}
