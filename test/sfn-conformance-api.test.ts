/**
 * The Step Functions API surface, from AWS's API reference: StartExecution ("Executions with the same
 * name and input are considered idempotent"; ExecutionAlreadyExists otherwise), DescribeExecution,
 * ListExecutions, GetExecutionHistory, StopExecution, the state machine calls, and AWS's error names,
 * also through the real @aws-sdk/client-sfn over HTTP.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  InvalidDefinition,
  InvalidToken,
  SFNClient,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  GetExecutionHistoryCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ROLE_ARN,
  START,
  machine,
  serviceError,
  startHarness,
  waitForToken,
  type SfnHarness,
} from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const waiting = machine('Ask', { Ask: waitForToken({ End: true }) });
const quick = machine('Done', { Done: { Type: 'Pass', End: true } });

describe('StartExecution', () => {
  it('"When the original execution is open and the execution input from the new call is identical, the Success message is returned" with the same execution', async () => {
    const arn = await h.createMachine(waiting);
    const first = await h.call<{ executionArn: string }>('StartExecution', {
      stateMachineArn: arn,
      name: 'refill-2025-03',
      input: '{"n":1}',
    });
    await h.engine.settle();
    const again = await h.call<{ executionArn: string }>('StartExecution', {
      stateMachineArn: arn,
      name: 'refill-2025-03',
      input: '{"n":1}',
    });
    await h.engine.settle();
    expect(again.executionArn).toBe(first.executionArn);
    expect(h.lambdas.callsTo('token')).toHaveLength(1);
    const list = await h.call<{ executions: unknown[] }>('ListExecutions', { stateMachineArn: arn });
    expect(list.executions).toHaveLength(1);
  });

  it('"When the original execution is open and the execution input from the new call is different, ExecutionAlreadyExists"', async () => {
    const arn = await h.createMachine(waiting);
    await h.start(arn, { n: 1 }, 'same-name');
    expect((await serviceError(h.start(arn, { n: 2 }, 'same-name'))).name).toBe('ExecutionAlreadyExists');
  });

  it('"When the original execution is closed, the ExecutionAlreadyExists message is returned regardless of input"', async () => {
    const arn = await h.createMachine(quick);
    await h.start(arn, { n: 1 }, 'closed-name');
    await h.engine.settle();
    expect((await serviceError(h.start(arn, { n: 1 }, 'closed-name'))).name).toBe('ExecutionAlreadyExists');
  });

  it('"If you don\'t include any JSON input data, you still must include the two braces": no input means {}', async () => {
    const arn = await h.createMachine(
      machine('Look', { Look: { Type: 'Pass', Output: { input: '{% $states.input %}' }, End: true } }),
    );
    const { executionArn } = await h.call<{ executionArn: string }>('StartExecution', { stateMachineArn: arn });
    await h.engine.settle();
    expect((await h.describe(executionArn)).output).toEqual({ input: {} });
  });

  it('an execution without a name gets a unique generated one', async () => {
    const arn = await h.createMachine(quick);
    const a = await h.start(arn);
    const b = await h.start(arn);
    expect(a).not.toBe(b);
  });

  it('an unknown state machine is StateMachineDoesNotExist; input that is not JSON is InvalidExecutionInput', async () => {
    const arn = await h.createMachine(quick);
    const missing = arn.replace(/[^:]+$/, 'nobody');
    expect((await serviceError(h.start(missing))).name).toBe('StateMachineDoesNotExist');
    expect((await serviceError(h.call('StartExecution', { stateMachineArn: arn, input: '{oops' }))).name).toBe(
      'InvalidExecutionInput',
    );
  });
});

describe('DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution', () => {
  it('DescribeExecution reports status, name, input, output and dates', async () => {
    const arn = await h.createMachine(machine('Done', { Done: { Type: 'Pass', Output: { ok: true }, End: true } }));
    const executionArn = await h.start(arn, { a: 1 }, 'described');
    await h.engine.settle();
    const run = await h.describe(executionArn);
    expect(run).toMatchObject({ status: 'SUCCEEDED', name: 'described', stateMachineArn: arn, output: { ok: true } });
    expect(JSON.parse(String(run.input))).toEqual({ a: 1 });
    expect(run.raw.startDate).toBeDefined();
    expect(run.raw.stopDate).toBeDefined();
  });

  it('an unknown execution is ExecutionDoesNotExist', async () => {
    const arn = await h.createMachine(quick);
    const missing = arn.replace(':stateMachine:', ':execution:') + ':nope';
    expect((await serviceError(h.describe(missing))).name).toBe('ExecutionDoesNotExist');
  });

  it("ListExecutions lists a state machine's executions and filters by status", async () => {
    const waitArn = await h.createMachine(waiting);
    await h.start(waitArn, {}, 'open-1');
    await h.start(waitArn, {}, 'open-2');
    const quickArn = await h.createMachine(quick);
    await h.start(quickArn, {}, 'closed-1');
    await h.engine.settle();
    const all = await h.call<{ executions: { name: string; status: string }[] }>('ListExecutions', {
      stateMachineArn: waitArn,
    });
    expect(all.executions.map((e) => e.name).sort()).toEqual(['open-1', 'open-2']);
    const running = await h.call<{ executions: unknown[] }>('ListExecutions', {
      stateMachineArn: quickArn,
      statusFilter: 'RUNNING',
    });
    expect(running.executions).toHaveLength(0);
    const succeeded = await h.call<{ executions: { name: string }[] }>('ListExecutions', {
      stateMachineArn: quickArn,
      statusFilter: 'SUCCEEDED',
    });
    expect(succeeded.executions.map((e) => e.name)).toEqual(['closed-1']);
  });

  it('GetExecutionHistory lists the events in order with ids from 1 and AWS event type names', async () => {
    const run = await h.run(
      machine('Pause', { Pause: { Type: 'Wait', Seconds: 5, Next: 'Done' }, Done: { Type: 'Pass', End: true } }),
    );
    await h.advance(5);
    const events = await h.history(run.executionArn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('GetExecutionHistory pages with maxResults and nextToken, and reverseOrder returns the newest first', async () => {
    const run = await h.run(
      machine('A', { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } }),
    );
    const all = await h.history(run.executionArn);
    const pages: number[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.call<{ events: { id: number }[]; nextToken?: string }>('GetExecutionHistory', {
        executionArn: run.executionArn,
        maxResults: 3,
        ...(nextToken ? { nextToken } : {}),
      });
      pages.push(page.events.map((e) => e.id));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages.every((p) => p.length <= 3)).toBe(true);
    expect(pages.flat()).toEqual(all.map((e) => e.id));
    const reversed = await h.call<{ events: { id: number }[] }>('GetExecutionHistory', {
      executionArn: run.executionArn,
      reverseOrder: true,
    });
    expect(reversed.events.map((e) => e.id)).toEqual(all.map((e) => e.id).reverse());
  });

  it('GetExecutionHistory records a Lambda task as TaskScheduled, TaskStarted, TaskSucceeded', async () => {
    const run = await h.run(
      machine('Call', {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: {} },
          End: true,
        },
      }),
    );
    const types = (await h.history(run.executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('"StopExecution" aborts a running execution with the given error and cause; its timers never fire', async () => {
    const run = await h.run(
      machine('Pause', {
        Pause: { Type: 'Wait', Seconds: 60, Next: 'Call' },
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: {} },
          End: true,
        },
      }),
    );
    await h.call('StopExecution', {
      executionArn: run.executionArn,
      error: 'Clinic.Discharged',
      cause: 'patient discharged',
    });
    await h.advance(120);
    const stopped = await h.describe(run.executionArn);
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Clinic.Discharged', cause: 'patient discharged' });
    expect(h.lambdas.callsTo('echo')).toHaveLength(0);
    expect((await h.history(run.executionArn)).at(-1)?.type).toBe('ExecutionAborted');
  });
});

describe('state machines', () => {
  it('CreateStateMachine with the same name and definition returns the same ARN; a different definition is StateMachineAlreadyExists', async () => {
    const arn = await h.createMachine(quick, 'journey');
    expect(await h.createMachine(quick, 'journey')).toBe(arn);
    expect((await serviceError(h.createMachine(waiting, 'journey'))).name).toBe('StateMachineAlreadyExists');
  });

  it('DescribeStateMachine returns the definition; ListStateMachines lists it', async () => {
    const arn = await h.createMachine(quick, 'listed');
    const described = await h.call<{ definition: string; name: string; stateMachineArn: string }>(
      'DescribeStateMachine',
      { stateMachineArn: arn },
    );
    expect(described.name).toBe('listed');
    expect(JSON.parse(described.definition)).toEqual(quick);
    const list = await h.call<{ stateMachines: { name: string; stateMachineArn: string }[] }>('ListStateMachines', {});
    expect(list.stateMachines).toContainEqual(expect.objectContaining({ name: 'listed', stateMachineArn: arn }));
    expect((await serviceError(h.call('DescribeStateMachine', { stateMachineArn: arn + 'x' }))).name).toBe(
      'StateMachineDoesNotExist',
    );
  });
});

describe('usage', () => {
  it('counts state transitions and Lambda invocations per execution and in total', async () => {
    const run = await h.run(
      machine('A', {
        A: { Type: 'Pass', Next: 'B' },
        B: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: {} },
          Next: 'C',
        },
        C: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: {} },
          End: true,
        },
      }),
    );
    const usage = h.engine.usage();
    const mine = usage.byExecution[run.executionArn];
    expect(mine?.lambdaInvocations).toBe(2);
    expect(mine?.stateTransitions).toBeGreaterThanOrEqual(3);
    expect(usage.total.lambdaInvocations).toBe(2);
  });
});

describe('through @aws-sdk/client-sfn over HTTP (listen(0))', () => {
  it('speaks the JSON protocol: create, start, describe, history, callbacks, and AWS error classes', async () => {
    const { url } = await h.engine.listen(0);
    const sfn = new SFNClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({
          name: 'sdk',
          definition: JSON.stringify(machine('Ask', { Ask: waitForToken({ End: true }) })),
          roleArn: ROLE_ARN,
        }),
      );
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'sdk-run', input: '{"x":1}' }));
      expect(started.startDate).toBeInstanceOf(Date);
      expect(started.startDate?.toISOString()).toBe(START.toISOString());
      await h.engine.settle();

      await expect(
        sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'sdk-run', input: '{"x":2}' })),
      ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
      await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))).rejects.toBeInstanceOf(
        InvalidToken,
      );

      await sfn.send(new SendTaskSuccessCommand({ taskToken: h.lambdas.lastToken(), output: '{"answer":42}' }));
      await h.engine.settle();
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      expect(described.status).toBe('SUCCEEDED');
      expect(JSON.parse(described.output ?? 'null')).toEqual({ answer: 42 });
      expect(described.startDate).toBeInstanceOf(Date);

      const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      expect(listed.executions?.map((e) => e.name)).toEqual(['sdk-run']);
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
      expect(history.events?.[0]?.type).toBe('ExecutionStarted');
      expect(history.events?.at(-1)?.type).toBe('ExecutionSucceeded');

      await expect(
        sfn.send(new DescribeExecutionCommand({ executionArn: `${started.executionArn}-missing` })),
      ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
      await expect(
        sfn.send(
          new CreateStateMachineCommand({
            name: 'bad',
            definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }),
            roleArn: ROLE_ARN,
          }),
        ),
      ).rejects.toBeInstanceOf(InvalidDefinition);
    } finally {
      sfn.destroy();
    }
  });
});
