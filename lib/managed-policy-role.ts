import {
  ManagedPolicy,
  Role,
  type AddToPrincipalPolicyResult,
  type PolicyStatement,
  type RoleProps,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A role whose every permission, including those CDK adds itself (tracing, logging),
 * lives in one customer-managed policy of its own rather than an inline policy: HIPAA Security's
 * IAMNoInlinePolicy asks for policies that can be listed, versioned and reviewed on their own.
 */
export class ManagedPolicyRole extends Role {
  readonly permissions: ManagedPolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id, props);
    this.permissions = new ManagedPolicy(this, 'Permissions', { roles: [this] });
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.permissions.addStatements(statement);
    return { statementAdded: true, policyDependable: this.permissions };
  }
}
