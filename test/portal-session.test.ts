import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mayAct, withCsrfInForms } from '../functions/portal/clinician-sign-in.ts';
import {
  csrfFieldOf,
  csrfMatches,
  isOpen,
  newSession,
  sessionCookie,
  sessionCookieName,
  sessionFrom,
  sessionIdleMs,
  sessionMaxAgeMs,
  withoutCsrfField,
} from '../functions/portal/portal-session.ts';
import { NotAPortalUser, portalClaims, portalUserFrom } from '../functions/portal/portal-user.ts';
import { portalHome, safeReturnPath } from '../functions/portal/return-path.ts';
import { sealValue, unsealValue } from '../functions/portal/sealed-cookie.ts';
import { readLocalClinicConfig } from '../local/runtime/start-local-clinic.ts';

/** The portal's rules as plain values: the return path, the session's limits, the cookie's seal, who may act on a link. */
const key = randomBytes(32);
const signedInAt = new Date('2026-01-05T14:00:00.000Z');
const at = (ms: number) => new Date(signedInAt.getTime() + ms);
const rivera = newSession(
  { sub: 'dr-rivera', name: 'Dr. Ana Rivera', role: 'clinician', clinicianId: 'dr-rivera' },
  signedInAt,
);
const cookieOf = (setCookie: string) => [setCookie.split(';')[0] as string];
const token = 'A'.repeat(43);

describe('the return path after sign-in', () => {
  it.each([
    [`/c/${token}`, `/c/${token}`],
    [`/c/${token}?calendar`, `/c/${token}?calendar`],
    ['/portal', '/portal'],
    ['/portal/decisions', '/portal/decisions'],
    ['https://evil.example/portal', portalHome],
    ['//evil.example', portalHome],
    ['/\\evil.example', portalHome],
    ['/%2F%2Fevil.example', portalHome],
    ['/portal/../staff/patients', portalHome],
    [`/c/${token}?next=//evil.example`, portalHome],
    [`/c/${token.slice(1)}`, portalHome],
    ['/p/' + token, portalHome],
    ['javascript:alert(1)', portalHome],
    ['/portal\n', portalHome],
    ['', portalHome],
    [undefined, portalHome],
  ])('%j returns to %j', (raw, expected) => {
    expect(safeReturnPath(raw)).toBe(expected);
  });
});

