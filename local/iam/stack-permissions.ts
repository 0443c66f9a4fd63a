import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { functionCatalogue } from '../../functions/catalogue.ts';
import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import { stateMachineCatalogue } from '../../statemachines/definitions.ts';
import { addCareJourneysStack, cdkJsonContext } from '../../lib/care-journeys-app.ts';
import { ManagedPolicyRole } from '../../lib/managed-policy-role.ts';
import { stateMachineName } from '../../lib/workflow-arns.ts';
import { localAccountId, localFunctionArn, localRegion, localStateMachineName } from '../runtime/local-aws-identity.ts';
import { localTableArn } from './local-arns.ts';

/**
 * The permissions of every function's and state machine's role, taken from the very CDK app `cdk deploy`
 * ships: the stack is built (functions not bundled, nag packs off), each role's managed policy is resolved
 * to the CloudFormation JSON synth writes, and the references in it are replaced by the local runtime's
 * names for the same things. No second list of permissions exists anywhere.
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: PolicyStatement[];
}

export interface RolePermissions {
  /** `function:<id>` or `state-machine:<id>` */
  readonly principal: string;
  readonly roleName: string;
  readonly policy: PolicyDocument;
}

export class UnresolvedReferenceError extends Error {
  override readonly name = 'UnresolvedReferenceError';
}

type Cfn = unknown;

export interface StackPermissionsOptions {
  readonly clinic: ClinicConfig;
  readonly tableName: string;
  /** changes the stack before its policies are read: how a test removes a permission */
  readonly alter?: (stack: ReturnType<typeof addCareJourneysStack>) => void;
}

export function stackPermissions(options: StackPermissionsOptions): RolePermissions[] {
  // bundling-stacks [] skips esbuild: the policies do not depend on the code bundles
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, autoSynth: false });
  const stack = addCareJourneysStack(app, { clinic: options.clinic, nag: false });
  options.alter?.(stack);

  const localValues = new Map<string, string>();
  const logicalId = (element: unknown): string => stack.getLogicalId(element as CfnElement);
  localValues.set(`${logicalId(stack.data.table.node.defaultChild)}.Arn`, localTableArn(options.tableName));
  localValues.set(logicalId(stack.data.table.node.defaultChild), options.tableName);
  for (const spec of functionCatalogue) {
    localValues.set(`${logicalId(stack.functions.get(spec.id).node.defaultChild)}.Arn`, localFunctionArn(spec.id));
    localValues.set(logicalId(stack.functions.get(spec.id).node.defaultChild), `care-journeys-${spec.id}`);
  }
  const renames = stateMachineCatalogue.map(
    (spec) => [stateMachineName(stack, spec.id), localStateMachineName(spec.id)] as const,
  );

  const resolve = (value: Cfn): Cfn => resolveIntrinsics(value, localValues, renames);
  const roles: { principal: string; role: IRole }[] = [
    ...functionCatalogue.map((spec) => ({
      principal: `function:${spec.id}`,
      role: stack.functions.get(spec.id).role as IRole,
    })),
    ...[...stack.workflows.byId].map(([id, machine]) => ({ principal: `state-machine:${id}`, role: machine.role })),
  ];
  return roles.map(({ principal, role }) => {
    if (!(role instanceof ManagedPolicyRole))
      throw new UnresolvedReferenceError(
        `${principal}: its role keeps its permissions elsewhere than its managed policy`,
      );
    const document = resolve(Stack.of(role).resolve(role.permissions.document)) as PolicyDocument;
    return { principal, roleName: `care-journeys-${principal.replace(':', '-')}`, policy: document };
  });
}

/**
 * Ref, Fn::GetAtt and Fn::Join as CloudFormation evaluates them, with the local runtime's values. A
 * reference to something the local runtime does not have (a KMS key, a log group) resolves to a name that
 * matches no local request, so a grant on it stays unused rather than failing the start.
 */
function resolveIntrinsics(
  value: Cfn,
  localValues: ReadonlyMap<string, string>,
  renames: readonly (readonly [string, string])[],
): Cfn {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': localRegion,
    'AWS::AccountId': localAccountId,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const walk = (v: Cfn): Cfn => {
    if (typeof v === 'string')
      return renames.reduce((text, [stackName, localName]) => text.replaceAll(`:${stackName}`, `:${localName}`), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    if (entries.length === 1) {
      const [key, arg] = entries[0] as [string, Cfn];
      if (key === 'Ref' && typeof arg === 'string')
        return pseudo[arg] ?? localValues.get(arg) ?? `local-unresolved:${arg}`;
      if (key === 'Fn::GetAtt' && Array.isArray(arg))
        return localValues.get(`${String(arg[0])}.${String(arg[1])}`) ?? `arn:aws:local:::unresolved/${String(arg[0])}`;
      if (key === 'Fn::Join' && Array.isArray(arg))
        return walk((arg[1] as Cfn[]).map((part) => walk(part)).join(String(arg[0])));
      if (key.startsWith('Fn::'))
        throw new UnresolvedReferenceError(`the local runtime does not resolve ${key} in a role policy`);
    }
    return Object.fromEntries(entries.map(([k, inner]) => [k, walk(inner)]));
  };
  return walk(value);
}
