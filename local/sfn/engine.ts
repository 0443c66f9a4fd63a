/**
 * The interpreter: runs JSONata-mode state machines one transition at a time, each committed to
 * SQLite before the next begins, on a virtual clock. All mutations go through one serial queue, so a
 * callback, a timer and a state's own progress never interleave inside a transition.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { executionArn as buildExecutionArn, type ArnContext } from './arns.ts';
import { SfnServiceError, type ChildStartAuthorizer, type EngineUsage, type LambdaRegistry, type UsageCounts } from './contract.ts';
import { resolveScope, type Catcher, type Definition, type ScopePath, type StateDef } from './definition.ts';
import {
  StateFailure,
  type Cursor,
  type LiveExecution,
  type OpenTask,
  type Run,
  type RunStatus,
  type TaskRequest,
} from './engine-model.ts';
import { errorMatches, maxAttempts, retryDelayMs } from './error-policy.ts';
import { QueryEvaluationError, TemplateEvaluator, type Bindings } from './jsonata-eval.ts';
import type { EngineStore, ExecutionRow, RunRow, TaskRow, TimerRow } from './store.ts';
import { classifyResource, historyResource, type TaskResource } from './task-resources.ts';
import { TransitionBatch } from './transition-batch.ts';
import type { VirtualClock } from './virtual-clock.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{64}$/;
const RESULT_STATES = new Set(['Task', 'Parallel', 'Map']);

export interface EngineOptions {
  readonly store: EngineStore;
  readonly lambdas: LambdaRegistry;
  readonly authorizeChildStart?: ChildStartAuthorizer;
  readonly clock: VirtualClock;
  readonly arns: ArnContext;
}

type ExecutionEnd =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED' | 'ABORTED' | 'TIMED_OUT'; error?: string; cause?: string };

type InvokeOutcome = { ok: true; value: unknown } | { ok: false; error: string; cause: string };

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Engine {
  readonly store: EngineStore;
  readonly clock: VirtualClock;
  private readonly lambdas: LambdaRegistry;
  private readonly authorizeChildStart: ChildStartAuthorizer | undefined;
  private readonly arns: ArnContext;
  private readonly evaluator: TemplateEvaluator;
  private readonly executions = new Map<string, LiveExecution>();
  private readonly runs = new Map<number, Run>();
  private readonly tasks = new Map<number, OpenTask>();
  private readonly tokens = new Map<string, number>();
  private readonly usageByExecution = new Map<string, UsageCounts>();
  private readonly definitions = new Map<string, Definition>();
  private readonly jobs: (() => Promise<void> | void)[] = [];
  private readyRuns: Run[] = [];
  private readyHead = 0;
  private pumping = false;
  private pumpDone: Promise<void> = Promise.resolve();
  private inflight = 0;
  private settleWaiters: (() => void)[] = [];
  private nextRunId: number;
  private nextTaskId: number;
  private nextTimerId: number;
  private nextExecutionSeq: number;
  private closed = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.lambdas = options.lambdas;
    this.authorizeChildStart = options.authorizeChildStart;
    this.arns = options.arns;
    this.evaluator = new TemplateEvaluator(() => this.clock.nowMs());
    this.nextRunId = this.store.maxId('runs');
    this.nextTaskId = this.store.maxId('tasks');
    this.nextTimerId = this.store.maxId('timers');
    this.nextExecutionSeq = (this.store.sql('SELECT COALESCE(MAX(seq), 0) AS m FROM executions').get() as { m: number }).m;
  }

  // ---------------------------------------------------------------- recovery

  /** Rebuilds the live state from the file and resumes every execution where it stood. */
  resume(): void {
    const s = this.store;
    for (const row of s.sql('SELECT * FROM usage').all() as unknown as { execution_arn: string; transitions: number; invocations: number; duration_ms: number }[]) {
      this.usageByExecution.set(row.execution_arn, {
        stateTransitions: row.transitions,
        lambdaInvocations: row.invocations,
        lambdaDurationMs: row.duration_ms,
      });
    }
    for (const row of s.sql("SELECT * FROM executions WHERE status = 'RUNNING'").all() as unknown as ExecutionRow[]) {
      const last = s.sql('SELECT COALESCE(MAX(id), 0) AS m FROM events WHERE execution_arn = ?').get(row.arn) as { m: number };
      this.executions.set(row.arn, {
        arn: row.arn,
        smArn: row.sm_arn,
        smName: row.sm_name,
        name: row.name,
        roleArn: row.role_arn,
        input: JSON.parse(row.input) as unknown,
        inputText: row.input,
        startMs: row.start_ms,
        definition: this.parsedDefinition(row.definition),
        rootRunId: row.root_run,
        parentTaskId: row.parent_task,
        nextEventId: last.m + 1,
      });
    }
    for (const row of s.sql("SELECT * FROM runs WHERE status IN ('RUNNING', 'PENDING') ORDER BY id").all() as unknown as RunRow[]) {
      const run: Run = {
        id: row.id,
        executionArn: row.execution_arn,
        parentId: row.parent_id,
        scope: JSON.parse(row.scope) as ScopePath,
        idx: row.idx,
        status: row.status as RunStatus,
        cursor: JSON.parse(row.cursor) as Cursor,
        vars: JSON.parse(row.vars) as Record<string, unknown>,
        queued: false,
      };
      this.runs.set(run.id, run);
      if (run.status === 'RUNNING' && run.cursor.phase !== 'waiting') this.enqueueRun(run);
    }
    const pendingInvokes: OpenTask[] = [];
    for (const row of s.sql("SELECT * FROM tasks WHERE status = 'RUNNING'").all() as unknown as TaskRow[]) {
      const kind = classifyResource(row.resource);
      if (kind === undefined) continue;
      const task: OpenTask = {
        id: row.id,
        token: row.token,
        runId: row.run_id,
        executionArn: row.execution_arn,
        stateName: row.state_name,
        resource: row.resource,
        kind,
        request: JSON.parse(row.request) as TaskRequest,
        childArn: row.child_arn,
        heartbeatSeconds: row.heartbeat_seconds,
        invokePending: row.invoke_pending === 1,
      };
      this.tasks.set(task.id, task);
      if (task.token !== null) this.tokens.set(task.token, task.id);
      // At-least-once, like AWS: a call cut off by the crash is made again.
      if (task.invokePending) pendingInvokes.push(task);
    }
    for (const task of pendingInvokes) this.invoke(task);
    this.kick();
  }

  /** Stored definitions passed CreateStateMachine's checks already; parsing is enough. */
  parsedDefinition(text: string): Definition {
    let definition = this.definitions.get(text);
    if (definition === undefined) {
      definition = JSON.parse(text) as Definition;
      this.definitions.set(text, definition);
    }
    return definition;
  }

  // ---------------------------------------------------------------- the serial queue

  /** Runs `work` alone on the engine's queue (no transition in between) and returns its result. */
  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new SfnServiceError('ServiceUnavailable', 'the local Step Functions engine is closed'));
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(async () => {
        try {
          resolve(await work());
        } catch (error) {
          reject(error as Error);
        }
      });
      this.kick();
    });
  }

  private enqueueRun(run: Run): void {
    if (run.queued) return;
    run.queued = true;
    this.readyRuns.push(run);
  }

  private kick(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    this.pumpDone = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (!this.closed) {
        const job = this.jobs.shift();
        if (job !== undefined) {
          await job();
          continue;
        }
        if (this.readyHead < this.readyRuns.length) {
          const run = this.readyRuns[this.readyHead++] as Run;
          if (this.readyHead > 1024 && this.readyHead * 2 > this.readyRuns.length) {
            this.readyRuns = this.readyRuns.slice(this.readyHead);
            this.readyHead = 0;
          }
          run.queued = false;
          await this.step(run);
          continue;
        }
        break;
      }
    } finally {
      this.pumping = false;
      this.notifyIfSettled();
    }
  }

  private isSettled(): boolean {
    return !this.pumping && this.jobs.length === 0 && this.readyHead >= this.readyRuns.length && this.inflight === 0;
  }

  private notifyIfSettled(): void {
    if (!this.isSettled()) return;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  settle(): Promise<void> {
    if (this.isSettled() || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  /** Stops taking work; the transition under way (if any) commits before the file closes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pumpDone;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // ---------------------------------------------------------------- commit

  private commit(batch: TransitionBatch): void {
    const s = this.store;
    s.transaction(() => {
      for (const write of batch.writes) write();
      const upsertRun = s.sql(
        `INSERT INTO runs (id, execution_arn, parent_id, scope, idx, status, cursor, vars, output, error, cause)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, cursor = excluded.cursor, vars = excluded.vars,
           output = excluded.output, error = excluded.error, cause = excluded.cause`,
      );
      for (const run of batch.runs) {
        upsertRun.run(
          run.id, run.executionArn, run.parentId, JSON.stringify(run.scope), run.idx, run.status,
          JSON.stringify(run.cursor), JSON.stringify(run.vars), run.output ?? null, run.error ?? null, run.cause ?? null,
        );
      }
      const upsertUsage = s.sql(
        `INSERT INTO usage (execution_arn, transitions, invocations, duration_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (execution_arn) DO UPDATE SET transitions = excluded.transitions,
           invocations = excluded.invocations, duration_ms = excluded.duration_ms`,
      );
      for (const arn of batch.usage) {
        const u = this.usageByExecution.get(arn);
        if (u !== undefined) upsertUsage.run(arn, u.stateTransitions, u.lambdaInvocations, u.lambdaDurationMs);
      }
    });
    for (const run of batch.ready) if (run.status === 'RUNNING') this.enqueueRun(run);
    for (const after of batch.after) after();
  }

  private event(batch: TransitionBatch, exec: LiveExecution, type: string, details?: Record<string, unknown>): void {
    const id = exec.nextEventId++;
    const ts = this.clock.nowMs();
    const body = details === undefined ? null : JSON.stringify(details);
    batch.write(() => {
      this.store.sql('INSERT INTO events (execution_arn, id, ts_ms, type, details) VALUES (?, ?, ?, ?, ?)').run(exec.arn, id, ts, type, body);
    });
  }

  private usageOf(arn: string): UsageCounts {
    let u = this.usageByExecution.get(arn);
    if (u === undefined) {
      u = { stateTransitions: 0, lambdaInvocations: 0, lambdaDurationMs: 0 };
      this.usageByExecution.set(arn, u);
    }
    return u;
  }

  private countTransition(batch: TransitionBatch, exec: LiveExecution): void {
    this.usageOf(exec.arn).stateTransitions++;
    batch.usage.add(exec.arn);
  }

  usage(): EngineUsage {
    const total: UsageCounts = { stateTransitions: 0, lambdaInvocations: 0, lambdaDurationMs: 0 };
    const byExecution: Record<string, UsageCounts> = {};
    for (const [arn, u] of this.usageByExecution) {
      byExecution[arn] = { ...u };
      total.stateTransitions += u.stateTransitions;
      total.lambdaInvocations += u.lambdaInvocations;
      total.lambdaDurationMs += u.lambdaDurationMs;
    }
    return { total, byExecution };
  }

  private addTimer(batch: TransitionBatch, exec: LiveExecution, dueMs: number, kind: string, runId: number | null, taskId: number | null): void {
    const id = ++this.nextTimerId;
    batch.write(() => {
      this.store.sql('INSERT INTO timers (id, due_ms, kind, run_id, task_id, execution_arn) VALUES (?, ?, ?, ?, ?, ?)').run(id, dueMs, kind, runId, taskId, exec.arn);
    });
  }

  // ---------------------------------------------------------------- executions

  /** Starts an execution inside `batch`; idempotent for a running execution with the same name and input. */
  startExecution(
    batch: TransitionBatch,
    request: { stateMachineArn: string; name: string; input: string; parentTaskId: number | null },
  ): { executionArn: string; startMs: number } {
    const s = this.store;
    const sm = s.sql('SELECT arn, name, definition, role_arn FROM state_machines WHERE arn = ?').get(request.stateMachineArn) as
      | { arn: string; name: string; definition: string; role_arn: string }
      | undefined;
    if (sm === undefined) throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${request.stateMachineArn}'`);
    const arn = buildExecutionArn(this.arns, sm.name, request.name);
    const existing = s.sql('SELECT status, input, start_ms FROM executions WHERE arn = ?').get(arn) as
      | { status: string; input: string; start_ms: number }
      | undefined;
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === request.input) return { executionArn: arn, startMs: existing.start_ms };
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const definition = this.parsedDefinition(sm.definition);
    const startMs = this.clock.nowMs();
    const input = JSON.parse(request.input) as unknown;
    const rootRunId = ++this.nextRunId;
    const exec: LiveExecution = {
      arn,
      smArn: sm.arn,
      smName: sm.name,
      name: request.name,
      roleArn: sm.role_arn,
      input,
      inputText: request.input,
      startMs,
      definition,
      rootRunId,
      parentTaskId: request.parentTaskId,
      nextEventId: 1,
    };
    this.executions.set(arn, exec);
    const seq = ++this.nextExecutionSeq;
    batch.write(() => {
      s.sql(
        `INSERT INTO executions (arn, sm_arn, sm_name, name, definition, role_arn, input, status, start_ms, root_run, parent_task, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?)`,
      ).run(arn, sm.arn, sm.name, request.name, sm.definition, sm.role_arn, request.input, startMs, rootRunId, request.parentTaskId, seq);
    });
    const run: Run = {
      id: rootRunId,
      executionArn: arn,
      parentId: null,
      scope: [],
      idx: 0,
      status: 'RUNNING',
      cursor: this.enterCursor(definition.StartAt, input),
      vars: {},
      queued: false,
    };
    this.runs.set(run.id, run);
    batch.schedule(run);
    this.event(batch, exec, 'ExecutionStarted', {
      executionStartedEventDetails: { input: request.input, inputDetails: { truncated: false }, roleArn: sm.role_arn },
    });
    this.countTransition(batch, exec);
    if (definition.TimeoutSeconds !== undefined) this.addTimer(batch, exec, startMs + definition.TimeoutSeconds * 1000, 'exec-timeout', null, null);
    return { executionArn: arn, startMs };
  }

  startExecutionNow(request: { stateMachineArn: string; name: string; input: string }): Promise<{ executionArn: string; startMs: number }> {
    return this.exclusive(() => {
      const batch = new TransitionBatch();
      const started = this.startExecution(batch, { ...request, parentTaskId: null });
      this.commit(batch);
      return started;
    });
  }

  stopExecution(arn: string, error: string | undefined, cause: string | undefined): Promise<number> {
    return this.exclusive(() => {
      const exec = this.executions.get(arn);
      if (exec === undefined) {
        const row = this.store.sql('SELECT stop_ms FROM executions WHERE arn = ?').get(arn) as { stop_ms: number | null } | undefined;
        if (row === undefined) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
        return row.stop_ms ?? this.clock.nowMs();
      }
      const batch = new TransitionBatch();
      this.finishExecution(batch, exec, { status: 'ABORTED', error, cause });
      this.commit(batch);
      return this.clock.nowMs();
    });
  }

  private enterCursor(state: string, input: unknown): Cursor {
    return { state, input, enteredMs: this.clock.nowMs(), retries: [], retryCount: 0, phase: 'enter' };
  }

  private finishExecution(batch: TransitionBatch, exec: LiveExecution, end: ExecutionEnd): void {
    const now = this.clock.nowMs();
    for (const run of this.runs.values()) if (run.executionArn === exec.arn) this.abortRun(batch, exec, run, false);
    for (const task of [...this.tasks.values()]) if (task.executionArn === exec.arn) this.closeTask(batch, exec, task, 'ABORTED');
    batch.write(() => this.store.sql('DELETE FROM timers WHERE execution_arn = ?').run(exec.arn));
    this.executions.delete(exec.arn);
    const output = end.status === 'SUCCEEDED' ? end.output : null;
    const error = end.status === 'SUCCEEDED' ? null : (end.error ?? null);
    const cause = end.status === 'SUCCEEDED' ? null : (end.cause ?? null);
    batch.write(() => {
      this.store.sql('UPDATE executions SET status = ?, stop_ms = ?, output = ?, error = ?, cause = ? WHERE arn = ?').run(end.status, now, output, error, cause, exec.arn);
    });
    switch (end.status) {
      case 'SUCCEEDED':
        this.event(batch, exec, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: end.output, outputDetails: { truncated: false } } });
        break;
      case 'FAILED':
        this.event(batch, exec, 'ExecutionFailed', { executionFailedEventDetails: { error: end.error, cause: end.cause } });
        break;
      case 'ABORTED':
        this.event(batch, exec, 'ExecutionAborted', { executionAbortedEventDetails: { error: end.error, cause: end.cause } });
        break;
      case 'TIMED_OUT':
        this.event(batch, exec, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error: end.error, cause: end.cause } });
        break;
    }
    if (exec.parentTaskId !== null) this.notifyParentTask(batch, exec, end, now);
  }

  /** A `.sync` parent task completes with its child execution. */
  private notifyParentTask(batch: TransitionBatch, child: LiveExecution, end: ExecutionEnd, stopMs: number): void {
    const task = exec_task(this.tasks, child.parentTaskId);
    if (task === undefined || task.kind.kind !== 'start-execution') return;
    const mode = task.kind.mode;
    if (mode !== 'sync' && mode !== 'sync2') return;
    const parent = this.executions.get(task.executionArn);
    const run = this.runs.get(task.runId);
    if (parent === undefined || run === undefined) return;
    const structured = mode === 'sync2';
    const description: Record<string, unknown> = {
      ExecutionArn: child.arn,
      Input: structured ? child.input : child.inputText,
      InputDetails: { Included: true },
      Name: child.name,
      StartDate: child.startMs,
      StateMachineArn: child.smArn,
      Status: end.status,
      StopDate: stopMs,
    };
    if (end.status === 'SUCCEEDED') {
      description.Output = structured ? (JSON.parse(end.output) as unknown) : end.output;
      description.OutputDetails = { Included: true };
      this.succeedTask(batch, parent, run, task, description);
    } else {
      if (end.error !== undefined) description.Error = end.error;
      if (end.cause !== undefined) description.Cause = end.cause;
      this.failTask(batch, parent, run, task, 'States.TaskFailed', JSON.stringify(description), 'TaskFailed');
    }
  }

  // ---------------------------------------------------------------- stepping a run

  private async step(run: Run): Promise<void> {
    if (run.status !== 'RUNNING' || this.runs.get(run.id) !== run) return;
    const exec = this.executions.get(run.executionArn);
    if (exec === undefined) return;
    const batch = new TransitionBatch();
    try {
      await this.advance(batch, exec, run);
      this.commit(batch);
    } catch (error) {
      // Nothing in a definition should reach here; if it does, fail loudly rather than hang.
      if (!this.executions.has(exec.arn) || this.closed) return;
      try {
        const rescue = new TransitionBatch();
        this.finishExecution(rescue, exec, { status: 'FAILED', error: 'States.Runtime', cause: `local engine error: ${describeError(error)}` });
        this.commit(rescue);
      } catch (rescueError) {
        console.error(`local Step Functions: could not record the failure of ${exec.arn}:`, rescueError);
      }
    }
  }

  private stateOf(exec: LiveExecution, run: Run): StateDef {
    const state = resolveScope(exec.definition, run.scope).States[run.cursor.state];
    if (state === undefined) throw new Error(`state '${run.cursor.state}' is missing from the definition`);
    return state;
  }

  private async advance(batch: TransitionBatch, exec: LiveExecution, run: Run): Promise<void> {
    batch.touch(run);
    const state = this.stateOf(exec, run);
    const c = run.cursor;
    switch (c.phase) {
      case 'enter':
        c.enteredMs = this.clock.nowMs();
        c.retries = [];
        c.retryCount = 0;
        this.event(batch, exec, `${state.Type}StateEntered`, {
          stateEnteredEventDetails: { name: c.state, input: json(c.input), inputDetails: { truncated: false } },
        });
        this.countTransition(batch, exec);
        c.phase = 'attempt';
        await this.guarded(batch, exec, run, state, () => this.attempt(batch, exec, run, state));
        return;
      case 'attempt':
        await this.guarded(batch, exec, run, state, () => this.attempt(batch, exec, run, state));
        return;
      case 'complete':
        await this.guarded(batch, exec, run, state, () => this.complete(batch, exec, run, state, c.result));
        return;
      case 'children-done': {
        const rows = this.store.sql("SELECT output FROM runs WHERE parent_id = ? AND status = 'SUCCEEDED' ORDER BY idx").all(run.id) as { output: string | null }[];
        const result = rows.map((r) => (r.output === null ? null : (JSON.parse(r.output) as unknown)));
        this.event(batch, exec, state.Type === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded');
        this.dropChildren(batch, run);
        await this.guarded(batch, exec, run, state, () => this.complete(batch, exec, run, state, result));
        return;
      }
      case 'error':
        if (state.Type === 'Map' || state.Type === 'Parallel') this.dropChildren(batch, run);
        await this.handleError(batch, exec, run, state, c.error ?? 'States.Runtime', c.cause ?? '');
        return;
      case 'waiting':
        return;
    }
  }

  /** Runs a state action; a state-level error goes to Retry/Catch. */
  private async guarded(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (error instanceof StateFailure) return this.handleError(batch, exec, run, state, error.error, error.cause);
      if (error instanceof QueryEvaluationError) {
        this.event(batch, exec, 'EvaluationFailed', {
          evaluationFailedEventDetails: { error: 'States.QueryEvaluationError', cause: error.message, state: run.cursor.state },
        });
        return this.handleError(batch, exec, run, state, 'States.QueryEvaluationError', error.message);
      }
      throw error;
    }
  }

  private visibleVariables(run: Run): Record<string, unknown> {
    const chain: Run[] = [];
    for (let r: Run | undefined = run; r !== undefined; r = r.parentId === null ? undefined : this.runs.get(r.parentId)) chain.push(r);
    if (chain.length === 1) return run.vars;
    const merged: Record<string, unknown> = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(merged, (chain[i] as Run).vars);
    return merged;
  }

  private bindings(
    exec: LiveExecution,
    run: Run,
    extra: { result?: unknown; errorOutput?: unknown; token?: string; item?: { Index: number; Value: unknown } } = {},
  ): Bindings {
    const c = run.cursor;
    const context: Record<string, unknown> = {
      Execution: { Id: exec.arn, Input: exec.input, Name: exec.name, RoleArn: exec.roleArn, StartTime: iso(exec.startMs), RedriveCount: 0 },
      State: { EnteredTime: iso(c.enteredMs), Name: c.state, RetryCount: c.retryCount },
      StateMachine: { Id: exec.smArn, Name: exec.smName },
    };
    if (extra.token !== undefined) context.Task = { Token: extra.token };
    if (extra.item !== undefined) context.Map = { Item: extra.item };
    const states: Record<string, unknown> = { input: c.input, context };
    if ('result' in extra) states.result = extra.result;
    if ('errorOutput' in extra) states.errorOutput = extra.errorOutput;
    return { ...this.visibleVariables(run), states };
  }

  private async evaluateAssign(assign: Record<string, unknown> | undefined, bindings: Bindings, where: string): Promise<Record<string, unknown> | undefined> {
    if (assign === undefined) return undefined;
    const out: Record<string, unknown> = {};
    // Every assignment of a state reads the variables as they were before the state: evaluate all, then apply.
    for (const [name, template] of Object.entries(assign)) out[name] = await this.evaluator.evaluate(template, bindings, `${where}.Assign.${name}`);
    return out;
  }

  private async evaluateNumber(value: number | string | undefined, bindings: Bindings, field: string, min: number): Promise<number | undefined> {
    if (value === undefined) return undefined;
    const n = typeof value === 'number' ? value : await this.evaluator.evaluate(value, bindings, field);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
      throw new QueryEvaluationError(`field '${field}' must evaluate to an integer >= ${min}, got ${JSON.stringify(n)}`);
    }
    return n;
  }

  private async attempt(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef): Promise<void> {
    const c = run.cursor;
    switch (state.Type) {
      case 'Pass':
        return this.complete(batch, exec, run, state, undefined);
      case 'Choice':
        return this.choose(batch, exec, run, state);
      case 'Wait': {
        const bindings = this.bindings(exec, run);
        let due: number;
        if (state.Seconds !== undefined) {
          due = this.clock.nowMs() + ((await this.evaluateNumber(state.Seconds, bindings, `${c.state}.Seconds`, 0)) ?? 0) * 1000;
        } else {
          const stamp = await this.evaluator.evaluate(state.Timestamp, bindings, `${c.state}.Timestamp`);
          due = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
          if (Number.isNaN(due)) throw new QueryEvaluationError(`field '${c.state}.Timestamp' must be an ISO-8601 timestamp, got ${JSON.stringify(stamp)}`);
        }
        if (due <= this.clock.nowMs()) return this.complete(batch, exec, run, state, undefined);
        c.phase = 'waiting';
        this.addTimer(batch, exec, due, 'wait', run.id, null);
        return;
      }
      case 'Succeed': {
        const bindings = this.bindings(exec, run);
        const output = state.Output === undefined ? c.input : await this.evaluator.evaluate(state.Output, bindings, `${c.state}.Output`);
        this.event(batch, exec, 'SucceedStateExited', { stateExitedEventDetails: { name: c.state, output: json(output), outputDetails: { truncated: false } } });
        this.finishRun(batch, exec, run, 'SUCCEEDED', { output });
        return;
      }
      case 'Fail': {
        const bindings = this.bindings(exec, run);
        let error = state.Error;
        let cause = state.Cause;
        try {
          if (error !== undefined) error = String(await this.evaluator.evaluate(error, bindings, `${c.state}.Error`));
          if (cause !== undefined) cause = String(await this.evaluator.evaluate(cause, bindings, `${c.state}.Cause`));
        } catch (e) {
          if (!(e instanceof QueryEvaluationError)) throw e;
          this.finishRun(batch, exec, run, 'FAILED', { error: 'States.QueryEvaluationError', cause: e.message });
          return;
        }
        this.finishRun(batch, exec, run, 'FAILED', { error: error ?? '', cause: cause ?? '' });
        return;
      }
      case 'Task':
        return this.scheduleTask(batch, exec, run, state);
      case 'Parallel':
        return this.startBranches(batch, exec, run, state);
      case 'Map':
        return this.startIterations(batch, exec, run, state);
    }
  }

  private async choose(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef): Promise<void> {
    const c = run.cursor;
    const bindings = this.bindings(exec, run);
    for (const [i, rule] of (state.Choices ?? []).entries()) {
      const matched = await this.evaluator.evaluate(rule.Condition, bindings, `${c.state}.Choices[${i}].Condition`);
      if (typeof matched !== 'boolean') {
        throw new QueryEvaluationError(`the Condition of ${c.state}.Choices[${i}] must evaluate to a boolean, got ${JSON.stringify(matched)}`);
      }
      if (!matched) continue;
      const outputTemplate = rule.Output ?? state.Output;
      const output = outputTemplate === undefined ? c.input : await this.evaluator.evaluate(outputTemplate, bindings, `${c.state}.Output`);
      const assigned = await this.evaluateAssign(rule.Assign ?? state.Assign, bindings, c.state);
      this.exitState(batch, exec, run, state, output, assigned, rule.Next);
      return;
    }
    if (state.Default === undefined) throw new StateFailure('States.NoChoiceMatched', `No Choice Rule matched in state '${c.state}' and no Default is set`);
    const output = state.Output === undefined ? c.input : await this.evaluator.evaluate(state.Output, bindings, `${c.state}.Output`);
    const assigned = await this.evaluateAssign(state.Assign, bindings, c.state);
    this.exitState(batch, exec, run, state, output, assigned, state.Default);
  }

  /** A state finished its work with `result`: evaluate Output and Assign, then move on. */
  private async complete(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef, result: unknown): Promise<void> {
    const c = run.cursor;
    const bindings = RESULT_STATES.has(state.Type) ? this.bindings(exec, run, { result }) : this.bindings(exec, run);
    const fallback = RESULT_STATES.has(state.Type) ? result : c.input;
    const output = state.Output === undefined ? fallback : await this.evaluator.evaluate(state.Output, bindings, `${c.state}.Output`);
    const assigned = await this.evaluateAssign(state.Assign, bindings, c.state);
    this.exitState(batch, exec, run, state, output, assigned, state.End === true ? undefined : state.Next);
  }

  private exitState(
    batch: TransitionBatch,
    exec: LiveExecution,
    run: Run,
    state: StateDef,
    output: unknown,
    assigned: Record<string, unknown> | undefined,
    next: string | undefined,
  ): void {
    const details: Record<string, unknown> = { name: run.cursor.state, output: json(output), outputDetails: { truncated: false } };
    if (assigned !== undefined) {
      run.vars = { ...run.vars, ...assigned };
      details.assignedVariables = Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, json(v)]));
      details.assignedVariablesDetails = { truncated: false };
    }
    this.event(batch, exec, `${state.Type}StateExited`, { stateExitedEventDetails: details });
    if (next === undefined) {
      this.finishRun(batch, exec, run, 'SUCCEEDED', { output });
      return;
    }
    run.cursor = this.enterCursor(next, output);
    batch.schedule(run);
  }

  private async handleError(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef, error: string, cause: string): Promise<void> {
    const c = run.cursor;
    delete c.result;
    delete c.taskId;
    if (state.Retry !== undefined) {
      const index = state.Retry.findIndex((r) => errorMatches(r.ErrorEquals, error));
      const retrier = state.Retry[index];
      if (retrier !== undefined) {
        const attempts = c.retries[index] ?? 0;
        if (attempts < maxAttempts(retrier)) {
          c.retries[index] = attempts + 1;
          c.retryCount++;
          delete c.error;
          delete c.cause;
          // AWS bills a retry as a state transition.
          this.countTransition(batch, exec);
          const delay = retryDelayMs(retrier, attempts, Math.random);
          if (delay <= 0) {
            c.phase = 'attempt';
            batch.schedule(run);
          } else {
            c.phase = 'waiting';
            this.addTimer(batch, exec, this.clock.nowMs() + delay, 'retry', run.id, null);
          }
          return;
        }
      }
    }
    const catcher: Catcher | undefined = state.Catch?.find((k) => errorMatches(k.ErrorEquals, error));
    if (catcher !== undefined) {
      const errorOutput = { Error: error, Cause: cause };
      const bindings = this.bindings(exec, run, { errorOutput });
      try {
        const output = catcher.Output === undefined ? errorOutput : await this.evaluator.evaluate(catcher.Output, bindings, `${c.state}.Catch.Output`);
        const assigned = await this.evaluateAssign(catcher.Assign, bindings, `${c.state}.Catch`);
        this.exitState(batch, exec, run, state, output, assigned, catcher.Next);
      } catch (e) {
        if (!(e instanceof QueryEvaluationError)) throw e;
        this.finishRun(batch, exec, run, 'FAILED', { error: 'States.QueryEvaluationError', cause: e.message });
      }
      return;
    }
    this.finishRun(batch, exec, run, 'FAILED', { error, cause });
  }

  // ---------------------------------------------------------------- runs ending

  private finishRun(
    batch: TransitionBatch,
    exec: LiveExecution,
    run: Run,
    status: 'SUCCEEDED' | 'FAILED',
    end: { output?: unknown; error?: string; cause?: string },
  ): void {
    run.status = status;
    run.output = status === 'SUCCEEDED' ? json(end.output) : undefined;
    run.error = end.error;
    run.cause = end.cause;
    this.runs.delete(run.id);
    batch.touch(run);
    if (run.parentId === null) {
      if (status === 'SUCCEEDED') this.finishExecution(batch, exec, { status: 'SUCCEEDED', output: run.output ?? 'null' });
      else this.finishExecution(batch, exec, { status: 'FAILED', error: end.error, cause: end.cause });
      return;
    }
    const parent = this.runs.get(run.parentId);
    if (parent === undefined) return;
    batch.touch(parent);
    const parentState = this.stateOf(exec, parent);
    const isMap = parentState.Type === 'Map';
    const pc = parent.cursor;
    if (isMap) {
      this.event(batch, exec, status === 'SUCCEEDED' ? 'MapIterationSucceeded' : 'MapIterationFailed', {
        [status === 'SUCCEEDED' ? 'mapIterationSucceededEventDetails' : 'mapIterationFailedEventDetails']: { name: pc.state, index: run.idx },
      });
    }
    if (status === 'SUCCEEDED') {
      pc.remaining = (pc.remaining ?? 1) - 1;
      if (isMap && (pc.nextIdx ?? 0) < (pc.total ?? 0)) {
        const nextIdx = pc.nextIdx ?? 0;
        pc.nextIdx = nextIdx + 1;
        for (const sibling of this.runs.values()) {
          if (sibling.parentId === parent.id && sibling.idx === nextIdx && sibling.status === 'PENDING') {
            this.launchIteration(batch, exec, sibling, pc.state);
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
    for (const sibling of [...this.runs.values()]) if (sibling.parentId === parent.id) this.abortRun(batch, exec, sibling, true);
    this.event(batch, exec, isMap ? 'MapStateFailed' : 'ParallelStateFailed');
    pc.phase = 'error';
    pc.error = end.error ?? 'States.Runtime';
    pc.cause = end.cause ?? '';
    batch.schedule(parent);
  }

  /** Stops a run and everything under it (its tasks, timers, child runs). */
  private abortRun(batch: TransitionBatch, exec: LiveExecution, run: Run, withEvents: boolean): void {
    if (run.status !== 'RUNNING' && run.status !== 'PENDING') return;
    for (const child of [...this.runs.values()]) if (child.parentId === run.id) this.abortRun(batch, exec, child, withEvents);
    for (const task of [...this.tasks.values()]) if (task.runId === run.id) this.closeTask(batch, exec, task, 'ABORTED');
    const wasRunning = run.status === 'RUNNING';
    run.status = 'ABORTED';
    this.runs.delete(run.id);
    batch.touch(run);
    batch.write(() => this.store.sql('DELETE FROM timers WHERE run_id = ?').run(run.id));
    if (withEvents && wasRunning && run.parentId !== null) {
      const parent = this.runs.get(run.parentId);
      if (parent !== undefined && this.stateOf(exec, parent).Type === 'Map') {
        this.event(batch, exec, 'MapIterationAborted', { mapIterationAbortedEventDetails: { name: parent.cursor.state, index: run.idx } });
      }
    }
  }

  /** Finished branches and iterations hand their outputs to the parent state; their rows can go. */
  private dropChildren(batch: TransitionBatch, run: Run): void {
    batch.write(() => {
      this.store
        .sql(
          `WITH RECURSIVE d(id) AS (SELECT id FROM runs WHERE parent_id = ? UNION ALL SELECT r.id FROM runs r JOIN d ON r.parent_id = d.id)
           DELETE FROM runs WHERE id IN (SELECT id FROM d)`,
        )
        .run(run.id);
    });
  }

  // ---------------------------------------------------------------- Parallel and Map

  private newChildRun(exec: LiveExecution, parent: Run, scope: ScopePath, idx: number, startAt: string, input: unknown, status: 'RUNNING' | 'PENDING'): Run {
    const child: Run = {
      id: ++this.nextRunId,
      executionArn: exec.arn,
      parentId: parent.id,
      scope,
      idx,
      status,
      cursor: this.enterCursor(startAt, input),
      vars: {},
      queued: false,
    };
    this.runs.set(child.id, child);
    return child;
  }

  private async startBranches(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef): Promise<void> {
    const c = run.cursor;
    const bindings = this.bindings(exec, run);
    const input = state.Arguments === undefined ? c.input : await this.evaluator.evaluate(state.Arguments, bindings, `${c.state}.Arguments`);
    const branches = state.Branches ?? [];
    this.event(batch, exec, 'ParallelStateStarted');
    c.phase = 'waiting';
    c.remaining = branches.length;
    c.total = branches.length;
    branches.forEach((branch, i) => {
      const child = this.newChildRun(exec, run, [...run.scope, [c.state, i]], i, branch.StartAt, input, 'RUNNING');
      batch.schedule(child);
    });
  }

  private async startIterations(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef): Promise<void> {
    const c = run.cursor;
    const bindings = this.bindings(exec, run);
    const items = state.Items === undefined ? c.input : await this.evaluator.evaluate(state.Items, bindings, `${c.state}.Items`);
    if (!Array.isArray(items)) {
      throw new QueryEvaluationError(`the Map state '${c.state}' needs an array of items, got ${JSON.stringify(items)}`);
    }
    const selected: unknown[] = [];
    for (const [index, value] of items.entries()) {
      selected.push(
        state.ItemSelector === undefined
          ? value
          : await this.evaluator.evaluate(state.ItemSelector, this.bindings(exec, run, { item: { Index: index, Value: value } }), `${c.state}.ItemSelector`),
      );
    }
    const concurrency = (await this.evaluateNumber(state.MaxConcurrency, bindings, `${c.state}.MaxConcurrency`, 0)) ?? 0;
    const limit = concurrency === 0 ? selected.length : Math.min(concurrency, selected.length);
    this.event(batch, exec, 'MapStateStarted', { mapStateStartedEventDetails: { length: selected.length } });
    if (selected.length === 0) {
      this.event(batch, exec, 'MapStateSucceeded');
      return this.complete(batch, exec, run, state, []);
    }
    c.phase = 'waiting';
    c.remaining = selected.length;
    c.total = selected.length;
    c.nextIdx = limit;
    const processor = state.ItemProcessor;
    if (processor === undefined) throw new Error(`Map state '${c.state}' has no ItemProcessor`);
    selected.forEach((item, i) => {
      const child = this.newChildRun(exec, run, [...run.scope, [c.state, -1]], i, processor.StartAt, item, i < limit ? 'RUNNING' : 'PENDING');
      batch.touch(child);
      if (i < limit) this.launchIteration(batch, exec, child, c.state);
    });
  }

  private launchIteration(batch: TransitionBatch, exec: LiveExecution, child: Run, mapStateName: string): void {
    child.status = 'RUNNING';
    child.cursor.enteredMs = this.clock.nowMs();
    this.event(batch, exec, 'MapIterationStarted', { mapIterationStartedEventDetails: { name: mapStateName, index: child.idx } });
    batch.schedule(child);
  }

  // ---------------------------------------------------------------- tasks

  private async scheduleTask(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef): Promise<void> {
    const c = run.cursor;
    const resource = state.Resource ?? '';
    const kind = classifyResource(resource);
    if (kind === undefined) throw new StateFailure('States.Runtime', `unsupported resource '${resource}'`);
    const callback = (kind.kind === 'lambda-invoke' && kind.callback) || (kind.kind === 'start-execution' && kind.mode === 'callback');
    const token = callback ? randomBytes(48).toString('base64url') : undefined;
    const bindings = this.bindings(exec, run, token === undefined ? {} : { token });
    const args = state.Arguments === undefined ? c.input : await this.evaluator.evaluate(state.Arguments, bindings, `${c.state}.Arguments`);
    const timeout = await this.evaluateNumber(state.TimeoutSeconds, bindings, `${c.state}.TimeoutSeconds`, 1);
    const heartbeat = await this.evaluateNumber(state.HeartbeatSeconds, bindings, `${c.state}.HeartbeatSeconds`, 1);
    checkTaskArguments(kind, args);
    const request: TaskRequest =
      kind.kind === 'start-execution' ? { args, childName: childExecutionName(args) ?? randomUUID() } : { args };
    const task: OpenTask = {
      id: ++this.nextTaskId,
      token: token ?? null,
      runId: run.id,
      executionArn: exec.arn,
      stateName: c.state,
      resource,
      kind,
      request,
      childArn: null,
      heartbeatSeconds: token === undefined ? null : (heartbeat ?? null),
      invokePending: true,
    };
    this.tasks.set(task.id, task);
    if (token !== undefined) this.tokens.set(token, task.id);
    batch.write(() => {
      this.store
        .sql(
          `INSERT INTO tasks (id, token, run_id, execution_arn, state_name, resource, status, request, child_arn, heartbeat_seconds, invoke_pending)
           VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?, NULL, ?, 1)`,
        )
        .run(task.id, task.token, task.runId, task.executionArn, task.stateName, resource, JSON.stringify(request), task.heartbeatSeconds);
    });
    if (kind.kind === 'lambda-arn') {
      const details: Record<string, unknown> = { resource, input: json(args), inputDetails: { truncated: false } };
      if (timeout !== undefined) details.timeoutInSeconds = timeout;
      this.event(batch, exec, 'LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: details });
      this.event(batch, exec, 'LambdaFunctionStarted');
    } else {
      const details: Record<string, unknown> = { ...historyResource(resource), region: this.arns.region, parameters: json(args) };
      if (timeout !== undefined) details.timeoutInSeconds = timeout;
      if (heartbeat !== undefined) details.heartbeatInSeconds = heartbeat;
      this.event(batch, exec, 'TaskScheduled', { taskScheduledEventDetails: details });
      this.event(batch, exec, 'TaskStarted', { taskStartedEventDetails: historyResource(resource) });
    }
    const now = this.clock.nowMs();
    if (timeout !== undefined) this.addTimer(batch, exec, now + timeout * 1000, 'task-timeout', run.id, task.id);
    if (task.heartbeatSeconds !== null) this.addTimer(batch, exec, now + task.heartbeatSeconds * 1000, 'heartbeat', run.id, task.id);
    c.phase = 'waiting';
    c.taskId = task.id;
    batch.after.push(() => this.invoke(task));
  }

  /** Starts the task's work outside the queue; its outcome comes back through the queue. */
  private invoke(task: OpenTask): void {
    if (task.kind.kind === 'start-execution') {
      void this.exclusive(() => this.startChildExecution(task.id));
      return;
    }
    this.inflight++;
    const payloadAndName = lambdaCall(task);
    const handler = this.lambdas.resolve(payloadAndName.functionName);
    const started = performance.now();
    const finish = (outcome: InvokeOutcome, invoked: boolean): void => {
      const durationMs = invoked ? performance.now() - started : 0;
      this.jobs.push(() => {
        this.inflight--;
        this.onInvokeDone(task.id, task.executionArn, outcome, invoked, durationMs);
      });
      this.kick();
    };
    if (handler === undefined) {
      finish({ ok: false, error: 'Lambda.ResourceNotFoundException', cause: `Function not found: ${payloadAndName.functionName}` }, false);
      return;
    }
    const context = { functionName: payloadAndName.functionName, awsRequestId: randomUUID(), executionArn: task.executionArn };
    Promise.resolve()
      .then(() => handler(payloadAndName.payload, context))
      .then(
        (value) => finish({ ok: true, value: value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown) }, true),
        (error: unknown) => {
          const errorType = error instanceof Error ? error.name : 'Error';
          const errorMessage = describeError(error);
          finish({ ok: false, error: errorType, cause: JSON.stringify({ errorMessage, errorType }) }, true);
        },
      );
  }

  private onInvokeDone(taskId: number, executionArn: string, outcome: InvokeOutcome, invoked: boolean, durationMs: number): void {
    const batch = new TransitionBatch();
    if (invoked) {
      const u = this.usageOf(executionArn);
      u.lambdaInvocations++;
      u.lambdaDurationMs += durationMs;
      batch.usage.add(executionArn);
    }
    const task = this.tasks.get(taskId);
    const exec = this.executions.get(executionArn);
    const run = task === undefined ? undefined : this.runs.get(task.runId);
    if (task === undefined || !task.invokePending || exec === undefined || run === undefined) {
      this.commit(batch);
      return;
    }
    task.invokePending = false;
    batch.write(() => this.store.sql('UPDATE tasks SET invoke_pending = 0 WHERE id = ?').run(task.id));
    const bareLambda = task.kind.kind === 'lambda-arn';
    if (!outcome.ok) {
      this.failTask(batch, exec, run, task, outcome.error, outcome.cause, bareLambda ? 'LambdaFunctionFailed' : 'TaskFailed');
    } else {
      const result = bareLambda ? outcome.value : { ExecutedVersion: '$LATEST', Payload: outcome.value, StatusCode: 200 };
      if (task.token !== null) {
        this.event(batch, exec, 'TaskSubmitted', {
          taskSubmittedEventDetails: { ...historyResource(task.resource), output: json(result), outputDetails: { truncated: false } },
        });
      } else {
        this.succeedTask(batch, exec, run, task, result);
      }
    }
    this.commit(batch);
  }

  private startChildExecution(taskId: number): void {
    const task = this.tasks.get(taskId);
    if (task === undefined || !task.invokePending || task.kind.kind !== 'start-execution') return;
    const exec = this.executions.get(task.executionArn);
    const run = this.runs.get(task.runId);
    if (exec === undefined || run === undefined) return;
    const mode = task.kind.mode;
    const args = task.request.args as Record<string, unknown>;
    const batch = new TransitionBatch();
    task.invokePending = false;
    batch.write(() => this.store.sql('UPDATE tasks SET invoke_pending = 0 WHERE id = ?').run(task.id));
    const rawInput = args.Input;
    const input = rawInput === undefined ? '{}' : typeof rawInput === 'string' ? rawInput : JSON.stringify(rawInput);
    try {
      JSON.parse(input);
      const refusal = this.authorizeChildStart?.({ parentExecutionArn: exec.arn, stateMachineArn: String(args.StateMachineArn), mode });
      if (refusal !== undefined) throw new SfnServiceError('AccessDenied', refusal);
      const started = this.startExecution(batch, {
        stateMachineArn: String(args.StateMachineArn),
        name: task.request.childName ?? randomUUID(),
        input,
        parentTaskId: mode === 'sync' || mode === 'sync2' ? task.id : null,
      });
      if (mode === 'async') {
        this.succeedTask(batch, exec, run, task, { ExecutionArn: started.executionArn, StartDate: started.startMs });
      } else {
        task.childArn = started.executionArn;
        batch.write(() => this.store.sql('UPDATE tasks SET child_arn = ? WHERE id = ?').run(started.executionArn, task.id));
        if (mode === 'callback') {
          this.event(batch, exec, 'TaskSubmitted', {
            taskSubmittedEventDetails: {
              ...historyResource(task.resource),
              output: json({ ExecutionArn: started.executionArn, StartDate: started.startMs }),
              outputDetails: { truncated: false },
            },
          });
        }
      }
    } catch (error) {
      const name = error instanceof SfnServiceError ? `StepFunctions.${error.errorName}Exception` : 'StepFunctions.InvalidExecutionInputException';
      this.failTask(batch, exec, run, task, name, describeError(error), 'TaskFailed');
    }
    this.commit(batch);
  }

  private closeTask(batch: TransitionBatch, _exec: LiveExecution, task: OpenTask, status: string): void {
    this.tasks.delete(task.id);
    if (task.token !== null) this.tokens.delete(task.token);
    batch.write(() => {
      this.store.sql('UPDATE tasks SET status = ?, invoke_pending = 0 WHERE id = ?').run(status, task.id);
      this.store.sql('DELETE FROM timers WHERE task_id = ?').run(task.id);
    });
    // A parent stopped mid-`.sync` stops its child too, as AWS does.
    if (status === 'ABORTED' && task.childArn !== null && task.kind.kind === 'start-execution' && task.kind.mode !== 'callback') {
      const child = this.executions.get(task.childArn);
      if (child !== undefined) this.finishExecution(batch, child, { status: 'ABORTED', error: 'States.Aborted', cause: 'the parent execution stopped' });
    }
  }

  private succeedTask(batch: TransitionBatch, exec: LiveExecution, run: Run, task: OpenTask, result: unknown): void {
    this.closeTask(batch, exec, task, 'SUCCEEDED');
    if (task.kind.kind === 'lambda-arn') {
      this.event(batch, exec, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: json(result), outputDetails: { truncated: false } } });
    } else {
      this.event(batch, exec, 'TaskSucceeded', {
        taskSucceededEventDetails: { ...historyResource(task.resource), output: json(result), outputDetails: { truncated: false } },
      });
    }
    run.cursor.phase = 'complete';
    run.cursor.result = result;
    batch.schedule(run);
  }

  private failTask(batch: TransitionBatch, exec: LiveExecution, run: Run, task: OpenTask, error: string, cause: string, eventType: string): void {
    this.closeTask(batch, exec, task, eventType.endsWith('TimedOut') ? 'TIMED_OUT' : 'FAILED');
    const key = `${eventType.charAt(0).toLowerCase()}${eventType.slice(1)}EventDetails`;
    const details = eventType.startsWith('Lambda') ? { error, cause } : { ...historyResource(task.resource), error, cause };
    this.event(batch, exec, eventType, { [key]: details });
    run.cursor.phase = 'error';
    run.cursor.error = error;
    run.cursor.cause = cause;
    batch.schedule(run);
  }

  // ---------------------------------------------------------------- callbacks

  private taskForToken(token: string): OpenTask {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) throw new SfnServiceError('InvalidToken', 'Invalid Token');
    const id = this.tokens.get(token);
    const task = id === undefined ? undefined : this.tasks.get(id);
    if (task !== undefined) return task;
    const row = this.store.sql('SELECT status FROM tasks WHERE token = ?').get(token) as { status: string } | undefined;
    if (row !== undefined) throw new SfnServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    if (!TOKEN_PATTERN.test(token)) throw new SfnServiceError('InvalidToken', 'Invalid Token');
    throw new SfnServiceError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  sendTaskSuccess(token: string, output: unknown): Promise<void> {
    return this.exclusive(() => {
      const { task, exec, run } = this.liveTask(token);
      const batch = new TransitionBatch();
      this.succeedTask(batch, exec, run, task, output);
      this.commit(batch);
    });
  }

  sendTaskFailure(token: string, error: string | undefined, cause: string | undefined): Promise<void> {
    return this.exclusive(() => {
      const { task, exec, run } = this.liveTask(token);
      const batch = new TransitionBatch();
      this.failTask(batch, exec, run, task, error ?? '', cause ?? '', 'TaskFailed');
      this.commit(batch);
    });
  }

  /** The waiting task of a token with its execution and run, or the error AWS gives for a token that is done. */
  private liveTask(token: string) {
    const task = this.taskForToken(token);
    const exec = this.executions.get(task.executionArn);
    const run = this.runs.get(task.runId);
    if (exec === undefined || run === undefined) throw new SfnServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    return { task, exec, run };
  }

  sendTaskHeartbeat(token: string): Promise<void> {
    return this.exclusive(() => {
      const task = this.taskForToken(token);
      const exec = this.executions.get(task.executionArn);
      if (exec === undefined) throw new SfnServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
      if (task.heartbeatSeconds === null) return;
      const batch = new TransitionBatch();
      batch.write(() => this.store.sql("DELETE FROM timers WHERE task_id = ? AND kind = 'heartbeat'").run(task.id));
      this.addTimer(batch, exec, this.clock.nowMs() + task.heartbeatSeconds * 1000, 'heartbeat', task.runId, task.id);
      this.commit(batch);
    });
  }

  // ---------------------------------------------------------------- timers

  nextTimer(): TimerRow | undefined {
    return this.store.sql('SELECT * FROM timers ORDER BY due_ms, id LIMIT 1').get() as TimerRow | undefined;
  }

  /** Fires one due timer (the clock already reads its due time). */
  fireTimer(timer: TimerRow): Promise<void> {
    return this.exclusive(() => {
      const still = this.store.sql('SELECT id FROM timers WHERE id = ?').get(timer.id);
      if (still === undefined) return;
      const batch = new TransitionBatch();
      batch.write(() => this.store.sql('DELETE FROM timers WHERE id = ?').run(timer.id));
      const exec = this.executions.get(timer.execution_arn);
      if (exec !== undefined) this.applyTimer(batch, exec, timer);
      this.commit(batch);
    });
  }

  private applyTimer(batch: TransitionBatch, exec: LiveExecution, timer: TimerRow): void {
    if (timer.kind === 'exec-timeout') {
      this.finishExecution(batch, exec, { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' });
      return;
    }
    const run = timer.run_id === null ? undefined : this.runs.get(timer.run_id);
    if (run === undefined || run.cursor.phase !== 'waiting') return;
    if (timer.kind === 'wait') {
      run.cursor.phase = 'complete';
      run.cursor.result = undefined;
      batch.schedule(run);
    } else if (timer.kind === 'retry') {
      run.cursor.phase = 'attempt';
      batch.schedule(run);
    } else if (timer.kind === 'task-timeout' || timer.kind === 'heartbeat') {
      const task = timer.task_id === null ? undefined : this.tasks.get(timer.task_id);
      if (task === undefined) return;
      const error = timer.kind === 'heartbeat' ? 'States.HeartbeatTimeout' : 'States.Timeout';
      const cause = timer.kind === 'heartbeat' ? 'The task sent no heartbeat within HeartbeatSeconds' : 'The task did not finish within TimeoutSeconds';
      this.failTask(batch, exec, run, task, error, cause, task.kind.kind === 'lambda-arn' ? 'LambdaFunctionTimedOut' : 'TaskTimedOut');
    }
  }
}

function exec_task(tasks: Map<number, OpenTask>, id: number | null): OpenTask | undefined {
  return id === null ? undefined : tasks.get(id);
}

function childExecutionName(args: unknown): string | undefined {
  const name = (args as Record<string, unknown>).Name;
  return typeof name === 'string' ? name : undefined;
}

function checkTaskArguments(kind: TaskResource, args: unknown): void {
  const isObject = args !== null && typeof args === 'object' && !Array.isArray(args);
  if (kind.kind === 'lambda-invoke' && (!isObject || typeof (args as Record<string, unknown>).FunctionName !== 'string')) {
    throw new StateFailure('States.Runtime', 'lambda:invoke needs Arguments with a FunctionName string');
  }
  if (kind.kind === 'start-execution' && (!isObject || typeof (args as Record<string, unknown>).StateMachineArn !== 'string')) {
    throw new StateFailure('States.Runtime', 'states:startExecution needs Arguments with a StateMachineArn string');
  }
}

function lambdaCall(task: OpenTask): { functionName: string; payload: unknown } {
  if (task.kind.kind === 'lambda-arn') return { functionName: task.kind.functionArn, payload: task.request.args };
  const args = task.request.args as Record<string, unknown>;
  return { functionName: String(args.FunctionName), payload: args.Payload === undefined ? {} : args.Payload };
}
