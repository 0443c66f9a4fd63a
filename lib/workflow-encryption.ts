import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CustomerManagedEncryptionConfiguration } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { stateMachineArn } from './workflow-arns.ts';

/** What a caller does with a state machine's executions, and so which key operations Step Functions makes for it. */
export type ExecutionDataUse =
  /** StartExecution, SendTaskSuccess / SendTaskFailure: Step Functions encrypts the input, output or cause it is given */
  | 'write'
  /** DescribeExecution, GetExecutionHistory: Step Functions decrypts what it answers */
  | 'read';

/**
 * The customer-managed key of the state machines: their definitions and execution history (every input,
 * output, variable and failure cause) are encrypted with it on top of Step Functions' own encryption, so
 * who may read a journey's course is decided by this key's grants, and every use is in CloudTrail.
 *
 * Step Functions uses the key on behalf of whoever calls it, with the state machine's ARN as encryption
 * context: each caller is granted the key for exactly the state machines it calls (grantExecutionData).
 * The state machines' own roles, and the delivery of their logs, are granted by CDK when a state machine
 * names this key (`encryptionConfiguration`).
 */
export class WorkflowEncryption extends Construct {
  readonly key: Key;
  readonly encryptionConfiguration: CustomerManagedEncryptionConfiguration;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Care Journeys: Step Functions definitions and execution history',
      enableKeyRotation: true,
      // Nothing encrypted with it outlives the state machines: their history goes with them, and their logs
      // are re-encrypted with the telemetry key by CloudWatch Logs. The waiting period still allows an undo.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(30),
    });
    this.encryptionConfiguration = new CustomerManagedEncryptionConfiguration(this.key);
  }

  /** The key for what `grantee` hands to, or reads from, executions of these state machines, and nothing else. */
  grantExecutionData(grantee: IGrantable, stateMachineIds: readonly string[], use: ExecutionDataUse): void {
    if (stateMachineIds.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: use === 'write' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineIds.map((id) => stateMachineArn(this, id)),
            'kms:ViaService': `states.${Stack.of(this).region}.amazonaws.com`,
          },
        },
      }),
    );
  }
}
