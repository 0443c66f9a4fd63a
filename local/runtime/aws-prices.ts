/**
 * What the same work would cost on AWS, so a clinic engineer can see "cents per patient" while the
 * journey runs locally. List prices for us-east-1 (N. Virginia), on-demand, without free tiers or
 * volume discounts, as published on each service's pricing page; first read 2025-06-01, checked again
 * on the date below (every price unchanged). Prices change: the table carries its date so a reader knows
 * how old it is.
 *
 * Not in the table, because they do not grow with patients: the customer-managed KMS key ($1 a month),
 * alarms ($0.10 each a month), log storage. X-Ray traces ($5 per million after 100,000 free a month)
 * are left out too: the local runtime does not count traces.
 */
export const awsPrices = {
  asOf: '2026-11-26',
  region: 'us-east-1',
  currency: 'USD',
  /** https://aws.amazon.com/step-functions/pricing/ : Standard workflows, $0.025 per 1,000 transitions */
  stepFunctionsPerStateTransition: 0.025 / 1_000,
  /** https://aws.amazon.com/lambda/pricing/ : $0.20 per 1M requests */
  lambdaPerRequest: 0.2 / 1_000_000,
  /** https://aws.amazon.com/lambda/pricing/ : Arm (Graviton2), first 7.5 billion GB-seconds a month */
  lambdaPerGbSecondArm64: 0.0000133334,
  /** https://aws.amazon.com/dynamodb/pricing/on-demand/ : $0.625 per 1M write request units (since 2024-11-01) */
  dynamoDbPerWriteRequestUnit: 0.625 / 1_000_000,
  /** https://aws.amazon.com/dynamodb/pricing/on-demand/ : $0.125 per 1M read request units (since 2024-11-01) */
  dynamoDbPerReadRequestUnit: 0.125 / 1_000_000,
  /** https://aws.amazon.com/ses/pricing/ : $0.10 per 1,000 outbound emails */
  sesPerEmail: 0.1 / 1_000,
  /** https://aws.amazon.com/api-gateway/pricing/ : HTTP APIs, $1.00 per million requests (first 300M) */
  httpApiPerRequest: 1 / 1_000_000,
  /**
   * https://aws.amazon.com/cloudwatch/pricing/ : Logs, $0.50 per GB ingested (standard class), which is
   * also the first tier of vended logs such as Step Functions' execution logs. GB = 10^9 bytes.
   */
  cloudWatchLogsPerGbIngested: 0.5,
} as const;

export interface BillableUsage {
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  /** sum over invocations of (billed duration in ms × memory in MB) / 1024 / 1000 */
  readonly lambdaGbSeconds: number;
  readonly dynamoDbReadRequestUnits: number;
  readonly dynamoDbWriteRequestUnits: number;
  readonly emailsSent: number;
  readonly httpRequests: number;
  /** bytes written to CloudWatch Logs (function logs, execution logs), when the caller counts them */
  readonly logBytesIngested?: number;
}

export interface CostLine {
  readonly service: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
}

export interface CostEstimate {
  readonly totalUsd: number;
  readonly lines: readonly CostLine[];
  readonly pricesAsOf: string;
  readonly region: string;
}

export function estimateCost(usage: BillableUsage): CostEstimate {
  const lines: CostLine[] = [
    line(
      'Step Functions (Standard)',
      usage.stateTransitions,
      'state transitions',
      awsPrices.stepFunctionsPerStateTransition,
    ),
    line('Lambda requests', usage.lambdaInvocations, 'invocations', awsPrices.lambdaPerRequest),
    line('Lambda compute (arm64)', usage.lambdaGbSeconds, 'GB-seconds', awsPrices.lambdaPerGbSecondArm64),
    line(
      'DynamoDB reads (on-demand)',
      usage.dynamoDbReadRequestUnits,
      'read request units',
      awsPrices.dynamoDbPerReadRequestUnit,
    ),
    line(
      'DynamoDB writes (on-demand)',
      usage.dynamoDbWriteRequestUnits,
      'write request units',
      awsPrices.dynamoDbPerWriteRequestUnit,
    ),
    line('SES', usage.emailsSent, 'emails', awsPrices.sesPerEmail),
    line('API Gateway (HTTP API)', usage.httpRequests, 'requests', awsPrices.httpApiPerRequest),
    ...(usage.logBytesIngested === undefined
      ? []
      : [line('CloudWatch Logs ingestion', usage.logBytesIngested / 1e9, 'GB', awsPrices.cloudWatchLogsPerGbIngested)]),
  ];
  return {
    totalUsd: lines.reduce((sum, l) => sum + l.usd, 0),
    lines,
    pricesAsOf: awsPrices.asOf,
    region: awsPrices.region,
  };
}

function line(service: string, quantity: number, unit: string, unitPrice: number): CostLine {
  return { service, quantity, unit, usd: quantity * unitPrice };
}

/**
 * Lambda bills duration rounded up to the millisecond, times the configured memory. Since 2025-08-01
 * the init phase of a cold start is billed the same way; the local host times only the handler, so
 * cold starts are not in the estimate (see `npm run bench` for what init costs relative to a bare one).
 */
export function lambdaGbSeconds(durationMs: number, memoryMb: number): number {
  return (Math.ceil(durationMs) * memoryMb) / 1024 / 1000;
}
