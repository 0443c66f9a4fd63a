/**
 * Nested executions, from AWS's "Start a new AWS Step Functions state machine execution"
 * (arn:aws:states:::states:startExecution, and .sync:2 which "returns the output as JSON").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { machine, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function startChild(resource: string, childArn: string, rest: object): object {
  return {
    Type: 'Task',
    Resource: resource,
    Arguments: {
      StateMachineArn: childArn,
      Input: { patient: '{% $states.input.patient %}' },
      Name: "{% 'child-' & $states.input.patient %}",
    },
    ...rest,
  };
}

describe('states:startExecution', () => {
  it('the request/response form starts the child and moves on without waiting for it', async () => {
    const childArn = await h.createMachine(
      machine('Pause', { Pause: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Pass', End: true } }),
      'child',
    );
    const parent = await h.run(
      machine('Start', { Start: startChild('arn:aws:states:::states:startExecution', childArn, { End: true }) }),
      { patient: 'p1' },
    );
    expect(parent.status).toBe('SUCCEEDED');
    const out = parent.output as { ExecutionArn: string };
    expect(out.ExecutionArn).toMatch(/:child-p1$/);
    const child = await h.describe(out.ExecutionArn);
    expect(child.status).toBe('RUNNING');
    expect(child.input === undefined ? undefined : JSON.parse(child.input)).toEqual({ patient: 'p1' });
  });

  it('".sync:2" waits for the child and returns its Output parsed as JSON', async () => {
    const childArn = await h.createMachine(
      machine('Pause', {
        Pause: { Type: 'Wait', Seconds: 60, Next: 'Answer' },
        Answer: { Type: 'Pass', Output: { seen: '{% $states.input.patient %}', n: 7 }, End: true },
      }),
      'child-sync',
    );
    const parent = await h.run(
      machine('Start', {
        Start: startChild('arn:aws:states:::states:startExecution.sync:2', childArn, { Next: 'Show' }),
        Show: {
          Type: 'Pass',
          Output: { status: '{% $states.input.Status %}', childOutput: '{% $states.input.Output %}' },
          End: true,
        },
      }),
      { patient: 'p2' },
    );
    expect(parent.status).toBe('RUNNING');
    await h.advance(60);
    const done = await h.describe(parent.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ status: 'SUCCEEDED', childOutput: { seen: 'p2', n: 7 } });
  });

  it('".sync:2" fails the parent task when the child fails, and a catcher can handle it', async () => {
    const childArn = await h.createMachine(
      machine('Boom', { Boom: { Type: 'Fail', Error: 'Child.Broke', Cause: 'inside' } }),
      'child-fails',
    );
    const uncaught = await h.run(
      machine('Start', { Start: startChild('arn:aws:states:::states:startExecution.sync:2', childArn, { End: true }) }),
      { patient: 'p3' },
    );
    expect(uncaught.status).toBe('FAILED');
    expect(uncaught.error).toBe('States.TaskFailed');

    const caught = await h.run(
      machine('Start', {
        Start: startChild('arn:aws:states:::states:startExecution.sync:2', childArn, {
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Output: 'handled', Next: 'Done' }],
          End: true,
        }),
        Done: { Type: 'Pass', End: true },
      }),
      { patient: 'p4' },
    );
    expect(caught.output).toBe('handled');
  });

  it('a child execution name already used by a closed execution fails the task with an ExecutionAlreadyExists error', async () => {
    const childArn = await h.createMachine(machine('Done', { Done: { Type: 'Pass', End: true } }), 'child-once');
    const definition = machine('Start', {
      Start: startChild('arn:aws:states:::states:startExecution', childArn, {
        Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput.Error %}', Next: 'Caught' }],
        End: true,
      }),
      Caught: { Type: 'Pass', End: true },
    });
    const first = await h.run(definition, { patient: 'same' });
    expect(first.status).toBe('SUCCEEDED');
    const second = await h.run(definition, { patient: 'same' });
    expect(String(second.output)).toMatch(/ExecutionAlreadyExists/);
  });
});
