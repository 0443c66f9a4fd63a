import { now } from '../../platform/clock.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { keys } from '../../store/table-design.ts';
import { updateJourney } from '../steps/update-journey.ts';

/**
 * The clinician decided to resume: the hold is lifted and the open adverse events are resolved by that
 * decision, in one transaction. Not on hold: nothing changes (a retry, or a hold already lifted).
 * The next screening pass gets a round of its own.
 */
export async function liftHold(input: {
  patientId: string;
  actor: AuditActor;
  reason: string;
}): Promise<{ lifted: boolean }> {
  const { changed } = await updateJourney(input.patientId, ({ journey, adverseEvents }) => {
    if (!journey.onHold) return undefined;
    const at = now().toISOString();
    const resolutions: StoreWrite[] = adverseEvents
      .filter((event) => event.status === 'open')
      .map((event) => ({
        kind: 'update',
        key: keys.adverseEvent(input.patientId, event.id),
        label: 'adverse event',
        condition: {
          name: 'adverse event is open',
          expression: '#status = :open',
          names: { '#status': 'status' },
          values: { ':open': 'open' },
        },
        set: { status: 'resolved', resolvedAt: at, resolvedBy: input.actor.id.slice(0, 100), resolution: input.reason },
      }));
    return {
      set: { onHold: false, status: 'active', hold: null, screeningRound: journey.screeningRound + 1 },
      writes: resolutions,
      audit: {
        patientId: input.patientId,
        actor: input.actor,
        action: 'journey.hold-lifted',
        reason: input.reason,
        details: {
          adverseEventIds: adverseEvents.filter((e) => e.status === 'open').map((e) => e.id),
          heldSince: journey.hold?.since,
        },
      },
    };
  });
  return { lifted: changed };
}
