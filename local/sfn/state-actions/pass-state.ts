/** Pass: no work; its output is its Output, or its input. */
import type { StateDef } from '../definition.ts';
import type { EngineCore } from '../engine-core.ts';
import type { LiveExecution, Run } from '../engine-model.ts';
import type { TransitionBatch } from '../transition-batch.ts';
import { completeState } from './state-flow.ts';

export function runPassState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  return completeState(core, batch, exec, run, state, undefined);
}
