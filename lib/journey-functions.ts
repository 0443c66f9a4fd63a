import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { functionCatalogue, type FunctionSpec } from '../functions/catalogue.ts';
import type { ClinicConfig } from '../functions/platform/clinic-config.ts';
import type { environmentSchema } from '../functions/platform/environment.ts';
import { stateMachineCatalogue } from '../statemachines/definitions.ts';
import type { DataStore } from './data-store.ts';
import type { EmailSending } from './email-sending.ts';
import { pascalCase } from './construct-ids.ts';
import { functionBundling, functionNodeOptions } from './function-bundling.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { handlerEntry, projectRoot } from './project-paths.ts';
import type { TelemetryEncryption } from './telemetry-encryption.ts';
import type { WorkflowEncryption } from './workflow-encryption.ts';
import { executionsArn, stateMachineArn, stateMachineArnVariable, stateMachineName } from './workflow-arns.ts';

type EnvironmentName = keyof typeof environmentSchema.shape;

/**
 * Concurrency caps for the functions the internet can reach. They bound what a flood of link requests can
 * cost or do to the table; workflow functions are bounded by the state machines that call them instead.
 */
export const reservedConcurrency: Readonly<Record<FunctionSpec['trigger'], number | undefined>> = {
  http: 10,
  workflow: undefined,
};

/** The task results a function's role may send, by its catalogue workflow access: only those its code sends. */
export const taskResultActions: Readonly<Record<FunctionSpec['access']['workflows'], readonly string[]>> = {
  none: [],
  complete: ['states:SendTaskSuccess'],
  fail: ['states:SendTaskFailure'],
  callback: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
  start: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
};

/** Lambda allows 4 KB of environment in all; leave room for the ARNs and names next to the config. */
const maxClinicConfigChars = 3000;

export class ClinicConfigTooLargeError extends Error {
  override readonly name = 'ClinicConfigTooLargeError';
}

export interface JourneyFunctionsProps {
  readonly clinic: ClinicConfig;
  readonly appBaseUrl: string;
  readonly data: DataStore;
  readonly email: EmailSending;
  readonly telemetry: TelemetryEncryption;
  readonly workflowEncryption: WorkflowEncryption;
}

/** One Lambda per entry of functions/catalogue.ts, each with its own role holding only what its `access` says. */
export class JourneyFunctions extends Construct {
  readonly byId: ReadonlyMap<string, NodejsFunction>;

  constructor(scope: Construct, id: string, props: JourneyFunctionsProps) {
    super(scope, id);
    const clinicJson = JSON.stringify(props.clinic);
    if (clinicJson.length > maxClinicConfigChars) {
      throw new ClinicConfigTooLargeError(
        `the clinic config is ${clinicJson.length} characters as JSON; Lambda's 4 KB environment limit leaves room for ${maxClinicConfigChars}`,
      );
    }

    const environment = {
      TABLE_NAME: props.data.table.tableName,
      APP_BASE_URL: props.appBaseUrl,
      CLINIC_CONFIG: clinicJson,
      SES_CONFIGURATION_SET: props.email.configurationSet.configurationSetName,
    } satisfies Partial<Record<EnvironmentName, string>>;
    const stateMachineArns = Object.fromEntries(
      stateMachineCatalogue.map((machine) => [stateMachineArnVariable(machine.id), stateMachineArn(this, machine.id)]),
    );

    const byId = new Map<string, NodejsFunction>();
    for (const spec of functionCatalogue as readonly FunctionSpec[]) {
      const name = pascalCase(spec.id);
      const role = new ManagedPolicyRole(this, `${name}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `Care Journeys ${spec.id}: ${spec.description}`.slice(0, 1000),
      });
      const logGroup = props.telemetry.logGroup(this, `${name}Logs`);
      const fn = new NodejsFunction(this, name, {
        entry: handlerEntry(spec.id),
        handler: 'handler',
        description: spec.description,
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        role,
        logGroup,
        tracing: Tracing.ACTIVE,
        reservedConcurrentExecutions: reservedConcurrency[spec.trigger],
        environment: { ...environment, ...stateMachineArns, NODE_OPTIONS: functionNodeOptions },
        projectRoot,
        depsLockFilePath: join(projectRoot, 'package-lock.json'),
        bundling: functionBundling,
      });
      logGroup.grantWrite(role);
      props.data.grantTableAccess(role, spec.access.table);
      if (spec.access.email) props.email.grantSend(role);
      this.grantWorkflowAccess(role, spec.access.workflows, props.workflowEncryption);
      this.acknowledgeFindings(spec, fn, role);
      byId.set(spec.id, fn);
    }
    this.byId = byId;
  }

  get(functionId: string): NodejsFunction {
    const fn = this.byId.get(functionId);
    if (fn === undefined) throw new RangeError(`no function "${functionId}" in functions/catalogue.ts`);
    return fn;
  }

  private grantWorkflowAccess(
    role: ManagedPolicyRole,
    workflows: FunctionSpec['access']['workflows'],
    encryption: WorkflowEncryption,
  ): void {
    if (workflows === 'none') return;
    const machineIds = stateMachineCatalogue.map((machine) => machine.id);
    const machines = machineIds.map((machineId) => stateMachineArn(this, machineId));
    role.addToPrincipalPolicy(
      new PolicyStatement({
        // No SendTaskHeartbeat: no task of ours sets HeartbeatSeconds. On the state machines: Step Functions
        // authorizes a task token's callback against the state machine whose execution issued it (its
        // AccessDenied names that ARN), as CDK's own grantTaskResponse grants it, although the Service
        // Authorization Reference lists no resource type for these actions.
        actions: [...taskResultActions[workflows]],
        resources: machines,
      }),
    );
    // a task's output or failure cause is encrypted with the workflows' key as it is handed over
    encryption.grantExecutionData(role, machineIds, 'write');
    if (workflows !== 'start') return;
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: machines }));
    // DescribeExecution: restarting a refill cycle first asks whether the last one still runs (nothing stops one)
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: machineIds.map((machineId) => executionsArn(this, machineId)),
      }),
    );
  }

  private acknowledgeFindings(spec: FunctionSpec, fn: NodejsFunction, role: ManagedPolicyRole): void {
    const policy = role.permissions;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    });
    if (spec.access.email) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]`,
        reason:
          "ses:SendEmail is authorized against the recipient identity as well while the account is in the SES sandbox; the statement is pinned to the clinic sender by the ses:FromAddress condition and to this stack's configuration set.",
      });
    }
    if (spec.access.workflows === 'start') {
      for (const machine of stateMachineCatalogue) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName(this, machine.id)}:*]`,
          reason:
            "Execution names are chosen at run time (one per patient or refill cycle); the ARN is limited to executions of this stack's own state machine.",
        });
      }
    }
    Validations.of(fn).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        'Every caller invokes the function synchronously (a Step Functions task or API Gateway), and a dead-letter queue only receives failed asynchronous invocations, so it could never fill. Lost work shows as a failed execution (alarmed, then redriven) or a 5xx answer (alarmed).',
    });
    Validations.of(fn).acknowledge({
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason:
        'The function reaches only AWS service APIs (DynamoDB, SES, Step Functions) over TLS with IAM; there is no private resource to reach, and a VPC would add NAT gateways without reducing exposure.',
    });
    if (reservedConcurrency[spec.trigger] === undefined) {
      Validations.of(fn).acknowledge({
        id: 'HIPAA.Security-LambdaConcurrency',
        reason:
          "Invoked only by this stack's state machines, whose concurrency is bounded by the clinic's active patients; a reservation would take capacity from the account pool without limiting any outside caller.",
      });
    }
  }
}
