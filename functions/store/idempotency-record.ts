import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CreateWrite } from './store-writes.ts';
import { getItem } from './read-items.ts';
import { keys } from './table-design.ts';

/**
 * A handler's result remembered under its idempotency key, so a retried invocation (Lambda or Step
 * Functions retry) answers the same without acting twice.
 *
 * The record is one more write of the handler's own change, so it exists exactly when the change does:
 * there is no moment where the change is stored but the record is not, or the reverse. Two identical
 * invocations racing both try to create it; the loser gets AlreadyExists naming
 * IDEMPOTENCY_RECORD_LABEL and reads the winner's result. Put this write FIRST in the change: the
 * error names the first write that failed, and a retry fails every create of the change.
 */

export const IDEMPOTENCY_RECORD_LABEL = 'idempotency record';

export function rememberResultWrite(idempotencyKey: string, result: unknown, expiresAt: Date): CreateWrite {
  return {
    kind: 'create',
    key: keys.idempotency(idempotencyKey),
    label: IDEMPOTENCY_RECORD_LABEL,
    itemType: 'IDEMPOTENCY',
    attributes: { result },
    expiresAt,
  };
}

export type RememberedResult = { readonly found: true; readonly result: unknown } | { readonly found: false };

/**
 * The remembered result, if any. A record past its expiry that TTL has not yet deleted still counts:
 * it is still the answer to the same request.
 */
export async function rememberedResult(
  client: DynamoDBDocumentClient,
  tableName: string,
  idempotencyKey: string,
): Promise<RememberedResult> {
  const item = await getItem(client, tableName, keys.idempotency(idempotencyKey));
  return item === undefined ? { found: false } : { found: true, result: item.result };
}
