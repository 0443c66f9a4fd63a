import type { AuditEventInput } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { commitChange } from '../../store/audited-change.ts';
import { ConcurrentUpdate } from '../../store/store-errors.ts';
import { journeyStatusIndexKeys, keys } from '../../store/table-design.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext, type PatientContext } from '../../patient/patient-context.ts';

export interface JourneyChange {
  readonly set: Record<string, unknown>;
  readonly remove?: readonly string[];
  /** other items changed in the same transaction */
  readonly writes?: readonly StoreWrite[];
  readonly audit: AuditEventInput;
}

const MAX_ATTEMPTS = 5;

/**
 * Reads the journey, lets `decide` say what changes (or nothing: undefined), and writes it at the version
 * read, with the GSI2 keys following status and phase. A concurrent change makes it read and decide
 * again, so the decision is always made on the journey as it is.
 */
export async function updateJourney(
  patientId: string,
  decide: (context: PatientContext) => JourneyChange | undefined,
): Promise<{ changed: boolean; context: PatientContext }> {
  const { client, tableName } = functionContext();
  for (let attempt = 1; ; attempt++) {
    const context = await loadPatientContext(patientId);
    const change = decide(context);
    if (change === undefined) return { changed: false, context };
    const status = (change.set.status as string | undefined) ?? context.journey.status;
    const phase = (change.set.phase as string | undefined) ?? context.journey.phase;
    try {
      await commitChange(client, tableName, {
        writes: [
          {
            kind: 'update',
            key: keys.journey(patientId),
            label: 'journey',
            expectedVersion: context.journey.version,
            set: { ...change.set, ...journeyStatusIndexKeys(status, phase, patientId) },
            ...(change.remove === undefined ? {} : { remove: change.remove }),
          },
          ...(change.writes ?? []),
        ],
        audit: change.audit,
      });
      return { changed: true, context };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdate) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
