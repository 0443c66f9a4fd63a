import type { AccessCheck } from '../iam/access-check.ts';
import { functionIdFromAuthorization } from './function-credentials.ts';
import type { FrontAnswer, FrontGuard } from './guarded-front.ts';

/**
 * The Step Functions API as a function's role sees it: each action is authorized against the state
 * machine or execution it names. A task token is opaque (locally as on AWS it does not name its state
 * machine), so SendTask* is allowed when the role may send task results to any of the state machines.
 */
const taskResults = new Set(['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']);

export function sfnGuard(options: {
  readonly access: AccessCheck;
  readonly stateMachineArns: readonly string[];
}): FrontGuard {
  return async (request) => {
    const functionId = functionIdFromAuthorization(request.headers.authorization);
    if (functionId === undefined) return undefined;
    const action = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const resources = taskResults.has(action)
      ? options.stateMachineArns
      : [String(body.executionArn ?? body.stateMachineArn ?? body.activityArn ?? '*')];
    let refusal: string | undefined;
    for (const resource of resources) {
      const decision = await options.access.decide({
        principal: `function:${functionId}`,
        action: `states:${action}`,
        resource,
      });
      if (decision.allowed) return undefined;
      refusal ??= decision.message;
    }
    return denied(refusal ?? `no state machine to authorize states:${action} against`);
  };
}

function denied(message: string): FrontAnswer {
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': crypto.randomUUID() },
    body: JSON.stringify({ __type: 'AccessDeniedException', message }),
  };
}
