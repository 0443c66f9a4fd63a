/**
 * Inline Map and Parallel, from AWS's "Map workflow state" (Items, ItemSelector, MaxConcurrency,
 * $states.context.Map.Item) and "Parallel workflow state" (results array, a failing branch fails the
 * state).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke, machine, serviceError, startHarness, waitForToken, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const pass = (rest: object = {}): object => ({
  StartAt: 'Item',
  States: { Item: { Type: 'Pass', End: true, ...rest } },
});

describe('Map', () => {
  it('"Items": each element of the array is processed and the results keep the order of the items', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.doses %}',
          ItemProcessor: {
            StartAt: 'Double',
            States: {
              Double: invoke(
                'double',
                { value: '{% $states.input %}' },
                { Output: '{% $states.result.Payload.value %}', End: true },
              ),
            },
          },
          End: true,
        },
      }),
      { doses: [1, 2, 3, 4] },
    );
    expect(run.output).toEqual([2, 4, 6, 8]);
  });

  it('without Items, a Map iterates over its input array', async () => {
    const run = await h.run(
      machine('Each', {
        Each: { Type: 'Map', ItemProcessor: pass({ Output: "{% $states.input & '!' %}" }), End: true },
      }),
      ['a', 'b'],
    );
    expect(run.output).toEqual(['a!', 'b!']);
  });

  it('an empty array gives an empty result', async () => {
    const run = await h.run(machine('Each', { Each: { Type: 'Map', Items: [], ItemProcessor: pass(), End: true } }));
    expect(run.output).toEqual([]);
  });

  it('"ItemSelector" shapes each iteration\'s input from "$states.context.Map.Item.Index" and ".Value"', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: ['x', 'y'],
          ItemSelector: {
            index: '{% $states.context.Map.Item.Index %}',
            value: '{% $states.context.Map.Item.Value %}',
            batch: '{% $states.input.batch %}',
          },
          ItemProcessor: pass(),
          End: true,
        },
      }),
      { batch: 'b1' },
    );
    expect(run.output).toEqual([
      { index: 0, value: 'x', batch: 'b1' },
      { index: 1, value: 'y', batch: 'b1' },
    ]);
  });

  it('"MaxConcurrency: 1" runs one iteration at a time', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1, 2, 3],
          MaxConcurrency: 1,
          ItemProcessor: {
            StartAt: 'Ask',
            States: { Ask: waitForToken({ End: true }, { item: '{% $states.input %}' }) },
          },
          End: true,
        },
      }),
    );
    for (const expected of [1, 2, 3]) {
      expect(h.lambdas.callsTo('token')).toHaveLength(expected);
      await h.sendSuccess(h.lambdas.lastToken(), expected * 10);
      await h.engine.settle();
    }
    const done = await h.describe(run.executionArn);
    expect(done.output).toEqual([10, 20, 30]);
    expect(h.lambdas.callsTo('token').map((c) => (c.payload as { item: number }).item)).toEqual([1, 2, 3]);
  });

  it('"MaxConcurrency: 2" keeps at most two iterations in flight', async () => {
    await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1, 2, 3, 4, 5],
          MaxConcurrency: 2,
          ItemProcessor: { StartAt: 'Ask', States: { Ask: waitForToken({ End: true }) } },
          End: true,
        },
      }),
    );
    expect(h.lambdas.callsTo('token')).toHaveLength(2);
    await h.sendSuccess(String(h.lambdas.tokens()[0]), 'done');
    await h.engine.settle();
    expect(h.lambdas.callsTo('token')).toHaveLength(3);
  });

  it('"The default value is 0, which places no limit on concurrency"', async () => {
    await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1, 2, 3, 4, 5],
          ItemProcessor: { StartAt: 'Ask', States: { Ask: waitForToken({ End: true }) } },
          End: true,
        },
      }),
    );
    expect(h.lambdas.callsTo('token')).toHaveLength(5);
  });

  it("one failing iteration fails the Map state with that iteration's error", async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1, 2, 3],
          ItemProcessor: {
            StartAt: 'Check',
            States: {
              Check: {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input = 2 %}', Next: 'Bad' }],
                Default: 'Good',
              },
              Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'item 2' },
              Good: { Type: 'Pass', End: true },
            },
          },
          Catch: [{ ErrorEquals: ['Item.Bad'], Output: '{% $states.errorOutput %}', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      }),
    );
    expect(run.output).toEqual({ Error: 'Item.Bad', Cause: 'item 2' });
  });

  it('"ProcessorConfig" Mode INLINE is accepted, and a Map inside a Map works', async () => {
    const run = await h.run(
      machine('Outer', {
        Outer: {
          Type: 'Map',
          Items: [[1, 2], [3]],
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Inner',
            States: {
              Inner: {
                Type: 'Map',
                Items: '{% $states.input %}',
                ItemProcessor: pass({ Output: '{% $states.input * 10 %}' }),
                End: true,
              },
            },
          },
          End: true,
        },
      }),
    );
    expect(run.output).toEqual([[10, 20], [30]]);
  });

  it('Items that are not an array fail the state with States.QueryEvaluationError', async () => {
    const run = await h.run(
      machine('Each', {
        Each: { Type: 'Map', Items: '{% $states.input.notAList %}', ItemProcessor: pass(), End: true },
      }),
      {
        notAList: 'text',
      },
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.QueryEvaluationError');
  });
});

describe('Parallel', () => {
  it('"The output of a Parallel state is an array containing the output of each branch", in branch order', async () => {
    const run = await h.run(
      machine('Both', {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 100, Output: "{% 'slow' %}", End: true } } },
            { StartAt: 'Fast', States: { Fast: { Type: 'Wait', Seconds: 10, Output: "{% 'fast' %}", End: true } } },
          ],
          End: true,
        },
      }),
    );
    await h.advance(100);
    expect((await h.describe(run.executionArn)).output).toEqual(['slow', 'fast']);
  });

  it("each branch receives the Parallel state's input, or its Arguments when given", async () => {
    const run = await h.run(
      machine('Both', {
        Both: {
          Type: 'Parallel',
          Arguments: { patient: '{% $states.input.id %}' },
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
          ],
          End: true,
        },
      }),
      { id: 'p7', other: 'dropped' },
    );
    expect(run.output).toEqual([{ patient: 'p7' }, { patient: 'p7' }]);
  });

  it('"If any branch fails ... the entire Parallel state fails", with the branch\'s error, and the other branches stop', async () => {
    const run = await h.run(
      machine('Both', {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Waiting', States: { Waiting: waitForToken({ End: true }) } },
            {
              StartAt: 'Broken',
              States: { Broken: invoke('fail', { errorName: 'Branch.Broke', message: 'b' }, { End: true }) },
            },
          ],
          End: true,
        },
      }),
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Branch.Broke');
    expect(run.cause).toContain('b');
    expect((await serviceError(h.sendSuccess(h.lambdas.lastToken(), {}))).name).toBe('TaskTimedOut');
  });

  it('a Parallel Output can shape "$states.result"', async () => {
    const run = await h.run(
      machine('Both', {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% 1 %}', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% 2 %}', End: true } } },
          ],
          Output: { total: '{% $sum($states.result) %}' },
          End: true,
        },
      }),
    );
    expect(run.output).toEqual({ total: 3 });
  });

  it('"Retry" on a Parallel state runs the whole state again after a branch failed', async () => {
    const run = await h.run(
      machine('Both', {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Steady',
              States: { Steady: invoke('echo', 'steady', { Output: '{% $states.result.Payload %}', End: true }) },
            },
            {
              StartAt: 'Flaky',
              States: {
                Flaky: invoke(
                  'flaky',
                  { key: 'par', failures: 1 },
                  { Output: '{% $states.result.Payload.attempts %}', End: true },
                ),
              },
            },
          ],
          Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 5 }],
          End: true,
        },
      }),
    );
    expect(run.status).toBe('RUNNING');
    await h.advance(5);
    const done = await h.describe(run.executionArn);
    expect(done.output).toEqual(['steady', 2]);
    expect(h.lambdas.callsTo('echo')).toHaveLength(2);
  });

  it('"Retry" on a Map state runs every iteration again', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: ['a', 'b'],
          ItemProcessor: {
            StartAt: 'Call',
            States: {
              Call: invoke(
                'flaky',
                { key: '{% $states.input %}', failures: 1 },
                { Output: '{% $states.result.Payload.attempts %}', End: true },
              ),
            },
          },
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 2 }],
          End: true,
        },
      }),
    );
    await h.advance(10);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual([2, 2]);
  });
});
