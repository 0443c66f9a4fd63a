/**
 * Turns an execution's history (GetExecutionHistory events, AWS shapes) into what a clinic engineer
 * wants to read: the states it went through, when, and what the current one waits for.
 */
export interface TimelineStep {
  readonly name: string;
  /** Task, Wait, Choice, Map... as the event type says */
  readonly kind: string;
  readonly enteredAt: Date | undefined;
  exitedAt: Date | undefined;
  status: 'running' | 'done' | 'failed';
  /** for a running step: what it is waiting for */
  waitingFor: string | undefined;
  /** the error that ended or retried it */
  error: string | undefined;
}

export interface HistoryEvent {
  readonly type?: string;
  readonly timestamp?: unknown;
  readonly stateEnteredEventDetails?: { name?: string };
  readonly stateExitedEventDetails?: { name?: string };
  readonly taskScheduledEventDetails?: { resource?: string; resourceType?: string };
  readonly taskFailedEventDetails?: { error?: string; cause?: string };
  readonly taskTimedOutEventDetails?: { error?: string; cause?: string };
  readonly lambdaFunctionFailedEventDetails?: { error?: string; cause?: string };
  readonly executionFailedEventDetails?: { error?: string; cause?: string };
}

/** Timestamps arrive as Date (SDK), epoch seconds (JSON protocol) or ISO strings. */
export function asDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

export function buildTimeline(events: readonly HistoryEvent[]): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const running = (): TimelineStep | undefined => steps.findLast((step) => step.status === 'running');
  for (const event of events) {
    const type = event.type ?? '';
    const at = asDate(event.timestamp);
    if (type.endsWith('StateEntered')) {
      const kind = type.slice(0, -'StateEntered'.length);
      steps.push({
        name: event.stateEnteredEventDetails?.name ?? '(unnamed)',
        kind,
        enteredAt: at,
        exitedAt: undefined,
        status: 'running',
        waitingFor: kind === 'Wait' ? 'the clock' : kind === 'Map' || kind === 'Parallel' ? 'its branches' : undefined,
        error: undefined,
      });
    } else if (type.endsWith('StateExited')) {
      const name = event.stateExitedEventDetails?.name;
      const step = steps.findLast((s) => s.status === 'running' && s.name === name);
      if (step !== undefined) {
        step.status = 'done';
        step.exitedAt = at;
        step.waitingFor = undefined;
      }
    } else if (type === 'TaskScheduled') {
      const step = running();
      const resource = event.taskScheduledEventDetails?.resource ?? '';
      if (step !== undefined)
        step.waitingFor = resource.includes('waitForTaskToken')
          ? 'a callback (a person acting on a link)'
          : resource.startsWith('startExecution')
            ? 'a nested execution'
            : 'a function';
    } else if (type === 'TaskSubmitted') {
      const step = running();
      if (step !== undefined && step.waitingFor === undefined) step.waitingFor = 'a callback';
    } else if (type === 'TaskFailed' || type === 'TaskTimedOut' || type === 'LambdaFunctionFailed') {
      const details =
        event.taskFailedEventDetails ?? event.taskTimedOutEventDetails ?? event.lambdaFunctionFailedEventDetails;
      const step = running();
      if (step !== undefined) step.error = [details?.error, details?.cause].filter(Boolean).join(': ') || type;
    } else if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted') {
      const step = running();
      if (step !== undefined) {
        step.status = 'failed';
        step.exitedAt = at;
        step.waitingFor = undefined;
        step.error ??=
          [event.executionFailedEventDetails?.error, event.executionFailedEventDetails?.cause]
            .filter(Boolean)
            .join(': ') || type;
      }
    }
  }
  return steps;
}
