import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { INDEXES } from '../../functions/store/table-design.ts';

/**
 * The links people have been emailed and not yet used: what each workflow step is waiting for.
 *
 * The console reads them straight from DynamoDB Local, not through the metering proxy (looking at the
 * clinic must not show up in its bill), and with a Scan of the sparse "pending links by person" index,
 * which holds exactly the pending links. A Scan is fine for this local console; the product itself
 * lists a person's links with a Query.
 */
export interface PendingLink {
  readonly purpose: string;
  readonly personKind: string;
  readonly personId: string;
  readonly patientId: string;
  /** the workflow step the link belongs to, when the store records it */
  readonly stepKey: string | undefined;
  readonly createdAt: Date | undefined;
  readonly expiresAt: Date | undefined;
}

export type PendingLinksResult = { available: true; links: PendingLink[] } | { available: false; reason: string };

const maxShown = 200;

export async function readPendingLinks(dynamoDbEndpoint: string, tableName: string): Promise<PendingLinksResult> {
  const client = new DynamoDBClient({
    endpoint: dynamoDbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const links: PendingLink[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          IndexName: INDEXES.pendingLinksByPerson.indexName,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) links.push(toPendingLink(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && links.length < maxShown);
    links.sort((a, b) => (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity));
    return { available: true, links };
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    const reason =
      name === 'ResourceNotFoundException'
        ? 'the table or its pending-links index does not exist yet'
        : `${name}: ${(error as Error).message}`;
    return { available: false, reason };
  } finally {
    client.destroy();
  }
}

function toPendingLink(item: Record<string, AttributeValue>): PendingLink {
  const person = item.person?.M ?? {};
  return {
    purpose: item.purpose?.S ?? 'unknown',
    personKind: person.kind?.S ?? 'person',
    personId: person.id?.S ?? item.personId?.S ?? '?',
    patientId: item.patientId?.S ?? '?',
    stepKey: item.stepKey?.S,
    createdAt: dateOf(item.createdAt?.S),
    expiresAt: dateOf(item.expiresAt?.S),
  };
}

function dateOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
