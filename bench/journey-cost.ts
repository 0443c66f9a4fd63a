import { pathToFileURL } from 'node:url';
import { estimateCost, type BillableUsage, type CostEstimate } from '../local/runtime/aws-prices.ts';
import { bytesBetween, type TimedBytes } from './execution-log-bytes.ts';
import { runJourneyBench } from './journey-bench.ts';
import type { PatientJourneyRecord, UsageSnapshot } from './patient-journey.ts';
import { goal, reportLine } from './report-line.ts';

/**
 * The estimated AWS cost of one patient's journey (issue 6): a full induction journey, enrolment to
 * the follow-up decision (goal <= $0.02), and one maintenance month, a refill cycle from one fill to the
 * next (goal <= $0.005). From the local runtime's usage counters between milestones and the dated price
 * table in local/runtime/aws-prices.ts, plus the CloudWatch Logs bytes the bench counts itself.
 */
export const inductionJourneyGoalUsd = 0.02;
export const maintenanceMonthGoalUsd = 0.005;

export interface StretchCost {
  readonly estimate: CostEstimate;
  readonly virtualDays: number;
  readonly personActions: number;
  readonly stateTransitions: number;
  /** state transitions per state machine, most first */
  readonly transitionsByStateMachine: readonly (readonly [string, number])[];
  /** Lambda invocations per function, most first */
  readonly invocationsByFunction: readonly (readonly [string, number])[];
  readonly emails: number;
}

export interface JourneyCosts {
  readonly induction: StretchCost;
  /** the first refill cycle: its window opens at once, since the last fill was at the start of induction */
  readonly firstMonth: StretchCost | undefined;
  /** the second refill cycle: a month in the steady state, from one fill to the next */
  readonly steadyMonth: StretchCost | undefined;
}

/** `executionLogs`: the journey's Step Functions log records (bench/execution-log-bytes.ts). */
export function journeyCosts(record: PatientJourneyRecord, executionLogs: readonly TimedBytes[]): JourneyCosts {
  const { beforeEnrolment, followUpDecided, refillsFilled } = record.usage;
  const [firstFill, secondFill] = refillsFilled;
  return {
    induction: stretchCost(beforeEnrolment, followUpDecided, executionLogs, true),
    firstMonth: firstFill === undefined ? undefined : stretchCost(followUpDecided, firstFill, executionLogs),
    steadyMonth:
      firstFill === undefined || secondFill === undefined
        ? undefined
        : stretchCost(firstFill, secondFill, executionLogs),
  };
}

/** What AWS would bill for the work between two snapshots of the counters. */
export function billableBetween(from: UsageSnapshot, to: UsageSnapshot, executionLogBytes: number): BillableUsage {
  const a = from.runtime;
  const b = to.runtime;
  return {
    stateTransitions: b.stepFunctions.total.stateTransitions - a.stepFunctions.total.stateTransitions,
    lambdaInvocations: b.lambda.total.invocations - a.lambda.total.invocations,
    lambdaGbSeconds: b.lambda.total.gbSeconds - a.lambda.total.gbSeconds,
    dynamoDbReadRequestUnits: b.dynamodb.readRequestUnits - a.dynamodb.readRequestUnits,
    dynamoDbWriteRequestUnits: b.dynamodb.writeRequestUnits - a.dynamodb.writeRequestUnits,
    emailsSent: b.ses.recipients - a.ses.recipients,
    httpRequests: b.http.requests - a.http.requests,
    logBytesIngested: to.functionLogBytes - from.functionLogBytes + executionLogBytes,
  };
}

function stretchCost(
  from: UsageSnapshot,
  to: UsageSnapshot,
  executionLogs: readonly TimedBytes[],
  includeStart = false,
): StretchCost {
  const usage = billableBetween(from, to, bytesBetween(executionLogs, from.at, to.at, includeStart));
  const transitions = new Map<string, number>();
  for (const [arn, counts] of Object.entries(to.runtime.stepFunctions.byExecution)) {
    const before = from.runtime.stepFunctions.byExecution[arn]?.stateTransitions ?? 0;
    // arn:aws:states:<region>:<account>:execution:<state machine>:<execution>
    const machine = arn.split(':')[6] ?? arn;
    transitions.set(machine, (transitions.get(machine) ?? 0) + counts.stateTransitions - before);
  }
  const invocations = Object.entries(to.runtime.lambda.byFunction).map(
    ([id, u]) => [id, u.invocations - (from.runtime.lambda.byFunction[id]?.invocations ?? 0)] as const,
  );
  const mostFirst = (entries: Iterable<readonly [string, number]>) =>
    [...entries].filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
  return {
    estimate: estimateCost(usage),
    virtualDays: (to.at.getTime() - from.at.getTime()) / 86_400_000,
    personActions: to.personActions - from.personActions,
    stateTransitions: usage.stateTransitions,
    transitionsByStateMachine: mostFirst(transitions),
    invocationsByFunction: mostFirst(invocations),
    emails: usage.emailsSent,
  };
}

export function printJourneyCosts(costs: JourneyCosts): void {
  console.log(
    `Estimated AWS cost of one patient (us-east-1 list prices as of ${costs.induction.estimate.pricesAsOf}; local Lambda durations)`,
  );
  printStretch('induction journey (enrolment to follow-up)', costs.induction, inductionJourneyGoalUsd);
  if (costs.steadyMonth !== undefined)
    printStretch('maintenance month (one fill to the next)', costs.steadyMonth, maintenanceMonthGoalUsd);
  if (costs.firstMonth !== undefined)
    printStretch('first maintenance month (window opens at once)', costs.firstMonth, undefined);
}

function printStretch(title: string, cost: StretchCost, goalUsd: number | undefined): void {
  const total = cost.estimate.totalUsd;
  const verdict = goalUsd === undefined ? '(context)' : `${goal(`<= $${goalUsd}`)}${total > goalUsd ? '   OVER' : ''}`;
  reportLine(`  ${title}, $`, total.toFixed(5), verdict);
  for (const item of cost.estimate.lines) {
    const share = total > 0 ? ` ${((item.usd / total) * 100).toFixed(0).padStart(3)}%` : '';
    reportLine(
      `    ${item.service}: ${formatQuantity(item.quantity)} ${item.unit}`,
      item.usd.toFixed(6),
      `${share} of it`,
    );
  }
  const perAction = cost.personActions > 0 ? (cost.stateTransitions / cost.personActions).toFixed(1) : 'n/a';
  reportLine(
    `    ${cost.virtualDays.toFixed(1)} virtual days; forms posted + staff calls`,
    String(cost.personActions),
    `${perAction} transitions per action`,
  );
  console.log(
    `    transitions by state machine: ${cost.transitionsByStateMachine.map(([m, n]) => `${m} ${n}`).join(', ')}`,
  );
  console.log(`    invocations by function: ${cost.invocationsByFunction.map(([f, n]) => `${f} ${n}`).join(', ')}`);
}

function formatQuantity(quantity: number): string {
  if (Number.isInteger(quantity)) return quantity.toLocaleString('en-US');
  return quantity < 0.01 ? quantity.toPrecision(3) : quantity.toFixed(2);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bench = await runJourneyBench({ warmPatient: false });
  printJourneyCosts(journeyCosts(bench.first, bench.firstExecutionLogs));
}
