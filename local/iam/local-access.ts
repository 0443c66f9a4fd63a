import { functionCatalogue } from '../../functions/catalogue.ts';
import { stateMachineCatalogue } from '../../statemachines/definitions.ts';
import type { ChildStartAuthorizer } from '../sfn/contract.ts';
import {
  localFunctionArn,
  localRegion,
  localAccountId,
  localStateMachineArn,
  localStateMachineName,
} from '../runtime/local-aws-identity.ts';
import { AccessCheck } from './access-check.ts';
import { localExecutionArn } from './local-arns.ts';
import type { RolePermissions } from './stack-permissions.ts';

/**
 * The local runtime's IAM: the stack's roles, and the questions the engine and the function host put to
 * them on behalf of the state machines. A child start is decided synchronously inside the engine, so those
 * decisions (few: machines × machines × modes) are all made when the clinic starts.
 */
export interface LocalAccess {
  readonly check: AccessCheck;
  /** undefined when the execution's state machine may invoke the function, else AWS's message */
  authorizeInvoke(executionArn: string, functionId: string): Promise<string | undefined>;
  readonly authorizeChildStart: ChildStartAuthorizer;
}

/** The rule `startExecution.sync` creates to hear about its child, named by Step Functions. */
const syncRuleArn = `arn:aws:events:${localRegion}:${localAccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`;

function stateMachineIdOfExecution(executionArn: string): string | undefined {
  // arn:aws:states:region:account:execution:<state machine name>:<execution name>
  const name = executionArn.split(':')[6];
  return stateMachineCatalogue.find((spec) => localStateMachineName(spec.id) === name)?.id;
}

function childStartRequests(
  childId: string,
  mode: Parameters<ChildStartAuthorizer>[0]['mode'],
): { action: string; resource: string }[] {
  const start = [{ action: 'states:StartExecution', resource: localStateMachineArn(childId) }];
  if (mode !== 'sync' && mode !== 'sync2') return start;
  // the names are chosen at run time; the grants cover every execution of the child's state machine
  const child = localExecutionArn(localStateMachineName(childId), 'any-execution');
  return [
    ...start,
    { action: 'states:DescribeExecution', resource: child },
    { action: 'states:StopExecution', resource: child },
    ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({
      action,
      resource: syncRuleArn,
    })),
  ];
}

export async function createLocalAccess(permissions: readonly RolePermissions[]): Promise<LocalAccess> {
  const check = new AccessCheck(permissions);
  const modes = ['async', 'sync', 'sync2', 'callback'] as const;
  const childDecisions = new Map<string, readonly { action: string; resource: string }[]>();
  const refusals = new Map<string, string | undefined>();
  for (const parent of stateMachineCatalogue) {
    for (const child of stateMachineCatalogue) {
      for (const mode of modes) {
        const requests = childStartRequests(child.id, mode);
        childDecisions.set(`${parent.id} ${child.id} ${mode}`, requests);
        let refusal: string | undefined;
        for (const request of requests) {
          // decided now, counted as used only when an execution really starts the child (below)
          const decision = await check.evaluateOnly({ principal: `state-machine:${parent.id}`, ...request });
          if (!decision.allowed) {
            refusal = decision.message;
            break;
          }
        }
        refusals.set(`${parent.id} ${child.id} ${mode}`, refusal);
      }
    }
  }

  return {
    check,
    async authorizeInvoke(executionArn, functionId) {
      const machineId = stateMachineIdOfExecution(executionArn);
      if (machineId === undefined) return undefined;
      const decision = await check.decide({
        principal: `state-machine:${machineId}`,
        action: 'lambda:InvokeFunction',
        resource: localFunctionArn(functionId),
      });
      return decision.allowed ? undefined : decision.message;
    },
    authorizeChildStart({ parentExecutionArn, stateMachineArn, mode }) {
      const parentId = stateMachineIdOfExecution(parentExecutionArn);
      const childId = stateMachineCatalogue.find((spec) => localStateMachineArn(spec.id) === stateMachineArn)?.id;
      if (parentId === undefined || childId === undefined) return undefined;
      const key = `${parentId} ${childId} ${mode}`;
      const refusal = refusals.get(key);
      if (refusal === undefined)
        for (const request of childDecisions.get(key) ?? [])
          check.markUsed(`state-machine:${parentId}`, request.action);
      return refusal;
    },
  };
}

/** Every function's and state machine's principal, for reports. */
export const localPrincipals = [
  ...functionCatalogue.map((spec) => `function:${spec.id}`),
  ...stateMachineCatalogue.map((spec) => `state-machine:${spec.id}`),
];
