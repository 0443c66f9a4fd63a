/**
 * The interpreter: runs JSONata-mode state machines one transition at a time, each committed to
 * SQLite before the next begins, on a virtual clock. The Engine keeps the live executions and runs,
 * and steps a run through its state (`step`, `advance`); the rest lives in its parts:
 *   serial-queue.ts            nothing interleaves inside a transition
 *   engine-repository.ts       every SQL statement
 *   recovery.ts                resuming after a restart
 *   history-events.ts          the history events, built in one place
 *   state-actions/*.ts         Pass, Choice, Wait, Succeed, Fail, and how a state is entered and left
 *   retry-catch.ts             what happens when a state fails
 *   branches.ts                Parallel and Map
 *   tasks.ts                   Task states, Lambda calls, child executions and callbacks
 */
import { executionArn as buildExecutionArn, type ArnContext } from './arns.ts';
import {
  SfnServiceError,
  type ChildStartAuthorizer,
  type EngineUsage,
  type LambdaRegistry,
  type UsageCounts,
} from './contract.ts';
import { resolveScope, type Definition, type StateDef } from './definition.ts';
import {
  abortRun,
  branchesSucceeded,
  childRunEnded,
  dropChildren,
  startBranches,
  startIterations,
} from './branches.ts';
import type { EngineCore, RunEnd } from './engine-core.ts';
import type { LiveExecution, Run } from './engine-model.ts';
import type { EngineRepository, TimerKind } from './engine-repository.ts';
import { executionEnded, executionStarted, json, type ExecutionEnd, type HistoryEventDraft } from './history-events.ts';
import { TemplateEvaluator } from './jsonata-eval.ts';
import { recoverLiveState } from './recovery.ts';
import { guarded, handleError } from './retry-catch.ts';
import { SerialQueue } from './serial-queue.ts';
import { runChoiceState } from './state-actions/choice-state.ts';
import { runFailState } from './state-actions/fail-state.ts';
import { runPassState } from './state-actions/pass-state.ts';
import { completeState, enterCursor, enterState } from './state-actions/state-flow.ts';
import { runSucceedState } from './state-actions/succeed-state.ts';
import { runWaitState } from './state-actions/wait-state.ts';
import type { TimerRow } from './store.ts';
import { Tasks } from './tasks.ts';
import { TransitionBatch } from './transition-batch.ts';
import type { VirtualClock } from './virtual-clock.ts';

export interface EngineOptions {
  readonly repo: EngineRepository;
  readonly lambdas: LambdaRegistry;
  /** asked before an execution starts a child: the local runtime answers from the stack's roles */
  readonly authorizeChildStart?: ChildStartAuthorizer;
  readonly clock: VirtualClock;
  readonly arns: ArnContext;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Engine implements EngineCore {
  readonly repo: EngineRepository;
  readonly clock: VirtualClock;
  readonly arns: ArnContext;
  readonly evaluator: TemplateEvaluator;
  readonly executions = new Map<string, LiveExecution>();
  readonly runs = new Map<number, Run>();
  private readonly queue: SerialQueue;
  private readonly tasks: Tasks;
  private readonly usageByExecution = new Map<string, UsageCounts>();
  private readonly definitions = new Map<string, Definition>();
  private lastRunId: number;
  private lastTimerId: number;
  private lastExecutionSeq: number;

  constructor(options: EngineOptions) {
    this.repo = options.repo;
    this.clock = options.clock;
    this.arns = options.arns;
    this.evaluator = new TemplateEvaluator(() => this.clock.nowMs());
    this.queue = new SerialQueue((run) => this.step(run));
    this.tasks = new Tasks(this, this.queue, options.lambdas, options.authorizeChildStart);
    this.lastRunId = this.repo.maxRunId();
    this.lastTimerId = this.repo.maxTimerId();
    this.lastExecutionSeq = this.repo.maxExecutionSeq();
  }

  /** Rebuilds the live state from the file and resumes every execution where it stood. */
  resume(): void {
    const recovered = recoverLiveState(this.repo, (text) => this.parsedDefinition(text));
    for (const [arn, usage] of recovered.usage) this.usageByExecution.set(arn, usage);
    for (const exec of recovered.executions) this.executions.set(exec.arn, exec);
    for (const run of recovered.runs) {
      this.runs.set(run.id, run);
      if (run.status === 'RUNNING' && run.cursor.phase !== 'waiting') this.queue.enqueueRun(run);
    }
    this.tasks.restore(recovered.tasks);
    this.queue.kick();
  }

  /** Stored definitions passed CreateStateMachine's checks already; parsing is enough. */
  private parsedDefinition(text: string): Definition {
    let definition = this.definitions.get(text);
    if (definition === undefined) {
      definition = JSON.parse(text) as Definition;
      this.definitions.set(text, definition);
    }
    return definition;
  }

  // ---------------------------------------------------------------- the queue

  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    return this.queue.exclusive(work);
  }

