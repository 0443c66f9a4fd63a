/** ARNs shaped like AWS's, so clients that parse them (console links, logs) keep working. */
export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function isValidResourceName(name: string): boolean {
  return NAME.test(name);
}

export function stateMachineArn(ctx: ArnContext, name: string): string {
  return `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
}

export function executionArn(ctx: ArnContext, stateMachineName: string, executionName: string): string {
  return `arn:aws:states:${ctx.region}:${ctx.accountId}:execution:${stateMachineName}:${executionName}`;
}

export function parseStateMachineArn(arn: string): { name: string } | undefined {
  const match = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})$/.exec(arn);
  return match?.[1] === undefined ? undefined : { name: match[1] };
}

export function parseExecutionArn(arn: string): { stateMachineName: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:([A-Za-z0-9_-]{1,80}):([A-Za-z0-9_-]{1,80})$/.exec(
    arn,
  );
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { stateMachineName: match[1], name: match[2] };
}
