import type { CheckWrite, NamedCondition } from '../store/store-writes.ts';
import { ConditionFailed } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';
import { PatientOnHold } from './journey-errors.ts';

/**
 * "Not on hold" as a condition of the step's own transaction, so no step can slip between reading the
 * journey and writing its effect while a hold lands (a read-then-write would leave that window open).
 */
export const NOT_ON_HOLD = 'patient is not on clinical hold';

export const notOnHoldCondition: NamedCondition = {
  name: NOT_ON_HOLD,
  expression: '#onHold = :notOnHold',
  names: { '#onHold': 'onHold' },
  values: { ':notOnHold': false },
};

export function notOnHoldCheck(patientId: string): CheckWrite {
  return { kind: 'check', key: keys.journey(patientId), label: 'journey', condition: notOnHoldCondition };
}

/** Runs a change guarded by {@link notOnHoldCheck}; a failed guard becomes PatientOnHold. */
export async function failClosedOnHold<T>(patientId: string, what: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof ConditionFailed && error.conditionName === NOT_ON_HOLD)
      throw new PatientOnHold(patientId, what);
    throw error;
  }
}
