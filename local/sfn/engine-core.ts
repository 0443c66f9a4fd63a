/**
 * What the engine's parts (state actions, Retry/Catch, branches, tasks) may use of the engine: its
 * live runs and executions, the clock, the evaluator, and the few operations every part needs.
 * `Engine` implements it; the parts never reach past it.
 */
import type { ArnContext } from './arns.ts';
import type { StateDef } from './definition.ts';
import type { LiveExecution, Run } from './engine-model.ts';
import type { EngineRepository, TimerKind } from './engine-repository.ts';
import type { ExecutionEnd, HistoryEventDraft } from './history-events.ts';
import type { TemplateEvaluator } from './jsonata-eval.ts';
import type { TransitionBatch } from './transition-batch.ts';
import type { VirtualClock } from './virtual-clock.ts';

export interface RunEnd {
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

export interface EngineCore {
  readonly repo: EngineRepository;
  readonly clock: VirtualClock;
  readonly evaluator: TemplateEvaluator;
  readonly arns: ArnContext;
  readonly runs: Map<number, Run>;
  readonly executions: Map<string, LiveExecution>;
  /** a fresh run id (branches and iterations are runs) */
  nextRunId(): number;
  /** writes a history event in `batch` and returns its id */
  record(batch: TransitionBatch, exec: LiveExecution, event: HistoryEventDraft): number;
  addTimer(
    batch: TransitionBatch,
    exec: LiveExecution,
    dueMs: number,
    kind: TimerKind,
    runId: number | null,
    taskId: number | null,
  ): void;
  countTransition(batch: TransitionBatch, exec: LiveExecution): void;
  countInvocation(batch: TransitionBatch, executionArn: string, durationMs: number): void;
  /** closes the open tasks of a run that stops (a failed sibling branch, a stopped execution) */
  closeTasksOfRun(batch: TransitionBatch, exec: LiveExecution, runId: number): void;
  stateOf(exec: LiveExecution, run: Run): StateDef;
  finishRun(batch: TransitionBatch, exec: LiveExecution, run: Run, status: 'SUCCEEDED' | 'FAILED', end: RunEnd): void;
  finishExecution(batch: TransitionBatch, exec: LiveExecution, end: ExecutionEnd): void;
  startExecution(
    batch: TransitionBatch,
    request: { stateMachineArn: string; name: string; input: string; parentTaskId: number | null },
  ): { executionArn: string; startMs: number };
  commit(batch: TransitionBatch): void;
  exclusive<T>(work: () => Promise<T> | T): Promise<T>;
}
