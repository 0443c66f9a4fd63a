/** Succeed: ends its run (the execution, a branch or an iteration) with its Output, or its input. */
import type { StateDef } from '../definition.ts';
import type { EngineCore } from '../engine-core.ts';
import type { LiveExecution, Run } from '../engine-model.ts';
import { stateExited } from '../history-events.ts';
import type { TransitionBatch } from '../transition-batch.ts';
import { bindings } from './state-flow.ts';

export async function runSucceedState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  const c = run.cursor;
  const output =
    state.Output === undefined
      ? c.input
      : await core.evaluator.evaluate(state.Output, bindings(core, exec, run), 'Output');
  core.record(batch, exec, stateExited('Succeed', c.state, output));
  core.finishRun(batch, exec, run, 'SUCCEEDED', { output });
}
