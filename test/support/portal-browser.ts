import { localPassword } from '../../local/oidc/local-accounts.ts';
import type { LocalClinic } from '../../local/runtime/start-local-clinic.ts';

/**
 * A browser reduced to what sign-in needs: cookies kept per origin (the app's and the OpenID
 * provider's), redirects followed by hand (303 and 302 become a GET), and the last page read. Real HTTP
 * against the running clinic and its provider; nothing is called directly.
 */
export interface BrowserAnswer {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export class PortalBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookieHeader(url: string): string {
    const jar = this.jars.get(new URL(url).origin);
    return jar === undefined ? '' : [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** a cookie of the app as the browser holds it (a test tampers with it, or reads that it was cleared) */
  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(origin, jar);
  }

  /** One request, no redirect followed. */
  async request(
    url: string,
    init: { method?: string; form?: readonly (readonly [string, string])[] } = {},
  ): Promise<BrowserAnswer> {
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(url);
    if (cookie !== '') headers['cookie'] = cookie;
    if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: init.method ?? (init.form === undefined ? 'GET' : 'POST'),
      headers,
      redirect: 'manual',
      ...(init.form === undefined
        ? {}
        : { body: new URLSearchParams(init.form.map(([n, v]) => [n, v] as [string, string])).toString() }),
    });
    this.keep(url, response.headers.getSetCookie());
    return { url, status: response.status, headers: response.headers, body: await response.text() };
  }

  /** A request, then its redirects, as a browser follows them; the last answer. */
  async follow(
    url: string,
    init: { method?: string; form?: readonly (readonly [string, string])[] } = {},
    maxHops = 12,
  ): Promise<BrowserAnswer> {
    let answer = await this.request(url, init);
    for (let hop = 0; hop < maxHops && answer.status >= 300 && answer.status < 400; hop += 1) {
      const location = answer.headers.get('location');
      if (location === null) break;
      answer = await this.request(new URL(location, answer.url).href);
    }
    return answer;
  }

  private keep(url: string, setCookies: readonly string[]): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(/;\s*/);
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const expired = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
      );
      if (expired) jar.delete(pair.slice(0, at));
      else jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    this.jars.set(origin, jar);
  }
}

/**
 * Signs in through the portal as one of the clinic's people (id and the local password), starting from
 * `/portal/sign-in?return=<returnPath>`; the answer is the page sign-in returned to.
 */
export async function signIn(
  clinic: LocalClinic,
  browser: PortalBrowser,
  accountId: string,
  returnPath = '/portal',
  password = localPassword,
): Promise<BrowserAnswer> {
  const login = await browser.follow(`${clinic.urls.app}/portal/sign-in?return=${encodeURIComponent(returnPath)}`);
  return submitLogin(browser, login, accountId, password);
}

/** On the provider's sign-in page: sends the id and password, then follows the way back to the app. */
export async function submitLogin(
  browser: PortalBrowser,
  loginPage: BrowserAnswer,
  accountId: string,
  password = localPassword,
): Promise<BrowserAnswer> {
  if (!/\/interaction\/[A-Za-z0-9_-]+$/.test(new URL(loginPage.url).pathname))
    throw new Error(`expected the provider's sign-in page, got ${loginPage.status} at ${loginPage.url}`);
  return browser.follow(loginPage.url, {
    form: [
      ['login', accountId],
      ['password', password],
    ],
  });
}

/** The CSRF token of the signed-in session, as the portal's home page writes it into its forms. */
export async function csrfOf(clinic: LocalClinic, browser: PortalBrowser): Promise<string> {
  const home = await browser.request(`${clinic.urls.app}/portal`);
  const token = /name="csrf" value="([^"]+)"/.exec(home.body)?.[1];
  if (token === undefined) throw new Error(`the portal's home page has no CSRF token (status ${home.status})`);
  return token;
}
