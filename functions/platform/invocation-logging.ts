import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { holdStopLog } from './hold-stop-log.ts';
import { logger } from './logger.ts';

/**
 * Every log line of an invocation carries the Lambda request id, cold start and function name (so an
 * operator can follow one invocation) and our catalogue id (the dimension of the hold-stop metric);
 * nothing appended during one invocation leaks into the next.
 */
export function invocationLogging(functionId: string): MiddlewareObj[] {
  return [
    injectLambdaContext(logger, { resetKeys: true }),
    {
      before: () => {
        logger.appendKeys({ [holdStopLog.functionIdField]: functionId });
      },
    },
  ];
}
