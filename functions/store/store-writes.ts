import type { ItemKey, ItemType } from './table-design.ts';

/**
 * The writes a change is made of (functions/store/audited-change.ts commits them): every one is
 * conditional, and a failed condition becomes a named error (functions/store/transaction-failure.ts).
 */

/** A condition with a name a person understands, so a failure says which rule stopped the change. */
export interface NamedCondition {
  /** e.g. "patient is not on hold", "link is still pending" */
  readonly name: string;
  /** a DynamoDB condition expression, e.g. "#onHold = :false" */
  readonly expression: string;
  readonly names?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, unknown>>;
}

interface WriteBase {
  readonly key: ItemKey;
  /** a short label for error messages and the audit event, e.g. "journey" */
  readonly label?: string;
}

/** Puts a new item; fails with AlreadyExists if one is there. The item starts at version 1. */
export interface CreateWrite extends WriteBase {
  readonly kind: 'create';
  readonly itemType: ItemType;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** sets the table's TTL attribute, for items DynamoDB may delete after this instant */
  readonly expiresAt?: Date;
}

/**
 * Changes attributes of an existing item and increments its version. Guarded by the version the caller
 * read (ConcurrentUpdate if it moved on), by a named condition (ConditionFailed), or both.
 */
export type UpdateWrite = WriteBase & {
  readonly kind: 'update';
  readonly set?: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
} & (
    | { readonly expectedVersion: number; readonly condition?: NamedCondition }
    | { readonly expectedVersion?: undefined; readonly condition: NamedCondition }
  );

/** Deletes an item at the version the caller read. */
export interface DeleteWrite extends WriteBase {
  readonly kind: 'delete';
  readonly expectedVersion: number;
  readonly condition?: NamedCondition;
}

/** Changes nothing but makes the whole transaction depend on a condition (e.g. "not on hold"). */
export interface CheckWrite extends WriteBase {
  readonly kind: 'check';
  readonly condition: NamedCondition;
}

export type StoreWrite = CreateWrite | UpdateWrite | DeleteWrite | CheckWrite;
