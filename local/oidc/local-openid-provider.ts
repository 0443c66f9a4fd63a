import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import { clinicianIdClaim, groupsClaim } from '../../functions/portal/portal-user.ts';
import { html, join } from '../../functions/pages/html.ts';
import { page as pageShell, PAGE_CSS_HASH } from '../../functions/pages/layout.ts';
import { claimsOf, localAccounts, localPassword, type LocalAccount } from './local-accounts.ts';

/**
 * A real OpenID provider on loopback (the `oidc-provider` package), standing in for the stack's
 * Cognito user pool: the portal signs in against it with the same code (authorization code with PKCE),
 * and only the issuer differs. Its one client is the portal, a public client (PKCE, no secret), as the
 * stack's Cognito app client is. Its sign-in page lists the clinic config's people; each signs in with
 * their id and the one local password. Grants are implicit: the portal is the clinic's own app.
 */
export interface LocalOpenIdProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly accounts: readonly LocalAccount[];
  stop(): Promise<void>;
}

export const portalClientId = 'care-journeys-portal';

export async function startLocalOpenIdProvider(options: {
  port: number;
  clinic: ClinicConfig;
  redirectUri: string;
}): Promise<LocalOpenIdProvider> {
  const accounts = localAccounts(options.clinic);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`the OpenID provider's port 127.0.0.1:${options.port} is already in use`)
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: portalClientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    pkce: { required: () => true },
    // the portal reads who signed in from the ID token, as it does Cognito's
    conformIdTokenClaims: false,
    claims: { openid: ['sub', 'name', 'email', 'email_verified', groupsClaim, clinicianIdClaim] },
    findAccount: (_ctx, id) => {
      const account = byId.get(id);
      return account === undefined
        ? undefined
        : { accountId: id, claims: () => ({ ...claimsOf(account), sub: id }) as { sub: string } };
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (session?.accountId === undefined || client === undefined) return undefined;
      const grantId = session.grantIdFor(client.clientId);
      if (grantId !== undefined) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // a signing key of this run: tokens of an earlier run are refused, as a rotated key's would be
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          kid: randomBytes(8).toString('hex'),
          alg: 'RS256',
          use: 'sig',
        },
      ],
    },
    ttl: {
      Session: 12 * 3600,
      Interaction: 600,
      Grant: 12 * 3600,
      IdToken: 300,
      AccessToken: 300,
      AuthorizationCode: 60,
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const appOrigin = new URL(options.redirectUri).origin;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (match === null) {
      callback(req, res);
      return;
    }
    void signInPage(provider, byId, req, res, appOrigin).catch((error: unknown) => {
      console.error('local OpenID provider: sign-in failed', error);
      if (!res.headersSent)
        send(
          res,
          400,
          pageShell('Sign-in failed', html`<p>This sign-in has expired. Go back to the portal and sign in again.</p>`),
          appOrigin,
        );
      else res.end();
    });
  });

  return {
    issuer,
    clientId: portalClientId,
    accounts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function signInPage(
  provider: Provider,
  byId: ReadonlyMap<string, LocalAccount>,
  req: IncomingMessage,
  res: ServerResponse,
  appOrigin: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST') {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const account = byId.get(form.get('login') ?? '');
    if (account === undefined || form.get('password') !== localPassword) {
      send(
        res,
        401,
        loginForm(details.uid, [...byId.values()], 'That id and password do not match a person of this clinic.'),
        appOrigin,
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  send(res, 200, loginForm(details.uid, [...byId.values()]), appOrigin);
}

function loginForm(uid: string, accounts: readonly LocalAccount[], error?: string): string {
  const people = join(accounts.map((a) => html`<li><code>${a.id}</code>: ${a.name} (${a.role})</li>`));
  return pageShell(
    'Sign in to the local clinic',
    html`${error === undefined ? '' : html`<p class="summary" role="alert">${error}</p>`}
<form method="post" action="/interaction/${uid}">
<div class="field"><label for="login">Id</label><input type="text" id="login" name="login" autocomplete="username" required></div>
<div class="field"><label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required></div>
<button type="submit">Sign in</button>
</form>
<p class="hint">People of this clinic (local password <code>${localPassword}</code>):</p><ul>${people}</ul>`,
  );
}

function send(res: ServerResponse, status: number, html: string, appOrigin: string): void {
  // form-action covers the redirects after the form too: back through the provider to the portal's callback
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src '${PAGE_CSS_HASH}'; form-action 'self' ${appOrigin}; frame-ancestors 'none'`,
  });
  res.end(html);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 16 * 1024) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
