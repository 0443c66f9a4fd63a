/**
 * The Choice state in JSONata mode, from AWS's "Choice workflow state": rules with a Condition, Default,
 * and States.NoChoiceMatched.
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

function triage(withDefault: boolean): object {
  return machine('Triage', {
    Triage: {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $states.input.bp >= 180 %}', Next: 'Emergency' },
        { Condition: '{% $states.input.bp >= 140 %}', Next: 'Postpone' },
      ],
      ...(withDefault ? { Default: 'Proceed' } : {}),
    },
    Emergency: { Type: 'Pass', Output: "{% 'emergency' %}", End: true },
    Postpone: { Type: 'Pass', Output: "{% 'postpone' %}", End: true },
    // ASL refuses unreachable states, so Proceed exists only when Default leads to it
    ...(withDefault ? { Proceed: { Type: 'Pass', Output: "{% 'proceed' %}", End: true } } : {}),
  });
}

describe('Choice', () => {
  it('"Step Functions examines each of the Choice Rules in the order listed": the first rule whose Condition is true wins', async () => {
    // 190 satisfies both rules; the first listed decides.
    expect((await h.run(triage(true), { bp: 190 })).output).toBe('emergency');
    expect((await h.run(triage(true), { bp: 150 })).output).toBe('postpone');
  });

  it('"Default: the name of the state to transition to if none of the transitions in Choices is taken"', async () => {
    expect((await h.run(triage(true), { bp: 120 })).output).toBe('proceed');
  });

  it('no rule matches and no Default: the execution fails with States.NoChoiceMatched', async () => {
    const run = await h.run(triage(false), { bp: 120 });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.NoChoiceMatched');
  });

  it('a Choice passes its input to the next state, or its Output when one is given', async () => {
    const passThrough = await h.run(
      machine('C', {
        C: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'Show' }] },
        Show: { Type: 'Pass', End: true },
      }),
      { keep: 'me' },
    );
    expect(passThrough.output).toEqual({ keep: 'me' });

    const shaped = await h.run(
      machine('C', {
        C: {
          Type: 'Choice',
          Output: { level: '{% $states.input.bp %}' },
          Choices: [{ Condition: '{% true %}', Next: 'Show' }],
        },
        Show: { Type: 'Pass', End: true },
      }),
      { bp: 133 },
    );
    expect(shaped.output).toEqual({ level: 133 });
  });

  it('a Condition can read workflow variables assigned by earlier states', async () => {
    const run = await h.run(
      machine('Set', {
        Set: { Type: 'Pass', Assign: { onHold: true }, Next: 'Gate' },
        Gate: { Type: 'Choice', Choices: [{ Condition: '{% $onHold %}', Next: 'Held' }], Default: 'Go' },
        Held: { Type: 'Pass', Output: "{% 'held' %}", End: true },
        Go: { Type: 'Pass', Output: "{% 'go' %}", End: true },
      }),
    );
    expect(run.output).toBe('held');
  });

  it('a Condition that does not evaluate to a boolean fails with States.QueryEvaluationError', async () => {
    const run = await h.run(
      machine('C', {
        C: { Type: 'Choice', Choices: [{ Condition: "{% 'yes' %}", Next: 'Show' }], Default: 'Show' },
        Show: { Type: 'Pass', End: true },
      }),
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.QueryEvaluationError');
  });

  it('"A Succeed state ... stops an execution successfully", with its Output as the execution output', async () => {
    const run = await h.run(
      machine('Gate', {
        Gate: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.ok %}', Next: 'Done' }], Default: 'Other' },
        Done: { Type: 'Succeed', Output: { finished: '{% $states.input.ok %}' } },
        Other: { Type: 'Pass', End: true },
      }),
      { ok: true },
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ finished: true });
  });
});
