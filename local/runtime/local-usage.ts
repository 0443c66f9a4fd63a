import type { EngineUsage } from '../sfn/contract.ts';
import type { SentEmail } from '../services/ses-local.ts';
import { estimateCost, type CostEstimate } from './aws-prices.ts';
import type { DynamoDbCapacity } from './dynamodb-metering-proxy.ts';
import type { FunctionUsage } from './function-host.ts';

/**
 * What `GET /_local/usage` answers: everything AWS would bill for the work done so far, counted by the
 * part of the runtime that saw it, and what it would cost.
 */
export interface LocalUsage {
  /** the virtual time of the report */
  readonly at: string;
  readonly stepFunctions: EngineUsage;
  readonly lambda: { readonly total: FunctionUsage; readonly byFunction: Record<string, FunctionUsage> };
  readonly dynamodb: DynamoDbCapacity;
  /** SES bills each recipient of a message as one email */
  readonly ses: { readonly messages: number; readonly recipients: number };
  readonly http: { readonly requests: number };
  readonly estimatedCost: CostEstimate;
}

export interface UsageSources {
  readonly at: Date;
  readonly engine: EngineUsage;
  readonly functions: Record<string, FunctionUsage>;
  readonly dynamodb: DynamoDbCapacity;
  readonly emails: readonly SentEmail[];
  readonly httpRequests: number;
}

export function summariseUsage(sources: UsageSources): LocalUsage {
  const total: FunctionUsage = { invocations: 0, errors: 0, durationMs: 0, gbSeconds: 0 };
  for (const usage of Object.values(sources.functions)) {
    total.invocations += usage.invocations;
    total.errors += usage.errors;
    total.durationMs += usage.durationMs;
    total.gbSeconds += usage.gbSeconds;
  }
  const recipients = sources.emails.reduce(
    (sum, email) => sum + email.to.length + email.cc.length + email.bcc.length,
    0,
  );
  return {
    at: sources.at.toISOString(),
    stepFunctions: sources.engine,
    lambda: { total, byFunction: sources.functions },
    dynamodb: sources.dynamodb,
    ses: { messages: sources.emails.length, recipients },
    http: { requests: sources.httpRequests },
    estimatedCost: estimateCost({
      stateTransitions: sources.engine.total.stateTransitions,
      lambdaInvocations: total.invocations,
      lambdaGbSeconds: total.gbSeconds,
      dynamoDbReadRequestUnits: sources.dynamodb.readRequestUnits,
      dynamoDbWriteRequestUnits: sources.dynamodb.writeRequestUnits,
      emailsSent: recipients,
      httpRequests: sources.httpRequests,
    }),
  };
}
