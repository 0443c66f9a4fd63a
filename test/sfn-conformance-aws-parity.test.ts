/**
 * Issue 12: places where the engine once differed from AWS's recorded behaviour. Each test names the
 * rule; where AWS's documentation is silent and only its recorded behaviour speaks, the test says so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke, machine, serviceError, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const pass = { Type: 'Pass', End: true };

describe('definitions AWS accepts are accepted', () => {
  it('a top-level "QueryLanguage": "JSONPath" whose states all set JSONata runs', async () => {
    const run = await h.run({
      QueryLanguage: 'JSONPath',
      StartAt: 'P',
      States: { P: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { v: '{% 1 + 1 %}' }, End: true } },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ v: 2 });
  });

  it('a literal boolean Condition ("Condition": true) is a Condition', async () => {
    const run = await h.run(
      machine('C', {
        C: {
          Type: 'Choice',
          Choices: [
            { Condition: false, Next: 'No' },
            { Condition: true, Next: 'Yes' },
          ],
        },
        No: { Type: 'Pass', Output: 'no', End: true },
        Yes: { Type: 'Pass', Output: 'yes', End: true },
      }),
    );
    expect(run.output).toBe('yes');
  });

  it('"you will not use .$ on JSON object key names": in a JSONata state "a.$" is an ordinary key, kept as written', async () => {
    const run = await h.run(
      machine('P', { P: { Type: 'Pass', Output: { 'a.$': '$.not.a.path', 'b.$': '{% 2 %}' }, End: true } }),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ 'a.$': '$.not.a.path', 'b.$': 2 });
  });
});

describe('Wait Timestamp is an ISO-8601 extended offset date-time', () => {
  for (const stamp of ['2016-12-05 21:29:29Z', '2016-12-05T21:29:29', '2016-12-05T21:29Z', '2016-02-30T00:00:00Z']) {
    it(`a literal "${stamp}" is refused at CreateStateMachine, naming the state and Timestamp`, async () => {
      const refused = await serviceError(
        h.createMachine(machine('W', { W: { Type: 'Wait', Timestamp: stamp, End: true } })),
      );
      expect(refused.name).toBe('InvalidDefinition');
      expect(refused.message).toMatch(/States\/W.*Timestamp/);
    });

    it(`"${stamp}" from an expression fails the state with States.QueryEvaluationError naming Timestamp`, async () => {
      const run = await h.run(machine('W', { W: { Type: 'Wait', Timestamp: '{% $states.input.at %}', End: true } }), {
        at: stamp,
      });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('States.QueryEvaluationError');
      expect(run.cause).toContain("for the field 'Timestamp'");
      const failed = (await h.history(run.executionArn)).find((e) => e.type === 'EvaluationFailed');
      expect(failed?.evaluationFailedEventDetails).toMatchObject({ location: 'Timestamp', state: 'W' });
    });
  }

  for (const stamp of ['2025-03-03T09:00:01Z', '2025-03-03T10:00:01+01:00', '2025-03-03T09:00:00.500Z']) {
    it(`"${stamp}" is accepted`, async () => {
      const run = await h.run(machine('W', { W: { Type: 'Wait', Timestamp: stamp, End: true } }));
      expect(run.status).toBe('RUNNING');
      await h.advance(1);
      expect((await h.describe(run.executionArn)).status).toBe('SUCCEEDED');
    });
  }
});

describe('Fail states with only one of Error and Cause', () => {
  it('only Cause: DescribeExecution and ExecutionFailed carry no error at all', async () => {
    const run = await h.run(machine('Stop', { Stop: { Type: 'Fail', Cause: 'patient on hold' } }));
    expect(run.status).toBe('FAILED');
    expect('error' in run.raw).toBe(false);
    expect(run.cause).toBe('patient on hold');
    const last = (await h.history(run.executionArn)).at(-1);
    expect(last?.type).toBe('ExecutionFailed');
    expect(last?.executionFailedEventDetails).toEqual({ cause: 'patient on hold' });
  });

  it('only Error: DescribeExecution and ExecutionFailed carry no cause at all', async () => {
    const run = await h.run(machine('Stop', { Stop: { Type: 'Fail', Error: 'Clinical.Hold' } }));
    expect(run.error).toBe('Clinical.Hold');
    expect('cause' in run.raw).toBe(false);
    expect((await h.history(run.executionArn)).at(-1)?.executionFailedEventDetails).toEqual({ error: 'Clinical.Hold' });
  });

  it('a caught Fail without Cause gives $states.errorOutput without Cause (AWS documents no default)', async () => {
    const run = await h.run(
      machine('Both', {
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Clinical.Hold' } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput %}', Next: 'Caught' }],
          End: true,
        },
        Caught: pass,
      }),
    );
    expect(run.output).toEqual({ Error: 'Clinical.Hold' });
  });
});

describe('the context object', () => {
  it('"$states.context.State.RetryCount" exists in a Task state', async () => {
    const run = await h.run(
      machine('T', { T: invoke('echo', {}, { Output: '{% $states.context.State %}', End: true }) }),
    );
    expect(run.output).toMatchObject({ Name: 'T', RetryCount: 0 });
  });

  it('a Pass state\'s "$states.context.State" has Name and EnteredTime but no RetryCount', async () => {
    const run = await h.run(machine('P', { P: { Type: 'Pass', Output: '{% $states.context.State %}', End: true } }));
    expect(run.output).toEqual({ EnteredTime: '2025-03-03T09:00:00.000Z', Name: 'P' });
  });
});

describe('Map history', () => {
  it('a Map whose iteration fails writes MapIterationFailed, then MapStateFailed, then ExecutionFailed', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1],
          ItemProcessor: { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Item.Bad', Cause: 'item 1' } } },
          End: true,
        },
      }),
    );
    const types = (await h.history(run.executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'FailStateEntered',
      'MapIterationFailed',
      'MapStateFailed',
      'ExecutionFailed',
    ]);
    expect(run).toMatchObject({ error: 'Item.Bad', cause: 'item 1' });
  });

  // AWS's documentation lists MapStateFailed among the history events without saying when a Map that
  // fails in its own fields writes it; issue 12 records that AWS writes it, after EvaluationFailed.
  it('a Map whose Items give nothing writes EvaluationFailed, then MapStateFailed', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.none %}',
          ItemProcessor: { StartAt: 'I', States: { I: pass } },
          End: true,
        },
      }),
    );
    expect(run.error).toBe('States.QueryEvaluationError');
    const types = (await h.history(run.executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'EvaluationFailed',
      'MapStateFailed',
      'ExecutionFailed',
    ]);
  });

  it('a Map whose ItemSelector gives nothing fails with MapStateFailed after the EvaluationFailed event', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1],
          ItemSelector: { v: '{% $states.input.none %}' },
          ItemProcessor: { StartAt: 'I', States: { I: pass } },
          End: true,
        },
      }),
    );
    expect(run.error).toBe('States.QueryEvaluationError');
    const types = (await h.history(run.executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'EvaluationFailed',
      'MapStateFailed',
      'ExecutionFailed',
    ]);
  });
});
