/**
 * Data flow in JSONata states, from AWS's "Transforming data with JSONata in Step Functions" and
 * "Passing data between states with variables". Each test quotes or names the rule it checks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { START, invoke, machine, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('Arguments and Output', () => {
  it('"Arguments": the evaluated Arguments are the API request, so Payload reaches the Lambda function', async () => {
    const run = await h.run(
      machine('Call', {
        Call: invoke(
          'echo',
          { fromInput: '{% $states.input.x %}', literal: 'as is', sum: '{% 1 + 2 %}' },
          { End: true },
        ),
      }),
      { x: 'hello' },
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(h.lambdas.callsTo('echo').map((c) => c.payload)).toEqual([{ fromInput: 'hello', literal: 'as is', sum: 3 }]);
  });

  it('"Output ... Default: $states.result": a Task without Output outputs the whole Lambda Invoke response', async () => {
    const run = await h.run(machine('Call', { Call: invoke('double', { value: 21 }, { End: true }) }));
    expect(run.output).toMatchObject({ Payload: { value: 42 }, StatusCode: 200 });
  });

  it('"When specified, the value overrides the state output default": Output picks from $states.result', async () => {
    const run = await h.run(
      machine('Call', {
        Call: invoke('double', { value: 5 }, { Output: { doubled: '{% $states.result.Payload.value %}' }, End: true }),
      }),
    );
    expect(run.output).toEqual({ doubled: 10 });
  });

  it('a Pass state without Output passes its input through as its output', async () => {
    const run = await h.run(machine('P', { P: { Type: 'Pass', End: true } }), { keep: [1, { a: true }] });
    expect(run.output).toEqual({ keep: [1, { a: true }] });
  });

  it('"$states.input always refers to the original state input", also in the Output of a Task', async () => {
    const run = await h.run(
      machine('Call', {
        Call: invoke('double', { value: 1 }, { Output: { before: '{% $states.input %}' }, End: true }),
      }),
      { v: 7 },
    );
    expect(run.output).toEqual({ before: { v: 7 } });
  });

  it('"Any string value, including those inside objects or arrays, will be evaluated as JSONata if surrounded by {% %}"', async () => {
    const run = await h.run(
      machine('P', {
        P: {
          Type: 'Pass',
          Output: {
            deep: { list: ['{% 1 + 1 %}', 'plain text', { inner: '{% $states.input.s %}' }] },
            notAnExpression: '$states.input.s',
          },
          End: true,
        },
      }),
      { s: 'seen' },
    );
    expect(run.output).toEqual({
      deep: { list: [2, 'plain text', { inner: 'seen' }] },
      notAnExpression: '$states.input.s',
    });
  });

  it('arrays nested in arrays are JSON values too, and their {% %} strings are evaluated', async () => {
    const run = await h.run(
      machine('P', { P: { Type: 'Pass', Output: { grid: [[1, "{% $uppercase('x') %}"], []] }, End: true } }),
    );
    expect(run.output).toEqual({ grid: [[1, 'X'], []] });
  });

  it('"The output field accepts any JSON value (object, array, string, number, boolean, null)"', async () => {
    for (const value of ['plain string', 7, true, null, [1, 'two']]) {
      const run = await h.run(machine('P', { P: { Type: 'Pass', Output: value, End: true } }));
      expect(run.output, JSON.stringify(value)).toEqual(value);
    }
  });

  it('Output may be a single JSONata expression producing any JSON value', async () => {
    const run = await h.run(
      machine('P', { P: { Type: 'Pass', Output: '{% [$states.input.n, $states.input.n * 2] %}', End: true } }),
      {
        n: 4,
      },
    );
    expect(run.output).toEqual([4, 8]);
  });

  it('"Expressions must produce a defined value": an Output that evaluates to nothing fails with States.QueryEvaluationError', async () => {
    const run = await h.run(
      machine('P', { P: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } }),
      {},
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.QueryEvaluationError');
  });

  it('a JSONata runtime error in Arguments fails the state with States.QueryEvaluationError', async () => {
    const run = await h.run(machine('Call', { Call: invoke('echo', "{% $number('not a number') %}", { End: true }) }));
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.QueryEvaluationError');
    expect(h.lambdas.callsTo('echo')).toHaveLength(0);
  });
});

describe('Assign and variables', () => {
  it('"you can store data in a step and retrieve that data in future steps", not only the next one', async () => {
    const run = await h.run(
      machine('Remember', {
        Remember: {
          Type: 'Pass',
          Assign: { patient: '{% $states.input.patient %}', count: 42 },
          Output: "{% 'forgotten' %}",
          Next: 'Middle',
        },
        Middle: { Type: 'Pass', Output: { other: true }, Next: 'Recall' },
        Recall: {
          Type: 'Pass',
          Output: { patient: '{% $patient %}', count: '{% $count %}', input: '{% $states.input %}' },
          End: true,
        },
      }),
      { patient: 'p-1' },
    );
    expect(run.output).toEqual({ patient: 'p-1', count: 42, input: { other: true } });
  });

  it('"variable assignments ... use the values from before the state": Assign can swap two variables', async () => {
    const run = await h.run(
      machine('Init', {
        Init: { Type: 'Pass', Assign: { a: 1, b: 2 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { a: '{% $b %}', b: '{% $a %}' }, Next: 'Show' },
        Show: { Type: 'Pass', Output: { a: '{% $a %}', b: '{% $b %}' }, End: true },
      }),
    );
    expect(run.output).toEqual({ a: 2, b: 1 });
  });

  it("a state's Output sees the variable values from before that state's own Assign", async () => {
    const run = await h.run(
      machine('Init', {
        Init: { Type: 'Pass', Assign: { x: 'old' }, Next: 'Change' },
        Change: { Type: 'Pass', Assign: { x: 'new' }, Output: { seen: '{% $x %}' }, Next: 'After' },
        After: { Type: 'Pass', Output: { seen: '{% $states.input.seen %}', now: '{% $x %}' }, End: true },
      }),
    );
    expect(run.output).toEqual({ seen: 'old', now: 'new' });
  });

  it('a Task\'s Assign can read "$states.result: API or sub-workflow\'s result (if successful)"', async () => {
    const run = await h.run(
      machine('Call', {
        Call: invoke(
          'double',
          { value: 8 },
          { Assign: { doubled: '{% $states.result.Payload.value %}' }, Output: {}, Next: 'Show' },
        ),
        Show: { Type: 'Pass', Output: '{% $doubled %}', End: true },
      }),
    );
    expect(run.output).toBe(16);
  });

  it('"Assign" is supported on Pass, Task, Map, Parallel, Choice and Wait states', async () => {
    const run = await h.run(
      machine('P', {
        P: { Type: 'Pass', Assign: { p: 1 }, Next: 'T' },
        T: invoke('echo', {}, { Assign: { t: 2 }, Next: 'W' }),
        W: { Type: 'Wait', Seconds: 1, Assign: { w: 3 }, Next: 'C' },
        C: { Type: 'Choice', Assign: { c: 4 }, Choices: [{ Condition: '{% true %}', Next: 'M' }] },
        M: {
          Type: 'Map',
          Items: [1],
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          Assign: { m: 5 },
          Next: 'Par',
        },
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }],
          Assign: { par: 6 },
          Next: 'Show',
        },
        Show: { Type: 'Pass', Output: '{% [$p, $t, $w, $c, $m, $par] %}', End: true },
      }),
    );
    expect(run.status).toBe('RUNNING');
    await h.advance(1);
    const done = await h.describe(run.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('$states.context', () => {
  it('"$states.context" carries Execution, StateMachine and State fields', async () => {
    const arn = await h.createMachine(
      machine('Look', {
        Look: {
          Type: 'Pass',
          Output: {
            executionId: '{% $states.context.Execution.Id %}',
            executionName: '{% $states.context.Execution.Name %}',
            executionInput: '{% $states.context.Execution.Input %}',
            startTime: '{% $states.context.Execution.StartTime %}',
            stateMachineId: '{% $states.context.StateMachine.Id %}',
            stateMachineName: '{% $states.context.StateMachine.Name %}',
            stateName: '{% $states.context.State.Name %}',
            enteredTime: '{% $states.context.State.EnteredTime %}',
          },
          End: true,
        },
      }),
      'context-reader',
    );
    const executionArn = await h.start(arn, { first: 'input' }, 'exec-ctx');
    await h.engine.settle();
    const run = await h.describe(executionArn);
    const out = run.output as Record<string, unknown>;
    expect(out).toMatchObject({
      executionId: executionArn,
      executionName: 'exec-ctx',
      executionInput: { first: 'input' },
      stateMachineId: arn,
      stateMachineName: 'context-reader',
      stateName: 'Look',
    });
    // RetryCount is a Task state's only: see sfn-conformance-aws-parity.test.ts.
    expect(new Date(String(out.startTime)).toISOString()).toBe(START.toISOString());
    expect(new Date(String(out.enteredTime)).toISOString()).toBe(START.toISOString());
  });

  it('"$states.context.Execution.Input" stays the original execution input after states change the data', async () => {
    const run = await h.run(
      machine('Change', {
        Change: { Type: 'Pass', Output: { changed: true }, Next: 'Look' },
        Look: {
          Type: 'Pass',
          Output: { original: '{% $states.context.Execution.Input %}', input: '{% $states.input %}' },
          End: true,
        },
      }),
      { orig: 1 },
    );
    expect(run.output).toEqual({ original: { orig: 1 }, input: { changed: true } });
  });
});

describe('variable scopes in Parallel and Map', () => {
  it('"Parallel and Map ... inner scopes can read variables from the outer scope"', async () => {
    const run = await h.run(
      machine('Set', {
        Set: { Type: 'Pass', Assign: { greeting: 'hi' }, Next: 'Fan' },
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Output: "{% $greeting & ' from A' %}", End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: "{% $greeting & ' from B' %}", End: true } } },
          ],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          Items: '{% $states.input %}',
          ItemProcessor: {
            StartAt: 'Say',
            States: { Say: { Type: 'Pass', Output: "{% $greeting & ': ' & $states.input %}", End: true } },
          },
          End: true,
        },
      }),
    );
    expect(run.output).toEqual(['hi: hi from A', 'hi: hi from B']);
  });

  it('a variable assigned inside a Map iteration is seen by later states of that iteration and not outside the Map', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1, 2, 3],
          ItemProcessor: {
            StartAt: 'Keep',
            States: {
              Keep: { Type: 'Pass', Assign: { mine: '{% $states.input %}' }, Next: 'Wait' },
              Wait: { Type: 'Wait', Seconds: '{% 10 - $mine %}', Next: 'Show' },
              Show: { Type: 'Pass', Output: '{% $mine * 100 %}', End: true },
            },
          },
          Next: 'Outside',
        },
        Outside: {
          Type: 'Pass',
          Output: { results: '{% $states.input %}', leaked: '{% $exists($mine) %}' },
          End: true,
        },
      }),
    );
    expect(run.status).toBe('RUNNING');
    await h.advance(10);
    const done = await h.describe(run.executionArn);
    expect(done.output).toEqual({ results: [100, 200, 300], leaked: false });
  });

  it('each Parallel branch has its own scope: a branch cannot change a variable another branch or the outer scope reads', async () => {
    const run = await h.run(
      machine('Set', {
        Set: { Type: 'Pass', Assign: { shared: 'outer' }, Next: 'Fan' },
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'A1',
              States: {
                A1: { Type: 'Pass', Assign: { branchOnly: 'A' }, Next: 'A2' },
                A2: { Type: 'Pass', Output: '{% $branchOnly & $shared %}', End: true },
              },
            },
            {
              StartAt: 'B1',
              States: {
                B1: { Type: 'Pass', Assign: { branchOnly: 'B' }, Next: 'B2' },
                B2: { Type: 'Pass', Output: '{% $branchOnly & $shared %}', End: true },
              },
            },
          ],
          Next: 'After',
        },
        After: {
          Type: 'Pass',
          Output: { branches: '{% $states.input %}', shared: '{% $shared %}', leaked: '{% $exists($branchOnly) %}' },
          End: true,
        },
      }),
    );
    expect(run.output).toEqual({ branches: ['Aouter', 'Bouter'], shared: 'outer', leaked: false });
  });

  it("a Map state's own Assign writes to the outer scope from $states.result (how results leave an inner scope)", async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: {
            StartAt: 'Double',
            States: { Double: { Type: 'Pass', Output: '{% $states.input * 2 %}', End: true } },
          },
          Assign: { total: '{% $sum($states.result) %}' },
          Output: "{% 'ignored' %}",
          Next: 'Show',
        },
        Show: { Type: 'Pass', Output: '{% $total %}', End: true },
      }),
    );
    expect(run.output).toBe(6);
  });
});
