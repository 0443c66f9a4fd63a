/**
 * The engine's SQLite file: definitions, executions, runs (an execution's top level, each Parallel
 * branch and each Map iteration), history events, task tokens, timers, usage and the virtual clock.
 * WAL with synchronous=NORMAL survives a killed process, which is the failure the local runtime meets.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state_machines (
  arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, role_arn TEXT NOT NULL,
  type TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER, revision INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS executions (
  arn TEXT PRIMARY KEY, sm_arn TEXT NOT NULL, sm_name TEXT NOT NULL, name TEXT NOT NULL,
  definition TEXT NOT NULL, role_arn TEXT NOT NULL, input TEXT NOT NULL, status TEXT NOT NULL,
  start_ms INTEGER NOT NULL, stop_ms INTEGER, output TEXT, error TEXT, cause TEXT,
  root_run INTEGER NOT NULL, parent_task INTEGER, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS executions_by_machine ON executions (sm_arn, seq);
CREATE INDEX IF NOT EXISTS executions_by_status ON executions (status);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, execution_arn TEXT NOT NULL, parent_id INTEGER, scope TEXT NOT NULL,
  idx INTEGER NOT NULL, status TEXT NOT NULL, cursor TEXT NOT NULL, vars TEXT NOT NULL,
  output TEXT, error TEXT, cause TEXT);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status);
CREATE INDEX IF NOT EXISTS runs_by_parent ON runs (parent_id, idx);
CREATE TABLE IF NOT EXISTS events (
  execution_arn TEXT NOT NULL, id INTEGER NOT NULL, ts_ms INTEGER NOT NULL, type TEXT NOT NULL,
  details TEXT, PRIMARY KEY (execution_arn, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY, token TEXT UNIQUE, run_id INTEGER NOT NULL, execution_arn TEXT NOT NULL,
  state_name TEXT NOT NULL, resource TEXT NOT NULL, status TEXT NOT NULL, request TEXT NOT NULL,
  child_arn TEXT, heartbeat_seconds INTEGER, invoke_pending INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tasks_by_status ON tasks (status);
CREATE INDEX IF NOT EXISTS tasks_by_child ON tasks (child_arn);
CREATE TABLE IF NOT EXISTS timers (
  id INTEGER PRIMARY KEY, due_ms INTEGER NOT NULL, kind TEXT NOT NULL, run_id INTEGER,
  task_id INTEGER, execution_arn TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS timers_by_due ON timers (due_ms, id);
CREATE INDEX IF NOT EXISTS timers_by_task ON timers (task_id);
CREATE INDEX IF NOT EXISTS timers_by_run ON timers (run_id);
CREATE INDEX IF NOT EXISTS timers_by_execution ON timers (execution_arn);
CREATE TABLE IF NOT EXISTS usage (
  execution_arn TEXT PRIMARY KEY, transitions INTEGER NOT NULL, invocations INTEGER NOT NULL,
  duration_ms REAL NOT NULL);
`;

export interface StateMachineRow {
  arn: string;
  name: string;
  definition: string;
  role_arn: string;
  type: string;
  created_ms: number;
  updated_ms: number | null;
  revision: number;
}

export interface ExecutionRow {
  arn: string;
  sm_arn: string;
  sm_name: string;
  name: string;
  definition: string;
  role_arn: string;
  input: string;
  status: string;
  start_ms: number;
  stop_ms: number | null;
  output: string | null;
  error: string | null;
  cause: string | null;
  root_run: number;
  parent_task: number | null;
  seq: number;
}

export interface RunRow {
  id: number;
  execution_arn: string;
  parent_id: number | null;
  scope: string;
  idx: number;
  status: string;
  cursor: string;
  vars: string;
  output: string | null;
  error: string | null;
  cause: string | null;
}

export interface TaskRow {
  id: number;
  token: string | null;
  run_id: number;
  execution_arn: string;
  state_name: string;
  resource: string;
  status: string;
  request: string;
  child_arn: string | null;
  heartbeat_seconds: number | null;
  invoke_pending: number;
}

export interface TimerRow {
  id: number;
  due_ms: number;
  kind: string;
  run_id: number | null;
  task_id: number | null;
  execution_arn: string;
}

export interface EventRow {
  execution_arn: string;
  id: number;
  ts_ms: number;
  type: string;
  details: string | null;
}

export interface UsageRow {
  execution_arn: string;
  transitions: number;
  invocations: number;
  duration_ms: number;
}

export class EngineStore {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(path: string) {
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
  }

  /** Prepared once per SQL text: a transition must not pay for parsing SQL. Only EngineRepository writes SQL. */
  sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  transaction(work: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }
}
