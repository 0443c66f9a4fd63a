/**
 * Wait: Seconds from now, or until a Timestamp (an ISO-8601 extended offset date-time, as AWS
 * requires), on the virtual clock. A time already past does not wait at all.
 */
import type { StateDef } from '../definition.ts';
import type { EngineCore } from '../engine-core.ts';
import type { LiveExecution, Run } from '../engine-model.ts';
import { QueryEvaluationError } from '../jsonata-eval.ts';
import { parseOffsetDateTime } from '../offset-date-time.ts';
import type { TransitionBatch } from '../transition-batch.ts';
import { bindings, completeState, evaluateNumber } from './state-flow.ts';

export async function runWaitState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  const scope = bindings(core, exec, run);
  let due: number;
  if (state.Seconds !== undefined) {
    due = core.clock.nowMs() + ((await evaluateNumber(core, state.Seconds, scope, 'Seconds', 0)) ?? 0) * 1000;
  } else {
    const stamp = await core.evaluator.evaluate(state.Timestamp, scope, 'Timestamp');
    due = parseOffsetDateTime(stamp);
    if (Number.isNaN(due)) {
      throw new QueryEvaluationError(
        `The JSONata expression '${String(state.Timestamp)}' specified for the field 'Timestamp' returned ${JSON.stringify(stamp)}, which is not an ISO-8601 extended offset date-time.`,
        'Timestamp',
      );
    }
  }
  if (due <= core.clock.nowMs()) return completeState(core, batch, exec, run, state, undefined);
  run.cursor.phase = 'waiting';
  core.addTimer(batch, exec, due, 'wait', run.id, null);
}
