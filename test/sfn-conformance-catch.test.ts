/**
 * Catch and error output, from AWS's "Handling errors in Step Functions workflows": catchers in order,
 * "$states.errorOutput" {Error, Cause}, Catch Output and Assign, Fail states, and the Lambda error
 * mapping (the function's error type becomes the Error).
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

function failing(catchers: object[], payload: object = { errorName: 'PatientOnHold', message: 'hold p-1' }): object {
  const targets: Record<string, object> = {
    Recover: { Type: 'Pass', End: true },
    Elsewhere: { Type: 'Pass', Output: "{% 'elsewhere' %}", End: true },
  };
  // only the states a catcher names: ASL refuses unreachable states
  const used = new Set(catchers.map((c) => (c as { Next: string }).Next));
  return machine('Call', {
    Call: invoke('fail', payload, { Catch: catchers, End: true }),
    ...Object.fromEntries(Object.entries(targets).filter(([name]) => used.has(name))),
  });
}

describe('Catch', () => {
  it('without Output, a catcher passes "$states.errorOutput" {Error, Cause} to its Next state', async () => {
    const run = await h.run(failing([{ ErrorEquals: ['PatientOnHold'], Next: 'Recover' }]));
    expect(run.status).toBe('SUCCEEDED');
    const out = run.output as { Error: string; Cause: string };
    expect(out.Error).toBe('PatientOnHold');
    expect(typeof out.Cause).toBe('string');
  });

  it('a Lambda function that throws: Error is the error name, Cause is the Lambda error document', async () => {
    const run = await h.run(failing([{ ErrorEquals: ['States.ALL'], Next: 'Recover' }]));
    const out = run.output as { Error: string; Cause: string };
    expect(out.Error).toBe('PatientOnHold');
    expect(JSON.parse(out.Cause)).toMatchObject({ errorType: 'PatientOnHold', errorMessage: 'hold p-1' });
  });

  it('catcher Output can combine "$states.errorOutput" and "$states.input"', async () => {
    const run = await h.run(
      failing([
        {
          ErrorEquals: ['States.ALL'],
          Output: { failed: '{% $states.errorOutput.Error %}', original: '{% $states.input %}' },
          Next: 'Recover',
        },
      ]),
      { patient: 'p-1' },
    );
    expect(run.output).toEqual({ failed: 'PatientOnHold', original: { patient: 'p-1' } });
  });

  it('catcher Assign sets variables that later states read', async () => {
    const run = await h.run(
      machine('Call', {
        Call: invoke(
          'fail',
          { errorName: 'Nope' },
          {
            Catch: [{ ErrorEquals: ['States.ALL'], Assign: { why: '{% $states.errorOutput.Error %}' }, Next: 'Later' }],
            End: true,
          },
        ),
        Later: { Type: 'Pass', Output: { why: '{% $why %}' }, End: true },
      }),
    );
    expect(run.output).toEqual({ why: 'Nope' });
  });

  it('"the interpreter ... scans through the catchers in the order listed": the first matching catcher wins', async () => {
    const run = await h.run(
      failing([
        { ErrorEquals: ['SomethingElse'], Next: 'Recover' },
        { ErrorEquals: ['PatientOnHold'], Next: 'Elsewhere' },
        { ErrorEquals: ['States.ALL'], Next: 'Recover' },
      ]),
    );
    expect(run.output).toBe('elsewhere');
  });

  it('"States.TaskFailed" catches a Lambda function error', async () => {
    const run = await h.run(failing([{ ErrorEquals: ['States.TaskFailed'], Next: 'Elsewhere' }]));
    expect(run.output).toBe('elsewhere');
  });

  it('an error no catcher names fails the execution with that Error and Cause', async () => {
    const run = await h.run(failing([{ ErrorEquals: ['SomethingElse'], Next: 'Recover' }]));
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('PatientOnHold');
    expect(run.cause).toContain('hold p-1');
  });

  it('"When a state has both Retry and Catch fields, Step Functions uses any appropriate retriers first"', async () => {
    const run = await h.run(
      machine('Call', {
        Call: invoke(
          'flaky',
          { key: 'rc' },
          {
            Retry: [{ ErrorEquals: ['Transient'], MaxAttempts: 2, IntervalSeconds: 1, BackoffRate: 1 }],
            Catch: [{ ErrorEquals: ['Transient'], Output: 'caught', Next: 'Done' }],
            End: true,
          },
        ),
        Done: { Type: 'Pass', End: true },
      }),
    );
    expect(run.status).toBe('RUNNING');
    await h.advance(2);
    const done = await h.describe(run.executionArn);
    expect(h.lambdas.callsTo('flaky')).toHaveLength(3);
    expect(done.output).toBe('caught');
  });

  it('States.QueryEvaluationError is an error like any other: States.ALL catches it', async () => {
    const run = await h.run(
      machine('Bad', {
        Bad: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: "{% $number('x') %}" },
          Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput.Error %}', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      }),
    );
    expect(run.output).toBe('States.QueryEvaluationError');
  });
});

describe('Fail', () => {
  it('"A Fail state stops the execution ... and marks it as a failure" with the given Error and Cause', async () => {
    const run = await h.run(
      machine('Stop', { Stop: { Type: 'Fail', Error: 'Clinical.Hold', Cause: 'patient on hold' } }),
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Clinical.Hold');
    expect(run.cause).toBe('patient on hold');
  });

  it('Fail Error and Cause accept JSONata expressions', async () => {
    const run = await h.run(
      machine('Stop', {
        Stop: { Type: 'Fail', Error: '{% $states.input.code %}', Cause: "{% 'because ' & $states.input.why %}" },
      }),
      { code: 'Refill.TooEarly', why: '27 days' },
    );
    expect(run.error).toBe('Refill.TooEarly');
    expect(run.cause).toBe('because 27 days');
  });
});
