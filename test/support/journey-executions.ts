import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StopExecutionCommand,
  type ExecutionStatus,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { functionIdFromName } from '../../local/runtime/local-aws-identity.ts';
import { sfnClientFor } from './local-clinic.ts';
import { type EnrolledPatient, type JourneyDriver } from './journey-driver.ts';

/** The executions and scheduled function calls of one patient's journey, read from the local Step Functions service. */

export interface PatientExecution {
  readonly name: string;
  readonly executionArn: string;
  readonly stateMachine: string;
  readonly status: ExecutionStatus | undefined;
  readonly startDate: Date | undefined;
  readonly stopDate: Date | undefined;
}

/** The executions of this patient's journey: its own, its sessions', its refill cycles', their steps'. */
export async function executionsOf(driver: JourneyDriver, patient: EnrolledPatient): Promise<PatientExecution[]> {
  const sfn = sfnClientFor(driver.clinic);
  const found: PatientExecution[] = [];
  for (const machine of driver.clinic.stateMachines) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: machine.arn, ...(nextToken === undefined ? {} : { nextToken }) }),
      );
      for (const item of page.executions ?? []) {
        if (!(item.name ?? '').includes(patient.journeyId)) continue;
        found.push({
          name: item.name ?? '',
          executionArn: item.executionArn ?? '',
          stateMachine: machine.id,
          status: item.status,
          startDate: item.startDate,
          stopDate: item.stopDate,
        });
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return found;
}

/** Stops what still runs of a patient's journey, so its timers send nothing during the next run. */
export async function stopJourney(driver: JourneyDriver, patient: EnrolledPatient): Promise<void> {
  const sfn = sfnClientFor(driver.clinic);
  for (const execution of await executionsOf(driver, patient)) {
    if (execution.status !== 'RUNNING') continue;
    await sfn
      .send(
        new StopExecutionCommand({
          executionArn: execution.executionArn,
          error: 'PropertyRunOver',
          cause: 'the property run is over',
        }),
      )
      .catch(() => undefined);
  }
  await driver.settle();
}

export interface ScheduledInvocation {
  readonly functionId: string;
  readonly payload: unknown;
  readonly executionName: string;
  readonly at: Date;
  /** no later function call in the same execution: the one a Step Functions retry would repeat */
  readonly latestOfExecution: boolean;
}

/** Every workflow function call the engine made for this patient, with the payload it sent. */
export async function invocationsOf(driver: JourneyDriver, patient: EnrolledPatient): Promise<ScheduledInvocation[]> {
  const sfn = sfnClientFor(driver.clinic);
  const found: ScheduledInvocation[] = [];
  for (const execution of await executionsOf(driver, patient)) {
    let nextToken: string | undefined;
    const events: HistoryEvent[] = [];
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: execution.executionArn,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    const calls: ScheduledInvocation[] = [];
    for (const event of [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
      const details = event.taskScheduledEventDetails;
      if (event.type !== 'TaskScheduled' || details?.resourceType !== 'lambda' || details.parameters === undefined)
        continue;
      const parameters = JSON.parse(details.parameters) as { FunctionName?: string; Payload?: unknown };
      const functionId =
        parameters.FunctionName === undefined ? undefined : functionIdFromName(parameters.FunctionName);
      if (functionId === undefined) continue;
      calls.push({
        functionId,
        payload: parameters.Payload,
        executionName: execution.name,
        at: event.timestamp ?? new Date(0),
        latestOfExecution: false,
      });
    }
    found.push(...calls.map((call, index) => ({ ...call, latestOfExecution: index === calls.length - 1 })));
  }
  return found;
}
