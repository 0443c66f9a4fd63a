/**
 * Parallel branches and Map iterations: each is a child run of the state's run, with its own cursor
 * and variables. The state waits until every child succeeded (its result is their outputs, in order)
 * or one failed (the others stop, and the state fails with that child's error). A Map launches at
 * most MaxConcurrency iterations at a time.
 */
import type { ScopePath, StateDef } from './definition.ts';
import type { EngineCore, RunEnd } from './engine-core.ts';
import type { LiveExecution, Run } from './engine-model.ts';
import { branchesEnded, mapIteration, mapStateStarted, parallelStateStarted } from './history-events.ts';
import { QueryEvaluationError } from './jsonata-eval.ts';
import { handleError, recordEvaluationFailure } from './retry-catch.ts';
import { bindings, completeState, enterCursor, evaluateNumber } from './state-actions/state-flow.ts';
import type { TransitionBatch } from './transition-batch.ts';

function newChildRun(
  core: EngineCore,
  exec: LiveExecution,
  parent: Run,
  scope: ScopePath,
  idx: number,
  startAt: string,
  input: unknown,
  status: 'RUNNING' | 'PENDING',
): Run {
  const child: Run = {
    id: core.nextRunId(),
    executionArn: exec.arn,
    parentId: parent.id,
    scope,
    idx,
    status,
    cursor: enterCursor(core.clock.nowMs(), startAt, input),
    vars: {},
    queued: false,
  };
  core.runs.set(child.id, child);
  return child;
}

export async function startBranches(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  const c = run.cursor;
  const input =
    state.Arguments === undefined
      ? c.input
      : await core.evaluator.evaluate(state.Arguments, bindings(core, exec, run), 'Arguments');
  const branches = state.Branches ?? [];
  core.record(batch, exec, parallelStateStarted());
  c.phase = 'waiting';
  c.remaining = branches.length;
  c.total = branches.length;
  branches.forEach((branch, i) => {
    batch.schedule(newChildRun(core, exec, run, [...run.scope, [c.state, i]], i, branch.StartAt, input, 'RUNNING'));
  });
}

export async function startIterations(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  let selected: unknown[];
  let concurrency: number;
  try {
    ({ selected, concurrency } = await selectItems(core, batch, exec, run, state));
  } catch (error) {
    if (!(error instanceof QueryEvaluationError)) throw error;
    // A Map whose own fields fail is a failed Map: MapStateFailed follows the evaluation failure.
    const cause = recordEvaluationFailure(core, batch, exec, run, error);
    core.record(batch, exec, branchesEnded('Map', 'Failed'));
    return handleError(core, batch, exec, run, state, 'States.QueryEvaluationError', cause);
  }
  if (selected.length === 0) {
    core.record(batch, exec, branchesEnded('Map', 'Succeeded'));
    return completeState(core, batch, exec, run, state, []);
  }
  const c = run.cursor;
  const limit = concurrency === 0 ? selected.length : Math.min(concurrency, selected.length);
  c.phase = 'waiting';
  c.remaining = selected.length;
  c.total = selected.length;
  c.nextIdx = limit;
  const processor = state.ItemProcessor;
  if (processor === undefined) throw new Error(`Map state '${c.state}' has no ItemProcessor`);
  selected.forEach((item, i) => {
    const child = newChildRun(
      core,
      exec,
      run,
      [...run.scope, [c.state, -1]],
      i,
      processor.StartAt,
      item,
      i < limit ? 'RUNNING' : 'PENDING',
    );
    batch.touch(child);
    if (i < limit) launchIteration(core, batch, exec, child, c.state);
  });
}

