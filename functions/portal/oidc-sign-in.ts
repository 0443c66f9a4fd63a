import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import * as client from 'openid-client';
import * as z from 'zod/mini';
import type { PortalSettings } from './portal-settings.ts';
import { isPlainHttpLoopback } from './portal-settings.ts';
import { safeReturnPath } from './return-path.ts';
import { clearCookie, cookieValue, sealValue, setCookie, unsealValue } from './sealed-cookie.ts';

/**
 * Sign-in through the OpenID provider: authorization code with PKCE (`openid-client`), the ID token
 * then verified with `aws-jwt-verify` against the issuer's keys. The same code signs in against the
 * stack's Cognito user pool and against the local provider; a plain-http issuer is allowed on loopback
 * only. What the flow must remember between leaving and coming back (state, nonce, PKCE verifier, where
 * to return) is sealed in a short-lived cookie scoped to the callback.
 */
export const pendingCookieName = 'cj_signin';
const pendingPath = '/portal/callback';
const pendingMaxAgeSeconds = 600;

const pendingSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
  startedAt: z.number(),
});

export class SignInFailed extends Error {
  override readonly name = 'SignInFailed';
}

let discovered: { issuer: string; config: Promise<client.Configuration> } | undefined;

function configuration(settings: PortalSettings): Promise<client.Configuration> {
  if (discovered?.issuer !== settings.issuer) {
    const config = client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      { token_endpoint_auth_method: 'none' },
      client.None(),
      {
        ...(isPlainHttpLoopback(settings.issuer) ? { execute: [client.allowInsecureRequests] } : {}),
      },
    );
    // a failed discovery is tried again on the next sign-in, not cached
    config.catch(() => {
      if (discovered?.config === config) discovered = undefined;
    });
    discovered = { issuer: settings.issuer, config };
  }
  return discovered.config;
}

/** Where to send the browser to sign in, and the cookie that remembers this attempt. */
export async function startSignIn(
  settings: PortalSettings,
  returnTo: string | null | undefined,
  at: Date,
): Promise<{ location: string; cookie: string }> {
  const config = await configuration(settings);
  const verifier = client.randomPKCECodeVerifier();
  const pending = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier,
    returnTo: safeReturnPath(returnTo),
    startedAt: at.getTime(),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  const cookie = setCookie(pendingCookieName, sealValue(settings.sessionKey, pendingCookieName, pending), {
    path: pendingPath,
    maxAgeSeconds: pendingMaxAgeSeconds,
    secure: settings.secureCookies,
  });
  return { location: url.href, cookie };
}

/** The provider's answer at the callback: the verified ID token's claims and where to return. */
export async function finishSignIn(
  settings: PortalSettings,
  cookies: readonly string[] | undefined,
  rawQueryString: string,
): Promise<{ claims: Record<string, unknown>; returnTo: string }> {
  const raw = cookieValue(cookies, pendingCookieName);
  const pending = pendingSchema.safeParse(
    raw === undefined ? undefined : unsealValue(settings.sessionKey, pendingCookieName, raw),
  );
  if (!pending.success) throw new SignInFailed('no sign-in was started in this browser, or it took too long');
  const config = await configuration(settings);
  let idToken: string | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(config, new URL(`${settings.redirectUri}?${rawQueryString}`), {
      pkceCodeVerifier: pending.data.verifier,
      expectedState: pending.data.state,
      expectedNonce: pending.data.nonce,
      idTokenExpected: true,
    });
    idToken = tokens.id_token;
  } catch (error) {
    throw new SignInFailed(`the provider's answer was refused: ${(error as Error).name}`);
  }
  if (idToken === undefined) throw new SignInFailed('the provider sent no ID token');
  const claims = await verifyIdToken(settings, config, idToken);
  return { claims, returnTo: pending.data.returnTo };
}

export function clearPendingCookie(settings: PortalSettings): string {
  return clearCookie(pendingCookieName, { path: pendingPath, secure: settings.secureCookies });
}

let verifier: { issuer: string; verify: (token: string) => Promise<Record<string, unknown>> } | undefined;

/** aws-jwt-verify checks the signature against the issuer's JWKS, the issuer, the audience and the expiry. */
async function verifyIdToken(
  settings: PortalSettings,
  config: client.Configuration,
  idToken: string,
): Promise<Record<string, unknown>> {
  if (verifier?.issuer !== settings.issuer) {
    const jwksUri = config.serverMetadata().jwks_uri;
    if (jwksUri === undefined) throw new SignInFailed('the provider publishes no keys');
    // the library's own fetcher speaks https only; the local provider is plain http on loopback
    const jwksCache = new SimpleJwksCache({
      fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
    });
    const jwt = JwtVerifier.create({ issuer: settings.issuer, audience: settings.clientId, jwksUri }, { jwksCache });
    verifier = {
      issuer: settings.issuer,
      verify: async (token) => (await jwt.verify(token)) as Record<string, unknown>,
    };
  }
  try {
    return await verifier.verify(idToken);
  } catch (error) {
    throw new SignInFailed(`the ID token was refused: ${(error as Error).name}`);
  }
}
