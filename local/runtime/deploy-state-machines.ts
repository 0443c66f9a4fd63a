import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { functionArnPlaceholder, functionCatalogue } from '../../functions/catalogue.ts';
import {
  definitionPath,
  fillPlaceholders,
  readDefinitionTemplate,
  stateMachineArnPlaceholder,
  stateMachineCatalogue,
} from '../../statemachines/definitions.ts';
import type { LocalStepFunctions } from '../sfn/contract.ts';
import { repositoryRoot } from './handler-loader.ts';
import { localFunctionArn, localRoleArn, localStateMachineArn, localStateMachineName } from './local-aws-identity.ts';

export interface DeployedStateMachine {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly outcome: 'created' | 'updated' | 'unchanged';
}

/** Every `${Placeholder}` an ASL file may use, with the local ARN CDK's would stand for. */
export function localPlaceholderValues(): Record<string, string> {
  return {
    ...Object.fromEntries(
      functionCatalogue.map((spec) => [functionArnPlaceholder(spec.id), localFunctionArn(spec.id)]),
    ),
    ...Object.fromEntries(
      stateMachineCatalogue.map((spec) => [stateMachineArnPlaceholder(spec.id), localStateMachineArn(spec.id)]),
    ),
  };
}

/** The catalogue's state machines whose ASL file exists (the others are not written yet). */
export function availableStateMachineIds(): string[] {
  return stateMachineCatalogue.map((spec) => spec.id).filter((id) => existsSync(definitionPath(id)));
}

export class StateMachineDeployError extends Error {
  override readonly name = 'StateMachineDeployError';
}

/**
 * Creates each state machine from its ASL file, or updates it when the file changed since the data
 * directory last saw it, so editing an ASL file and restarting is all a clinic engineer has to do.
 */
export async function deployStateMachines(engine: LocalStepFunctions): Promise<DeployedStateMachine[]> {
  const values = localPlaceholderValues();
  const deployed: DeployedStateMachine[] = [];
  for (const id of availableStateMachineIds()) {
    const file = relative(repositoryRoot, definitionPath(id));
    const name = localStateMachineName(id);
    let definition: string;
    try {
      definition = fillPlaceholders(readDefinitionTemplate(id), values);
    } catch (error) {
      throw new StateMachineDeployError(`${file}: ${(error as Error).message}`);
    }
    try {
      deployed.push(await createOrUpdate(engine, id, name, definition));
    } catch (error) {
      const reason = error as { name?: string; message?: string };
      throw new StateMachineDeployError(
        `${file} was refused by the local Step Functions service: ${reason.name ?? 'Error'}: ${reason.message ?? String(error)}`,
      );
    }
  }
  return deployed;
}

async function createOrUpdate(
  engine: LocalStepFunctions,
  id: string,
  name: string,
  definition: string,
): Promise<DeployedStateMachine> {
  const arn = localStateMachineArn(id);
  let current: { definition?: string } | undefined;
  try {
    current = (await engine.call('DescribeStateMachine', { stateMachineArn: arn })) as { definition?: string };
  } catch (error) {
    if ((error as { name?: string }).name !== 'StateMachineDoesNotExist') throw error;
  }
  if (current === undefined) {
    const created = (await engine.call('CreateStateMachine', {
      name,
      definition,
      roleArn: localRoleArn,
      type: 'STANDARD',
    })) as { stateMachineArn: string };
    assertArn(created.stateMachineArn, arn);
    return { id, name, arn, outcome: 'created' };
  }
  if (current.definition === definition) return { id, name, arn, outcome: 'unchanged' };
  await engine.call('UpdateStateMachine', { stateMachineArn: arn, definition });
  return { id, name, arn, outcome: 'updated' };
}

// the handlers were given the expected ARN in their environment before the engine existed
function assertArn(actual: string, expected: string): void {
  if (actual !== expected) {
    throw new StateMachineDeployError(
      `the engine named the state machine ${actual}, but the functions were told ${expected}`,
    );
  }
}
