import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { protocolOf, type ClinicConfig } from '../platform/clinic-config.ts';
import { functionEnvironment, type FunctionEnvironment } from '../platform/environment.ts';
import type { Protocol } from '../domain/protocol.ts';
import { createDocumentClient } from '../store/dynamo-client.ts';

/**
 * What every journey service needs from its process: the table, the clinic and the protocol in force.
 * Built once per process (a Lambda cold start); the DynamoDB client reaches DynamoDB Local through
 * AWS_ENDPOINT_URL_DYNAMODB when the local runtime or a test set it.
 */
export interface JourneyStore {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly environment: FunctionEnvironment;
  readonly clinic: ClinicConfig;
  readonly protocol: Protocol;
}

let cached: { environment: FunctionEnvironment; store: JourneyStore } | undefined;

export function journeyStore(): JourneyStore {
  const environment = functionEnvironment();
  if (cached?.environment === environment) return cached.store;
  cached?.store.client.destroy();
  const store: JourneyStore = {
    client: createDocumentClient(),
    tableName: environment.tableName,
    environment,
    clinic: environment.clinic,
    protocol: protocolOf(environment.clinic),
  };
  cached = { environment, store };
  return store;
}
