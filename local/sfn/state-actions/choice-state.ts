/**
 * Choice: the first rule whose Condition is true wins; later Conditions are never evaluated. A matched
 * rule's own Output and Assign replace the state's (named `Choices[i]/...` in a cause); with no match,
 * Default, or States.NoChoiceMatched.
 */
import type { StateDef } from '../definition.ts';
import type { EngineCore } from '../engine-core.ts';
import { StateFailure, type LiveExecution, type Run } from '../engine-model.ts';
import { QueryEvaluationError } from '../jsonata-eval.ts';
import type { TransitionBatch } from '../transition-batch.ts';
import { bindings, evaluateAssign, exitState } from './state-flow.ts';

export async function runChoiceState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  const c = run.cursor;
  const scope = bindings(core, exec, run);
  for (const [i, rule] of (state.Choices ?? []).entries()) {
    const field = `Choices[${i}]/Condition`;
    const matched = await core.evaluator.evaluate(rule.Condition, scope, field);
    if (typeof matched !== 'boolean') {
      throw new QueryEvaluationError(
        `The JSONata expression '${String(rule.Condition)}' specified for the field '${field}' must evaluate to a boolean, but returned ${JSON.stringify(matched)}.`,
        field,
      );
    }
    if (!matched) continue;
    const output =
      rule.Output !== undefined
        ? await core.evaluator.evaluate(rule.Output, scope, `Choices[${i}]/Output`)
        : state.Output !== undefined
          ? await core.evaluator.evaluate(state.Output, scope, 'Output')
          : c.input;
    const assigned =
      rule.Assign !== undefined
        ? await evaluateAssign(core, rule.Assign, scope, `Choices[${i}]/`)
        : await evaluateAssign(core, state.Assign, scope, '');
    exitState(core, batch, exec, run, state, output, assigned, rule.Next);
    return;
  }
  if (state.Default === undefined)
    throw new StateFailure(
      'States.NoChoiceMatched',
      `No Choice Rule matched in state '${c.state}' and no Default is set`,
    );
  const output = state.Output === undefined ? c.input : await core.evaluator.evaluate(state.Output, scope, 'Output');
  const assigned = await evaluateAssign(core, state.Assign, scope, '');
  exitState(core, batch, exec, run, state, output, assigned, state.Default);
}
