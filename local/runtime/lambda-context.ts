import type { Context } from 'aws-lambda';
import { localFunctionArn, localFunctionName, localRegion } from './local-aws-identity.ts';

/** The context object Lambda hands a handler, with the deadline measured in real time as Lambda does. */
export function createLambdaContext(
  spec: { id: string; memoryMb: number },
  awsRequestId: string,
  deadlineMs: number,
): Context {
  const functionName = localFunctionName(spec.id);
  const unsupported = (what: string) => () => {
    throw new Error(`context.${what}() is not supported locally: return a value or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(spec.id),
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${localRegion}/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadlineMs - performance.now())),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