describe('the session', () => {
  it('is open until 30 idle minutes, a millisecond short of which it still is', () => {
    expect(isOpen(rivera, at(sessionIdleMs - 1))).toBe(true);
    expect(isOpen(rivera, at(sessionIdleMs))).toBe(false);
  });

  it('ends 12 hours after sign-in however recently it was seen', () => {
    const seenJustNow = { ...rivera, seenAt: at(sessionMaxAgeMs - 1000).getTime() };
    expect(isOpen(seenJustNow, at(sessionMaxAgeMs - 1))).toBe(true);
    expect(isOpen(seenJustNow, at(sessionMaxAgeMs))).toBe(false);
  });

  it('moves its idle limit on with each cookie it sets, and never sets one past 12 hours', () => {
    const later = at(20 * 60_000);
    const refreshed = sessionFrom(cookieOf(sessionCookie(rivera, key, later, true)), key, at(45 * 60_000));
    expect(refreshed?.seenAt).toBe(later.getTime());
    expect(sessionCookie(rivera, key, at(sessionMaxAgeMs - 60_000), true)).toMatch(/Max-Age=60;/);
  });

  it('is read back from its cookie, and from nothing else: another key, another name, a flipped byte', () => {
    const cookie = cookieOf(sessionCookie(rivera, key, signedInAt, true));
    expect(sessionFrom(cookie, key, signedInAt)?.clinicianId).toBe('dr-rivera');
    expect(sessionFrom(cookie, randomBytes(32), signedInAt)).toBeUndefined();
    const sealedAsOther = sealValue(key, 'cj_signin', { ...rivera });
    expect(sessionFrom([`${sessionCookieName}=${sealedAsOther}`], key, signedInAt)).toBeUndefined();
    const value = (cookie[0] as string).slice(sessionCookieName.length + 1);
    const bytes = Buffer.from(value, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(unsealValue(key, sessionCookieName, bytes.toString('base64url'))).toBeUndefined();
  });

  it('is Secure except where the portal says it runs on plain-http loopback', () => {
    expect(sessionCookie(rivera, key, signedInAt, true)).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    expect(sessionCookie(rivera, key, signedInAt, false)).toMatch(/; HttpOnly; SameSite=Lax$/);
  });
});

describe('the CSRF token', () => {
  it("matches only the session's own", () => {
    expect(csrfMatches(rivera, rivera.csrf)).toBe(true);
    expect(csrfMatches(rivera, newSession(rivera, signedInAt).csrf)).toBe(false);
    expect(csrfMatches(rivera, undefined)).toBe(false);
    expect(csrfMatches(rivera, '')).toBe(false);
  });

  it('is read from a form and taken out of it, leaving the other bytes as sent', () => {
    const body = `purpose=eligibility&csrf=${rivera.csrf}&note=caf%C3%A9+%FF`;
    expect(csrfFieldOf(body)).toBe(rivera.csrf);
    expect(withoutCsrfField(body)).toBe('purpose=eligibility&note=caf%C3%A9+%FF');
    const bytes = Buffer.from([...Buffer.from(`csrf=${rivera.csrf}&note=`), 0xff]);
    expect([...(withoutCsrfField(bytes) as Uint8Array)]).toEqual([...Buffer.from('note='), 0xff]);
  });

  it('is written into every POST form of a page, and nowhere else', () => {
    const page = '<form method="post" novalidate><input name="a"></form><form method="get"></form>';
    expect(withCsrfInForms(page, 'tok')).toBe(
      '<form method="post" novalidate><input type="hidden" name="csrf" value="tok"><input name="a"></form><form method="get"></form>',
    );
  });
});

describe("who may act on a clinician's link", () => {
  const clinic = {
    ...readLocalClinicConfig(),
    clinicians: [
      ...readLocalClinicConfig().clinicians,
      { id: 'dr-okafor', name: 'Dr. Ife Okafor', email: 'ife.okafor@example.org' },
    ],
  };
  const as = (role: 'clinician' | 'staff' | 'admin', clinicianId?: string) =>
    newSession({ sub: 'x', name: 'x', role, ...(clinicianId === undefined ? {} : { clinicianId }) }, signedInAt);

  it.each([
    ['the addressee', as('clinician', 'dr-rivera'), true],
    ["the addressee's backup", as('clinician', 'dr-chen'), true],
    ['another clinician', as('clinician', 'dr-okafor'), false],
    ['staff', as('staff'), false],
    ['an admin', as('admin'), false],
  ])('%s: %s', (_who, session, allowed) => {
    expect(mayAct(session, 'dr-rivera', clinic)).toBe(allowed);
  });
});

describe('the user a token describes', () => {
  const clinicians = new Set(['dr-rivera']);

  it('is a clinician of the clinic config, a member of staff, or refused', () => {
    expect(portalUserFrom({ sub: 's1', name: 'Ana', ...portalClaims('clinician', 'dr-rivera') }, clinicians)).toEqual({
      sub: 's1',
      name: 'Ana',
      role: 'clinician',
      clinicianId: 'dr-rivera',
    });
    expect(portalUserFrom({ sub: 's2', ...portalClaims('staff') }, clinicians).role).toBe('staff');
    expect(() => portalUserFrom({ sub: 's3', ...portalClaims('clinician', 'dr-nobody') }, clinicians)).toThrow(
      NotAPortalUser,
    );
    expect(() => portalUserFrom({ sub: 's4', 'cognito:groups': ['patients'] }, clinicians)).toThrow(NotAPortalUser);
    expect(() => portalUserFrom({ ...portalClaims('staff') }, clinicians)).toThrow(NotAPortalUser);
  });
});
