/**
 * Every SQL statement the engine and the API run, behind typed methods: the rest of the engine reads
 * and writes rows through here and never writes SQL. Statements are prepared once (EngineStore.sql).
 */
import type { Run } from './engine-model.ts';
import type {
  EngineStore,
  EventRow,
  ExecutionRow,
  RunRow,
  StateMachineRow,
  TaskRow,
  TimerRow,
  UsageRow,
} from './store.ts';
import type { UsageCounts } from './contract.ts';

export type TimerKind = 'exec-timeout' | 'wait' | 'retry' | 'task-timeout' | 'heartbeat';

export interface NewExecution {
  readonly arn: string;
  readonly smArn: string;
  readonly smName: string;
  readonly name: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly input: string;
  readonly startMs: number;
  readonly rootRunId: number;
  readonly parentTaskId: number | null;
  readonly seq: number;
}

export interface NewTask {
  readonly id: number;
  readonly token: string | null;
  readonly runId: number;
  readonly executionArn: string;
  readonly stateName: string;
  readonly resource: string;
  readonly request: string;
  readonly heartbeatSeconds: number | null;
}

export interface ExecutionEndRow {
  readonly status: string;
  readonly stopMs: number;
  readonly output: string | null;
  readonly error: string | null;
  readonly cause: string | null;
}

export class EngineRepository {
  readonly store: EngineStore;

  constructor(store: EngineStore) {
    this.store = store;
  }

  transaction(work: () => void): void {
    this.store.transaction(work);
  }

  // ---------------------------------------------------------------- ids and the clock

  maxRunId(): number {
    return (this.store.sql('SELECT COALESCE(MAX(id), 0) AS m FROM runs').get() as { m: number }).m;
  }

  maxTaskId(): number {
    return (this.store.sql('SELECT COALESCE(MAX(id), 0) AS m FROM tasks').get() as { m: number }).m;
  }

  maxTimerId(): number {
    return (this.store.sql('SELECT COALESCE(MAX(id), 0) AS m FROM timers').get() as { m: number }).m;
  }

  savedClockMs(): number | undefined {
    const row = this.store.sql("SELECT value FROM meta WHERE key = 'clock_ms'").get() as { value: string } | undefined;
    return row === undefined ? undefined : Number(row.value);
  }

