import { DynamoDBClient, type ConsumedCapacity, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One request the client sent, reported after DynamoDB answered (or refused). */
export interface DynamoRequestRecord {
  /** e.g. "QueryCommand", "TransactWriteItemsCommand" */
  readonly commandName: string;
  /** what DynamoDB says the request consumed; absent for control-plane calls and failed requests */
  readonly consumedCapacity: readonly ConsumedCapacity[];
  readonly failed: boolean;
}

export interface DocumentClientOptions {
  /**
   * Passed to the DynamoDB client as is. Leave `endpoint` out in handlers: the SDK reads
   * `AWS_ENDPOINT_URL_DYNAMODB` itself, which is how the local runtime points them at DynamoDB Local.
   */
  readonly clientConfig?: DynamoDBClientConfig;
  /** Called once per request; the local runtime counts capacity units with it, tests count requests. */
  readonly onRequest?: (record: DynamoRequestRecord) => void;
}

const DEFAULT_REGION = 'us-east-1';

// Commands whose API accepts ReturnConsumedCapacity; control-plane calls (CreateTable...) do not.
const CAPACITY_REPORTING_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

/**
 * The one way the store talks to DynamoDB. Every data-plane request asks for
 * `ReturnConsumedCapacity: 'TOTAL'`, so the capacity a request would be billed for is always known.
 */
export function createDocumentClient(options: DocumentClientOptions = {}): DynamoDBDocumentClient {
  const base = new DynamoDBClient({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION,
    ...options.clientConfig,
  });
  const onRequest = options.onRequest;

  base.middlewareStack.add(
    (next, context) => async (args) => {
      const commandName = context.commandName ?? 'UnknownCommand';
      const reportsCapacity = CAPACITY_REPORTING_COMMANDS.has(commandName);
      const input = args.input as Record<string, unknown>;
      const request = reportsCapacity ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args;
      try {
        const result = await next(request);
        onRequest?.({ commandName, consumedCapacity: capacityOf(result.output), failed: false });
        return result;
      } catch (error) {
        onRequest?.({ commandName, consumedCapacity: [], failed: true });
        throw error;
      }
    },
    { step: 'initialize', name: 'careJourneysConsumedCapacity', override: true },
  );

  return DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

function capacityOf(output: unknown): ConsumedCapacity[] {
  const consumed = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] } | undefined)
    ?.ConsumedCapacity;
  if (consumed === undefined) return [];
  return Array.isArray(consumed) ? consumed : [consumed];
}
