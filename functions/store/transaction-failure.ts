import type { StoreWrite } from './store-writes.ts';
import {
  AlreadyExists,
  ConcurrentUpdate,
  ConditionFailed,
  IdempotencyMismatch,
  ItemNotFound,
  type FailedWrite,
} from './store-errors.ts';

interface CancellationReason {
  readonly Code?: string;
  /** the item as it was, raw (errors bypass the document client's unmarshalling) */
  readonly Item?: Record<string, { N?: string } | undefined>;
}

/**
 * Turns DynamoDB's TransactionCanceledException (one reason per item, in request order) into the
 * named error of the first write that stopped the transaction. Anything else is returned unchanged.
 */
export function toStoreError(error: unknown, writes: readonly StoreWrite[], token: string | undefined): unknown {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'IdempotentParameterMismatchException' && token !== undefined) {
    return new IdempotencyMismatch(token);
  }
  if (name !== 'TransactionCanceledException') return error;

  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  const conditional = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
  const conflict = reasons.findIndex((reason) => reason.Code === 'TransactionConflict');
  // A failed condition is the more telling reason when both appear.
  const index = conditional >= 0 ? conditional : conflict;
  const write = index >= 0 ? writes[index] : undefined;
  const reason = index >= 0 ? reasons[index] : undefined;
  if (write === undefined || reason === undefined) return error;

  const failed: FailedWrite = { index, label: write.label, key: write.key };
  const expectedVersion = 'expectedVersion' in write ? write.expectedVersion : undefined;
  if (reason.Code === 'TransactionConflict') return new ConcurrentUpdate(failed, expectedVersion, undefined);
  if (write.kind === 'create') return new AlreadyExists(failed);
  if (reason.Item === undefined) return new ItemNotFound(failed);

  const actualVersion = Number(reason.Item.version?.N);
  if (expectedVersion !== undefined && actualVersion !== expectedVersion) {
    return new ConcurrentUpdate(failed, expectedVersion, Number.isNaN(actualVersion) ? undefined : actualVersion);
  }
  if (write.condition !== undefined) return new ConditionFailed(failed, write.condition.name);
  // The version matched when DynamoDB answered but not when it checked: another writer came and went.
  return new ConcurrentUpdate(failed, expectedVersion, undefined);
}
