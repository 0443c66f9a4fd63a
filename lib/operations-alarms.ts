import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
  Unit,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { holdStopLog } from '../functions/platform/hold-stop-log.ts';
import type { TelemetryEncryption } from './telemetry-encryption.ts';

/**
 * SES reviews an account whose bounce rate passes 5 % and may pause sending at 10 %; its complaint
 * thresholds are 0.1 % and 0.5 %. Alarming at the review levels gives the clinic time to act before
 * reminders stop going out.
 */
export const sesReputationThresholds = { bounceRate: 0.05, complaintRate: 0.001 } as const;

/** Where the count of tasks stopped by a clinical hold is published, per function (`FunctionId`). */
export const holdStopMetric = {
  namespace: 'CareJourneys',
  metricName: 'TasksStoppedByHold',
  dimension: 'FunctionId',
} as const;

/**
 * A function's errors and its hold stops are counted over the same window before one is subtracted
 * from the other: the Lambda metric and the log-derived one are stamped by separate systems, and a
 * window much longer than their skew keeps a hold at a minute's edge from paging anyone.
 */
const errorWindow = Duration.minutes(5);

/** The period of the Step Functions metrics the execution alarms watch (their default), one evaluation each. */
export const executionAlarmPeriod = Duration.minutes(5);

/**
 * The alarms on each state machine's executions that ended badly, one `<machine id>-<suffix>` per status
 * Step Functions ends an execution with; each fires on one such execution within a period. The local
 * runtime evaluates the same alarms on its own executions (local/runtime/execution-alarms.ts).
 */
export const executionEndAlarms = [
  {
    suffix: 'failed',
    status: 'FAILED',
    metric: (machine: StateMachine) => machine.metricFailed({ period: executionAlarmPeriod }),
    description: (id: string) => `A ${id} execution failed: a patient's journey may be stuck.`,
  },
  {
    suffix: 'timed-out',
    status: 'TIMED_OUT',
    metric: (machine: StateMachine) => machine.metricTimedOut({ period: executionAlarmPeriod }),
    description: (id: string) => `A ${id} execution timed out.`,
  },
  {
    suffix: 'aborted',
    status: 'ABORTED',
    metric: (machine: StateMachine) => machine.metricAborted({ period: executionAlarmPeriod }),
    description: (id: string) => `A ${id} execution was aborted.`,
  },
] as const;

export interface OperationsAlarmsProps {
  readonly opsAlertEmail: string;
  readonly telemetry: TelemetryEncryption;
  readonly stateMachines: ReadonlyMap<string, StateMachine>;
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly api: HttpApi;
}

/**
 * Everything that needs a person, sent to the ops topic: a journey execution that failed, timed out or
 * was aborted (a patient may be stuck), a function error or throttle, a dead letter, server errors on the
 * link pages, and email reputation trouble.
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'OpsTopic', {
      displayName: 'Care Journeys operations alerts',
      masterKey: props.telemetry.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.opsAlertEmail));
    this.action = new SnsAction(this.topic);

    for (const [machineId, machine] of props.stateMachines) {
      for (const kind of executionEndAlarms)
        this.alarmOnAny(`${machineId}-${kind.suffix}`, kind.metric(machine), kind.description(machineId));
    }
    for (const [functionId, fn] of props.functions) {
      this.alarmOnAny(
        `${functionId}-errors`,
        this.errorsOtherThanHoldStops(functionId, fn),
        `The ${functionId} function returned errors (tasks stopped by a clinical hold are not counted: that is the safety rule working).`,
      );
      this.alarmOnAny(`${functionId}-throttles`, fn.metricThrottles(), `The ${functionId} function was throttled.`);
    }
    this.alarmOnAny(
      'api-server-errors',
      props.api.metricServerError(),
      'The link pages or staff API answered with 5xx errors.',
    );
    this.alarmAbove(
      'ses-bounce-rate',
      new Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.BounceRate',
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      sesReputationThresholds.bounceRate,
      'The SES bounce rate reached the level at which AWS reviews the account.',
    );
    this.alarmAbove(
      'ses-complaint-rate',
      new Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.ComplaintRate',
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      sesReputationThresholds.complaintRate,
      'The SES complaint rate reached the level at which AWS reviews the account.',
    );
  }

  /**
   * Lambda counts a task that fails closed with `PatientOnHold` as an error, so the function's Errors
   * minus the hold stops its log reports are the errors someone has to look at.
   */
  private errorsOtherThanHoldStops(functionId: string, fn: LambdaFunction): IMetric {
    const holdStops = new MetricFilter(this, `${functionId}-hold-stops`, {
      logGroup: fn.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', holdStopLog.message),
      metricNamespace: holdStopMetric.namespace,
      metricName: holdStopMetric.metricName,
      metricValue: '1',
      dimensions: { [holdStopMetric.dimension]: `$.${holdStopLog.functionIdField}` },
      unit: Unit.COUNT,
    });
    return new MathExpression({
      expression: 'FILL(errors, 0) - FILL(holdStops, 0)',
      usingMetrics: {
        errors: fn.metricErrors({ period: errorWindow, statistic: 'Sum' }),
        holdStops: holdStops.metric({
          period: errorWindow,
          statistic: 'Sum',
          dimensionsMap: { [holdStopMetric.dimension]: functionId },
        }),
      },
      period: errorWindow,
      label: `${functionId} errors other than clinical-hold stops`,
    });
  }

  private alarmOnAny(id: string, metric: IMetric, description: string): void {
    this.alarmAbove(id, metric, 1, description);
  }

  /** Alarms when the metric reaches the threshold within one period. */
  private alarmAbove(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: description,
      // No data means nothing happened: no executions, no invocations, no mail.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
