import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { functionArnPlaceholder, functionCatalogue } from '../functions/catalogue.ts';
import {
  definitionPath,
  fillPlaceholders,
  MissingPlaceholderValueError,
  placeholdersIn,
  placeholdersInSyncStarts,
  readDefinitionTemplate,
  stateMachineArnPlaceholder,
  stateMachineCatalogue,
} from '../statemachines/definitions.ts';
import { pascalCase } from './construct-ids.ts';
import type { JourneyFunctions } from './journey-functions.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { requireFile } from './project-paths.ts';
import type { TelemetryEncryption } from './telemetry-encryption.ts';
import type { WorkflowEncryption } from './workflow-encryption.ts';
import { executionsArn, stateMachineArn, stateMachineName } from './workflow-arns.ts';

export interface JourneyWorkflowsProps {
  readonly functions: JourneyFunctions;
  readonly telemetry: TelemetryEncryption;
  readonly encryption: WorkflowEncryption;
}

export class DefinitionPlaceholderError extends Error {
  override readonly name = 'DefinitionPlaceholderError';
}

/**
 * One Standard state machine per entry of statemachines/definitions.ts, from the very ASL file the local
 * runtime runs, with its `${Placeholders}` filled here. Each role may invoke exactly the functions and start
 * exactly the state machines its file names.
 */
export class JourneyWorkflows extends Construct {
  readonly byId: ReadonlyMap<string, StateMachine>;

  constructor(scope: Construct, id: string, props: JourneyWorkflowsProps) {
    super(scope, id);
    const functionArns = new Map(
      functionCatalogue.map((spec) => [functionArnPlaceholder(spec.id), props.functions.get(spec.id).functionArn]),
    );
    const machineArns = new Map(
      stateMachineCatalogue.map((spec) => [stateMachineArnPlaceholder(spec.id), stateMachineArn(this, spec.id)]),
    );
    const machineIdsByPlaceholder = new Map(
      stateMachineCatalogue.map((spec) => [stateMachineArnPlaceholder(spec.id), spec.id]),
    );
    const values = Object.fromEntries([...functionArns, ...machineArns]);

    const byId = new Map<string, StateMachine>();
    for (const spec of stateMachineCatalogue) {
      requireFile(definitionPath(spec.id), `statemachines/definitions.ts lists the state machine "${spec.id}"`);
      const template = readDefinitionTemplate(spec.id);
      let definition: string;
      try {
        definition = fillPlaceholders(template, values);
      } catch (error) {
        if (!(error instanceof MissingPlaceholderValueError)) throw error;
        throw new DefinitionPlaceholderError(
          `statemachines/${spec.id}.asl.json: ${error.message}; the stack provides ${Object.keys(values)
            .map((name) => '${' + name + '}')
            .join(', ')}`,
        );
      }
      const name = pascalCase(spec.id);
      const role = new ManagedPolicyRole(this, `${name}Role`, {
        assumedBy: new ServicePrincipal('states.amazonaws.com'),
      });
      const machine = new StateMachine(this, name, {
        stateMachineName: stateMachineName(this, spec.id),
        comment: spec.description,
        definitionBody: DefinitionBody.fromString(definition),
        stateMachineType: StateMachineType.STANDARD,
        // Execution data is included so a journey's course can be reconstructed after Step Functions drops
        // its 90-day execution history. That is safe to log because workflow data holds no health
        // information: only ids, phases, decisions, reason codes, counts, timestamps and protocol versions
        // (functions read what they need from the table by id; test/journey-workflow-data-no-phi.test.ts proves
        // it on whole journeys). The log group is encrypted with the telemetry key.
        logs: {
          destination: props.telemetry.logGroup(
            this,
            `${name}Logs`,
            `/aws/vendedlogs/states/${stateMachineName(this, spec.id)}`,
          ),
          level: LogLevel.ALL,
          includeExecutionData: true,
        },
        encryptionConfiguration: props.encryption.encryptionConfiguration,
        tracingEnabled: true,
        role,
      });

      const used = placeholdersIn(template);
      const invoked = used.flatMap((placeholder) => functionArns.get(placeholder) ?? []);
      if (invoked.length > 0) {
        machine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: invoked }));
      }
      const started = used.flatMap((placeholder) => machineIdsByPlaceholder.get(placeholder) ?? []);
      const awaited = placeholdersInSyncStarts(template).flatMap(
        (placeholder) => machineIdsByPlaceholder.get(placeholder) ?? [],
      );
      if (started.length > 0) {
        machine.addToRolePolicy(
          new PolicyStatement({
            actions: ['states:StartExecution'],
            resources: started.map((other) => stateMachineArn(this, other)),
          }),
        );
        // a child's input (and, for .sync, reading its output back) goes through the child's encryption context
        props.encryption.grantExecutionData(role, started, 'write');
      }
      if (awaited.length > 0) this.grantWaitForChildren(machine, awaited);
      this.acknowledgeFindings(role, awaited);
      byId.set(spec.id, machine);
    }
    this.byId = byId;
  }

  /**
   * `startExecution.sync` polls the child and stops it when the parent stops, through a managed EventBridge
   * rule: only for the children the parent waits for (a child it only starts, like the next refill cycle, needs none).
   */
  private grantWaitForChildren(machine: StateMachine, children: readonly string[]): void {
    const stack = Stack.of(this);
    machine.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: children.map((child) => executionsArn(this, child)),
      }),
    );
    machine.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
          }),
        ],
      }),
    );
  }

  private acknowledgeFindings(role: ManagedPolicyRole, children: readonly string[]): void {
    const policy = role.permissions;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery and related) and X-Ray writes do not support resource-level permissions.',
    });
    for (const child of children) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName(this, child)}:*]`,
        reason:
          "Child execution names are chosen at run time; the ARN is limited to executions of this stack's own state machine.",
      });
    }
  }
}
