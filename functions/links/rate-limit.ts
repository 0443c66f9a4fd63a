import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, TTL_ATTRIBUTE } from '../store/table-design.ts';

/** POSTs one link accepts per minute: far above a person correcting a form, far below a script. */
export const POSTS_PER_LINK_PER_MINUTE = 10;

/**
 * Counts a POST to a link in the current minute with one conditional update, and says whether it is
 * over the limit. The counter is operational, not part of the journey, so it is not audited; it expires
 * by TTL. GETs are not counted: a GET writes nothing at all, whoever opens the link how often.
 */
export async function withinPostRate(
  client: DynamoDBDocumentClient,
  tableName: string,
  tokenHash: string,
  at: Date,
): Promise<boolean> {
  const minute = at.toISOString().slice(0, 16);
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.linkRate(tokenHash, minute),
        UpdateExpression: 'ADD #count :one SET #itemType = :type, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
        ExpressionAttributeNames: { '#count': 'count', '#itemType': 'itemType', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':one': 1,
          ':type': 'LINK_RATE',
          ':ttl': Math.ceil(at.getTime() / 1000) + 3600,
          ':max': POSTS_PER_LINK_PER_MINUTE,
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