/** Items, MaxConcurrency, then (once the Map has started) each item through ItemSelector. */
async function selectItems(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<{ selected: unknown[]; concurrency: number }> {
  const scope = bindings(core, exec, run);
  const items =
    state.Items === undefined ? run.cursor.input : await core.evaluator.evaluate(state.Items, scope, 'Items');
  if (!Array.isArray(items))
    throw new QueryEvaluationError(
      `The field 'Items' must evaluate to a JSON array, but was ${JSON.stringify(items)}.`,
      'Items',
    );
  const concurrency = (await evaluateNumber(core, state.MaxConcurrency, scope, 'MaxConcurrency', 0)) ?? 0;
  core.record(batch, exec, mapStateStarted(items.length));
  const selected: unknown[] = [];
  for (const [index, value] of items.entries()) {
    selected.push(
      state.ItemSelector === undefined
        ? value
        : await core.evaluator.evaluate(
            state.ItemSelector,
            bindings(core, exec, run, { item: { Index: index, Value: value } }),
            'ItemSelector',
          ),
    );
  }
  return { selected, concurrency };
}

function launchIteration(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  child: Run,
  mapState: string,
): void {
  child.status = 'RUNNING';
  child.cursor.enteredMs = core.clock.nowMs();
  core.record(batch, exec, mapIteration('Started', mapState, child.idx));
  batch.schedule(child);
}

/** Every child succeeded: the state's result is their outputs, in order. */
export async function branchesSucceeded(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): Promise<void> {
  const result = core.repo
    .childOutputs(run.id)
    .map((output) => (output === null ? null : (JSON.parse(output) as unknown)));
  core.record(batch, exec, branchesEnded(state.Type === 'Map' ? 'Map' : 'Parallel', 'Succeeded'));
  dropChildren(core, batch, run);
  await completeState(core, batch, exec, run, state, result);
}

/** A branch or iteration ended: count it, launch the next waiting iteration, or fail the parent state. */
export function childRunEnded(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  status: 'SUCCEEDED' | 'FAILED',
  end: RunEnd,
): void {
  const parent = run.parentId === null ? undefined : core.runs.get(run.parentId);
  if (parent === undefined) return;
  batch.touch(parent);
  const isMap = core.stateOf(exec, parent).Type === 'Map';
  const pc = parent.cursor;
  if (isMap) core.record(batch, exec, mapIteration(status === 'SUCCEEDED' ? 'Succeeded' : 'Failed', pc.state, run.idx));
  if (status === 'SUCCEEDED') {
    pc.remaining = (pc.remaining ?? 1) - 1;
    if (isMap && (pc.nextIdx ?? 0) < (pc.total ?? 0)) {
      const nextIdx = pc.nextIdx ?? 0;
      pc.nextIdx = nextIdx + 1;
      for (const sibling of core.runs.values()) {
        if (sibling.parentId === parent.id && sibling.idx === nextIdx && sibling.status === 'PENDING') {
          launchIteration(core, batch, exec, sibling, pc.state);
          break;
        }
      }
    }
    if (pc.remaining === 0) {
      pc.phase = 'children-done';
      batch.schedule(parent);
    }
    return;
  }
  // One failed branch or iteration fails the whole Parallel or Map state; the others stop.
  for (const sibling of [...core.runs.values()])
    if (sibling.parentId === parent.id) abortRun(core, batch, exec, sibling, true);
  core.record(batch, exec, branchesEnded(isMap ? 'Map' : 'Parallel', 'Failed'));
  pc.phase = 'error';
  pc.error = end.error ?? 'States.Runtime';
  pc.cause = end.cause;
  batch.schedule(parent);
}

/** Stops a run and everything under it (its tasks, timers, child runs). */
export function abortRun(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  withEvents: boolean,
): void {
  if (run.status !== 'RUNNING' && run.status !== 'PENDING') return;
  for (const child of [...core.runs.values()])
    if (child.parentId === run.id) abortRun(core, batch, exec, child, withEvents);
  core.closeTasksOfRun(batch, exec, run.id);
  const wasRunning = run.status === 'RUNNING';
  run.status = 'ABORTED';
  core.runs.delete(run.id);
  batch.touch(run);
  batch.write(() => core.repo.deleteTimersOfRun(run.id));
  if (withEvents && wasRunning && run.parentId !== null) {
    const parent = core.runs.get(run.parentId);
    if (parent !== undefined && core.stateOf(exec, parent).Type === 'Map')
      core.record(batch, exec, mapIteration('Aborted', parent.cursor.state, run.idx));
  }
}

/** Finished branches and iterations have handed their outputs to the parent state; their rows can go. */
export function dropChildren(core: EngineCore, batch: TransitionBatch, run: Run): void {
  batch.write(() => core.repo.deleteDescendantRuns(run.id));
}