  settle(): Promise<void> {
    return this.queue.settle();
  }

  /** Stops taking work; the transition under way (if any) commits before the file closes. */
  close(): Promise<void> {
    return this.queue.close();
  }

  // ---------------------------------------------------------------- what every part uses

  nextRunId(): number {
    return ++this.lastRunId;
  }

  commit(batch: TransitionBatch): void {
    const repo = this.repo;
    repo.transaction(() => {
      for (const write of batch.writes) write();
      for (const run of batch.runs) repo.upsertRun(run);
      for (const arn of batch.usage) {
        const u = this.usageByExecution.get(arn);
        if (u !== undefined) repo.upsertUsage(arn, u);
      }
    });
    for (const run of batch.ready) if (run.status === 'RUNNING') this.queue.enqueueRun(run);
    for (const after of batch.after) after();
  }

  record(batch: TransitionBatch, exec: LiveExecution, event: HistoryEventDraft): number {
    const id = exec.nextEventId++;
    const ts = this.clock.nowMs();
    const body = event.details === undefined ? null : JSON.stringify(event.details);
    batch.write(() => this.repo.insertEvent(exec.arn, id, ts, event.type, body));
    return id;
  }

  addTimer(
    batch: TransitionBatch,
    exec: LiveExecution,
    dueMs: number,
    kind: TimerKind,
    runId: number | null,
    taskId: number | null,
  ): void {
    const id = ++this.lastTimerId;
    batch.write(() => this.repo.insertTimer(id, dueMs, kind, runId, taskId, exec.arn));
  }

  private usageOf(arn: string): UsageCounts {
    let u = this.usageByExecution.get(arn);
    if (u === undefined) {
      u = { stateTransitions: 0, lambdaInvocations: 0, lambdaDurationMs: 0 };
      this.usageByExecution.set(arn, u);
    }
    return u;
  }

  countTransition(batch: TransitionBatch, exec: LiveExecution): void {
    this.usageOf(exec.arn).stateTransitions++;
    batch.usage.add(exec.arn);
  }

  countInvocation(batch: TransitionBatch, executionArn: string, durationMs: number): void {
    const u = this.usageOf(executionArn);
    u.lambdaInvocations++;
    u.lambdaDurationMs += durationMs;
    batch.usage.add(executionArn);
  }

