import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { patientPartitionKey, type ItemKey, type ItemType } from './table-design.ts';

/** An item as stored: its key, its type and version, and the domain's attributes. */
export type StoredItem = Record<string, unknown> & {
  readonly PK: string;
  readonly SK: string;
  readonly itemType: ItemType;
  readonly version: number;
};

export interface ReadOptions {
  /**
   * Strongly consistent by default: a gate that reads "not on hold" must not see the state of a second
   * ago. Pass false only for displays.
   */
  readonly consistent?: boolean;
}

export async function getItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: ItemKey,
  options: ReadOptions = {},
): Promise<StoredItem | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: { PK: key.PK, SK: key.SK },
      ConsistentRead: options.consistent ?? true,
    }),
  );
  return Item as StoredItem | undefined;
}

export interface PartitionQueryOptions extends ReadOptions {
  /** only items whose SK starts with this, e.g. PATIENT_SK_PREFIX.fill */
  readonly skPrefix?: string;
  /** newest (highest SK) first */
  readonly descending?: boolean;
}

/** Every item of a patient's partition (or of one SK prefix), following pages past DynamoDB's 1 MB. */
export function queryPatientPartition(
  client: DynamoDBDocumentClient,
  tableName: string,
  patientId: string,
  options: PartitionQueryOptions = {},
): Promise<StoredItem[]> {
  const prefix = options.skPrefix;
  return queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: prefix === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: prefix === undefined ? { '#pk': 'PK' } : { '#pk': 'PK', '#sk': 'SK' },
    ExpressionAttributeValues:
      prefix === undefined
        ? { ':pk': patientPartitionKey(patientId) }
        : { ':pk': patientPartitionKey(patientId), ':prefix': prefix },
    ConsistentRead: options.consistent ?? true,
    ScanIndexForward: !(options.descending ?? false),
  });
}

/** Runs a Query to its last page. */
export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...((page.Items ?? []) as StoredItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}
