/**
 * Task states: scheduling a task (Arguments, timeouts, a token for callbacks), calling the Lambda
 * function or starting the child execution outside the queue, and what comes back through it:
 * success, failure, SendTask* callbacks, heartbeats and timeouts, and a `.sync` child's end.
 * This is the one place to read "what happens when a Task fails": `fail` closes the task, writes
 * its *Failed or *TimedOut event and hands the error to Retry and Catch (retry-catch.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SfnServiceError, type ChildStartAuthorizer, type LambdaRegistry } from './contract.ts';
import type { StateDef } from './definition.ts';
import type { EngineCore } from './engine-core.ts';
import { StateFailure, type LiveExecution, type OpenTask, type Run, type TaskRequest } from './engine-model.ts';
import {
  lambdaFunctionScheduled,
  lambdaFunctionStarted,
  taskFailed,
  taskScheduled,
  taskStarted,
  taskSubmitted,
  taskSucceeded,
  type ExecutionEnd,
  type TaskFailureEvent,
} from './history-events.ts';
import { bindings, evaluateNumber } from './state-actions/state-flow.ts';
import type { TaskRow, TimerRow } from './store.ts';
import { classifyResource, type TaskResource } from './task-resources.ts';
import { TransitionBatch } from './transition-batch.ts';
import type { SerialQueue } from './serial-queue.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{64}$/;
const TASK_GONE = "Task Timed Out: 'Provided task does not exist anymore'";

type InvokeOutcome = { ok: true; value: unknown } | { ok: false; error: string; cause: string };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Tasks {
  private readonly authorizeChildStart: ChildStartAuthorizer | undefined;
  private readonly core: EngineCore;
  private readonly queue: SerialQueue;
  private readonly lambdas: LambdaRegistry;
  private readonly open = new Map<number, OpenTask>();
  private readonly tokens = new Map<string, number>();
  private lastTaskId: number;

  constructor(
    core: EngineCore,
    queue: SerialQueue,
    lambdas: LambdaRegistry,
    authorizeChildStart?: ChildStartAuthorizer,
  ) {
    this.core = core;
    this.authorizeChildStart = authorizeChildStart;
    this.queue = queue;
    this.lambdas = lambdas;
    this.lastTaskId = core.repo.maxTaskId();
  }

  /** Reloads the tasks that were open when the engine stopped; a call cut off by a crash is made again (at-least-once, like AWS). */
  restore(rows: readonly TaskRow[]): void {
    const pending: OpenTask[] = [];
    for (const row of rows) {
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
      this.open.set(task.id, task);
      if (task.token !== null) this.tokens.set(task.token, task.id);
      if (task.invokePending) pending.push(task);
    }
    for (const task of pending) this.invoke(task);
  }

  // ---------------------------------------------------------------- scheduling

  async schedule(batch: TransitionBatch, exec: LiveExecution, run: Run, state: StateDef): Promise<void> {
    const core = this.core;
    const c = run.cursor;
    const resource = state.Resource ?? '';
    const kind = classifyResource(resource);
    if (kind === undefined) throw new StateFailure('States.Runtime', `unsupported resource '${resource}'`);
    const callback =
      (kind.kind === 'lambda-invoke' && kind.callback) || (kind.kind === 'start-execution' && kind.mode === 'callback');
    const token = callback ? randomBytes(48).toString('base64url') : undefined;
    const scope = bindings(core, exec, run, token === undefined ? {} : { token });
    const args =
      state.Arguments === undefined ? c.input : await core.evaluator.evaluate(state.Arguments, scope, 'Arguments');
    const timeout = await evaluateNumber(core, state.TimeoutSeconds, scope, 'TimeoutSeconds', 1);
    const heartbeat = await evaluateNumber(core, state.HeartbeatSeconds, scope, 'HeartbeatSeconds', 1);
    checkTaskArguments(kind, args);
    const request: TaskRequest =
      kind.kind === 'start-execution' ? { args, childName: childExecutionName(args) ?? randomUUID() } : { args };
    const task: OpenTask = {
      id: ++this.lastTaskId,
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
    this.open.set(task.id, task);
    if (token !== undefined) this.tokens.set(token, task.id);
    batch.write(() =>
      core.repo.insertTask({
        id: task.id,
        token: task.token,
        runId: task.runId,
        executionArn: task.executionArn,
        stateName: task.stateName,
        resource,
        request: JSON.stringify(request),
        heartbeatSeconds: task.heartbeatSeconds,
      }),
    );
    if (kind.kind === 'lambda-arn') {
      core.record(batch, exec, lambdaFunctionScheduled(resource, args, timeout));
      core.record(batch, exec, lambdaFunctionStarted());
    } else {
      core.record(batch, exec, taskScheduled(resource, core.arns.region, args, timeout, heartbeat));
      core.record(batch, exec, taskStarted(resource));
    }
    const now = core.clock.nowMs();
    if (timeout !== undefined) core.addTimer(batch, exec, now + timeout * 1000, 'task-timeout', run.id, task.id);
    if (task.heartbeatSeconds !== null)
      core.addTimer(batch, exec, now + task.heartbeatSeconds * 1000, 'heartbeat', run.id, task.id);
    c.phase = 'waiting';
    c.taskId = task.id;
    batch.after.push(() => this.invoke(task));
  }

  // ---------------------------------------------------------------- the work, outside the queue

  /** Starts the task's work outside the queue; its outcome comes back through the queue. */
  private invoke(task: OpenTask): void {
    if (task.kind.kind === 'start-execution') {
      void this.core.exclusive(() => this.startChildExecution(task.id));
      return;
    }
    this.queue.beginOutside();
    const call = lambdaCall(task);
    const handler = this.lambdas.resolve(call.functionName);
    const started = performance.now();
    const finish = (outcome: InvokeOutcome, invoked: boolean): void => {
      const durationMs = invoked ? performance.now() - started : 0;
      this.queue.postOutcome(() => this.onInvokeDone(task.id, task.executionArn, outcome, invoked, durationMs));
    };
    if (handler === undefined) {
      finish(
        { ok: false, error: 'Lambda.ResourceNotFoundException', cause: `Function not found: ${call.functionName}` },
        false,
      );
      return;
    }
    const context = { functionName: call.functionName, awsRequestId: randomUUID(), executionArn: task.executionArn };
    Promise.resolve()
      .then(() => handler(call.payload, context))
      .then(
        (value) =>
          finish(
            { ok: true, value: value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown) },
            true,
          ),
        (error: unknown) => {
          const errorType = error instanceof Error ? error.name : 'Error';
          finish(
            { ok: false, error: errorType, cause: JSON.stringify({ errorMessage: describeError(error), errorType }) },
            true,
          );
        },
      );
  }

  private onInvokeDone(
    taskId: number,
    executionArn: string,
    outcome: InvokeOutcome,
    invoked: boolean,
    durationMs: number,
  ): void {
    const core = this.core;
    const batch = new TransitionBatch();
    if (invoked) core.countInvocation(batch, executionArn, durationMs);
    const task = this.open.get(taskId);
    const exec = core.executions.get(executionArn);
    const run = task === undefined ? undefined : core.runs.get(task.runId);
    if (task === undefined || !task.invokePending || exec === undefined || run === undefined) {
      core.commit(batch);
      return;
    }
    task.invokePending = false;
    batch.write(() => core.repo.markInvoked(task.id));
    const bareLambda = task.kind.kind === 'lambda-arn';
    if (!outcome.ok) {
      this.fail(
        batch,
        exec,
        run,
        task,
        outcome.error,
        outcome.cause,
        bareLambda ? 'LambdaFunctionFailed' : 'TaskFailed',
      );
    } else {
      const result = bareLambda
        ? outcome.value
        : { ExecutedVersion: '$LATEST', Payload: outcome.value, StatusCode: 200 };
      // A callback task waits on: the call's answer is only on record, the token completes it.
      if (task.token !== null) core.record(batch, exec, taskSubmitted(task.resource, result));
      else this.succeed(batch, exec, run, task, result);
    }
    core.commit(batch);
  }

  private startChildExecution(taskId: number): void {
    const core = this.core;
    const task = this.open.get(taskId);
    if (task === undefined || !task.invokePending || task.kind.kind !== 'start-execution') return;
    const exec = core.executions.get(task.executionArn);
    const run = core.runs.get(task.runId);
    if (exec === undefined || run === undefined) return;
    const mode = task.kind.mode;
    const args = task.request.args as Record<string, unknown>;
    const batch = new TransitionBatch();
    task.invokePending = false;
    batch.write(() => core.repo.markInvoked(task.id));
    const rawInput = args.Input;
    const input = rawInput === undefined ? '{}' : typeof rawInput === 'string' ? rawInput : JSON.stringify(rawInput);
    try {
      JSON.parse(input);
      // the parent's role must allow the start (states:StartExecution, and the .sync permissions)
      const refusal = this.authorizeChildStart?.({
        parentExecutionArn: exec.arn,
        stateMachineArn: String(args.StateMachineArn),
        mode,
      });
      if (refusal !== undefined) throw new SfnServiceError('AccessDenied', refusal);
      const started = core.startExecution(batch, {
        stateMachineArn: String(args.StateMachineArn),
        name: task.request.childName ?? randomUUID(),
        input,
        parentTaskId: mode === 'sync' || mode === 'sync2' ? task.id : null,
      });
      const startedResult = { ExecutionArn: started.executionArn, StartDate: started.startMs };
      if (mode === 'async') {
        this.succeed(batch, exec, run, task, startedResult);
      } else {
        task.childArn = started.executionArn;
        batch.write(() => core.repo.setChildExecution(task.id, started.executionArn));
        if (mode === 'callback') core.record(batch, exec, taskSubmitted(task.resource, startedResult));
      }
    } catch (error) {
      const name =
        error instanceof SfnServiceError
          ? `StepFunctions.${error.errorName}Exception`
          : 'StepFunctions.InvalidExecutionInputException';
      this.fail(batch, exec, run, task, name, describeError(error), 'TaskFailed');
    }
    core.commit(batch);
  }

  /** A `.sync` parent task completes with its child execution, with DescribeExecution's view of it. */
  childExecutionEnded(batch: TransitionBatch, child: LiveExecution, end: ExecutionEnd, stopMs: number): void {
    const task = child.parentTaskId === null ? undefined : this.open.get(child.parentTaskId);
    if (task === undefined || task.kind.kind !== 'start-execution') return;
    const mode = task.kind.mode;
    if (mode !== 'sync' && mode !== 'sync2') return;
    const parent = this.core.executions.get(task.executionArn);
    const run = this.core.runs.get(task.runId);
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
      this.succeed(batch, parent, run, task, description);
    } else {
      if (end.error !== undefined) description.Error = end.error;
      if (end.cause !== undefined) description.Cause = end.cause;
      this.fail(batch, parent, run, task, 'States.TaskFailed', JSON.stringify(description), 'TaskFailed');
    }
  }

  // ---------------------------------------------------------------- outcomes

  private close(batch: TransitionBatch, task: OpenTask, status: string): void {
    this.open.delete(task.id);
    if (task.token !== null) this.tokens.delete(task.token);
    batch.write(() => {
      this.core.repo.closeTask(task.id, status);
      this.core.repo.deleteTimersOfTask(task.id);
    });
    // A parent stopped mid-`.sync` stops its child too, as AWS does.
    if (
      status === 'ABORTED' &&
      task.childArn !== null &&
      task.kind.kind === 'start-execution' &&
      task.kind.mode !== 'callback'
    ) {
      const child = this.core.executions.get(task.childArn);
      if (child !== undefined)
        this.core.finishExecution(batch, child, {
          status: 'ABORTED',
          error: 'States.Aborted',
          cause: 'the parent execution stopped',
        });
    }
  }

  closeTasksOf(batch: TransitionBatch, which: (task: OpenTask) => boolean): void {
    for (const task of [...this.open.values()]) if (which(task)) this.close(batch, task, 'ABORTED');
  }

  private succeed(batch: TransitionBatch, exec: LiveExecution, run: Run, task: OpenTask, result: unknown): void {
    this.close(batch, task, 'SUCCEEDED');
    this.core.record(batch, exec, taskSucceeded(task.resource, task.kind.kind === 'lambda-arn', result));
    run.cursor.phase = 'complete';
    run.cursor.result = result;
    batch.schedule(run);
  }

  /** The task failed or timed out: close it, record why, and let Retry and Catch decide (the run's `error` phase). */
  private fail(
    batch: TransitionBatch,
    exec: LiveExecution,
    run: Run,
    task: OpenTask,
    error: string | undefined,
    cause: string | undefined,
    eventType: TaskFailureEvent,
  ): void {
    this.close(batch, task, eventType.endsWith('TimedOut') ? 'TIMED_OUT' : 'FAILED');
    this.core.record(batch, exec, taskFailed(eventType, task.resource, error, cause));
    run.cursor.phase = 'error';
    run.cursor.error = error;
    run.cursor.cause = cause;
    batch.schedule(run);
  }

  /** A task-timeout or heartbeat timer fired. */
  timedOut(batch: TransitionBatch, exec: LiveExecution, run: Run, timer: TimerRow): void {
    const task = timer.task_id === null ? undefined : this.open.get(timer.task_id);
    if (task === undefined) return;
    const heartbeat = timer.kind === 'heartbeat';
    const error = heartbeat ? 'States.HeartbeatTimeout' : 'States.Timeout';
    const cause = heartbeat
      ? 'The task sent no heartbeat within HeartbeatSeconds'
      : 'The task did not finish within TimeoutSeconds';
    this.fail(
      batch,
      exec,
      run,
      task,
      error,
      cause,
      task.kind.kind === 'lambda-arn' ? 'LambdaFunctionTimedOut' : 'TaskTimedOut',
    );
  }

  // ---------------------------------------------------------------- callbacks

  private taskForToken(token: string): OpenTask {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048)
      throw new SfnServiceError('InvalidToken', 'Invalid Token');
    const id = this.tokens.get(token);
    const task = id === undefined ? undefined : this.open.get(id);
    if (task !== undefined) return task;
    if (this.core.repo.tokenWasIssued(token)) throw new SfnServiceError('TaskTimedOut', TASK_GONE);
    if (!TOKEN_PATTERN.test(token)) throw new SfnServiceError('InvalidToken', 'Invalid Token');
    throw new SfnServiceError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  /** The waiting task of a token with its execution and run, or the error AWS gives for a token that is done. */
  private liveTask(token: string): { task: OpenTask; exec: LiveExecution; run: Run } {
    const task = this.taskForToken(token);
    const exec = this.core.executions.get(task.executionArn);
    const run = this.core.runs.get(task.runId);
    if (exec === undefined || run === undefined) throw new SfnServiceError('TaskTimedOut', TASK_GONE);
    return { task, exec, run };
  }

  sendTaskSuccess(token: string, output: unknown): Promise<void> {
    return this.core.exclusive(() => {
      const { task, exec, run } = this.liveTask(token);
      const batch = new TransitionBatch();
      this.succeed(batch, exec, run, task, output);
      this.core.commit(batch);
    });
  }

  sendTaskFailure(token: string, error: string | undefined, cause: string | undefined): Promise<void> {
    return this.core.exclusive(() => {
      const { task, exec, run } = this.liveTask(token);
      const batch = new TransitionBatch();
      this.fail(batch, exec, run, task, error ?? '', cause ?? '', 'TaskFailed');
      this.core.commit(batch);
    });
  }

  sendTaskHeartbeat(token: string): Promise<void> {
    return this.core.exclusive(() => {
      const task = this.taskForToken(token);
      const exec = this.core.executions.get(task.executionArn);
      if (exec === undefined) throw new SfnServiceError('TaskTimedOut', TASK_GONE);
      if (task.heartbeatSeconds === null) return;
      const batch = new TransitionBatch();
      batch.write(() => this.core.repo.deleteHeartbeatTimer(task.id));
      this.core.addTimer(
        batch,
        exec,
        this.core.clock.nowMs() + task.heartbeatSeconds * 1000,
        'heartbeat',
        task.runId,
        task.id,
      );
      this.core.commit(batch);
    });
  }
}

function childExecutionName(args: unknown): string | undefined {
  const name = (args as Record<string, unknown>).Name;
  return typeof name === 'string' ? name : undefined;
}

function checkTaskArguments(kind: TaskResource, args: unknown): void {
  const isObject = args !== null && typeof args === 'object' && !Array.isArray(args);
  if (
    kind.kind === 'lambda-invoke' &&
    (!isObject || typeof (args as Record<string, unknown>).FunctionName !== 'string')
  ) {
    throw new StateFailure('States.Runtime', 'lambda:invoke needs Arguments with a FunctionName string');
  }
  if (
    kind.kind === 'start-execution' &&
    (!isObject || typeof (args as Record<string, unknown>).StateMachineArn !== 'string')
  ) {
    throw new StateFailure('States.Runtime', 'states:startExecution needs Arguments with a StateMachineArn string');
  }
}

function lambdaCall(task: OpenTask): { functionName: string; payload: unknown } {
  if (task.kind.kind === 'lambda-arn') return { functionName: task.kind.functionArn, payload: task.request.args };
  const args = task.request.args as Record<string, unknown>;
  return { functionName: String(args.FunctionName), payload: args.Payload === undefined ? {} : args.Payload };
}
