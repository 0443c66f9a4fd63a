import type { ItemKey } from './table-design.ts';

/**
 * The store's errors, as values with names. Handlers map them to HTTP statuses or ASL error names at
 * the edge (e.g. ConcurrentUpdate → 409 / retry, AlreadyExists → "already done").
 */

/** Which write of a transaction an error is about, so a message can say exactly what failed. */
export interface FailedWrite {
  /** position in the transaction's writes (audit events follow the writes) */
  readonly index: number;
  /** the caller's label for the write, e.g. "journey", if given */
  readonly label: string | undefined;
  readonly key: ItemKey;
}

function describe(write: FailedWrite): string {
  const label = write.label === undefined ? '' : ` "${write.label}"`;
  return `write #${write.index}${label} (${write.key.PK} / ${write.key.SK})`;
}

export abstract class StoreError extends Error {}

/** The item's version moved on (or another transaction held it) since the caller read it: re-read and decide again. */
export class ConcurrentUpdate extends StoreError {
  override readonly name = 'ConcurrentUpdate';
  readonly write: FailedWrite;
  readonly expectedVersion: number | undefined;
  /** undefined when DynamoDB reported a conflicting in-flight transaction rather than a newer version */
  readonly actualVersion: number | undefined;
  constructor(write: FailedWrite, expectedVersion: number | undefined, actualVersion: number | undefined) {
    const detail =
      actualVersion === undefined
        ? 'another transaction was changing it at the same moment'
        : `expected version ${expectedVersion}, found ${actualVersion}`;
    super(`${describe(write)} was changed concurrently: ${detail}`);
    this.write = write;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** A create found the item already there; for exactly-once items this means "already done". */
export class AlreadyExists extends StoreError {
  override readonly name = 'AlreadyExists';
  readonly write: FailedWrite;
  constructor(write: FailedWrite) {
    super(`${describe(write)} already exists`);
    this.write = write;
  }
}

/** An update, delete or check addressed an item that does not exist. */
export class ItemNotFound extends StoreError {
  override readonly name = 'ItemNotFound';
  readonly write: FailedWrite;
  constructor(write: FailedWrite) {
    super(`${describe(write)} does not exist`);
    this.write = write;
  }
}

/** A named business condition (e.g. "patient is not on hold", "link is still pending") was false. */
export class ConditionFailed extends StoreError {
  override readonly name = 'ConditionFailed';
  readonly write: FailedWrite;
  readonly conditionName: string;
  constructor(write: FailedWrite, conditionName: string) {
    super(`${describe(write)}: condition "${conditionName}" was not met`);
    this.write = write;
    this.conditionName = conditionName;
  }
}

/** The change does not fit DynamoDB's transaction rules (more than 100 items, one item twice...). */
export class InvalidTransaction extends StoreError {
  override readonly name = 'InvalidTransaction';
}

/** The same clientRequestToken was reused for a different change within DynamoDB's 10-minute window. */
export class IdempotencyMismatch extends StoreError {
  override readonly name = 'IdempotencyMismatch';
  readonly clientRequestToken: string;
  constructor(clientRequestToken: string) {
    super(`clientRequestToken ${clientRequestToken} was already used for a different change`);
    this.clientRequestToken = clientRequestToken;
  }
}
