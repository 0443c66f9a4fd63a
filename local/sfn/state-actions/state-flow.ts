/**
 * How a state is entered and left, shared by every state action: the cursor a state starts with, the
 * `$states` bindings its expressions see, evaluating Output and Assign, and the move to Next (or the
 * end of the run). AWS evaluates Output and Assign after the state's work, both against the same
 * bindings, and the assignments only take effect once the state exits.
 */
import type { StateDef } from '../definition.ts';
import type { EngineCore } from '../engine-core.ts';
import type { Cursor, LiveExecution, Run } from '../engine-model.ts';
import { stateEntered, stateExited } from '../history-events.ts';
import { QueryEvaluationError, type Bindings } from '../jsonata-eval.ts';
import type { TransitionBatch } from '../transition-batch.ts';

/** States whose Output defaults to `$states.result` rather than the state's input. */
const RESULT_STATES = new Set(['Task', 'Parallel', 'Map']);

export interface BindingExtras {
  readonly result?: unknown;
  readonly errorOutput?: unknown;
  readonly token?: string;
  readonly item?: { Index: number; Value: unknown };
}

export function enterCursor(nowMs: number, state: string, input: unknown): Cursor {
  return { state, input, enteredMs: nowMs, retries: [], retryCount: 0, phase: 'enter' };
}

/** Starts a state: its *StateEntered event (whose id AWS quotes in causes) and a billed transition. */
export function enterState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
): void {
  const c = run.cursor;
  c.enteredMs = core.clock.nowMs();
  c.retries = [];
  c.retryCount = 0;
  c.enteredEventId = core.record(batch, exec, stateEntered(state.Type, c.state, c.input));
  core.countTransition(batch, exec);
  c.phase = 'attempt';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Variables are visible from the run and every enclosing Map or Parallel scope, inner ones winning. */
function visibleVariables(core: EngineCore, run: Run): Record<string, unknown> {
  if (run.parentId === null) return run.vars;
  const chain: Run[] = [];
  for (let r: Run | undefined = run; r !== undefined; r = r.parentId === null ? undefined : core.runs.get(r.parentId))
    chain.push(r);
  const merged: Record<string, unknown> = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(merged, (chain[i] as Run).vars);
  return merged;
}

export function bindings(core: EngineCore, exec: LiveExecution, run: Run, extra: BindingExtras = {}): Bindings {
  const c = run.cursor;
  const stateContext: Record<string, unknown> = { EnteredTime: iso(c.enteredMs), Name: c.state };
  // AWS gives RetryCount in the context of Task states only.
  if (core.stateOf(exec, run).Type === 'Task') stateContext.RetryCount = c.retryCount;
  const context: Record<string, unknown> = {
    Execution: {
      Id: exec.arn,
      Input: exec.input,
      Name: exec.name,
      RoleArn: exec.roleArn,
      StartTime: iso(exec.startMs),
      RedriveCount: 0,
    },
    State: stateContext,
    StateMachine: { Id: exec.smArn, Name: exec.smName },
  };
  if (extra.token !== undefined) context.Task = { Token: extra.token };
  if (extra.item !== undefined) context.Map = { Item: extra.item };
  const states: Record<string, unknown> = { input: c.input, context };
  if ('result' in extra) states.result = extra.result;
  if ('errorOutput' in extra) states.errorOutput = extra.errorOutput;
  return { ...visibleVariables(core, run), states };
}

/** `prefix` names the Choice rule or catcher holding the Assign (`Choices[0]/`, `Catch[1]/`), '' for the state's own. */
export async function evaluateAssign(
  core: EngineCore,
  assign: Record<string, unknown> | undefined,
  scope: Bindings,
  prefix: string,
): Promise<Record<string, unknown> | undefined> {
  if (assign === undefined) return undefined;
  const out: Record<string, unknown> = {};
  // Every assignment of a state reads the variables as they were before the state: evaluate all, then apply.
  for (const [name, template] of Object.entries(assign))
    out[name] = await core.evaluator.evaluate(template, scope, `${prefix}Assign/${name}`);
  return out;
}

export async function evaluateNumber(
  core: EngineCore,
  value: number | string | undefined,
  scope: Bindings,
  field: string,
  min: number,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : await core.evaluator.evaluate(value, scope, field);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new QueryEvaluationError(
      `The JSONata expression '${String(value)}' specified for the field '${field}' must evaluate to an integer >= ${min}, but returned ${JSON.stringify(n)}.`,
      field,
    );
  }
  return n;
}

/** A state finished its work with `result`: evaluate Output and Assign, then move on. */
export async function completeState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
  result: unknown,
): Promise<void> {
  const hasResult = RESULT_STATES.has(state.Type);
  const scope = hasResult ? bindings(core, exec, run, { result }) : bindings(core, exec, run);
  const fallback = hasResult ? result : run.cursor.input;
  const output = state.Output === undefined ? fallback : await core.evaluator.evaluate(state.Output, scope, 'Output');
  const assigned = await evaluateAssign(core, state.Assign, scope, '');
  exitState(core, batch, exec, run, state, output, assigned, state.End === true ? undefined : state.Next);
}

/** Leaves the state: apply the assignments, write *StateExited, and enter `next` or end the run. */
export function exitState(
  core: EngineCore,
  batch: TransitionBatch,
  exec: LiveExecution,
  run: Run,
  state: StateDef,
  output: unknown,
  assigned: Record<string, unknown> | undefined,
  next: string | undefined,
): void {
  if (assigned !== undefined) run.vars = { ...run.vars, ...assigned };
  core.record(batch, exec, stateExited(state.Type, run.cursor.state, output, assigned));
  if (next === undefined) {
    core.finishRun(batch, exec, run, 'SUCCEEDED', { output });
    return;
  }
  run.cursor = enterCursor(core.clock.nowMs(), next, output);
  batch.schedule(run);
}
