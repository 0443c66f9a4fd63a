/** The in-memory mirror of what the engine keeps in SQLite for every live execution. */
import type { Definition, ScopePath } from './definition.ts';
import type { TaskResource } from './task-resources.ts';

export type RunStatus = 'RUNNING' | 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/**
 * Where a run stands. `enter`, `attempt`, `complete`, `error` and `children-done` are runnable (the
 * engine resumes them on start); `waiting` waits for a task, a timer or child runs.
 */
export interface Cursor {
  state: string;
  input: unknown;
  enteredMs: number;
  /** the id of the state's *StateEntered event, which AWS names in a cause */
  enteredEventId?: number;
  retries: number[];
  retryCount: number;
  phase: 'enter' | 'attempt' | 'waiting' | 'complete' | 'error' | 'children-done';
  result?: unknown;
  error?: string;
  cause?: string;
  taskId?: number;
  /** children (branches or iterations) not finished yet, and for Map the next iteration to launch */
  remaining?: number;
  nextIdx?: number;
  total?: number;
}

export interface Run {
  readonly id: number;
  readonly executionArn: string;
  readonly parentId: number | null;
  readonly scope: ScopePath;
  readonly idx: number;
  status: RunStatus;
  cursor: Cursor;
  vars: Record<string, unknown>;
  output?: string;
  error?: string;
  cause?: string;
  queued: boolean;
}

export interface LiveExecution {
  readonly arn: string;
  readonly smArn: string;
  readonly smName: string;
  readonly name: string;
  readonly roleArn: string;
  readonly input: unknown;
  readonly inputText: string;
  readonly startMs: number;
  readonly definition: Definition;
  readonly rootRunId: number;
  readonly parentTaskId: number | null;
  nextEventId: number;
}

export interface TaskRequest {
  readonly args: unknown;
  /** the child execution's name, fixed when scheduled so a re-issued start stays idempotent */
  readonly childName?: string;
}

export interface OpenTask {
  readonly id: number;
  readonly token: string | null;
  readonly runId: number;
  readonly executionArn: string;
  readonly stateName: string;
  readonly resource: string;
  readonly kind: TaskResource;
  readonly request: TaskRequest;
  childArn: string | null;
  readonly heartbeatSeconds: number | null;
  invokePending: boolean;
}

export interface StateFailureInfo {
  readonly error: string;
  readonly cause: string;
}

/** A state-level error (ASL error name and cause) that Retry and Catch may handle. */
export class StateFailure extends Error {
  readonly error: string;
  override readonly cause: string;
  constructor(error: string, cause: string) {
    super(`${error}: ${cause}`);
    this.error = error;
    this.cause = cause;
  }
}
