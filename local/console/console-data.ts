import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import type { SentEmail } from '../services/ses-local.ts';
import type { LocalStepFunctions, UsageCounts } from '../sfn/contract.ts';
import type { LocalUsage } from '../runtime/local-usage.ts';
import { asDate, buildTimeline, type HistoryEvent, type TimelineStep } from './execution-timeline.ts';
import { readPendingLinks, type PendingLinksResult } from './pending-links.ts';

/** Everything the console page shows, read at the moment the page is asked for. */
export interface ConsoleData {
  readonly now: Date;
  readonly speed: number;
  readonly clinic: ClinicConfig;
  readonly urls: {
    readonly app: string;
    readonly sfn: string;
    readonly dynamodb: string;
    readonly ses: string;
    readonly sesViewer: string;
  };
  readonly stateMachines: readonly { name: string; arn: string }[];
  readonly executions: readonly ExecutionView[];
  readonly executionsNotShown: number;
  readonly pendingLinks: PendingLinksResult;
  readonly emails: readonly SentEmail[];
  readonly usage: LocalUsage;
}

export interface ExecutionView {
  readonly name: string;
  readonly arn: string;
  readonly stateMachineName: string;
  readonly status: string;
  readonly startedAt: Date | undefined;
  readonly stoppedAt: Date | undefined;
  readonly steps: readonly TimelineStep[];
  readonly usage: UsageCounts | undefined;
}

export interface ConsoleSources {
  readonly engine: LocalStepFunctions;
  readonly clinic: ClinicConfig;
  readonly speed: number;
  readonly urls: ConsoleData['urls'];
  /** DynamoDB Local itself (not the metering proxy) */
  readonly dynamoDbEndpoint: string;
  readonly tableName: string;
  listEmails(): Promise<SentEmail[]>;
  usage(): Promise<LocalUsage>;
}

const executionsShown = 25;

interface ListedExecution {
  executionArn: string;
  stateMachineArn?: string;
  name: string;
  status: string;
  startDate?: unknown;
  stopDate?: unknown;
}

export async function gatherConsoleData(sources: ConsoleSources): Promise<ConsoleData> {
  const { engine } = sources;
  const machines =
    (
      (await engine.call('ListStateMachines', { maxResults: 1000 })) as {
        stateMachines?: { name: string; stateMachineArn: string }[];
      }
    ).stateMachines ?? [];
  const listed: (ListedExecution & { stateMachineName: string })[] = [];
  const seen = new Set<string>();
  for (const machine of machines) {
    // the running ones on their own first, so a busy clinic's finished executions cannot crowd them out
    for (const filter of [{ statusFilter: 'RUNNING' }, {}]) {
      const page = (await engine.call('ListExecutions', {
        stateMachineArn: machine.stateMachineArn,
        maxResults: 100,
        ...filter,
      })) as { executions?: ListedExecution[] };
      for (const execution of page.executions ?? []) {
        if (seen.has(execution.executionArn)) continue;
        seen.add(execution.executionArn);
        listed.push({ ...execution, stateMachineName: machine.name });
      }
    }
  }
  // running first (they are what one watches), then the most recent
  listed.sort(
    (a, b) =>
      Number(b.status === 'RUNNING') - Number(a.status === 'RUNNING') ||
      (asDate(b.startDate)?.getTime() ?? 0) - (asDate(a.startDate)?.getTime() ?? 0),
  );
  const usage = await sources.usage();
  const executions: ExecutionView[] = [];
  for (const execution of listed.slice(0, executionsShown)) {
    // the newest events, so a long journey still shows where it is now
    const history = (await engine.call('GetExecutionHistory', {
      executionArn: execution.executionArn,
      maxResults: 1000,
      reverseOrder: true,
    })) as {
      events?: HistoryEvent[];
    };
    executions.push({
      name: execution.name,
      arn: execution.executionArn,
      stateMachineName: execution.stateMachineName,
      status: execution.status,
      startedAt: asDate(execution.startDate),
      stoppedAt: asDate(execution.stopDate),
      steps: buildTimeline([...(history.events ?? [])].reverse()),
      usage: usage.stepFunctions.byExecution[execution.executionArn],
    });
  }
  const [pendingLinks, emails] = await Promise.all([
    readPendingLinks(sources.dynamoDbEndpoint, sources.tableName),
    sources.listEmails(),
  ]);
  return {
    now: engine.now(),
    speed: sources.speed,
    clinic: sources.clinic,
    urls: sources.urls,
    stateMachines: machines.map((m) => ({ name: m.name, arn: m.stateMachineArn })),
    executions,
    executionsNotShown: Math.max(0, listed.length - executionsShown),
    pendingLinks,
    emails,
    usage,
  };
}
