import { cachedStackPermissions } from '../../local/iam/cached-stack-permissions.ts';
import type { RolePermissions } from '../../local/iam/stack-permissions.ts';
import { readLocalClinicConfig } from '../../local/runtime/start-local-clinic.ts';

/** The stack's roles as the local runtime reads them, for a test to take a grant away from. */
export function stackRoles(): Promise<RolePermissions[]> {
  return cachedStackPermissions(readLocalClinicConfig(), 'care-journeys');
}

/** The same roles with one action removed from one role's policy, as if the stack no longer granted it. */
export function withoutGrant(roles: readonly RolePermissions[], principal: string, action: string): RolePermissions[] {
  let removed = false;
  const result = roles.map((role) => {
    if (role.principal !== principal) return role;
    const Statement = role.policy.Statement.flatMap((statement) => {
      const actions = [statement.Action].flat();
      if (!actions.includes(action)) return [statement];
      removed = true;
      const rest = actions.filter((a) => a !== action);
      return rest.length === 0 ? [] : [{ ...statement, Action: rest }];
    });
    return { ...role, policy: { ...role.policy, Statement } };
  });
  if (!removed) throw new Error(`the stack does not grant ${action} to ${principal}: nothing to remove`);
  return result;
}
