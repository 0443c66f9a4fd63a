/**
 * The engine's HTTP face, seen through the real @aws-sdk/client-sfn: AWS JSON 1.0, epoch-second
 * timestamps the SDK turns into Dates, and errors whose `name` is AWS's error name.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalLambdaHandler, LocalStepFunctions } from '../local/sfn/contract.ts';
import { createLocalStepFunctions } from '../local/sfn/index.ts';

const START = new Date('2026-02-02T08:00:00.000Z');
const tokens: string[] = [];
const handlers: Record<string, LocalLambdaHandler> = {
  keepToken: async (payload) => {
    tokens.push((payload as { token: string }).token);
    return { stored: true };
  },
  double: async (payload) => ({ doubled: (payload as { n: number }).n * 2 }),
};

let sfn: LocalStepFunctions;
let client: SFNClient;

const callbackMachine = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Wait for the clinician',
  States: {
    'Wait for the clinician': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: { FunctionName: 'keepToken', Payload: { token: '{% $states.context.Task.Token %}' } },
      HeartbeatSeconds: 3600,
      End: true,
    },
  },
});

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('expected the SDK call to fail');
}

async function createCallbackMachine(name: string): Promise<string> {
  const created = await client.send(
    new CreateStateMachineCommand({ name, definition: callbackMachine, roleArn: 'arn:aws:iam::123456789012:role/r' }),
  );
  return created.stateMachineArn ?? '';
}

async function startAndTakeToken(
  stateMachineArn: string,
  name: string,
): Promise<{ executionArn: string; token: string }> {
  const before = tokens.length;
  const started = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"patient":"p-1"}' }));
  await sfn.settle();
  const token = tokens[before];
  if (token === undefined) throw new Error('the callback task did not hand out its token');
  return { executionArn: started.executionArn ?? '', token };
}

beforeAll(async () => {
  sfn = await createLocalStepFunctions({
    dbPath: ':memory:',
    lambdas: { resolve: (name) => handlers[name] },
    startTime: START,
  });
  const { url } = await sfn.listen(0);
  client = new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await sfn.close();
});

describe('the AWS JSON API through @aws-sdk/client-sfn', () => {
  it('answers timestamps the SDK reads as Dates on the virtual clock', async () => {
    const arn = await createCallbackMachine('dates');
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described.creationDate).toEqual(START);
    expect(described.status).toBe('ACTIVE');
    const { executionArn } = await startAndTakeToken(arn, 'dates-1');
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution.startDate).toEqual(START);
    expect(execution.status).toBe('RUNNING');
  });

  it('creating the same machine twice is idempotent, a different definition is StateMachineAlreadyExists', async () => {
    const first = await createCallbackMachine('twice');
    expect(await createCallbackMachine('twice')).toBe(first);
    const other = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', End: true } },
    });
    expect(
      await errorName(
        client.send(
          new CreateStateMachineCommand({
            name: 'twice',
            definition: other,
            roleArn: 'arn:aws:iam::123456789012:role/r',
          }),
        ),
      ),
    ).toBe('StateMachineAlreadyExists');
  });

  it('refuses a JSONPath definition with InvalidDefinition naming the field', async () => {
    const jsonPath = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', ResultPath: '$.x', End: true } },
    });
    try {
      await client.send(
        new CreateStateMachineCommand({
          name: 'jsonpath',
          definition: jsonPath,
          roleArn: 'arn:aws:iam::123456789012:role/r',
        }),
      );
      throw new Error('expected InvalidDefinition');
    } catch (error) {
      expect((error as Error).name).toBe('InvalidDefinition');
      expect((error as Error).message).toContain('ResultPath');
    }
  });

  it('UpdateStateMachine changes the definition new executions run', async () => {
    const arn = await createCallbackMachine('updated');
    const pass = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: { updated: true }, End: true } },
    });
    await client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    await sfn.settle();
    const done = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({ updated: true });
  });

  it('names each missing or malformed resource with AWS error names', async () => {
    const missingMachine = 'arn:aws:states:us-east-1:123456789012:stateMachine:nope';
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: missingMachine })))).toBe(
      'StateMachineDoesNotExist',
    );
    expect(await errorName(client.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })))).toBe(
      'InvalidArn',
    );
    expect(
      await errorName(
        client.send(
          new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:nope:x' }),
        ),
      ),
    ).toBe('ExecutionDoesNotExist');
    const arn = await createCallbackMachine('inputs');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' })))).toBe(
      'InvalidExecutionInput',
    );
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'has space' })))).toBe(
      'InvalidName',
    );
  });

  it('StartExecution with the same name and input returns the same execution; another input is ExecutionAlreadyExists', async () => {
    const arn = await createCallbackMachine('idempotent');
    const first = await client.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'journey-p-1', input: '{"a":1}' }),
    );
    const again = await client.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'journey-p-1', input: '{"a":1}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(
      await errorName(
        client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'journey-p-1', input: '{"a":2}' })),
      ),
    ).toBe('ExecutionAlreadyExists');
    await sfn.settle();
  });

  it('a token completes its task once: SendTaskSuccess then TaskTimedOut; bad output is InvalidOutput', async () => {
    const arn = await createCallbackMachine('callbacks');
    const { executionArn, token } = await startAndTakeToken(arn, 'cb-1');
    expect(await errorName(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{oops' })))).toBe(
      'InvalidOutput',
    );
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    await sfn.settle();
    const done = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({ approved: true });
    expect(await errorName(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBe(
      'TaskTimedOut',
    );
    expect(await errorName(client.send(new SendTaskSuccessCommand({ taskToken: 'x'.repeat(64), output: '{}' })))).toBe(
      'TaskDoesNotExist',
    );
    expect(await errorName(client.send(new SendTaskFailureCommand({ taskToken: 'not a token!' })))).toBe(
      'InvalidToken',
    );
  });

  it('SendTaskFailure fails the execution with the given error and cause', async () => {
    const arn = await createCallbackMachine('failures');
    const { executionArn, token } = await startAndTakeToken(arn, 'cb-2');
    await client.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'LinkExpired', cause: 'no decision in 72 h' }),
    );
    await sfn.settle();
    const done = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(done).toMatchObject({ status: 'FAILED', error: 'LinkExpired', cause: 'no decision in 72 h' });
  });

  it('StopExecution aborts a waiting execution and ListExecutions filters by status', async () => {
    const arn = await createCallbackMachine('stops');
    const { executionArn, token } = await startAndTakeToken(arn, 'stop-1');
    await startAndTakeToken(arn, 'stop-2');
    await client.send(
      new StopExecutionCommand({ executionArn, error: 'Discharged', cause: 'patient left the program' }),
    );
    const stopped = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Discharged' });
    expect(await errorName(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBe(
      'TaskTimedOut',
    );
    const aborted = await client.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'ABORTED' }));
    expect(aborted.executions?.map((e) => e.name)).toEqual(['stop-1']);
    const running = await client.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    expect(running.executions?.map((e) => e.name)).toEqual(['stop-2']);
  });

  it('GetExecutionHistory lists AWS event types with their details, in order and reversed', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Double',
      States: {
        Double: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'double', Payload: { n: '{% $states.input.n %}' } },
          Output: '{% $states.result.Payload %}',
          End: true,
        },
      },
    });
    const { stateMachineArn } = await client.send(
      new CreateStateMachineCommand({ name: 'history', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }),
    );
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":21}' }));
    await sfn.settle();
    const history = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = history.events?.find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
    expect(JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '{}')).toEqual({
      FunctionName: 'double',
      Payload: { n: 21 },
    });
    const succeeded = history.events?.find((e) => e.type === 'TaskSucceeded');
    expect(JSON.parse(succeeded?.taskSucceededEventDetails?.output ?? '{}')).toEqual({
      ExecutedVersion: '$LATEST',
      Payload: { doubled: 42 },
      StatusCode: 200,
    });
    expect(history.events?.[0]?.timestamp).toEqual(START);
    const reversed = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(reversed.events?.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'TaskStateExited']);
    expect(reversed.nextToken).toBeDefined();
    const listed = await client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toContain('history');
  });
});
