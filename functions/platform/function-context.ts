import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { protocolOf, type ClinicConfig } from './clinic-config.ts';
import { functionEnvironment, type FunctionEnvironment } from './environment.ts';
import type { Protocol } from '../domain/protocol.ts';
import { createDocumentClient } from '../store/dynamo-client.ts';

/**
 * What every function needs from its process: the table, the clinic and the protocol in force.
 * Built once per process (a Lambda cold start); the DynamoDB client reaches DynamoDB Local through
 * AWS_ENDPOINT_URL_DYNAMODB when the local runtime or a test set it.
 */
export interface FunctionContext {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly environment: FunctionEnvironment;
  readonly clinic: ClinicConfig;
  readonly protocol: Protocol;
}

let cached: { environment: FunctionEnvironment; context: FunctionContext } | undefined;

export function functionContext(): FunctionContext {
  const environment = functionEnvironment();
  if (cached?.environment === environment) return cached.context;
  cached?.context.client.destroy();
  const context: FunctionContext = {
    client: createDocumentClient(),
    tableName: environment.tableName,
    environment,
    clinic: environment.clinic,
    protocol: protocolOf(environment.clinic),
  };
  cached = { environment, context };
  return context;
}
