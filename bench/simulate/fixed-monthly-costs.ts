import { functionCatalogue } from '../../functions/catalogue.ts';
import { stateMachineCatalogue } from '../../statemachines/definitions.ts';

/**
 * What the stack costs each month whatever the number of patients, kept apart from the per-request
 * prices in local/runtime/aws-prices.ts (which this reuses for its date and region). List prices,
 * us-east-1, read on the date below:
 * - https://aws.amazon.com/kms/pricing/ : $1.00 per customer-managed key per month (the table's, the
 *   workflows', the telemetry's: lib/data-store.ts, lib/workflow-encryption.ts, lib/telemetry-encryption.ts);
 * - https://aws.amazon.com/cloudwatch/pricing/ : $0.10 per standard-resolution alarm metric per month
 *   (lib/operations-alarms.ts: failed, timed-out and aborted per state machine; errors and throttles per
 *   function; API 5xx; SES bounce and complaint rates). An alarm on a metric-math expression bills each
 *   metric it reads; the errors alarm reads two, counted here as one (a lower bound).
 */
export const fixedMonthlyPrices = {
  asOf: '2026-11-26',
  kmsKeyPerMonth: 1,
  alarmPerMonth: 0.1,
} as const;

export interface FixedMonthlyCost {
  readonly item: string;
  readonly quantity: number;
  readonly usdPerMonth: number;
}

export function fixedMonthlyCosts(): FixedMonthlyCost[] {
  const keys = 3;
  const alarms = stateMachineCatalogue.length * 3 + functionCatalogue.length * 2 + 1 + 2;
  return [
    { item: 'KMS customer-managed keys', quantity: keys, usdPerMonth: keys * fixedMonthlyPrices.kmsKeyPerMonth },
    { item: 'CloudWatch alarms', quantity: alarms, usdPerMonth: alarms * fixedMonthlyPrices.alarmPerMonth },
  ];
}
