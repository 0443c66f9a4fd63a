import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';

/** One event of an execution's history, with the state it belongs to (the state last entered before it). */
export interface StatedEvent {
  readonly event: HistoryEvent;
  readonly state: string;
}

/**
 * Every event of an execution, with its data (GetExecutionHistory with includeExecutionData), each named
 * with the state it happened in: a task's scheduling, result and failure follow its StateEntered event.
 */
export async function executionHistory(sfn: SFNClient, executionArn: string): Promise<StatedEvent[]> {
  const events: StatedEvent[] = [];
  let state = '(execution)';
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        includeExecutionData: true,
        maxResults: 1000,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    for (const event of page.events ?? []) {
      state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? state;
      events.push({ event, state });
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/** A field of an event's details, by its path: `taskSucceededEventDetails.output` and the like. */
export interface EventField {
  readonly path: string;
  readonly value: string;
}

/** The string fields of an event's details (input, output, parameters, cause, each assigned variable...). */
export function eventFields(event: HistoryEvent): EventField[] {
  const fields: EventField[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') fields.push({ path, value });
    else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, inner] of Object.entries(value)) visit(inner, `${path}.${key}`);
    }
  };
  for (const [key, details] of Object.entries(event)) if (key.endsWith('EventDetails')) visit(details, key);
  return fields;
}
