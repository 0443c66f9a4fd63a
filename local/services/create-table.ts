import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { INDEXES, TABLE_KEY, TTL_ATTRIBUTE } from '../../functions/store/table-design.ts';

const ACTIVE_TIMEOUT_MS = 30_000;

/**
 * Creates the table exactly as functions/store/table-design.ts describes it (keys, GSIs, on-demand,
 * TTL), unless it exists. Safe to call on every start of the local runtime.
 */
export async function createTableIfMissing(target: string | DynamoDBClient, tableName: string): Promise<void> {
  const client =
    typeof target === 'string'
      ? new DynamoDBClient({
          endpoint: target,
          region: 'us-east-1',
          // DynamoDB Local accepts any credentials; these keep the SDK from searching for real ones.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        })
      : target;
  try {
    await createIfAbsent(client, tableName);
    await waitUntilActive(client, tableName);
    await enableTtl(client, tableName);
  } finally {
    if (typeof target === 'string') client.destroy();
  }
}

async function createIfAbsent(client: DynamoDBClient, tableName: string): Promise<void> {
  const indexes = Object.values(INDEXES);
  const attributeNames = [
    TABLE_KEY.partitionKey,
    TABLE_KEY.sortKey,
    ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const AttributeDefinitions: AttributeDefinition[] = attributeNames.map((AttributeName) => ({
    AttributeName,
    AttributeType: 'S',
  }));
  const GlobalSecondaryIndexes: GlobalSecondaryIndex[] = indexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions,
        KeySchema: [
          { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes,
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS / 1000} s`);
    await new Promise((wake) => setTimeout(wake, 200));
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
}
