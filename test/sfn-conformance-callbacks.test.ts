/**
 * The callback pattern, from AWS's "Wait for a Callback with Task Token" and the SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat API references (InvalidToken: "The provided token is not
 * valid"; TaskTimedOut: "the task associated with the token has already been closed").
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

const askThenShow = (): object =>
  machine('Ask', {
    Ask: waitForToken(
      { Output: { answer: '{% $states.result %}', asked: '{% $states.input %}' }, End: true },
      { who: '{% $states.input.who %}' },
    ),
  });

describe('.waitForTaskToken', () => {
  it('"$states.context.Task.Token" reaches the function, and the task waits for SendTaskSuccess', async () => {
    const run = await h.run(askThenShow(), { who: 'clinician' });
    expect(run.status).toBe('RUNNING');
    const [call] = h.lambdas.callsTo('token');
    expect(call?.payload).toMatchObject({ who: 'clinician' });
    expect(typeof (call?.payload as { token: unknown }).token).toBe('string');
    expect(String((call?.payload as { token: string }).token).length).toBeGreaterThan(0);
  });

  it('"SendTaskSuccess ... output: the JSON output of the task" becomes $states.result (not the Lambda response)', async () => {
    const run = await h.run(askThenShow(), { who: 'clinician' });
    await h.sendSuccess(h.lambdas.lastToken(), { approved: true });
    await h.engine.settle();
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ answer: { approved: true }, asked: { who: 'clinician' } });
  });

  it('"SendTaskFailure" fails the task with the given error and cause, which a catcher can handle', async () => {
    const run = await h.run(
      machine('Ask', {
        Ask: waitForToken({
          Catch: [{ ErrorEquals: ['Clinician.Declined'], Output: '{% $states.errorOutput %}', Next: 'Declined' }],
          End: true,
        }),
        Declined: { Type: 'Pass', End: true },
      }),
    );
    await h.sendFailure(h.lambdas.lastToken(), 'Clinician.Declined', 'not eligible');
    await h.engine.settle();
    expect((await h.describe(run.executionArn)).output).toEqual({ Error: 'Clinician.Declined', Cause: 'not eligible' });
  });

  it('an uncaught SendTaskFailure fails the execution with that error', async () => {
    const run = await h.run(askThenShow(), { who: 'clinician' });
    await h.sendFailure(h.lambdas.lastToken(), 'Link.Expired', 'no answer');
    await h.engine.settle();
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Link.Expired');
    expect(done.cause).toBe('no answer');
  });

  it('a second SendTaskSuccess for the same token is refused with TaskTimedOut, and the first answer stands', async () => {
    const run = await h.run(askThenShow(), { who: 'clinician' });
    const token = h.lambdas.lastToken();
    await h.sendSuccess(token, { first: true });
    expect((await serviceError(h.sendSuccess(token, { second: true }))).name).toBe('TaskTimedOut');
    expect((await serviceError(h.sendFailure(token, 'Late', 'too late'))).name).toBe('TaskTimedOut');
    await h.engine.settle();
    expect((await h.describe(run.executionArn)).output).toMatchObject({ answer: { first: true } });
  });

  it('a garbage token is refused with InvalidToken by SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat', async () => {
    expect((await serviceError(h.sendSuccess('garbage', {}))).name).toBe('InvalidToken');
    expect((await serviceError(h.sendFailure('garbage', 'E', 'c'))).name).toBe('InvalidToken');
    expect((await serviceError(h.heartbeat('garbage'))).name).toBe('InvalidToken');
  });

  it('"InvalidOutput: the provided JSON output data is not valid"', async () => {
    await h.run(askThenShow(), { who: 'clinician' });
    const refused = await serviceError(
      h.call('SendTaskSuccess', { taskToken: h.lambdas.lastToken(), output: '{not json' }),
    );
    expect(refused.name).toBe('InvalidOutput');
  });

  it('tokens of a stopped execution are closed: TaskTimedOut', async () => {
    const run = await h.run(askThenShow(), { who: 'clinician' });
    await h.call('StopExecution', { executionArn: run.executionArn, error: 'Operator', cause: 'stopped' });
    expect((await serviceError(h.sendSuccess(h.lambdas.lastToken(), {}))).name).toBe('TaskTimedOut');
  });

  it('each waiting task gets its own token; answers in any order reach the right task', async () => {
    const run = await h.run(
      machine('Both', {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: waitForToken({ End: true }, { branch: 'A' }) } },
            { StartAt: 'B', States: { B: waitForToken({ End: true }, { branch: 'B' }) } },
          ],
          End: true,
        },
      }),
    );
    const byBranch = new Map(
      h.lambdas.callsTo('token').map((c) => {
        const p = c.payload as { branch: string; token: string };
        return [p.branch, p.token] as const;
      }),
    );
    expect(byBranch.get('A')).not.toBe(byBranch.get('B'));
    await h.sendSuccess(String(byBranch.get('B')), 'answer B');
    await h.engine.settle();
    expect((await h.describe(run.executionArn)).status).toBe('RUNNING');
    await h.sendSuccess(String(byBranch.get('A')), 'answer A');
    await h.engine.settle();
    expect((await h.describe(run.executionArn)).output).toEqual(['answer A', 'answer B']);
  });
});
