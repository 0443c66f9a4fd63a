import { executionAlarmPeriod, executionEndAlarms } from '../../lib/operations-alarms.ts';
import { asDate } from '../console/execution-timeline.ts';
import type { LocalStepFunctions } from '../sfn/contract.ts';
import type { DeployedStateMachine } from './deploy-state-machines.ts';

/**
 * The stack's alarms on executions that ended badly (lib/operations-alarms.ts), evaluated on the local
 * engine's executions at the virtual time: `<machine id>-failed` is in ALARM while an execution of that
 * state machine failed within the alarm's period, as CloudWatch would raise it on `ExecutionsFailed`
 * (which counts by period; here the period ends now). What `GET /_local/alarms` answers.
 */
export interface ExecutionAlarmState {
  readonly alarm: string;
  readonly state: 'ALARM' | 'OK';
  readonly description: string;
  /** the executions that ended so within the period, newest first */
  readonly executions: readonly string[];
}

interface ListedExecution {
  readonly executionArn: string;
  readonly stopDate?: unknown;
}

export async function executionAlarmStates(
  engine: LocalStepFunctions,
  stateMachines: readonly DeployedStateMachine[],
  now: Date,
): Promise<ExecutionAlarmState[]> {
  const since = now.getTime() - executionAlarmPeriod.toMilliseconds();
  const states: ExecutionAlarmState[] = [];
  for (const machine of stateMachines) {
    for (const kind of executionEndAlarms) {
      const executions: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = (await engine.call('ListExecutions', {
          stateMachineArn: machine.arn,
          statusFilter: kind.status,
          maxResults: 1000,
          ...(nextToken === undefined ? {} : { nextToken }),
        })) as {
          executions?: ListedExecution[];
          nextToken?: string;
        };
        for (const execution of page.executions ?? []) {
          const stopped = asDate(execution.stopDate)?.getTime();
          if (stopped !== undefined && stopped > since && stopped <= now.getTime())
            executions.push(execution.executionArn);
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      states.push({
        alarm: `${machine.id}-${kind.suffix}`,
        state: executions.length > 0 ? 'ALARM' : 'OK',
        description: kind.description(machine.id),
        executions,
      });
    }
  }
  return states;
}
