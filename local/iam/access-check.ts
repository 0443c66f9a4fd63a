import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { localAccountId } from '../runtime/local-aws-identity.ts';
import { localAssumedRoleArn } from './local-arns.ts';
import type { RolePermissions } from './stack-permissions.ts';

/**
 * Decides whether a role may do an action on a resource, with @cloud-copilot/iam-simulate evaluating the
 * role's policy as IAM would (wildcards, conditions, explicit denies). A decision depends only on its
 * inputs, so each is computed once: a journey asks the same few questions thousands of times.
 */
export interface AccessRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

/** One action a role's policy grants, as the unused-grants report lists it. */
export interface Grant {
  readonly principal: string;
  readonly action: string;
}

export class AccessCheck {
  private readonly roles: ReadonlyMap<string, RolePermissions>;
  private readonly decisions = new Map<string, Promise<AccessDecision>>();
  private readonly used = new Set<string>();

  constructor(permissions: readonly RolePermissions[]) {
    this.roles = new Map(permissions.map((role) => [role.principal, role]));
  }

  knows(principal: string): boolean {
    return this.roles.has(principal);
  }

  decide(request: AccessRequest): Promise<AccessDecision> {
    return this.evaluateOnly(request).then((d) => {
      if (d.allowed) this.markUsed(request.principal, request.action);
      return d;
    });
  }

  markUsed(principal: string, action: string): void {
    this.used.add(`${principal} ${action.toLowerCase()}`);
  }

  /** the decision, without counting the grant as used */
  evaluateOnly(request: AccessRequest): Promise<AccessDecision> {
    const key = JSON.stringify([request.principal, request.action, request.resource, request.context ?? {}]);
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = this.evaluate(request);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /** Every action each role's policy allows (wildcards as written), for the unused-grants report. */
  grants(): Grant[] {
    const grants: Grant[] = [];
    for (const role of this.roles.values()) {
      for (const statement of role.policy.Statement) {
        if (statement.Effect !== 'Allow') continue;
        for (const action of [statement.Action].flat()) grants.push({ principal: role.principal, action });
      }
    }
    return grants;
  }

  /** `principal action` pairs that some allowed request used */
  usedGrants(): string[] {
    return [...this.used];
  }

  private async evaluate(request: AccessRequest): Promise<AccessDecision> {
    const role = this.roles.get(request.principal);
    const caller = localAssumedRoleArn(role?.roleName ?? request.principal);
    const denied = (reason: string): AccessDecision => ({
      allowed: false,
      message: `User: ${caller} is not authorized to perform: ${request.action} on resource: ${request.resource} ${reason}`,
    });
    if (role === undefined) return denied('because no identity-based policy allows the ' + request.action + ' action');
    const simulation: Simulation = {
      request: {
        principal: caller,
        action: request.action,
        resource: { resource: request.resource, accountId: localAccountId },
        contextVariables: { ...request.context },
      },
      identityPolicies: [{ name: role.roleName, policy: role.policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: undefined,
    };
    const result = await runSimulation(simulation, {});
    // AWS's service reference lists no resource type for a few actions the stack grants on a state machine
    // (states:SendTaskSuccess and its siblings: a task token names no resource). The validating run refuses
    // such a request; the same policy evaluation without the validation still applies every statement.
    const overall = result.resultType === 'error' ? runUnsafeSimulation(simulation, {}) : result.overallResult;
    if (overall === 'Allowed') return { allowed: true };
    return denied(
      overall === 'ExplicitlyDenied'
        ? `with an explicit deny in an identity-based policy`
        : `because no identity-based policy allows the ${request.action} action`,
    );
  }
}