  saveClockMs(ms: number): void {
    this.store
      .sql(
        "INSERT INTO meta (key, value) VALUES ('clock_ms', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(String(ms));
  }

  /** the time of the latest history event of any execution */
  latestEventMs(): number {
    return (this.store.sql('SELECT COALESCE(MAX(ts_ms), 0) AS m FROM events').get() as { m: number }).m;
  }

  maxExecutionSeq(): number {
    return (this.store.sql('SELECT COALESCE(MAX(seq), 0) AS m FROM executions').get() as { m: number }).m;
  }

  // ---------------------------------------------------------------- state machines

  stateMachine(arn: string): StateMachineRow | undefined {
    return this.store.sql('SELECT * FROM state_machines WHERE arn = ?').get(arn) as StateMachineRow | undefined;
  }

  insertStateMachine(row: {
    arn: string;
    name: string;
    definition: string;
    roleArn: string;
    type: string;
    createdMs: number;
  }): void {
    this.store
      .sql(
        'INSERT INTO state_machines (arn, name, definition, role_arn, type, created_ms, revision) VALUES (?, ?, ?, ?, ?, ?, 1)',
      )
      .run(row.arn, row.name, row.definition, row.roleArn, row.type, row.createdMs);
  }

  updateStateMachine(
    arn: string,
    change: { definition: string; roleArn: string; updatedMs: number; revision: number },
  ): void {
    this.store
      .sql('UPDATE state_machines SET definition = ?, role_arn = ?, updated_ms = ?, revision = ? WHERE arn = ?')
      .run(change.definition, change.roleArn, change.updatedMs, change.revision, arn);
  }

  stateMachinePage(limit: number, offset: number): StateMachineRow[] {
    return this.store
      .sql('SELECT * FROM state_machines ORDER BY name LIMIT ? OFFSET ?')
      .all(limit, offset) as unknown as StateMachineRow[];
  }

  deleteStateMachine(arn: string): void {
    this.store.sql('DELETE FROM state_machines WHERE arn = ?').run(arn);
  }

  /** true when the machine exists or once had executions (they outlive a deleted machine, as on AWS) */
  isKnownStateMachine(arn: string): boolean {
    return (
      this.store
        .sql('SELECT 1 AS x FROM state_machines WHERE arn = ? UNION SELECT 1 FROM executions WHERE sm_arn = ? LIMIT 1')
        .get(arn, arn) !== undefined
    );
  }

  // ---------------------------------------------------------------- executions

  execution(arn: string): ExecutionRow | undefined {
    return this.store.sql('SELECT * FROM executions WHERE arn = ?').get(arn) as ExecutionRow | undefined;
  }

  runningExecutions(): ExecutionRow[] {
    return this.store.sql("SELECT * FROM executions WHERE status = 'RUNNING'").all() as unknown as ExecutionRow[];
  }

  executionPage(smArn: string, status: string | undefined, limit: number, offset: number): ExecutionRow[] {
    const rows =
      status === undefined
        ? this.store
            .sql('SELECT * FROM executions WHERE sm_arn = ? ORDER BY seq DESC LIMIT ? OFFSET ?')
            .all(smArn, limit, offset)
        : this.store
            .sql('SELECT * FROM executions WHERE sm_arn = ? AND status = ? ORDER BY seq DESC LIMIT ? OFFSET ?')
            .all(smArn, status, limit, offset);
    return rows as unknown as ExecutionRow[];
  }

  insertExecution(e: NewExecution): void {
    this.store
      .sql(
        `INSERT INTO executions (arn, sm_arn, sm_name, name, definition, role_arn, input, status, start_ms, root_run, parent_task, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?)`,
      )
      .run(
        e.arn,
        e.smArn,
        e.smName,
        e.name,
        e.definition,
        e.roleArn,
        e.input,
        e.startMs,
        e.rootRunId,
        e.parentTaskId,
        e.seq,
      );
  }

  endExecution(arn: string, end: ExecutionEndRow): void {
    this.store
      .sql('UPDATE executions SET status = ?, stop_ms = ?, output = ?, error = ?, cause = ? WHERE arn = ?')
      .run(end.status, end.stopMs, end.output, end.error, end.cause, arn);
  }

  // ---------------------------------------------------------------- history

  lastEventId(executionArn: string): number {
    return (
      this.store.sql('SELECT COALESCE(MAX(id), 0) AS m FROM events WHERE execution_arn = ?').get(executionArn) as {
        m: number;
      }
    ).m;
  }

  insertEvent(executionArn: string, id: number, tsMs: number, type: string, details: string | null): void {
    this.store
      .sql('INSERT INTO events (execution_arn, id, ts_ms, type, details) VALUES (?, ?, ?, ?, ?)')
      .run(executionArn, id, tsMs, type, details);
  }

  eventPage(executionArn: string, reverse: boolean, limit: number, offset: number): EventRow[] {
    const sql = reverse
      ? 'SELECT * FROM events WHERE execution_arn = ? ORDER BY id DESC LIMIT ? OFFSET ?'
      : 'SELECT * FROM events WHERE execution_arn = ? ORDER BY id ASC LIMIT ? OFFSET ?';
    return this.store.sql(sql).all(executionArn, limit, offset) as unknown as EventRow[];
  }

  // ---------------------------------------------------------------- runs

  liveRuns(): RunRow[] {
    return this.store
      .sql("SELECT * FROM runs WHERE status IN ('RUNNING', 'PENDING') ORDER BY id")
      .all() as unknown as RunRow[];
  }

  upsertRun(run: Run): void {
    this.store
      .sql(
        `INSERT INTO runs (id, execution_arn, parent_id, scope, idx, status, cursor, vars, output, error, cause)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, cursor = excluded.cursor, vars = excluded.vars,
           output = excluded.output, error = excluded.error, cause = excluded.cause`,
      )
      .run(
        run.id,
        run.executionArn,
        run.parentId,
        JSON.stringify(run.scope),
        run.idx,
        run.status,
        JSON.stringify(run.cursor),
        JSON.stringify(run.vars),
        run.output ?? null,
        run.error ?? null,
        run.cause ?? null,
      );
  }

  /** The outputs of a run's succeeded children (branches or iterations), in their order. */
  childOutputs(parentRunId: number): (string | null)[] {
    const rows = this.store
      .sql("SELECT output FROM runs WHERE parent_id = ? AND status = 'SUCCEEDED' ORDER BY idx")
      .all(parentRunId) as { output: string | null }[];
    return rows.map((r) => r.output);
  }

  deleteDescendantRuns(runId: number): void {
    this.store
      .sql(
        `WITH RECURSIVE d(id) AS (SELECT id FROM runs WHERE parent_id = ? UNION ALL SELECT r.id FROM runs r JOIN d ON r.parent_id = d.id)
         DELETE FROM runs WHERE id IN (SELECT id FROM d)`,
      )
      .run(runId);
  }

  // ---------------------------------------------------------------- tasks

  runningTasks(): TaskRow[] {
    return this.store.sql("SELECT * FROM tasks WHERE status = 'RUNNING'").all() as unknown as TaskRow[];
  }

  insertTask(t: NewTask): void {
    this.store
      .sql(
        `INSERT INTO tasks (id, token, run_id, execution_arn, state_name, resource, status, request, child_arn, heartbeat_seconds, invoke_pending)
         VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?, NULL, ?, 1)`,
      )
      .run(t.id, t.token, t.runId, t.executionArn, t.stateName, t.resource, t.request, t.heartbeatSeconds);
  }

  markInvoked(taskId: number): void {
    this.store.sql('UPDATE tasks SET invoke_pending = 0 WHERE id = ?').run(taskId);
  }

  setChildExecution(taskId: number, childArn: string): void {
    this.store.sql('UPDATE tasks SET child_arn = ? WHERE id = ?').run(childArn, taskId);
  }

  closeTask(taskId: number, status: string): void {
    this.store.sql('UPDATE tasks SET status = ?, invoke_pending = 0 WHERE id = ?').run(status, taskId);
  }

  /** whether a token was ever handed out (a closed task's token answers TaskTimedOut, an unknown one TaskDoesNotExist) */
  tokenWasIssued(token: string): boolean {
    return this.store.sql('SELECT status FROM tasks WHERE token = ?').get(token) !== undefined;
  }

  // ---------------------------------------------------------------- timers

  insertTimer(
    id: number,
    dueMs: number,
    kind: TimerKind,
    runId: number | null,
    taskId: number | null,
    executionArn: string,
  ): void {
    this.store
      .sql('INSERT INTO timers (id, due_ms, kind, run_id, task_id, execution_arn) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, dueMs, kind, runId, taskId, executionArn);
  }

  nextTimer(): TimerRow | undefined {
    return this.store.sql('SELECT * FROM timers ORDER BY due_ms, id LIMIT 1').get() as TimerRow | undefined;
  }

  timerExists(id: number): boolean {
    return this.store.sql('SELECT id FROM timers WHERE id = ?').get(id) !== undefined;
  }

  deleteTimer(id: number): void {
    this.store.sql('DELETE FROM timers WHERE id = ?').run(id);
  }

  deleteTimersOfExecution(executionArn: string): void {
    this.store.sql('DELETE FROM timers WHERE execution_arn = ?').run(executionArn);
  }

  deleteTimersOfRun(runId: number): void {
    this.store.sql('DELETE FROM timers WHERE run_id = ?').run(runId);
  }

  deleteTimersOfTask(taskId: number): void {
    this.store.sql('DELETE FROM timers WHERE task_id = ?').run(taskId);
  }

  deleteHeartbeatTimer(taskId: number): void {
    this.store.sql("DELETE FROM timers WHERE task_id = ? AND kind = 'heartbeat'").run(taskId);
  }

  // ---------------------------------------------------------------- usage

  allUsage(): UsageRow[] {
    return this.store.sql('SELECT * FROM usage').all() as unknown as UsageRow[];
  }

  upsertUsage(executionArn: string, u: UsageCounts): void {
    this.store
      .sql(
        `INSERT INTO usage (execution_arn, transitions, invocations, duration_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (execution_arn) DO UPDATE SET transitions = excluded.transitions,
           invocations = excluded.invocations, duration_ms = excluded.duration_ms`,
      )
      .run(executionArn, u.stateTransitions, u.lambdaInvocations, u.lambdaDurationMs);
  }
}
