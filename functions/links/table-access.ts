import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { functionEnvironment } from '../platform/environment.ts';
import { createDocumentClient } from '../store/dynamo-client.ts';

/** The table the link functions read and write, created once per process (a Lambda cold start). */
export interface TableAccess {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

let cached: { tableName: string; access: TableAccess } | undefined;

export function tableAccess(): TableAccess {
  const { tableName } = functionEnvironment();
  if (cached?.tableName !== tableName) cached = { tableName, access: { client: createDocumentClient(), tableName } };
  return cached.access;
}
