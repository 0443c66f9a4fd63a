/**
 * After a restart: the live state (running executions, their runs, open tasks, usage) read back from
 * the file, so every execution resumes where its last committed transition left it.
 */
import type { UsageCounts } from './contract.ts';
import type { Definition, ScopePath } from './definition.ts';
import type { Cursor, LiveExecution, Run, RunStatus } from './engine-model.ts';
import type { EngineRepository } from './engine-repository.ts';
import type { TaskRow } from './store.ts';

export interface RecoveredState {
  readonly usage: Map<string, UsageCounts>;
  readonly executions: LiveExecution[];
  readonly runs: Run[];
  /** open tasks, for Tasks.restore (which calls again any call a crash cut off) */
  readonly tasks: TaskRow[];
}

export function recoverLiveState(
  repo: EngineRepository,
  parseDefinition: (text: string) => Definition,
): RecoveredState {
  const usage = new Map<string, UsageCounts>();
  for (const row of repo.allUsage()) {
    usage.set(row.execution_arn, {
      stateTransitions: row.transitions,
      lambdaInvocations: row.invocations,
      lambdaDurationMs: row.duration_ms,
    });
  }
  const executions = repo.runningExecutions().map((row): LiveExecution => ({
    arn: row.arn,
    smArn: row.sm_arn,
    smName: row.sm_name,
    name: row.name,
    roleArn: row.role_arn,
    input: JSON.parse(row.input) as unknown,
    inputText: row.input,
    startMs: row.start_ms,
    definition: parseDefinition(row.definition),
    rootRunId: row.root_run,
    parentTaskId: row.parent_task,
    nextEventId: repo.lastEventId(row.arn) + 1,
  }));
  const runs = repo.liveRuns().map((row): Run => ({
    id: row.id,
    executionArn: row.execution_arn,
    parentId: row.parent_id,
    scope: JSON.parse(row.scope) as ScopePath,
    idx: row.idx,
    status: row.status as RunStatus,
    cursor: JSON.parse(row.cursor) as Cursor,
    vars: JSON.parse(row.vars) as Record<string, unknown>,
    queued: false,
  }));
  return { usage, executions, runs, tasks: repo.runningTasks() };
}
