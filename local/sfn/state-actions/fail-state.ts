/**
 * Fail: ends its run with Error and Cause. One left out stays out of DescribeExecution and the
 * history, as on AWS (no empty string stands in for it). Fail has no Retry or Catch.
 */
import type { StateDef } from '../definition.ts';
import type { EngineCore } from '../engine-core.ts';
import type { LiveExecution, Run } from '../engine-model.ts';
import type { TransitionBatch } from '../transition-batch.ts';
import { bindings } from './state-flow.ts';

export async function runFailState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  const scope = bindings(core, exec, run);
  const error =
    state.Error === undefined ? undefined : String(await core.evaluator.evaluate(state.Error, scope, 'Error'));
  const cause =
    state.Cause === undefined ? undefined : String(await core.evaluator.evaluate(state.Cause, scope, 'Cause'));
  core.finishRun(batch, exec, run, 'FAILED', { error, cause });
}
