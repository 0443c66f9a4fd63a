/**
 * The names and ARNs the local runtime gives things, shaped like the ones CDK would create, so an ASL
 * file or a handler never needs to know which world it runs in.
 */
export const localRegion = 'us-east-1';
export const localAccountId = '000000000000';
export const localRoleArn = `arn:aws:iam::${localAccountId}:role/care-journeys-local`;
const prefix = 'care-journeys';

export function localFunctionName(functionId: string): string {
  return `${prefix}-${functionId}`;
}

export function localFunctionArn(functionId: string): string {
  return `arn:aws:lambda:${localRegion}:${localAccountId}:function:${localFunctionName(functionId)}`;
}

export function localStateMachineName(stateMachineId: string): string {
  return `${prefix}-${stateMachineId}`;
}

export function localStateMachineArn(stateMachineId: string): string {
  return `arn:aws:states:${localRegion}:${localAccountId}:stateMachine:${localStateMachineName(stateMachineId)}`;
}

/** `refill-cycle` → `REFILL_CYCLE_STATE_MACHINE_ARN`, the variable functions/platform/environment.ts reads */
export function stateMachineArnVariable(stateMachineId: string): string {
  return `${stateMachineId.toUpperCase().replace(/-/g, '_')}_STATE_MACHINE_ARN`;
}

/**
 * The function id a Lambda FunctionName refers to, in any form Lambda accepts: `name`, `name:qualifier`,
 * `account:function:name`, or the full ARN with or without a qualifier. Undefined when it is not ours.
 */
export function functionIdFromName(functionNameOrArn: string): string | undefined {
  const parts = functionNameOrArn.split(':');
  let name: string | undefined;
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    if (parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
    if (parts[3] !== localRegion || parts[4] !== localAccountId) return undefined;
    name = parts[6];
  } else if (parts[1] === 'function') {
    if (parts[0] !== localAccountId) return undefined;
    name = parts[2];
  } else {
    name = parts[0];
  }
  if (name === undefined || !name.startsWith(`${prefix}-`)) return undefined;
  return name.slice(prefix.length + 1);
}
