/**
 * The Wait state on the virtual clock, from AWS's "Wait workflow state" (Seconds, Timestamp) and the
 * issue's rule that nothing time-driven happens until the clock is advanced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke, machine, secondsAfterStart, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('Wait', () => {
  it('"Seconds: a time, in seconds, to wait before beginning the state specified in the Next field", counted on the virtual clock', async () => {
    const run = await h.run(
      machine('Pause', {
        Pause: { Type: 'Wait', Seconds: 3600, Next: 'After' },
        After: invoke('now', {}, { Output: '{% $states.result.Payload %}', End: true }),
      }),
    );
    expect(run.status).toBe('RUNNING');
    await h.advance(3599);
    expect((await h.describe(run.executionArn)).status).toBe('RUNNING');
    expect(h.lambdas.callsTo('now')).toHaveLength(0);
    await h.advance(1);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe(secondsAfterStart(3600));
  });

  it('nothing happens while the clock stands still, however long real time passes', async () => {
    const run = await h.run(machine('Pause', { Pause: { Type: 'Wait', Seconds: 1, End: true } }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await h.engine.settle();
    expect((await h.describe(run.executionArn)).status).toBe('RUNNING');
  });

  it('"Timestamp: an absolute time to wait until", given by a JSONata expression', async () => {
    const run = await h.run(
      machine('Until', {
        Until: { Type: 'Wait', Timestamp: '{% $states.input.at %}', Next: 'Done' },
        Done: { Type: 'Pass', Output: '{% $now() %}', End: true },
      }),
      { at: secondsAfterStart(86_400) },
    );
    await h.engine.advanceClock({ to: new Date(secondsAfterStart(86_399)) });
    expect((await h.describe(run.executionArn)).status).toBe('RUNNING');
    await h.engine.advanceClock({ to: new Date(secondsAfterStart(86_400)) });
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(new Date(String(done.output)).toISOString()).toBe(secondsAfterStart(86_400));
  });

  it('a Timestamp already in the past does not wait at all', async () => {
    const run = await h.run(
      machine('Until', {
        Until: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', Next: 'Done' },
        Done: { Type: 'Pass', End: true },
      }),
    );
    expect(run.status).toBe('SUCCEEDED');
  });

  it('Seconds may be a JSONata expression over the input and variables', async () => {
    const run = await h.run(
      machine('Set', {
        Set: { Type: 'Pass', Assign: { hours: 2 }, Next: 'Pause' },
        Pause: { Type: 'Wait', Seconds: '{% $hours * 3600 + $states.input.extra %}', End: true },
      }),
      { extra: 5 },
    );
    await h.advance(7204);
    expect((await h.describe(run.executionArn)).status).toBe('RUNNING');
    await h.advance(1);
    expect((await h.describe(run.executionArn)).status).toBe('SUCCEEDED');
  });

  it('a Wait passes its input through, or its Output when one is given', async () => {
    const run = await h.run(
      machine('Pause', {
        Pause: { Type: 'Wait', Seconds: 10, Next: 'Shaped' },
        Shaped: { Type: 'Wait', Seconds: 10, Output: { was: '{% $states.input %}' }, End: true },
      }),
      { a: 1 },
    );
    await h.advance(20);
    expect((await h.describe(run.executionArn)).output).toEqual({ was: { a: 1 } });
  });

  it('one clock move fires Waits that only began during that move (chained waits)', async () => {
    const run = await h.run(
      machine('First', {
        First: { Type: 'Wait', Seconds: 60, Next: 'Second' },
        Second: { Type: 'Wait', Seconds: 60, Next: 'Stamp' },
        Stamp: { Type: 'Pass', Output: '{% $now() %}', End: true },
      }),
    );
    await h.advance(7 * 86_400);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    // the last state ran when its timer fell due, not at the end of the week
    expect(new Date(String(done.output)).toISOString()).toBe(secondsAfterStart(120));
  });
});
