/**
 * TimeoutSeconds and HeartbeatSeconds on the virtual clock, from AWS's "Task workflow state" and
 * "Handling errors": States.Timeout, States.HeartbeatTimeout, SendTaskHeartbeat.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { machine, serviceError, startHarness, waitForToken, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const status = async (arn: string): Promise<string> => (await h.describe(arn)).status;

describe('TimeoutSeconds', () => {
  it('"If the task runs longer than the specified seconds, this state fails with a States.Timeout error"', async () => {
    const run = await h.run(machine('Ask', { Ask: waitForToken({ TimeoutSeconds: 60, End: true }) }));
    await h.advance(59);
    expect(await status(run.executionArn)).toBe('RUNNING');
    await h.advance(1);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Timeout');
  });

  it('TimeoutSeconds may be a JSONata expression', async () => {
    const run = await h.run(
      machine('Ask', { Ask: waitForToken({ TimeoutSeconds: '{% $states.input.limit %}', End: true }) }),
      { limit: 30 },
    );
    await h.advance(29);
    expect(await status(run.executionArn)).toBe('RUNNING');
    await h.advance(1);
    expect((await h.describe(run.executionArn)).error).toBe('States.Timeout');
  });

  it('a callback that arrives after the timeout is refused with TaskTimedOut', async () => {
    await h.run(machine('Ask', { Ask: waitForToken({ TimeoutSeconds: 60, End: true }) }));
    await h.advance(60);
    expect((await serviceError(h.sendSuccess(h.lambdas.lastToken(), {}))).name).toBe('TaskTimedOut');
  });

  it('"States.TaskFailed ... except for States.Timeout": a States.TaskFailed catcher does not catch a timeout', async () => {
    const run = await h.run(
      machine('Ask', {
        Ask: waitForToken({
          TimeoutSeconds: 10,
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Pass', End: true },
      }),
    );
    await h.advance(10);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Timeout');
  });

  it('a States.Timeout catcher catches the timeout', async () => {
    const run = await h.run(
      machine('Ask', {
        Ask: waitForToken({
          TimeoutSeconds: 10,
          Catch: [{ ErrorEquals: ['States.Timeout'], Output: 'expired', Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Pass', End: true },
      }),
    );
    await h.advance(10);
    expect((await h.describe(run.executionArn)).output).toBe('expired');
  });

  it('a retried timeout hands out a new token and closes the old one', async () => {
    const run = await h.run(
      machine('Ask', {
        Ask: waitForToken({
          TimeoutSeconds: 10,
          Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 1, IntervalSeconds: 5 }],
          End: true,
        }),
      }),
    );
    await h.advance(10);
    expect(h.lambdas.tokens()).toHaveLength(1);
    await h.advance(5);
    const [first, second] = h.lambdas.tokens();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await serviceError(h.sendSuccess(String(first), {}))).name).toBe('TaskTimedOut');
    await h.sendSuccess(String(second), { ok: true });
    await h.engine.settle();
    expect(await status(run.executionArn)).toBe('SUCCEEDED');
  });
});

describe('HeartbeatSeconds', () => {
  it('"If more time than the specified seconds elapses between heartbeats ... States.HeartbeatTimeout"', async () => {
    const run = await h.run(
      machine('Ask', { Ask: waitForToken({ TimeoutSeconds: 600, HeartbeatSeconds: 20, End: true }) }),
    );
    await h.advance(19);
    expect(await status(run.executionArn)).toBe('RUNNING');
    await h.advance(1);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.HeartbeatTimeout');
  });

  it('"SendTaskHeartbeat ... reports to Step Functions that the task ... is still making progress": each heartbeat restarts the interval', async () => {
    const run = await h.run(
      machine('Ask', { Ask: waitForToken({ TimeoutSeconds: 600, HeartbeatSeconds: 20, End: true }) }),
    );
    const token = h.lambdas.lastToken();
    for (let i = 0; i < 5; i += 1) {
      await h.advance(15);
      await h.heartbeat(token);
    }
    // 75 s have passed, far beyond one heartbeat interval, and the task is still alive
    await h.advance(19);
    expect(await status(run.executionArn)).toBe('RUNNING');
    await h.sendSuccess(token, { done: true });
    await h.engine.settle();
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ done: true });
  });

  it('a heartbeat never extends TimeoutSeconds', async () => {
    const run = await h.run(
      machine('Ask', { Ask: waitForToken({ TimeoutSeconds: 30, HeartbeatSeconds: 10, End: true }) }),
    );
    const token = h.lambdas.lastToken();
    await h.advance(8);
    await h.heartbeat(token);
    await h.advance(8);
    await h.heartbeat(token);
    await h.advance(8);
    await h.heartbeat(token);
    await h.advance(6);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Timeout');
  });

  it('a heartbeat for a closed task is refused with TaskTimedOut, and a garbage token with InvalidToken', async () => {
    await h.run(machine('Ask', { Ask: waitForToken({ HeartbeatSeconds: 10, End: true }) }));
    await h.advance(10);
    expect((await serviceError(h.heartbeat(h.lambdas.lastToken()))).name).toBe('TaskTimedOut');
    expect((await serviceError(h.heartbeat('not-a-token'))).name).toBe('InvalidToken');
  });
});

describe('execution TimeoutSeconds', () => {
  it('a top-level "TimeoutSeconds" ends the whole execution as TIMED_OUT with States.Timeout', async () => {
    const run = await h.run(
      machine('Pause', { Pause: { Type: 'Wait', Seconds: 1000, End: true } }, { TimeoutSeconds: 100 }),
    );
    await h.advance(99);
    expect(await status(run.executionArn)).toBe('RUNNING');
    await h.advance(1);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('TIMED_OUT');
    expect(done.error).toBe('States.Timeout');
  });
});
