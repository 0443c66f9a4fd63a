/**
 * The virtual clock: it only moves forward; advancing fires every due timer in due order with the
 * clock reading that timer's due time; $now() and $millis() read it; a speed runs it in real time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocalLambdaHandler, LocalStepFunctions } from '../local/sfn/contract.ts';
import { createLocalStepFunctions } from '../local/sfn/index.ts';

const START = new Date('2026-04-06T07:00:00.000Z');
const engines: LocalStepFunctions[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

async function engineWith(handlers: Record<string, LocalLambdaHandler> = {}, speed = 0): Promise<LocalStepFunctions> {
  const engine = await createLocalStepFunctions({
    dbPath: ':memory:',
    lambdas: { resolve: (name) => handlers[name] },
    startTime: START,
    speed,
  });
  engines.push(engine);
  return engine;
}

async function startMachine(
  engine: LocalStepFunctions,
  name: string,
  states: Record<string, object>,
  startAt: string,
  input: unknown = {},
): Promise<string> {
  const definition = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: startAt, States: states });
  const { stateMachineArn } = (await engine.call('CreateStateMachine', { name, definition })) as {
    stateMachineArn: string;
  };
  const { executionArn } = (await engine.call('StartExecution', { stateMachineArn, input: JSON.stringify(input) })) as {
    executionArn: string;
  };
  return executionArn;
}

async function outcome(
  engine: LocalStepFunctions,
  executionArn: string,
): Promise<{ status: string; output?: unknown }> {
  const d = (await engine.call('DescribeExecution', { executionArn })) as { status: string; output?: string };
  return { status: d.status, output: d.output === undefined ? undefined : (JSON.parse(d.output) as unknown) };
}

const waitThenNote = (seconds: number): Record<string, object> => ({
  Pause: { Type: 'Wait', Seconds: seconds, Next: 'Note' },
  Note: {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: { FunctionName: 'note', Payload: { seconds } },
    End: true,
  },
});

describe('the virtual clock', () => {
  it('fires due timers in due order, each with the clock at its due time, then stops at the target', async () => {
    const seen: { seconds: number; at: string }[] = [];
    const clock: { engine?: LocalStepFunctions } = {};
    const engine = await engineWith({
      note: async (payload) => {
        seen.push({ seconds: (payload as { seconds: number }).seconds, at: clock.engine?.now().toISOString() ?? '' });
        return null;
      },
    });
    clock.engine = engine;
    await startMachine(engine, 'late', waitThenNote(300), 'Pause');
    await startMachine(engine, 'early', waitThenNote(60), 'Pause');
    await startMachine(engine, 'never', waitThenNote(7200), 'Pause');
    await engine.settle();
    const reached = await engine.advanceClock({ advanceSeconds: 3600 });
    expect(seen).toEqual([
      { seconds: 60, at: '2026-04-06T07:01:00.000Z' },
      { seconds: 300, at: '2026-04-06T07:05:00.000Z' },
    ]);
    expect(reached.toISOString()).toBe('2026-04-06T08:00:00.000Z');
    expect(engine.now().toISOString()).toBe('2026-04-06T08:00:00.000Z');
  });

  it('moves to an absolute time with {to}, and refuses to move backward', async () => {
    const engine = await engineWith();
    await engine.advanceClock({ to: new Date('2026-05-01T00:00:00.000Z') });
    expect(engine.now().toISOString()).toBe('2026-05-01T00:00:00.000Z');
    await expect(engine.advanceClock({ to: START })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(engine.advanceClock({ advanceSeconds: -1 })).rejects.toMatchObject({ name: 'ValidationException' });
    expect(engine.now().toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });

  it('$now() and $millis() read the virtual clock, and a Timestamp Wait fires when the clock reaches it', async () => {
    const engine = await engineWith();
    const arn = await startMachine(
      engine,
      'stamps',
      {
        Until: { Type: 'Wait', Timestamp: '{% $states.input.at %}', Next: 'Stamp' },
        Stamp: { Type: 'Pass', Output: { now: '{% $now() %}', millis: '{% $millis() %}' }, End: true },
      },
      'Until',
      { at: '2026-04-13T07:00:00Z' },
    );
    await engine.advanceClock({ advanceSeconds: 6 * 86_400 });
    expect((await outcome(engine, arn)).status).toBe('RUNNING');
    await engine.advanceClock({ advanceSeconds: 86_400 });
    expect(await outcome(engine, arn)).toEqual({
      status: 'SUCCEEDED',
      output: { now: '2026-04-13T07:00:00.000Z', millis: Date.parse('2026-04-13T07:00:00.000Z') },
    });
  });

  it('settle() resolves while executions wait for a callback or the clock', async () => {
    const engine = await engineWith({ keep: async () => null });
    const arn = await startMachine(
      engine,
      'waiting',
      {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: 'keep', Payload: { token: '{% $states.context.Task.Token %}' } },
          End: true,
        },
      },
      'Ask',
    );
    await engine.settle();
    expect((await outcome(engine, arn)).status).toBe('RUNNING');
  });

  it('with a speed, runs in real time multiplied by the speed and fires Wait timers by itself', async () => {
    // one real second is a virtual hour
    const engine = await engineWith({}, 3600);
    const arn = await startMachine(engine, 'sped', { Pause: { Type: 'Wait', Seconds: 60, End: true } }, 'Pause');
    await vi.waitFor(async () => expect((await outcome(engine, arn)).status).toBe('SUCCEEDED'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(engine.now().getTime()).toBeGreaterThanOrEqual(START.getTime() + 60_000);
  });
});
