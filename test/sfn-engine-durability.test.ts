/**
 * Closing the engine and opening the same SQLite file again resumes every execution where it stood:
 * tokens stay valid, timers still fire, completed steps are not re-run, an interrupted Lambda call is
 * made again (at-least-once, as on AWS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalLambdaHandler, LocalStepFunctions } from '../local/sfn/contract.ts';
import { createLocalStepFunctions } from '../local/sfn/index.ts';

const START = new Date('2026-03-01T10:00:00.000Z');
let dir: string;
let dbPath: string;
let open: LocalStepFunctions[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sfn-engine-'));
  dbPath = join(dir, 'engine.db');
});

afterEach(async () => {
  for (const engine of open) await engine.close();
  open = [];
  rmSync(dir, { recursive: true, force: true });
});

async function openEngine(handlers: Record<string, LocalLambdaHandler>): Promise<LocalStepFunctions> {
  const engine = await createLocalStepFunctions({
    dbPath,
    lambdas: { resolve: (name) => handlers[name] },
    startTime: START,
  });
  open.push(engine);
  return engine;
}

async function closeEngine(engine: LocalStepFunctions): Promise<void> {
  open = open.filter((e) => e !== engine);
  await engine.close();
}

async function start(
  engine: LocalStepFunctions,
  states: Record<string, object>,
  startAt: string,
  input: unknown = {},
  settle = true,
): Promise<string> {
  const definition = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: startAt, States: states });
  const { stateMachineArn } = (await engine.call('CreateStateMachine', { name: 'durable', definition })) as {
    stateMachineArn: string;
  };
  const { executionArn } = (await engine.call('StartExecution', { stateMachineArn, input: JSON.stringify(input) })) as {
    executionArn: string;
  };
  if (settle) await engine.settle();
  return executionArn;
}

async function describe_(
  engine: LocalStepFunctions,
  executionArn: string,
): Promise<{ status: string; output?: unknown; error?: string }> {
  const d = (await engine.call('DescribeExecution', { executionArn })) as {
    status: string;
    output?: string;
    error?: string;
  };
  return {
    status: d.status,
    output: d.output === undefined ? undefined : (JSON.parse(d.output) as unknown),
    error: d.error,
  };
}

const keepTokens =
  (tokens: string[]): LocalLambdaHandler =>
  async (payload) => {
    tokens.push((payload as { token: string }).token);
    return null;
  };

describe('an engine reopened on the same file', () => {
  it('accepts the token of a task that was waiting before the restart', async () => {
    const tokens: string[] = [];
    const first = await openEngine({ keep: keepTokens(tokens) });
    const arn = await start(
      first,
      {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: 'keep', Payload: { token: '{% $states.context.Task.Token %}' } },
          Output: '{% {"decision": $states.result.decision, "who": $who} %}',
          End: true,
        },
        Ask: { Type: 'Pass', Assign: { who: 'dr-a' }, Next: 'Approve' },
      },
      'Ask',
    );
    await closeEngine(first);
    const second = await openEngine({});
    await second.call('SendTaskSuccess', { taskToken: tokens[0], output: '{"decision":"approve"}' });
    await second.settle();
    expect(await describe_(second, arn)).toMatchObject({
      status: 'SUCCEEDED',
      output: { decision: 'approve', who: 'dr-a' },
    });
  });

  it('keeps the virtual clock and fires a Wait timer set before the restart', async () => {
    const first = await openEngine({});
    await first.advanceClock({ advanceSeconds: 60 });
    const arn = await start(
      first,
      {
        Pause: { Type: 'Wait', Seconds: 86_400, Next: 'Stamp' },
        Stamp: { Type: 'Pass', Output: '{% $now() %}', End: true },
      },
      'Pause',
    );
    await closeEngine(first);
    const second = await openEngine({});
    expect(second.now()).toEqual(new Date(START.getTime() + 60_000));
    await second.advanceClock({ advanceSeconds: 86_399 });
    expect((await describe_(second, arn)).status).toBe('RUNNING');
    await second.advanceClock({ advanceSeconds: 1 });
    expect(await describe_(second, arn)).toEqual({
      status: 'SUCCEEDED',
      output: new Date(START.getTime() + 60_000 + 86_400_000).toISOString(),
      error: undefined,
    });
  });

  it('never re-runs a completed Lambda step, and re-invokes one cut off mid-call', async () => {
    const calls: string[] = [];
    const first = await openEngine({
      record: async () => {
        calls.push('record');
        return 'recorded';
      },
      // never answers: the engine closes while this call is in flight
      slow: () => {
        calls.push('slow');
        return new Promise(() => undefined);
      },
    });
    const arn = await start(
      first,
      {
        Record: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'record' },
          Next: 'Slow',
        },
        Slow: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'slow', Payload: { previous: '{% $states.input.Payload %}' } },
          Output: '{% $states.result.Payload %}',
          End: true,
        },
      },
      'Record',
      {},
      false,
    );
    // settle() would wait for the call that never answers; wait for it to start instead
    await vi.waitFor(() => expect(calls).toEqual(['record', 'slow']));
    await closeEngine(first);
    const second = await openEngine({
      record: async () => {
        calls.push('record');
        return 'recorded again';
      },
      slow: async (payload) => {
        calls.push('slow');
        return payload;
      },
    });
    await second.settle();
    expect(calls).toEqual(['record', 'slow', 'slow']);
    expect(await describe_(second, arn)).toMatchObject({ status: 'SUCCEEDED', output: { previous: 'recorded' } });
  });

  it('resumes Map iterations that were waiting, keeping item order and MaxConcurrency', async () => {
    const tokens: string[] = [];
    const first = await openEngine({ keep: keepTokens(tokens) });
    const arn = await start(
      first,
      {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.sessions %}',
          MaxConcurrency: 2,
          ItemProcessor: {
            StartAt: 'Check in',
            States: {
              'Check in': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Arguments: { FunctionName: 'keep', Payload: { token: '{% $states.context.Task.Token %}' } },
                End: true,
              },
            },
          },
          End: true,
        },
      },
      'Each',
      { sessions: [1, 2, 3] },
    );
    expect(tokens).toHaveLength(2);
    await closeEngine(first);
    const second = await openEngine({ keep: keepTokens(tokens) });
    await second.call('SendTaskSuccess', { taskToken: tokens[1], output: '"second"' });
    await second.settle();
    expect(tokens).toHaveLength(3);
    await second.call('SendTaskSuccess', { taskToken: tokens[2], output: '"third"' });
    await second.call('SendTaskSuccess', { taskToken: tokens[0], output: '"first"' });
    await second.settle();
    expect(await describe_(second, arn)).toMatchObject({ status: 'SUCCEEDED', output: ['first', 'second', 'third'] });
  });

  it('fires a retry backoff timer set before the restart, and keeps the usage counts', async () => {
    let attempts = 0;
    const flaky: LocalLambdaHandler = async () => {
      attempts++;
      if (attempts === 1) throw Object.assign(new Error('busy'), { name: 'Transient' });
      return 'ok';
    };
    const first = await openEngine({ flaky });
    const arn = await start(
      first,
      {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'flaky' },
          Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 30 }],
          Output: '{% $states.result.Payload %}',
          End: true,
        },
      },
      'Call',
    );
    const before = first.usage().byExecution[arn];
    await closeEngine(first);
    const second = await openEngine({ flaky });
    expect(second.usage().byExecution[arn]).toEqual(before);
    await second.advanceClock({ advanceSeconds: 29 });
    expect(attempts).toBe(1);
    await second.advanceClock({ advanceSeconds: 1 });
    expect(attempts).toBe(2);
    expect(await describe_(second, arn)).toMatchObject({ status: 'SUCCEEDED', output: 'ok' });
    // start + Call entered + one retry
    expect(second.usage().byExecution[arn]?.stateTransitions).toBe(3);
    expect(second.usage().byExecution[arn]?.lambdaInvocations).toBe(2);
  });
});
