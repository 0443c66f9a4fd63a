/**
 * What happens when a state fails: a state action's error becomes an ASL error (an evaluation failure
 * is recorded first, with AWS's cause), then Retry ("any appropriate retriers first"), then Catch,
 * then the run fails with the error. A catcher whose own Output or Assign fails is not caught again.
 */
import type { Catcher, StateDef } from './definition.ts';
import type { EngineCore } from './engine-core.ts';
import { StateFailure, type LiveExecution, type Run } from './engine-model.ts';
import { errorMatches, maxAttempts, retryDelayMs } from './error-policy.ts';
import { evaluationFailed } from './history-events.ts';
import { QueryEvaluationError } from './jsonata-eval.ts';
import { bindings, evaluateAssign, exitState } from './state-actions/state-flow.ts';
import type { TransitionBatch } from './transition-batch.ts';

/** Runs a state action; an error it raises goes to Retry and Catch. */
export async function guarded(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof StateFailure) return handleError(core, batch, exec, run, state, error.error, error.cause);
    if (error instanceof QueryEvaluationError) {
      return handleError(
        core,
        batch,
        exec,
        run,
        state,
        'States.QueryEvaluationError',
        recordEvaluationFailure(core, batch, exec, run, error),
      );
    }
    throw error;
  }
}

/** AWS prefixes the cause with the state and its entered event, and records the field that failed. */
export function recordEvaluationFailure(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  error: QueryEvaluationError,
): string {
  const c = run.cursor;
  const cause = `An error occurred while executing the state '${c.state}' (entered at the event id #${c.enteredEventId ?? 0}). ${error.message}`;
  core.record(batch, exec, evaluationFailed(c.state, cause, error.location));
  return cause;
}

export async function handleError(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
  error: string,
  cause: string | undefined,
): Promise<void> {
  const c = run.cursor;
  delete c.result;
  delete c.taskId;
  if (retry(core, batch, exec, run, state, error)) return;
  const catchIndex = state.Catch?.findIndex((k) => errorMatches(k.ErrorEquals, error)) ?? -1;
  const catcher: Catcher | undefined = state.Catch?.[catchIndex];
  if (catcher === undefined) {
    core.finishRun(batch, exec, run, 'FAILED', { error, cause });
    return;
  }
  const errorOutput: Record<string, string> = cause === undefined ? { Error: error } : { Error: error, Cause: cause };
  const scope = bindings(core, exec, run, { errorOutput });
  try {
    const output =
      catcher.Output === undefined
        ? errorOutput
        : await core.evaluator.evaluate(catcher.Output, scope, `Catch[${catchIndex}]/Output`);
    const assigned = await evaluateAssign(core, catcher.Assign, scope, `Catch[${catchIndex}]/`);
    exitState(core, batch, exec, run, state, output, assigned, catcher.Next);
  } catch (e) {
    if (!(e instanceof QueryEvaluationError)) throw e;
    core.finishRun(batch, exec, run, 'FAILED', {
      error: 'States.QueryEvaluationError',
      cause: recordEvaluationFailure(core, batch, exec, run, e),
    });
  }
}

/** true when a retrier takes the error: the state runs again, now or after its delay. */
function retry(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
  error: string,
): boolean {
  const c = run.cursor;
  const index = state.Retry?.findIndex((r) => errorMatches(r.ErrorEquals, error)) ?? -1;
  const retrier = state.Retry?.[index];
  if (retrier === undefined) return false;
  const attempts = c.retries[index] ?? 0;
  if (attempts >= maxAttempts(retrier)) return false;
  c.retries[index] = attempts + 1;
  c.retryCount++;
  delete c.error;
  delete c.cause;
  // AWS bills a retry as a state transition.
  core.countTransition(batch, exec);
  const delay = retryDelayMs(retrier, attempts, Math.random);
  if (delay <= 0) {
    c.phase = 'attempt';
    batch.schedule(run);
  } else {
    c.phase = 'waiting';
    core.addTimer(batch, exec, core.clock.nowMs() + delay, 'retry', run.id, null);
  }
  return true;
}
