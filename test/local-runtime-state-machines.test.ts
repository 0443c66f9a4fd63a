import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholdersIn } from '../statemachines/definitions.ts';
import {
  availableStateMachineIds,
  deployStateMachines,
  localPlaceholderValues,
} from '../local/runtime/deploy-state-machines.ts';
import { createFunctionHost } from '../local/runtime/function-host.ts';
import { localAccountId, localRegion, localStateMachineArn } from '../local/runtime/local-aws-identity.ts';
import type { LocalStepFunctions } from '../local/sfn/contract.ts';
import { createLocalStepFunctions } from '../local/sfn/index.ts';

let engine: LocalStepFunctions;

beforeAll(async () => {
  engine = await createLocalStepFunctions({
    dbPath: ':memory:',
    lambdas: createFunctionHost().registry,
    region: localRegion,
    accountId: localAccountId,
  });
});
afterAll(async () => {
  await engine.close();
});

describe('deploying the state machines of statemachines/', () => {
  it('creates each one under the ARN the functions are told, with every placeholder filled', async () => {
    const deployed = await deployStateMachines(engine);
    expect(deployed.map((m) => m.id)).toEqual(availableStateMachineIds());
    for (const machine of deployed) {
      expect(machine).toMatchObject({ outcome: 'created', arn: localStateMachineArn(machine.id) });
      const described = (await engine.call('DescribeStateMachine', { stateMachineArn: machine.arn })) as {
        definition: string;
      };
      expect(placeholdersIn(described.definition)).toEqual([]);
    }
  });

  it('leaves an unchanged definition alone on the next start', async () => {
    const again = await deployStateMachines(engine);
    expect(again.map((m) => m.outcome)).toEqual(again.map(() => 'unchanged'));
  });

  it('updates a state machine whose definition differs from its ASL file', async () => {
    const [first] = availableStateMachineIds();
    expect(first).toBeDefined();
    const stale = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'Old', States: { Old: { Type: 'Succeed' } } });
    await engine.call('UpdateStateMachine', {
      stateMachineArn: localStateMachineArn(first as string),
      definition: stale,
    });
    const deployed = await deployStateMachines(engine);
    expect(deployed.find((m) => m.id === first)?.outcome).toBe('updated');
  });

  it('has a local ARN for every function and state machine placeholder', () => {
    const values = localPlaceholderValues();
    expect(values.ScreeningFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:care-journeys-screening');
    expect(values.PersonActionStateMachineArn).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:care-journeys-person-action',
    );
  });
});
