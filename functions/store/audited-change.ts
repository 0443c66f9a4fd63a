import { createHash, randomUUID } from 'node:crypto';
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditActor, AuditChange, AuditEvent } from '../domain/schemas/audit-event.ts';
import { now } from '../platform/clock.ts';
import { keys, TTL_ATTRIBUTE, ttlEpochSeconds } from './table-design.ts';
import type { CreateWrite, NamedCondition, StoreWrite } from './store-writes.ts';
import { InvalidTransaction } from './store-errors.ts';
import { toStoreError } from './transaction-failure.ts';

/**
 * The one write primitive: a change is ONE TransactWriteItems in which every write is conditional and
 * the audit event(s) describing it are appended. Either all of it is stored or none of it, so the
 * audit trail can never claim a change that did not happen, nor miss one that did.
 */

/** The audit schema (functions/domain/schemas/audit-event.ts) is the one definition of these shapes. */
export type { AuditActor, AuditChange } from '../domain/schemas/audit-event.ts';

/** Who did what, and why; the store adds when (from `now()`) and which items changed. */
export interface AuditEventInput {
  readonly patientId: string;
  readonly actor: AuditActor;
  /** what happened, e.g. "journey.hold-placed" */
  readonly action: string;
  /** why, in words a clinician or auditor can read */
  readonly reason: string;
  /** the protocol version the decision was made under, when a rule decided */
  readonly protocolVersion?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The audit item as stored: the audit event of the schema under its table keys. */
export type AuditRecord = AuditEvent & { readonly PK: string; readonly SK: string; readonly itemType: 'AUDIT' };

export interface ChangeRequest {
  readonly writes: readonly StoreWrite[];
  readonly audit: AuditEventInput | readonly [AuditEventInput, ...AuditEventInput[]];
}

export interface ChangeOptions {
  /**
   * DynamoDB applies a TransactWriteItems with the same token at most once within 10 minutes. The SDK
   * already sends one token per call (so its own retries are safe); pass one derived from the workflow
   * step to make a re-invoked handler's identical change a no-op. The replay must be identical, `now()`
   * included, or DynamoDB refuses it (IdempotencyMismatch). Tokens over 36 characters are hashed.
   */
  readonly clientRequestToken?: string;
}

export interface ChangeResult {
  /** the instant stamped on every item and audit event of the change */
  readonly at: string;
  /** per write, its version after the change (undefined for checks, deletes, condition-only updates) */
  readonly versions: readonly (number | undefined)[];
  readonly auditEvents: readonly AuditRecord[];
}

/** DynamoDB's limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

const RESERVED_ATTRIBUTES = new Set(['PK', 'SK', 'itemType', 'version', 'createdAt', 'updatedAt', TTL_ATTRIBUTE]);
const MAX_CLIENT_REQUEST_TOKEN_LENGTH = 36;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export async function commitChange(
  client: DynamoDBDocumentClient,
  tableName: string,
  change: ChangeRequest,
  options: ChangeOptions = {},
): Promise<ChangeResult> {
  const audits: readonly AuditEventInput[] = isAuditList(change.audit) ? change.audit : [change.audit];
  const { writes } = change;
  guardShape(writes, audits.length);

  const at = now().toISOString();
  const token = options.clientRequestToken === undefined ? undefined : requestToken(options.clientRequestToken);
  const versions = writes.map(versionAfter);
  const changes = writes.flatMap((write, index): AuditChange[] =>
    write.kind === 'check'
      ? []
      : [
          {
            PK: write.key.PK,
            SK: write.key.SK,
            kind: write.kind,
            ...(write.label === undefined ? {} : { label: write.label }),
            ...(versions[index] === undefined ? {} : { version: versions[index] }),
          },
        ],
  );
  const auditEvents = audits.map((audit, index) => auditRecord(audit, at, eventId(token, index), changes));

  const transactItems: TransactItem[] = [
    ...writes.map((write) => transactItem(tableName, write, at)),
    ...auditEvents.map((record): TransactItem => ({
      Put: {
        TableName: tableName,
        Item: { ...record },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    })),
  ];

  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: transactItems,
        ...(token === undefined ? {} : { ClientRequestToken: token }),
      }),
    );
  } catch (error) {
    throw toStoreError(error, [...writes, ...auditEvents.map(auditAsWrite)], token);
  }
  return { at, versions, auditEvents };
}

/** A change of one item with its audit event: still one transaction (two items), so never half-done. */
export function commitOne(
  client: DynamoDBDocumentClient,
  tableName: string,
  write: StoreWrite,
  audit: AuditEventInput,
  options: ChangeOptions = {},
): Promise<ChangeResult> {
  return commitChange(client, tableName, { writes: [write], audit }, options);
}

function isAuditList(audit: ChangeRequest['audit']): audit is readonly [AuditEventInput, ...AuditEventInput[]] {
  return Array.isArray(audit);
}

function guardShape(writes: readonly StoreWrite[], auditCount: number): void {
  if (auditCount === 0) throw new InvalidTransaction('a change must carry at least one audit event');
  const total = writes.length + auditCount;
  if (total > MAX_TRANSACTION_ITEMS) {
    throw new InvalidTransaction(
      `a change may hold at most ${MAX_TRANSACTION_ITEMS} items (writes + audit events), got ${total}`,
    );
  }
  const seen = new Set<string>();
  writes.forEach((write, index) => {
    // DynamoDB refuses a transaction that touches one item twice; say which write did it.
    const id = `${write.key.PK}\u0000${write.key.SK}`;
    if (seen.has(id)) {
      throw new InvalidTransaction(`write #${index} addresses ${write.key.PK} / ${write.key.SK} a second time`);
    }
    seen.add(id);
    if (write.kind === 'create') guardAttributes(index, Object.keys(write.attributes));
    if (write.kind === 'update') {
      guardAttributes(index, [...Object.keys(write.set ?? {}), ...(write.remove ?? [])]);
      if (write.expectedVersion === undefined && write.condition === undefined) {
        throw new InvalidTransaction(`write #${index} is an update without a version or a condition`);
      }
      if (Object.keys(write.set ?? {}).length === 0 && (write.remove ?? []).length === 0) {
        throw new InvalidTransaction(`write #${index} is an update that changes nothing`);
      }
    }
  });
}

function guardAttributes(index: number, names: readonly string[]): void {
  const reserved = names.filter((name) => RESERVED_ATTRIBUTES.has(name));
  if (reserved.length > 0) {
    throw new InvalidTransaction(`write #${index} sets attributes the store manages: ${reserved.join(', ')}`);
  }
}

function versionAfter(write: StoreWrite): number | undefined {
  if (write.kind === 'create') return 1;
  if (write.kind === 'update' && write.expectedVersion !== undefined) return write.expectedVersion + 1;
  return undefined;
}

function requestToken(token: string): string {
  if (token.length === 0) throw new InvalidTransaction('clientRequestToken must not be empty');
  if (token.length <= MAX_CLIENT_REQUEST_TOKEN_LENGTH) return token;
  return createHash('sha256').update(token).digest('hex').slice(0, MAX_CLIENT_REQUEST_TOKEN_LENGTH);
}

/** A replayed change must produce the same audit keys, so with a token the ids derive from it. */
function eventId(token: string | undefined, index: number): string {
  if (token === undefined) return randomUUID();
  return createHash('sha256').update(`${token}\u0000${index}`).digest('hex').slice(0, 32);
}

function auditRecord(audit: AuditEventInput, at: string, id: string, changes: readonly AuditChange[]): AuditRecord {
  return {
    ...keys.audit(audit.patientId, at, id),
    itemType: 'AUDIT',
    version: 1,
    eventId: id,
    patientId: audit.patientId,
    at,
    createdAt: at,
    actor: audit.actor,
    action: audit.action,
    reason: audit.reason,
    ...(audit.protocolVersion === undefined ? {} : { protocolVersion: audit.protocolVersion }),
    ...(audit.details === undefined ? {} : { details: audit.details }),
    changes: [...changes],
  };
}

function auditAsWrite(record: AuditRecord): CreateWrite {
  return {
    kind: 'create',
    key: { PK: record.PK, SK: record.SK },
    label: `audit event ${record.action}`,
    itemType: 'AUDIT',
    attributes: {},
  };
}

function transactItem(tableName: string, write: StoreWrite, at: string): TransactItem {
  const Key = { PK: write.key.PK, SK: write.key.SK };
  const failureReturn = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const };
  switch (write.kind) {
    case 'create':
      return {
        Put: {
          TableName: tableName,
          Item: {
            ...write.attributes,
            ...Key,
            itemType: write.itemType,
            version: 1,
            createdAt: at,
            updatedAt: at,
            ...(write.expiresAt === undefined ? {} : { [TTL_ATTRIBUTE]: ttlEpochSeconds(write.expiresAt) }),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      };
    case 'update': {
      const expression = new ExpressionParts(write.condition);
      const sets = Object.entries(write.set ?? {}).map(
        ([name, value]) => `${expression.name(name)} = ${expression.value(value)}`,
      );
      sets.push(`${expression.name('updatedAt')} = ${expression.value(at)}`);
      sets.push(`${expression.name('version')} = ${expression.name('version')} + ${expression.value(1)}`);
      const removes = (write.remove ?? []).map((name) => expression.name(name));
      const update = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
      return {
        Update: {
          TableName: tableName,
          Key,
          UpdateExpression: update,
          ConditionExpression: expression.guard(write.expectedVersion),
          ...expression.attributes(),
          ...failureReturn,
        },
      };
    }
    case 'delete': {
      const expression = new ExpressionParts(write.condition);
      return {
        Delete: {
          TableName: tableName,
          Key,
          ConditionExpression: expression.guard(write.expectedVersion),
          ...expression.attributes(),
          ...failureReturn,
        },
      };
    }
    case 'check': {
      const expression = new ExpressionParts(write.condition);
      return {
        ConditionCheck: {
          TableName: tableName,
          Key,
          ConditionExpression: expression.guard(undefined),
          ...expression.attributes(),
          ...failureReturn,
        },
      };
    }
  }
}

/**
 * Builds placeholders for one write. The store's own placeholders start with `#s`/`:s`, so they are
 * refused in a caller's condition rather than silently overwritten.
 */
class ExpressionParts {
  readonly #names: Record<string, string> = {};
  readonly #values: Record<string, unknown> = {};
  readonly #condition: NamedCondition | undefined;
  #count = 0;

  constructor(condition: NamedCondition | undefined) {
    this.#condition = condition;
    for (const placeholder of [...Object.keys(condition?.names ?? {}), ...Object.keys(condition?.values ?? {})]) {
      if (/^[#:]s\d+$/.test(placeholder)) {
        throw new InvalidTransaction(
          `condition "${condition?.name}" uses the placeholder ${placeholder}, which the store reserves for itself`,
        );
      }
    }
    Object.assign(this.#names, condition?.names);
    Object.assign(this.#values, condition?.values);
  }

  name(attribute: string): string {
    const existing = Object.entries(this.#names).find(([key, value]) => value === attribute && /^#s\d+$/.test(key));
    if (existing) return existing[0];
    const placeholder = `#s${this.#count++}`;
    this.#names[placeholder] = attribute;
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:s${this.#count++}`;
    this.#values[placeholder] = value;
    return placeholder;
  }

  /** item exists, [is at the expected version], [and the caller's condition holds] */
  guard(expectedVersion: number | undefined): string {
    const parts = [`attribute_exists(${this.name('PK')})`];
    if (expectedVersion !== undefined) parts.push(`${this.name('version')} = ${this.value(expectedVersion)}`);
    if (this.#condition !== undefined) parts.push(`(${this.#condition.expression})`);
    return parts.join(' AND ');
  }

  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    return {
      ...(Object.keys(this.#names).length > 0 ? { ExpressionAttributeNames: this.#names } : {}),
      ...(Object.keys(this.#values).length > 0 ? { ExpressionAttributeValues: this.#values } : {}),
    };
  }
}
