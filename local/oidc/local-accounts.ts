import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import { portalClaims, type PortalRole } from '../../functions/portal/portal-user.ts';

/**
 * The people who can sign in to the local clinic: its clinicians and its staff, from the clinic config
 * (local/clinic.local.json). Their tokens carry the same claims a Cognito user of the stack carries
 * (`cognito:groups`, `custom:clinician_id`), so the portal reads both the same way.
 */
export interface LocalAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: PortalRole;
  readonly clinicianId?: string;
}

/** One password for every local account: these people exist only on this machine, with made-up data. */
export const localPassword = 'local-clinic';

export function localAccounts(clinic: ClinicConfig): LocalAccount[] {
  return [
    ...clinic.clinicians.map((c): LocalAccount => ({
      id: c.id,
      name: c.name,
      email: c.email,
      role: 'clinician',
      clinicianId: c.id,
    })),
    ...(clinic.staff ?? []).map((s): LocalAccount => ({ id: s.id, name: s.name, email: s.email, role: 'staff' })),
  ];
}

export function claimsOf(account: LocalAccount): Record<string, unknown> {
  return {
    sub: account.id,
    name: account.name,
    email: account.email,
    email_verified: true,
    ...portalClaims(account.role, account.clinicianId),
  };
}
