/**
 * Retry, from AWS's "Handling errors in Step Functions workflows": IntervalSeconds (default 1),
 * MaxAttempts (default 3), BackoffRate (default 2.0), MaxDelaySeconds, JitterStrategy, retrier order
 * and States.ALL. Retries happen on the virtual clock, so each interval must be advanced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke, machine, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function flaky(retry: object[], payload: object = {}): object {
  return machine('Call', {
    Call: invoke(
      'flaky',
      { key: 'k', ...payload },
      { Retry: retry, Output: '{% $states.result.Payload %}', End: true },
    ),
  });
}

const attempts = (): number => h.lambdas.callsTo('flaky').length;

/** advances `seconds - 1`, checks no new attempt happened, then the last second, and checks one did */
async function expectRetryAfter(seconds: number): Promise<void> {
  const before = attempts();
  if (seconds > 1) await h.advance(seconds - 1);
  expect(attempts(), `no retry before ${seconds}s`).toBe(before);
  await h.advance(1);
  expect(attempts(), `a retry at ${seconds}s`).toBe(before + 1);
}

describe('Retry backoff', () => {
  it('defaults: "IntervalSeconds ... default value is 1", "BackoffRate ... default value is 2.0", "MaxAttempts ... default value is 3"', async () => {
    const run = await h.run(flaky([{ ErrorEquals: ['Transient'] }]));
    expect(attempts()).toBe(1);
    await expectRetryAfter(1);
    await expectRetryAfter(2);
    await expectRetryAfter(4);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Transient');
  });

  it('the n-th retry waits IntervalSeconds × BackoffRate^(n-1)', async () => {
    const run = await h.run(
      flaky([{ ErrorEquals: ['Transient'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4 }], { failures: 4 }),
    );
    await expectRetryAfter(2);
    await expectRetryAfter(6);
    await expectRetryAfter(18);
    await expectRetryAfter(54);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ attempts: 5 });
  });

  it('"MaxDelaySeconds: the maximum value in seconds up to which a retry interval can increase"', async () => {
    await h.run(
      flaky([
        { ErrorEquals: ['Transient'], IntervalSeconds: 10, BackoffRate: 10, MaxDelaySeconds: 30, MaxAttempts: 3 },
      ]),
    );
    await expectRetryAfter(10);
    await expectRetryAfter(30);
    await expectRetryAfter(30);
  });

  it('nothing is retried until the clock is advanced', async () => {
    const run = await h.run(flaky([{ ErrorEquals: ['Transient'], IntervalSeconds: 5 }], { failures: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await h.engine.settle();
    expect(attempts()).toBe(1);
    expect((await h.describe(run.executionArn)).status).toBe('RUNNING');
  });

  it('after MaxAttempts retries the state fails with the last error', async () => {
    const run = await h.run(
      flaky([{ ErrorEquals: ['Transient'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 2 }]),
    );
    await h.advance(60);
    expect(attempts()).toBe(3);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Transient');
  });

  it('"A value of 0 ... means the error is never retried" (MaxAttempts: 0)', async () => {
    const run = await h.run(flaky([{ ErrorEquals: ['Transient'], MaxAttempts: 0 }], { failures: 1 }));
    expect((await h.describe(run.executionArn)).status).toBe('FAILED');
    await h.advance(60);
    expect(attempts()).toBe(1);
  });

  it('JitterStrategy FULL: each delay is a random value between 0 and the computed interval', async () => {
    const arn = await h.createMachine(
      flaky([{ ErrorEquals: ['Transient'], IntervalSeconds: 100, MaxAttempts: 1, JitterStrategy: 'FULL' }], {
        failures: 1,
        key: '{% $states.context.Execution.Name %}',
      }),
    );
    const runs = 8;
    for (let i = 0; i < runs; i += 1) await h.start(arn, {}, `jitter-${i}`);
    await h.engine.settle();
    // each execution uses its own flaky key (its name) so every one fails exactly once
    await h.advance(100);
    const calls = h.lambdas.callsTo('flaky');
    const started = h.lambdas.calls[0]?.at.getTime() ?? 0;
    const retries = calls.slice(runs).map((c) => (c.at.getTime() - started) / 1000);
    expect(calls.length).toBe(2 * runs);
    for (const delay of retries) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(100);
    }
    // FULL jitter really draws: eight delays all equal to the full interval would mean no jitter
    expect(new Set(retries).size).toBeGreaterThan(1);
  });

  it('"$states.context.State.RetryCount" counts the retries of the current state', async () => {
    await h.run(
      flaky([{ ErrorEquals: ['Transient'], IntervalSeconds: 1, BackoffRate: 1 }], {
        failures: 2,
        retry: '{% $states.context.State.RetryCount %}',
      }),
    );
    await h.advance(10);
    expect(h.lambdas.callsTo('flaky').map((c) => (c.payload as { retry: number }).retry)).toEqual([0, 1, 2]);
  });
});

describe('Retry matching', () => {
  it('"Step Functions scans through the retriers in the order listed": the first retrier matching the error is used', async () => {
    await h.run(
      flaky(
        [
          { ErrorEquals: ['Other'], IntervalSeconds: 100 },
          { ErrorEquals: ['Transient'], IntervalSeconds: 7 },
          { ErrorEquals: ['States.ALL'], IntervalSeconds: 50 },
        ],
        { failures: 1 },
      ),
    );
    await expectRetryAfter(7);
  });

  it('"States.ALL: a wildcard that matches any known error name"', async () => {
    const run = await h.run(
      flaky([{ ErrorEquals: ['States.ALL'], IntervalSeconds: 3 }], { failures: 1, errorName: 'Anything.At.All' }),
    );
    await expectRetryAfter(3);
    expect((await h.describe(run.executionArn)).status).toBe('SUCCEEDED');
  });

  it('"States.TaskFailed ... matches any known error name except for States.Timeout": it retries a Lambda error', async () => {
    const run = await h.run(flaky([{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 3 }], { failures: 1 }));
    await expectRetryAfter(3);
    expect((await h.describe(run.executionArn)).status).toBe('SUCCEEDED');
  });

  it('an error no retrier names is not retried', async () => {
    const run = await h.run(flaky([{ ErrorEquals: ['Other'] }], { failures: 1 }));
    await h.advance(60);
    expect(attempts()).toBe(1);
    expect((await h.describe(run.executionArn)).error).toBe('Transient');
  });

  it('each retrier keeps its own attempt count', async () => {
    // fails as A, A, then B, B: the A retrier (MaxAttempts 2) and the B retrier (MaxAttempts 2) both suffice
    let call = 0;
    h.lambdas.register('alternating', async () => {
      call += 1;
      if (call <= 4) throw Object.assign(new Error('x'), { name: call <= 2 ? 'ErrA' : 'ErrB' });
      return 'ok';
    });
    const run = await h.run(
      machine('Call', {
        Call: invoke(
          'alternating',
          {},
          {
            Retry: [
              { ErrorEquals: ['ErrA'], MaxAttempts: 2, IntervalSeconds: 1, BackoffRate: 1 },
              { ErrorEquals: ['ErrB'], MaxAttempts: 2, IntervalSeconds: 1, BackoffRate: 1 },
            ],
            End: true,
          },
        ),
      }),
    );
    await h.advance(10);
    expect(call).toBe(5);
    expect((await h.describe(run.executionArn)).status).toBe('SUCCEEDED');
  });
});
