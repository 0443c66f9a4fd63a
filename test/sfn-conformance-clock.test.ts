/**
 * The virtual clock (issue 3, "Virtual clock shared by the engine and the handlers"): it starts at
 * `startTime`, only moves forward, fires timers at their due time even when one move jumps past
 * several, is what `$now()` reads, and survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { START, invoke, machine, secondsAfterStart, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('virtual clock', () => {
  it('starts at startTime and moves exactly by advanceSeconds or to a given time', async () => {
    expect(h.engine.now().toISOString()).toBe(START.toISOString());
    expect((await h.advance(90)).toISOString()).toBe(secondsAfterStart(90));
    expect(h.engine.now().toISOString()).toBe(secondsAfterStart(90));
    const target = new Date(secondsAfterStart(86_400));
    expect((await h.engine.advanceClock({ to: target })).toISOString()).toBe(target.toISOString());
  });

  it('"moves it forward (never backward)"', async () => {
    await h.advance(600);
    await h.engine.advanceClock({ to: START }).catch(() => undefined);
    expect(h.engine.now().toISOString()).toBe(secondsAfterStart(600));
  });

  it('"$now()" and "$millis()" in a state read the virtual clock', async () => {
    await h.advance(42);
    const run = await h.run(
      machine('P', { P: { Type: 'Pass', Output: { now: '{% $now() %}', millis: '{% $millis() %}' }, End: true } }),
    );
    const out = run.output as { now: string; millis: number };
    expect(new Date(out.now).toISOString()).toBe(secondsAfterStart(42));
    expect(out.millis).toBe(START.getTime() + 42_000);
  });

  it('a handler invoked after a Wait sees the time the Wait fell due, even when one move jumps far past it', async () => {
    const run = await h.run(
      machine('Pause', {
        Pause: { Type: 'Wait', Seconds: 100, Next: 'Stamp' },
        Stamp: invoke('now', {}, { End: true }),
      }),
    );
    await h.advance(10_000);
    expect((await h.describe(run.executionArn)).status).toBe('SUCCEEDED');
    expect(h.lambdas.callsTo('now').map((c) => c.at.toISOString())).toEqual([secondsAfterStart(100)]);
    expect(h.engine.now().toISOString()).toBe(secondsAfterStart(10_000));
  });

  it('timers of different executions crossed by one move fire in the order they fall due', async () => {
    const definition = machine('Pause', {
      Pause: { Type: 'Wait', Seconds: '{% $states.input.wait %}', Next: 'Stamp' },
      Stamp: invoke('echo', '{% $states.input.label %}', { End: true }),
    });
    const arn = await h.createMachine(definition);
    await h.start(arn, { wait: 300, label: 'late' });
    await h.start(arn, { wait: 100, label: 'early' });
    await h.start(arn, { wait: 200, label: 'middle' });
    await h.engine.settle();
    await h.advance(1000);
    expect(h.lambdas.callsTo('echo').map((c) => c.payload)).toEqual(['early', 'middle', 'late']);
  });

  it('advanceClock resolves only after the executions it woke have settled', async () => {
    const run = await h.run(
      machine('Pause', {
        Pause: { Type: 'Wait', Seconds: 5, Next: 'A' },
        A: invoke('echo', 1, { Next: 'B' }),
        B: invoke('echo', 2, { Next: 'C' }),
        C: invoke('echo', 3, { End: true }),
      }),
    );
    await h.advance(5);
    // no settle() here: advanceClock promised the executions had settled
    expect(h.lambdas.callsTo('echo')).toHaveLength(3);
    expect((await h.describe(run.executionArn)).status).toBe('SUCCEEDED');
  });

  it('the clock and a pending timer survive closing and reopening the same database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-clock-'));
    try {
      const dbPath = join(dir, 'engine.db');
      const first = await startHarness({ dbPath });
      const run = await first.run(
        machine('Pause', { Pause: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Pass', End: true } }),
      );
      await first.advance(1800);
      await first.close();

      // a different startTime must not move a clock that already exists
      const second = await startHarness({ dbPath, startTime: new Date('2030-01-01T00:00:00Z') });
      try {
        expect(second.engine.now().toISOString()).toBe(secondsAfterStart(1800));
        await second.advance(1799);
        expect((await second.describe(run.executionArn)).status).toBe('RUNNING');
        await second.advance(1);
        expect((await second.describe(run.executionArn)).status).toBe('SUCCEEDED');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
