import { localAccountId, localRegion } from '../runtime/local-aws-identity.ts';

/** The ARNs requests to the local services are authorized against, shaped as AWS shapes them. */
export function localTableArn(tableName: string): string {
  return `arn:aws:dynamodb:${localRegion}:${localAccountId}:table/${tableName}`;
}

export function localTableIndexArn(tableName: string, indexName: string): string {
  return `${localTableArn(tableName)}/index/${indexName}`;
}

export function localSesIdentityArn(identity: string): string {
  return `arn:aws:ses:${localRegion}:${localAccountId}:identity/${identity}`;
}

export function localSesConfigurationSetArn(name: string): string {
  return `arn:aws:ses:${localRegion}:${localAccountId}:configuration-set/${name}`;
}

export function localExecutionArn(stateMachineName: string, executionName: string): string {
  return `arn:aws:states:${localRegion}:${localAccountId}:execution:${stateMachineName}:${executionName}`;
}

export function localAssumedRoleArn(roleName: string): string {
  return `arn:aws:sts::${localAccountId}:assumed-role/${roleName}/${roleName}`;
}

export function localRoleArnFor(roleName: string): string {
  return `arn:aws:iam::${localAccountId}:role/${roleName}`;
}
