import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll, type StoredItem } from './read-items.ts';
import {
  INDEXES,
  journeysByStatusPartitionKey,
  journeysInPhasePrefix,
  pendingLinksPartitionKey,
} from './table-design.ts';

// Index reads are eventually consistent (DynamoDB offers nothing else on a GSI): good for lists on a
// page, never for a decision. Decide on the item itself with getItem.

/** A person's pending links, soonest expiry first. */
export function listPendingLinksForPerson(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
): Promise<StoredItem[]> {
  const index = INDEXES.pendingLinksByPerson;
  return queryAll(client, {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey },
    ExpressionAttributeValues: { ':pk': pendingLinksPartitionKey(personId) },
  });
}

/** Journeys of one status (e.g. on hold), optionally of one phase, ordered by phase then patient. */
export function listJourneysByStatus(
  client: DynamoDBDocumentClient,
  tableName: string,
  status: string,
  options: { readonly phase?: string } = {},
): Promise<StoredItem[]> {
  const index = INDEXES.journeysByStatus;
  const phase = options.phase;
  return queryAll(client, {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: phase === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :phase)',
    ExpressionAttributeNames:
      phase === undefined ? { '#pk': index.partitionKey } : { '#pk': index.partitionKey, '#sk': index.sortKey },
    ExpressionAttributeValues:
      phase === undefined
        ? { ':pk': journeysByStatusPartitionKey(status) }
        : { ':pk': journeysByStatusPartitionKey(status), ':phase': journeysInPhasePrefix(phase) },
  });
}
