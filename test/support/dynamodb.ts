import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, type DynamoRequestRecord } from '../../functions/store/dynamo-client.ts';
import { createTableIfMissing } from '../../local/services/create-table.ts';
import { startDynamoDbLocal } from '../../local/services/dynamodb-local.ts';

export interface TestTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly endpoint: string;
  /** another client on the same table, e.g. one that records every request it sends */
  newClient(onRequest?: (record: DynamoRequestRecord) => void): DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/**
 * One in-memory DynamoDB Local on a free loopback port with a freshly created, uniquely named table.
 * Call it in beforeAll and `stop()` in afterAll: one JVM per test file is what the machine affords.
 */
export async function startTestTable(): Promise<TestTable> {
  const local = await startDynamoDbLocal({});
  const tableName = `care-journeys-test-${randomUUID()}`;
  const clients: DynamoDBDocumentClient[] = [];
  const newClient = (onRequest?: (record: DynamoRequestRecord) => void): DynamoDBDocumentClient => {
    const client = createDocumentClient({
      clientConfig: {
        endpoint: local.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      ...(onRequest === undefined ? {} : { onRequest }),
    });
    clients.push(client);
    return client;
  };
  try {
    await createTableIfMissing(local.endpoint, tableName);
  } catch (error) {
    await local.stop();
    throw error;
  }
  return {
    client: newClient(),
    tableName,
    endpoint: local.endpoint,
    newClient,
    stop: async () => {
      for (const client of clients) client.destroy();
      await local.stop();
    },
  };
}
