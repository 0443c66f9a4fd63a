import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * One customer-managed key for what the system says about itself: log groups (which may hold patient
 * ids and error details) and the SNS topics of alarms and SES events. Kept apart from the table's key so
 * operators who read logs need no access to the clinical data key.
 */
export class TelemetryEncryption extends Construct {
  readonly key: Key;
  readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // A year of logs covers audits of a whole treatment course without keeping logs indefinitely.
    this.logRetention = RetentionDays.ONE_YEAR;
    this.key = new Key(this, 'Key', {
      description: 'Care Journeys: log groups and alarm / email-event topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsThisStacksLogGroups',
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:DescribeKey',
        ],
        resources: ['*'], // in a key policy, "*" means this key
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // SNS uses the key on behalf of the service that publishes; which account's alarms or configuration
    // sets may publish is decided by each topic's policy (aws:SourceAccount / aws:SourceArn).
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsAndEmailEventsPublishToEncryptedTopics',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com'), new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'], // in a key policy, "*" means this key
      }),
    );
  }

  /**
   * A log group encrypted with this key and kept for the retention period. It outlives the stack, like the
   * table: logs are part of the audit evidence of what the system did to a patient's journey.
   * Services that deliver logs themselves (Step Functions, API Gateway) get a name under
   * `/aws/vendedlogs/`, where CloudWatch Logs' resource policy for vended logs does not grow with
   * each new log group (it is limited to 5,120 characters).
   */
  logGroup(scope: Construct, id: string, logGroupName?: string): LogGroup {
    return new LogGroup(scope, id, {
      ...(logGroupName === undefined ? {} : { logGroupName }),
      encryptionKey: this.key,
      retention: this.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
