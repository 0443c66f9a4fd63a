import * as z from 'zod/mini';
import { issueMessage } from '../domain/schemas/field-errors.ts';
import { functionEnvironment } from '../platform/environment.ts';

/**
 * What the portal and the clinicians' sign-in check read from the environment, besides the common
 * variables (functions/platform/environment.ts). The stack sets them from its Cognito user pool; the
 * local runtime from its own OpenID provider. Only the issuer differs: the code path is the same.
 */
const portalEnvironmentSchema = z.object({
  /** the OpenID provider: Cognito's `https://cognito-idp.<region>.amazonaws.com/<pool id>`, or the local one */
  OIDC_ISSUER: z.url(),
  /** the portal's app client: public, authorization code with PKCE */
  OIDC_CLIENT_ID: z.string().check(z.minLength(1)),
  /** 32 random bytes, base64url: seals the session cookie */
  PORTAL_SESSION_KEY: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes in base64url')),
  /** `required`: a clinician's link opens only for the signed-in addressee or their backup */
  CLINICIAN_SIGN_IN: z.optional(z.enum(['required', 'off'])),
});

export interface PortalSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly sessionKey: Buffer;
  readonly clinicianSignInRequired: boolean;
  readonly appBaseUrl: string;
  readonly redirectUri: string;
  /** Secure cookies everywhere except plain-http loopback, where a browser would drop them */
  readonly secureCookies: boolean;
}

export function portalSettings(source: NodeJS.ProcessEnv = process.env): PortalSettings {
  const env = portalEnvironmentSchema.parse(source, { error: issueMessage });
  const { appBaseUrl } = functionEnvironment(source);
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    sessionKey: Buffer.from(env.PORTAL_SESSION_KEY, 'base64url'),
    clinicianSignInRequired: env.CLINICIAN_SIGN_IN === 'required',
    appBaseUrl,
    redirectUri: `${appBaseUrl}/portal/callback`,
    secureCookies: !isPlainHttpLoopback(appBaseUrl),
  };
}

/** Whether the clinicians' links need sign-in, read without requiring the rest (off when unset). */
export function clinicianSignInRequired(source: NodeJS.ProcessEnv = process.env): boolean {
  return source['CLINICIAN_SIGN_IN'] === 'required';
}

export function isPlainHttpLoopback(url: string): boolean {
  const parsed = new URL(url);
  return (
    parsed.protocol === 'http:' &&
    (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost' || parsed.hostname === '[::1]')
  );
}
