import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { portalRoles, type PortalUser } from './portal-user.ts';
import { clearCookie, cookieValue, sealValue, setCookie, unsealValue } from './sealed-cookie.ts';

/**
 * The portal's session: who signed in, when, when they were last seen, and their CSRF token, sealed in
 * one cookie (no server-side store to keep or to leak). It ends 12 hours after sign-in whatever
 * happens, and after 30 minutes without a request; each request seen moves the idle limit on. Times are
 * the functions' clock (`now()`), so the local runtime's virtual clock expires sessions as AWS would.
 */
export const sessionCookieName = 'cj_session';
export const sessionMaxAgeMs = 12 * 3600_000;
export const sessionIdleMs = 30 * 60_000;

const sessionSchema = z.object({
  v: z.literal(1),
  sub: z.string(),
  name: z.string(),
  role: z.enum(portalRoles),
  clinicianId: z.optional(z.string()),
  csrf: z.string().check(z.minLength(20)),
  issuedAt: z.number(),
  seenAt: z.number(),
});
export type PortalSession = z.infer<typeof sessionSchema>;

export function newSession(user: PortalUser, at: Date): PortalSession {
  return {
    v: 1,
    sub: user.sub,
    name: user.name,
    role: user.role,
    ...(user.clinicianId === undefined ? {} : { clinicianId: user.clinicianId }),
    csrf: randomBytes(24).toString('base64url'),
    issuedAt: at.getTime(),
    seenAt: at.getTime(),
  };
}

/** The session the request's cookie carries, if it is ours, whole and still open at `at`. */
export function sessionFrom(cookies: readonly string[] | undefined, key: Buffer, at: Date): PortalSession | undefined {
  const raw = cookieValue(cookies, sessionCookieName);
  if (raw === undefined || raw === '') return undefined;
  const parsed = sessionSchema.safeParse(unsealValue(key, sessionCookieName, raw));
  if (!parsed.success) return undefined;
  return isOpen(parsed.data, at) ? parsed.data : undefined;
}

export function isOpen(session: PortalSession, at: Date): boolean {
  const t = at.getTime();
  return session.issuedAt <= t && t - session.issuedAt < sessionMaxAgeMs && t - session.seenAt < sessionIdleMs;
}

/** The Set-Cookie that carries the session seen at `at`; it never outlives the 12 hours from sign-in. */
export function sessionCookie(session: PortalSession, key: Buffer, at: Date, secure: boolean): string {
  const seen = { ...session, seenAt: at.getTime() };
  const maxAgeSeconds = Math.max(0, Math.floor((session.issuedAt + sessionMaxAgeMs - at.getTime()) / 1000));
  return setCookie(sessionCookieName, sealValue(key, sessionCookieName, seen), { path: '/', maxAgeSeconds, secure });
}

export function endSessionCookie(secure: boolean): string {
  return clearCookie(sessionCookieName, { path: '/', secure });
}

/** A POST's CSRF token must be the session's own: compared in constant time. */
export function csrfMatches(session: PortalSession, sent: string | null | undefined): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const csrfField = 'csrf';

/** The CSRF field of an urlencoded body (the token is base64url: no decoding to go wrong). */
export function csrfFieldOf(body: string | Uint8Array): string | undefined {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
  const pair = text.split('&').find((p) => p.startsWith(`${csrfField}=`));
  return pair?.slice(csrfField.length + 1);
}

/** The same body without its CSRF field, byte for byte otherwise (the link pages read the rest strictly). */
export function withoutCsrfField(body: string | Uint8Array): string | Uint8Array {
  const strip = (text: string) =>
    text
      .split('&')
      .filter((p) => !p.startsWith(`${csrfField}=`))
      .join('&');
  return typeof body === 'string' ? strip(body) : Buffer.from(strip(Buffer.from(body).toString('latin1')), 'latin1');
}