  closeTasksOfRun(batch: TransitionBatch, _exec: LiveExecution, runId: number): void {
    this.tasks.closeTasksOf(batch, (task) => task.runId === runId);
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

  stateOf(exec: LiveExecution, run: Run): StateDef {
    const state = resolveScope(exec.definition, run.scope).States[run.cursor.state];
    if (state === undefined) throw new Error(`state '${run.cursor.state}' is missing from the definition`);
    return state;
  }

  // ---------------------------------------------------------------- executions

  /** Starts an execution inside `batch`; idempotent for a running execution with the same name and input. */
  startExecution(
    batch: TransitionBatch,
    request: { stateMachineArn: string; name: string; input: string; parentTaskId: number | null },
  ): { executionArn: string; startMs: number } {
    const sm = this.repo.stateMachine(request.stateMachineArn);
    if (sm === undefined)
      throw new SfnServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    const arn = buildExecutionArn(this.arns, sm.name, request.name);
    const existing = this.repo.execution(arn);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === request.input)
        return { executionArn: arn, startMs: existing.start_ms };
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const definition = this.parsedDefinition(sm.definition);
    const startMs = this.clock.nowMs();
    const input = JSON.parse(request.input) as unknown;
    const rootRunId = this.nextRunId();
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
    const seq = ++this.lastExecutionSeq;
    batch.write(() =>
      this.repo.insertExecution({
        arn,
        smArn: sm.arn,
        smName: sm.name,
        name: request.name,
        definition: sm.definition,
        roleArn: sm.role_arn,
        input: request.input,
        startMs,
        rootRunId,
        parentTaskId: request.parentTaskId,
        seq,
      }),
    );
    const run: Run = {
      id: rootRunId,
      executionArn: arn,
      parentId: null,
      scope: [],
      idx: 0,
      status: 'RUNNING',
      cursor: enterCursor(startMs, definition.StartAt, input),
      vars: {},
      queued: false,
    };
    this.runs.set(run.id, run);
    batch.schedule(run);
    this.record(batch, exec, executionStarted(request.input, sm.role_arn));
    this.countTransition(batch, exec);
    if (definition.TimeoutSeconds !== undefined)
      this.addTimer(batch, exec, startMs + definition.TimeoutSeconds * 1000, 'exec-timeout', null, null);
    return { executionArn: arn, startMs };
  }

