/**
 * Every history event the engine writes, built in one place, in the shapes of AWS's
 * GetExecutionHistory (HistoryEvent and its *EventDetails). The engine stamps id and time.
 */
import { historyResource } from './task-resources.ts';

export interface HistoryEventDraft {
  readonly type: string;
  readonly details?: Record<string, unknown>;
}

export type ExecutionEnd =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED' | 'ABORTED' | 'TIMED_OUT'; error?: string; cause?: string };

const untruncated = { truncated: false } as const;

export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function executionStarted(input: string, roleArn: string): HistoryEventDraft {
  return {
    type: 'ExecutionStarted',
    details: { executionStartedEventDetails: { input, inputDetails: untruncated, roleArn } },
  };
}

/** An absent error or cause stays absent, as AWS leaves it out. */
export function executionEnded(end: ExecutionEnd): HistoryEventDraft {
  switch (end.status) {
    case 'SUCCEEDED':
      return {
        type: 'ExecutionSucceeded',
        details: { executionSucceededEventDetails: { output: end.output, outputDetails: untruncated } },
      };
    case 'FAILED':
      return {
        type: 'ExecutionFailed',
        details: { executionFailedEventDetails: { error: end.error, cause: end.cause } },
      };
    case 'ABORTED':
      return {
        type: 'ExecutionAborted',
        details: { executionAbortedEventDetails: { error: end.error, cause: end.cause } },
      };
    case 'TIMED_OUT':
      return {
        type: 'ExecutionTimedOut',
        details: { executionTimedOutEventDetails: { error: end.error, cause: end.cause } },
      };
  }
}

export function stateEntered(stateType: string, name: string, input: unknown): HistoryEventDraft {
  return {
    type: `${stateType}StateEntered`,
    details: { stateEnteredEventDetails: { name, input: json(input), inputDetails: untruncated } },
  };
}

export function stateExited(
  stateType: string,
  name: string,
  output: unknown,
  assigned?: Record<string, unknown>,
): HistoryEventDraft {
  const details: Record<string, unknown> = { name, output: json(output), outputDetails: untruncated };
  if (assigned !== undefined) {
    details.assignedVariables = Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, json(v)]));
    details.assignedVariablesDetails = untruncated;
  }
  return { type: `${stateType}StateExited`, details: { stateExitedEventDetails: details } };
}

/** AWS's EvaluationFailedEventDetails: the state, and `location`, the field that failed. */
export function evaluationFailed(state: string, cause: string, location: string | undefined): HistoryEventDraft {
  const details: Record<string, unknown> = { error: 'States.QueryEvaluationError', cause, state };
  if (location !== undefined) details.location = location;
  return { type: 'EvaluationFailed', details: { evaluationFailedEventDetails: details } };
}

// ---------------------------------------------------------------- Map and Parallel

export function mapStateStarted(length: number): HistoryEventDraft {
  return { type: 'MapStateStarted', details: { mapStateStartedEventDetails: { length } } };
}

export function mapIteration(
  outcome: 'Started' | 'Succeeded' | 'Failed' | 'Aborted',
  mapState: string,
  index: number,
): HistoryEventDraft {
  return {
    type: `MapIteration${outcome}`,
    details: { [`mapIteration${outcome}EventDetails`]: { name: mapState, index } },
  };
}

export function branchesEnded(stateType: 'Map' | 'Parallel', outcome: 'Succeeded' | 'Failed'): HistoryEventDraft {
  return { type: `${stateType}State${outcome}` };
}

export function parallelStateStarted(): HistoryEventDraft {
  return { type: 'ParallelStateStarted' };
}

// ---------------------------------------------------------------- tasks

export function lambdaFunctionScheduled(
  resource: string,
  input: unknown,
  timeoutInSeconds: number | undefined,
): HistoryEventDraft {
  const details: Record<string, unknown> = { resource, input: json(input), inputDetails: untruncated };
  if (timeoutInSeconds !== undefined) details.timeoutInSeconds = timeoutInSeconds;
  return { type: 'LambdaFunctionScheduled', details: { lambdaFunctionScheduledEventDetails: details } };
}

export function lambdaFunctionStarted(): HistoryEventDraft {
  return { type: 'LambdaFunctionStarted' };
}

export function taskScheduled(
  resource: string,
  region: string,
  parameters: unknown,
  timeoutInSeconds: number | undefined,
  heartbeatInSeconds: number | undefined,
): HistoryEventDraft {
  const details: Record<string, unknown> = { ...historyResource(resource), region, parameters: json(parameters) };
  if (timeoutInSeconds !== undefined) details.timeoutInSeconds = timeoutInSeconds;
  if (heartbeatInSeconds !== undefined) details.heartbeatInSeconds = heartbeatInSeconds;
  return { type: 'TaskScheduled', details: { taskScheduledEventDetails: details } };
}

export function taskStarted(resource: string): HistoryEventDraft {
  return { type: 'TaskStarted', details: { taskStartedEventDetails: historyResource(resource) } };
}

export function taskSubmitted(resource: string, output: unknown): HistoryEventDraft {
  return {
    type: 'TaskSubmitted',
    details: {
      taskSubmittedEventDetails: { ...historyResource(resource), output: json(output), outputDetails: untruncated },
    },
  };
}

export function taskSucceeded(resource: string, bareLambda: boolean, output: unknown): HistoryEventDraft {
  if (bareLambda)
    return {
      type: 'LambdaFunctionSucceeded',
      details: { lambdaFunctionSucceededEventDetails: { output: json(output), outputDetails: untruncated } },
    };
  return {
    type: 'TaskSucceeded',
    details: {
      taskSucceededEventDetails: { ...historyResource(resource), output: json(output), outputDetails: untruncated },
    },
  };
}

export type TaskFailureEvent = 'TaskFailed' | 'TaskTimedOut' | 'LambdaFunctionFailed' | 'LambdaFunctionTimedOut';

export function taskFailed(
  type: TaskFailureEvent,
  resource: string,
  error: string | undefined,
  cause: string | undefined,
): HistoryEventDraft {
  const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  const details = type.startsWith('Lambda') ? { error, cause } : { ...historyResource(resource), error, cause };
  return { type, details: { [key]: details } };
}
