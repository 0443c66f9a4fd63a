import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * State machines get fixed names so their ARNs can be written before they exist: functions start them
 * and state machines start each other, and referencing the resources would make those references circular.
 */
export function stateMachineName(scope: Construct, stateMachineId: string): string {
  return `${Stack.of(scope).stackName}-${stateMachineId}`;
}

export function stateMachineArn(scope: Construct, stateMachineId: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(scope, stateMachineId),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Every execution of one state machine: execution names are chosen at run time (per patient, per cycle). */
export function executionsArn(scope: Construct, stateMachineId: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName(scope, stateMachineId)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The environment variable that tells functions a state machine's ARN, e.g. REFILL_CYCLE_STATE_MACHINE_ARN. */
export function stateMachineArnVariable(stateMachineId: string): string {
  return `${stateMachineId.toUpperCase().replace(/-/g, '_')}_STATE_MACHINE_ARN`;
}
