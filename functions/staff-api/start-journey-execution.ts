import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { functionEnvironment } from '../platform/environment.ts';

let client: SFNClient | undefined;

export class JourneyWorkflowNotConfigured extends Error {
  override readonly name = 'JourneyWorkflowNotConfigured';
}

/**
 * Starts the patient's journey under the name `journey-<journeyId>`: Step Functions refuses a second
 * execution of that name, so a retried enrolment can never start two journeys.
 */
export async function startJourneyExecution(
  patientId: string,
  journeyId: string,
): Promise<{ executionName: string; started: boolean }> {
  const arn = functionEnvironment().stateMachineArns.journey;
  if (arn === undefined) throw new JourneyWorkflowNotConfigured('JOURNEY_STATE_MACHINE_ARN is not set');
  const executionName = `journey-${journeyId}`;
  client ??= new SFNClient({});
  try {
    await client.send(
      new StartExecutionCommand({
        stateMachineArn: arn,
        name: executionName,
        input: JSON.stringify({ patientId, journeyId }),
      }),
    );
    return { executionName, started: true };
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') return { executionName, started: false };
    throw error;
  }
}
