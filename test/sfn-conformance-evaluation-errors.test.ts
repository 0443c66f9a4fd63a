/**
 * What a JSONata expression that gives nothing, or throws, does to its state. AWS's "Transforming data
 * with JSONata" page says only that such a state fails with States.QueryEvaluationError; the cause
 * wording and the field names below are AWS's recorded behaviour, quoted in issue 12:
 * "An error occurred while executing the state '<name>' (entered at the event id #<n>). The JSONata
 * expression '<expr>' specified for the field '<field>' returned nothing (undefined)."
 * The documentation is silent on the wording of a JSONata error's cause; we write jsonata's own code
 * and message after "threw an error during evaluation.", and assert only on the code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke, machine, startHarness, type HistoryEvent, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function prefix(state: string, enteredAt: number): string {
  return `An error occurred while executing the state '${state}' (entered at the event id #${enteredAt}). `;
}

function nothing(expression: string, field: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}' returned nothing (undefined).`;
}

function evaluationFailures(events: readonly HistoryEvent[]): Record<string, unknown>[] {
  return events
    .filter((e) => e.type === 'EvaluationFailed')
    .map((e) => e.evaluationFailedEventDetails as Record<string, unknown>);
}

describe('an expression that gives nothing inside an object field fails the state', () => {
  it('Output: a misspelt input field fails with the cause naming "Output/result", and the history says where', async () => {
    const run = await h.run(
      machine('P', { P: { Type: 'Pass', Output: { result: '{% $states.input.missing %}' }, End: true } }),
      { present: 1 },
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.QueryEvaluationError');
    expect(run.cause).toBe(prefix('P', 2) + nothing('$states.input.missing', 'Output/result'));
    const events = await h.history(run.executionArn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'EvaluationFailed',
      'ExecutionFailed',
    ]);
    expect(evaluationFailures(events)).toEqual([
      { error: 'States.QueryEvaluationError', cause: run.cause, location: 'Output/result', state: 'P' },
    ]);
    expect(events.at(-1)?.executionFailedEventDetails).toEqual({
      error: 'States.QueryEvaluationError',
      cause: run.cause,
    });
  });

  it("the entered event id in the cause is the failing state's own *StateEntered event", async () => {
    const run = await h.run(
      machine('First', {
        First: { Type: 'Pass', Next: 'Second' },
        Second: { Type: 'Pass', Output: { deep: { list: [1, '{% $states.input.nope %}'] } }, End: true },
      }),
    );
    const entered = (await h.history(run.executionArn)).find(
      (e) => e.type === 'PassStateEntered' && (e.stateEnteredEventDetails as { name: string }).name === 'Second',
    );
    expect(entered?.id).toBe(4);
    expect(run.cause).toBe(prefix('Second', 4) + nothing('$states.input.nope', 'Output/deep/list[1]'));
  });

  it('Arguments: the Task fails before the call, naming "Arguments/Payload/patient"', async () => {
    const run = await h.run(
      machine('Call', { Call: invoke('echo', { patient: '{% $states.input.patinet %}' }, { End: true }) }),
      { patient: 'p-1' },
    );
    expect(run.error).toBe('States.QueryEvaluationError');
    expect(run.cause).toBe(prefix('Call', 2) + nothing('$states.input.patinet', 'Arguments/Payload/patient'));
    expect(h.lambdas.callsTo('echo')).toHaveLength(0);
    const events = await h.history(run.executionArn);
    expect(events.map((e) => e.type)).not.toContain('TaskScheduled');
  });

  it('a Task\'s Output is evaluated after the call: the function runs once, then the state fails naming "Output/total"', async () => {
    const run = await h.run(
      machine('Call', {
        Call: invoke('double', { value: 2 }, { Output: { total: '{% $states.result.Payload.total %}' }, End: true }),
      }),
    );
    expect(h.lambdas.callsTo('double')).toHaveLength(1);
    expect(run.cause).toBe(prefix('Call', 2) + nothing('$states.result.Payload.total', 'Output/total'));
    const events = await h.history(run.executionArn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'EvaluationFailed',
      'ExecutionFailed',
    ]);
  });

  it('Assign: no variable is set to nothing; the state fails naming "Assign/total"', async () => {
    const run = await h.run(
      machine('A', {
        A: { Type: 'Pass', Assign: { count: 1, total: '{% $states.input.sum %}' }, Next: 'B' },
        B: { Type: 'Pass', End: true },
      }),
    );
    expect(run.cause).toBe(prefix('A', 2) + nothing('$states.input.sum', 'Assign/total'));
    expect((await h.history(run.executionArn)).map((e) => e.type)).not.toContain('PassStateExited');
  });

  it('Items: a Map whose Items give nothing fails naming "Items", before any iteration starts', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.list %}',
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
    );
    expect(run.cause).toBe(prefix('Each', 2) + nothing('$states.input.list', 'Items'));
    expect((await h.history(run.executionArn)).map((e) => e.type)).not.toContain('MapIterationStarted');
  });

  it('Items as a literal array: an element that gives nothing names "Items[1]"', async () => {
    const run = await h.run(
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: [1, '{% $states.input.x %}'],
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
    );
    expect(run.cause).toBe(prefix('Each', 2) + nothing('$states.input.x', 'Items[1]'));
  });

  it('a matched Choice rule\'s own Output is named under the rule: "Choices[1]/Output/v"', async () => {
    const run = await h.run(
      machine('C', {
        C: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% false %}', Next: 'End' },
            { Condition: '{% true %}', Output: { v: '{% $states.input.none %}' }, Next: 'End' },
          ],
        },
        End: { Type: 'Succeed' },
      }),
    );
    expect(run.cause).toBe(prefix('C', 2) + nothing('$states.input.none', 'Choices[1]/Output/v'));
  });

  it('a Condition that gives nothing names "Choices[0]/Condition"', async () => {
    const run = await h.run(
      machine('C', {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.flag %}', Next: 'End' }], Default: 'End' },
        End: { Type: 'Succeed' },
      }),
    );
    expect(run.cause).toBe(prefix('C', 2) + nothing('$states.input.flag', 'Choices[0]/Condition'));
  });

  it('a catcher\'s Output is named under the catcher, "Catch[1]/Output/why", and is not caught again', async () => {
    const run = await h.run(
      machine('T', {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'fail', Payload: { errorName: 'Clinic.Refused', message: 'no' } },
          Catch: [
            { ErrorEquals: ['Other'], Next: 'After' },
            { ErrorEquals: ['States.ALL'], Output: { why: '{% $states.errorOutput.Reason %}' }, Next: 'After' },
          ],
          End: true,
        },
        After: { Type: 'Pass', End: true },
      }),
    );
    expect(run.status).toBe('FAILED');
    expect(run.cause).toBe(prefix('T', 2) + nothing('$states.errorOutput.Reason', 'Catch[1]/Output/why'));
    expect(evaluationFailures(await h.history(run.executionArn)).map((d) => d.location)).toEqual([
      'Catch[1]/Output/why',
    ]);
  });

  it("a Catch on States.QueryEvaluationError receives AWS's cause in $states.errorOutput", async () => {
    const run = await h.run(
      machine('P', {
        P: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: { id: '{% $states.input.id %}' } },
          Catch: [
            { ErrorEquals: ['States.QueryEvaluationError'], Output: '{% $states.errorOutput %}', Next: 'Caught' },
          ],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      }),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({
      Error: 'States.QueryEvaluationError',
      Cause: prefix('P', 2) + nothing('$states.input.id', 'Arguments/Payload/id'),
    });
  });

  it('a null is a value, not nothing: its key stays', async () => {
    const run = await h.run(
      machine('P', { P: { Type: 'Pass', Output: { v: '{% $states.input.bar %}', list: ['{% null %}'] }, End: true } }),
      { bar: null },
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ v: null, list: [null] });
  });
});

describe('JSONata errors', () => {
  it("a call to a function that does not exist fails with jsonata's code T1006 in the cause, and the field in the history", async () => {
    const run = await h.run(machine('P', { P: { Type: 'Pass', Output: { v: '{% $nope(1) %}' }, End: true } }));
    expect(run.error).toBe('States.QueryEvaluationError');
    expect(run.cause).toMatch(
      /^An error occurred while executing the state 'P' \(entered at the event id #2\)\. The JSONata expression '\$nope\(1\)' specified for the field 'Output\/v' threw an error during evaluation\. T1006: /,
    );
    expect(evaluationFailures(await h.history(run.executionArn))[0]?.location).toBe('Output/v');
  });
});

describe('JSONata sequences', () => {
  it('a one-element result is the element, as JSONata gives singleton sequences: $range(1, 9, 9) is 1', async () => {
    const run = await h.run(
      machine('P', {
        P: { Type: 'Pass', Output: { r: '{% $range(1, 9, 9) %}', path: '{% $states.input.items.id %}' }, End: true },
      }),
      {
        items: [{ id: 'only' }],
      },
    );
    expect(run.output).toEqual({ r: 1, path: 'only' });
  });

  it('so a Map over $range(1, n, 1) with n = 1 gets Items 1, not an array, and fails; an array constructor keeps it a list', async () => {
    const each = (items: string): object =>
      machine('Each', {
        Each: {
          Type: 'Map',
          Items: items,
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          End: true,
        },
      });
    const bare = await h.run(each('{% $range(1, $states.input.n, 1) %}'), { n: 1 });
    expect(bare.error).toBe('States.QueryEvaluationError');
    const wrapped = await h.run(each('{% [$range(1, $states.input.n, 1)] %}'), { n: 1 });
    expect(wrapped.output).toEqual([1]);
  });
});