  startExecutionNow(request: {
    stateMachineArn: string;
    name: string;
    input: string;
  }): Promise<{ executionArn: string; startMs: number }> {
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
        const row = this.repo.execution(arn);
        if (row === undefined) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
        return row.stop_ms ?? this.clock.nowMs();
      }
      const batch = new TransitionBatch();
      this.finishExecution(batch, exec, { status: 'ABORTED', error, cause });
      this.commit(batch);
      return this.clock.nowMs();
    });
  }

  finishExecution(batch: TransitionBatch, exec: LiveExecution, end: ExecutionEnd): void {
    const now = this.clock.nowMs();
    for (const run of this.runs.values()) if (run.executionArn === exec.arn) abortRun(this, batch, exec, run, false);
    this.tasks.closeTasksOf(batch, (task) => task.executionArn === exec.arn);
    batch.write(() => this.repo.deleteTimersOfExecution(exec.arn));
    this.executions.delete(exec.arn);
    const succeeded = end.status === 'SUCCEEDED';
    const row = {
      status: end.status,
      stopMs: now,
      output: succeeded ? end.output : null,
      error: succeeded ? null : (end.error ?? null),
      cause: succeeded ? null : (end.cause ?? null),
    };
    batch.write(() => this.repo.endExecution(exec.arn, row));
    this.record(batch, exec, executionEnded(end));
    if (exec.parentTaskId !== null) this.tasks.childExecutionEnded(batch, exec, end, now);
  }

  // ---------------------------------------------------------------- runs

  finishRun(batch: TransitionBatch, exec: LiveExecution, run: Run, status: 'SUCCEEDED' | 'FAILED', end: RunEnd): void {
    run.status = status;
    run.output = status === 'SUCCEEDED' ? json(end.output) : undefined;
    run.error = end.error;
    run.cause = end.cause;
    this.runs.delete(run.id);
    batch.touch(run);
    if (run.parentId !== null) {
      childRunEnded(this, batch, exec, run, status, end);
      return;
    }
    if (status === 'SUCCEEDED')
      this.finishExecution(batch, exec, { status: 'SUCCEEDED', output: run.output ?? 'null' });
    else this.finishExecution(batch, exec, { status: 'FAILED', error: end.error, cause: end.cause });
  }

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
      if (!this.executions.has(exec.arn) || this.queue.closed) return;
      try {
        const rescue = new TransitionBatch();
        this.finishExecution(rescue, exec, {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: `local engine error: ${describeError(error)}`,
        });
        this.commit(rescue);
      } catch (rescueError) {
        console.error(`local Step Functions: could not record the failure of ${exec.arn}:`, rescueError);
      }
    }
  }

  /** One transition of a run, by the phase its cursor is in. */
  private async advance(batch: TransitionBatch, exec: LiveExecution, run: Run): Promise<void> {
    batch.touch(run);
    const state = this.stateOf(exec, run);
    const c = run.cursor;
    switch (c.phase) {
      case 'enter':
        enterState(this, batch, exec, run, state);
        return guarded(this, batch, exec, run, state, () => this.attempt(batch, exec, run, state));
      case 'attempt':
        return guarded(this, batch, exec, run, state, () => this.attempt(batch, exec, run, state));
      case 'complete':
        return guarded(this, batch, exec, run, state, () => completeState(this, batch, exec, run, state, c.result));
      case 'children-done':
        return guarded(this, batch, exec, run, state, () => branchesSucceeded(this, batch, exec, run, state));
      case 'error':
        if (state.Type === 'Map' || state.Type === 'Parallel') dropChildren(this, batch, run);
        return handleError(this, batch, exec, run, state, c.error ?? 'States.Runtime', c.cause);
      case 'waiting':
        return;
    }
  }

  /** The state's own work: one state action per state type. */
  private attempt(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef): Promise<void> {
    switch (state.Type) {
      case 'Pass':
        return runPassState(this, batch, exec, run, state);
      case 'Choice':
        return runChoiceState(this, batch, exec, run, state);
      case 'Wait':
        return runWaitState(this, batch, exec, run, state);
      case 'Succeed':
        return runSucceedState(this, batch, exec, run, state);
      case 'Fail':
        return runFailState(this, batch, exec, run, state);
      case 'Task':
        return this.tasks.schedule(batch, exec, run, state);
      case 'Parallel':
        return startBranches(this, batch, exec, run, state);
      case 'Map':
        return startIterations(this, batch, exec, run, state);
    }
  }

  // ---------------------------------------------------------------- callbacks

  sendTaskSuccess(token: string, output: unknown): Promise<void> {
    return this.tasks.sendTaskSuccess(token, output);
  }

  sendTaskFailure(token: string, error: string | undefined, cause: string | undefined): Promise<void> {
    return this.tasks.sendTaskFailure(token, error, cause);
  }

  sendTaskHeartbeat(token: string): Promise<void> {
    return this.tasks.sendTaskHeartbeat(token);
  }

  // ---------------------------------------------------------------- timers

  nextTimer(): TimerRow | undefined {
    return this.repo.nextTimer();
  }

  /** Fires one due timer (the clock already reads its due time). */
  fireTimer(timer: TimerRow): Promise<void> {
    return this.exclusive(() => {
      if (!this.repo.timerExists(timer.id)) return;
      const batch = new TransitionBatch();
      batch.write(() => this.repo.deleteTimer(timer.id));
      const exec = this.executions.get(timer.execution_arn);
      if (exec !== undefined) this.applyTimer(batch, exec, timer);
      this.commit(batch);
    });
  }

  private applyTimer(batch: TransitionBatch, exec: LiveExecution, timer: TimerRow): void {
    if (timer.kind === 'exec-timeout') {
      this.finishExecution(batch, exec, {
        status: 'TIMED_OUT',
        error: 'States.Timeout',
        cause: 'The execution ran longer than its TimeoutSeconds',
      });
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
      this.tasks.timedOut(batch, exec, run, timer);
    }
  }
}
