import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { logger } from '../functions/platform/logger.ts';
import { workflowHandler } from '../functions/platform/workflow-handler.ts';
import { linesLoggedBy } from './support/captured-logs.ts';

function lambdaContext(awsRequestId: string): Context {
  return {
    awsRequestId,
    functionName: 'CareJourneys-Schedule',
    functionVersion: '$LATEST',
    memoryLimitInMB: '256',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:CareJourneys-Schedule',
  } as Context;
}

describe('invocation logging', () => {
  it('every line names its invocation and the function, and keys appended in one invocation do not reach the next', async () => {
    let call = 0;
    const handler = workflowHandler('schedule', z.object({}), async () => {
      call += 1;
      if (call === 1) logger.appendKeys({ stepKey: 'session-1-check-in' });
      logger.warn('working');
      return {};
    });

    const first = await linesLoggedBy(() => handler({}, lambdaContext('request-1')));
    const second = await linesLoggedBy(() => handler({}, lambdaContext('request-2')));

    expect(first).toEqual([
      expect.objectContaining({
        message: 'working',
        function_request_id: 'request-1',
        functionId: 'schedule',
        stepKey: 'session-1-check-in',
      }),
    ]);
    expect(second).toEqual([
      expect.objectContaining({ message: 'working', function_request_id: 'request-2', functionId: 'schedule' }),
    ]);
    expect(second[0]).not.toHaveProperty('stepKey');
  });
});
