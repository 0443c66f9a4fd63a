/** The Task resources the engine runs; anything else is refused at CreateStateMachine. */
export type TaskResource =
  | { readonly kind: 'lambda-invoke'; readonly callback: boolean }
  | { readonly kind: 'lambda-arn'; readonly functionArn: string }
  | { readonly kind: 'start-execution'; readonly mode: 'async' | 'sync' | 'sync2' | 'callback' };

const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;

const INTEGRATIONS: Record<string, TaskResource> = {
  'arn:aws:states:::lambda:invoke': { kind: 'lambda-invoke', callback: false },
  'arn:aws:states:::lambda:invoke.waitForTaskToken': { kind: 'lambda-invoke', callback: true },
  'arn:aws:states:::states:startExecution': { kind: 'start-execution', mode: 'async' },
  'arn:aws:states:::states:startExecution.sync': { kind: 'start-execution', mode: 'sync' },
  'arn:aws:states:::states:startExecution.sync:2': { kind: 'start-execution', mode: 'sync2' },
  'arn:aws:states:::states:startExecution.waitForTaskToken': { kind: 'start-execution', mode: 'callback' },
};

export const SUPPORTED_RESOURCES = [...Object.keys(INTEGRATIONS), 'arn:aws:lambda:<region>:<account>:function:<name>'];

export function classifyResource(resource: string): TaskResource | undefined {
  const known = INTEGRATIONS[resource];
  if (known !== undefined) return known;
  if (LAMBDA_FUNCTION_ARN.test(resource)) return { kind: 'lambda-arn', functionArn: resource };
  return undefined;
}

/** The resourceType/resource pair AWS writes in Task* history events. */
export function historyResource(resource: string): { resourceType: string; resource: string } {
  const match = /^arn:aws:states:::([a-z]+):(.+)$/.exec(resource);
  if (match?.[1] !== undefined && match[2] !== undefined) return { resourceType: match[1], resource: match[2] };
  return { resourceType: 'lambda', resource };
}
