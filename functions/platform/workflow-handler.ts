import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { safeParseFields } from '../domain/schemas/parse.ts';
import { holdStopLog } from './hold-stop-log.ts';
import { invocationLogging } from './invocation-logging.ts';
import { logger } from './logger.ts';
import { InvalidTaskInput } from './platform-errors.ts';

/**
 * A state machine task: the event is parsed with the function's zod schema before the core runs, and
 * every error leaves with a stable `name`, which Step Functions uses as the task's Error so the ASL can
 * Catch it (`PatientOnHold`, `InvalidTaskInput`...).
 */
export function workflowHandler<Schema extends z.ZodMiniType, Result>(
  functionId: string,
  schema: Schema,
  core: (input: z.infer<Schema>, context: Context) => Promise<Result>,
) {
  return middy<unknown, Result>()
    .use(invocationLogging(functionId))
    .use({
      before: (request) => {
        const parsed = safeParseFields(schema, request.event);
        if (!parsed.success) throw new InvalidTaskInput(parsed.errors.map((e) => e.message).join('; '));
        request.event = parsed.data;
      },
      onError: (request) => {
        // ids and error names only: never the event, which may carry answers or names
        const details = { errorName: request.error?.name, errorMessage: request.error?.message };
        // a step that fails closed on a clinical hold is the safety rule working, not a fault
        if (request.error?.name === 'PatientOnHold') logger.warn(holdStopLog.message, details);
        else logger.error('task failed', details);
      },
    })
    .handler((event, context) => core(event as z.infer<Schema>, context));
}
