/**
 * Who is signed in to the portal, read from the ID token's claims. The claim names are Cognito's
 * (`cognito:groups`, and the user pool's custom attribute `custom:clinician_id`, which ties a user to
 * the clinic config's clinician by id); the local OpenID provider issues the same claims, so one code
 * path reads both.
 */
export const portalRoles = ['clinician', 'staff', 'admin'] as const;
export type PortalRole = (typeof portalRoles)[number];

export const groupsClaim = 'cognito:groups';
export const clinicianIdClaim = 'custom:clinician_id';

export interface PortalUser {
  /** the provider's subject */
  readonly sub: string;
  readonly name: string;
  readonly role: PortalRole;
  /** set only for a clinician: the clinic config's id */
  readonly clinicianId?: string;
}

export class NotAPortalUser extends Error {
  override readonly name = 'NotAPortalUser';
}

/** The claims an account of this role carries (the local provider issues these). */
export function portalClaims(role: PortalRole, clinicianId?: string): Record<string, unknown> {
  return { [groupsClaim]: [role], ...(clinicianId === undefined ? {} : { [clinicianIdClaim]: clinicianId }) };
}

/**
 * The user the verified claims describe. A user in several groups acts in the narrowest one that
 * lets them sign in (clinician before staff before admin), so an admin who is also a clinician
 * decides as that clinician. A clinician must name a clinician of the clinic config.
 */
export function portalUserFrom(claims: Record<string, unknown>, clinicianIds: ReadonlySet<string>): PortalUser {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') throw new NotAPortalUser('the token has no subject');
  const groups = Array.isArray(claims[groupsClaim])
    ? (claims[groupsClaim] as unknown[]).filter((g): g is string => typeof g === 'string')
    : [];
  const role = portalRoles.find((r) => groups.includes(r));
  if (role === undefined) throw new NotAPortalUser('the user is in none of the groups clinician, staff, admin');
  const name =
    typeof claims['name'] === 'string' ? claims['name'] : typeof claims['email'] === 'string' ? claims['email'] : sub;
  if (role !== 'clinician') return { sub, name, role };
  const clinicianId = claims[clinicianIdClaim];
  if (typeof clinicianId !== 'string' || !clinicianIds.has(clinicianId))
    throw new NotAPortalUser('the clinician is not one of the clinic config');
  return { sub, name, role, clinicianId };
}
