import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { LocalClinic } from '../local/runtime/start-local-clinic.ts';
import { sfnClientFor } from '../test/support/local-clinic.ts';

/**
 * The bytes Step Functions would write to CloudWatch Logs for one journey. The stack logs every
 * execution at level ALL with execution data (lib/journey-workflows.ts), which is one log record per
 * history event carrying its input or output; the record's size is estimated as the event's JSON plus
 * the execution ARN each record names. Events are attributed to the virtual time they happened at, so a
 * caller can split the bytes along the same milestones as the usage counters.
 */
export interface TimedBytes {
  /** virtual time of the event */
  readonly at: number;
  readonly bytes: number;
}

export async function executionLogRecords(clinic: LocalClinic, executionNamePrefix: string): Promise<TimedBytes[]> {
  const sfn = sfnClientFor(clinic);
  const records: TimedBytes[] = [];
  for (const machine of clinic.stateMachines) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.arn, nextToken }));
      for (const execution of page.executions ?? []) {
        if (execution.executionArn === undefined || !(execution.name ?? '').startsWith(executionNamePrefix)) continue;
        for (const event of await historyOf(sfn, execution.executionArn)) {
          const record = { ...event, execution_arn: execution.executionArn };
          records.push({
            at: event.timestamp?.getTime() ?? 0,
            bytes: Buffer.byteLength(JSON.stringify(record), 'utf8'),
          });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return records;
}

async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/** Bytes of the records in (from, to], or [from, to] for the first stretch of a journey. */
export function bytesBetween(records: readonly TimedBytes[], from: Date, to: Date, includeStart = false): number {
  return records
    .filter((r) => (includeStart ? r.at >= from.getTime() : r.at > from.getTime()) && r.at <= to.getTime())
    .reduce((sum, r) => sum + r.bytes, 0);
}
