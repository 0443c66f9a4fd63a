import { SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';

/**
 * Completes a waiting workflow step. The SDK reads AWS_ENDPOINT_URL_SFN, so locally this reaches the
 * local Step Functions service without the function knowing.
 */
let client: SFNClient | undefined;
function sfn(): SFNClient {
  client ??= new SFNClient({});
  return client;
}

export type CallbackOutcome = 'delivered' | 'step-no-longer-waiting';

/** A token whose step already ended (timed out, failed by a hold, answered) is not an error for the caller. */
const stepGoneErrors = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export async function completeStep(taskToken: string, output: unknown): Promise<CallbackOutcome> {
  try {
    await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return 'delivered';
  } catch (error) {
    if (error instanceof Error && stepGoneErrors.has(error.name)) return 'step-no-longer-waiting';
    throw error;
  }
}

export async function failStep(taskToken: string, errorName: string, cause: string): Promise<CallbackOutcome> {
  try {
    await sfn().send(new SendTaskFailureCommand({ taskToken, error: errorName, cause }));
    return 'delivered';
  } catch (error) {
    if (error instanceof Error && stepGoneErrors.has(error.name)) return 'step-no-longer-waiting';
    throw error;
  }
}
