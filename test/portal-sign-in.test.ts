import { describe, expect, it } from 'vitest';
import type { ClinicConfig } from '../functions/platform/clinic-config.ts';
import { sessionCookieName } from '../functions/portal/portal-session.ts';
import { readLocalClinicConfig } from '../local/runtime/start-local-clinic.ts';
import { useJourneyDriver, type LinkPage } from './support/journey-driver.ts';
import { csrfOf, PortalBrowser, signIn, submitLogin } from './support/portal-browser.ts';

/**
 * The portal's sign-in and the clinicians' links behind it, on the local clinic with its own OpenID
 * provider: every request is real HTTP, through the provider's sign-in page, the callback and the
 * session cookie, with the virtual clock for the session's limits. Dr. Okafor is nobody's backup and
 * nobody backs up for her, so she is the clinician a link is not for.
 */
const base = readLocalClinicConfig();
const clinicConfig: ClinicConfig = {
  ...base,
  clinicians: [...base.clinicians, { id: 'dr-okafor', name: 'Dr. Ife Okafor', email: 'ife.okafor@example.org' }],
};
const local = useJourneyDriver({ clinicConfig, clinicianSignIn: true });
const MINUTE = 60;
const rivera = 'ana.rivera@example.org';

describe('signing in to the portal', () => {
  it('a clinician signs in through the OpenID provider and lands on the portal with an HttpOnly, SameSite=Lax session cookie', async () => {
    const { clinic } = local;
    const browser = new PortalBrowser();
    const start = await browser.request(`${clinic.urls.app}/portal/sign-in?return=%2Fportal`);
    expect(start.status).toBe(303);
    const toProvider = new URL(start.headers.get('location') ?? '');
    expect(toProvider.origin).toBe(clinic.urls.oidc);
    expect(toProvider.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toProvider.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const loginPage = await browser.follow(toProvider.href);
    expect(loginPage.body).toContain('dr-rivera');
    const home = await submitLogin(browser, loginPage, 'dr-rivera');
    expect(home.url).toBe(`${clinic.urls.app}/portal`);
    expect(home.status).toBe(200);
    expect(home.body).toContain('Signed in as Dr. Ana Rivera (clinician)');

    const again = await fetch(`${clinic.urls.app}/portal`, {
      headers: { cookie: browser.cookieHeader(clinic.urls.app) },
      redirect: 'manual',
    });
    const setCookie = again.headers.getSetCookie().find((c) => c.startsWith(`${sessionCookieName}=`)) ?? '';
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    // plain http on loopback only: a browser would drop a Secure cookie here
    expect(setCookie).not.toMatch(/; Secure/);
  });

  it('a wrong password signs nobody in', async () => {
    const { clinic } = local;
    const browser = new PortalBrowser();
    const loginPage = await browser.follow(`${clinic.urls.app}/portal/sign-in`);
    const refused = await submitLogin(browser, loginPage, 'dr-rivera', 'not-the-password');
    expect(refused.status).toBe(401);
    expect(browser.cookie(clinic.urls.app, sessionCookieName)).toBeUndefined();
    expect((await browser.request(`${clinic.urls.app}/portal`)).status).toBe(303);
  });

  it.each([
    ['another host', 'https://evil.example/portal'],
    ['a protocol-relative URL', '//evil.example/portal'],
    ['a backslash a browser reads as a slash', '/\\evil.example'],
    ['an encoded slash', '/%2F%2Fevil.example'],
    ['a path of ours with a query we do not read', '/portal?next=https://evil.example'],
  ])('a return URL to %s is refused: sign-in lands on the portal', async (_what, returnTo) => {
    const { clinic } = local;
    const landed = await signIn(clinic, new PortalBrowser(), 'dr-chen', returnTo);
    expect(landed.url).toBe(`${clinic.urls.app}/portal`);
    expect(landed.status).toBe(200);
  });

  it('a session ends after 30 idle minutes, and after 12 hours whatever happens', async () => {
    const { clinic, driver } = local;
    const browser = new PortalBrowser();
    await signIn(clinic, browser, 'dr-chen');
    await driver.advanceBy(29 * MINUTE);
    expect((await browser.request(`${clinic.urls.app}/portal`)).status).toBe(200);
    await driver.advanceBy(30 * MINUTE);
    const idle = await browser.request(`${clinic.urls.app}/portal`);
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toBe('/portal/sign-in?return=%2Fportal');

    const busy = new PortalBrowser();
    await signIn(clinic, busy, 'dr-chen');
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      await driver.advanceBy(20 * MINUTE);
      expect((await busy.request(`${clinic.urls.app}/portal`)).status, `${minutes + 20} minutes after sign-in`).toBe(
        200,
      );
    }
    await driver.advanceBy(20 * MINUTE);
    expect((await busy.request(`${clinic.urls.app}/portal`)).status).toBe(303);
  });

  it('a tampered or foreign cookie is refused', async () => {
    const { clinic } = local;
    const browser = new PortalBrowser();
    await signIn(clinic, browser, 'dr-chen');
    const sealed = browser.cookie(clinic.urls.app, sessionCookieName) ?? '';
    const flipped = `${sealed.slice(0, 30)}${sealed[30] === 'A' ? 'B' : 'A'}${sealed.slice(31)}`;
    browser.setCookie(clinic.urls.app, sessionCookieName, flipped);
    expect((await browser.request(`${clinic.urls.app}/portal`)).status).toBe(303);
    browser.setCookie(
      clinic.urls.app,
      sessionCookieName,
      Buffer.from(JSON.stringify({ v: 1, sub: 'dr-chen', role: 'clinician' })).toString('base64url'),
    );
    expect((await browser.request(`${clinic.urls.app}/portal`)).status).toBe(303);
  });

  it('sign-out needs the session CSRF token, then ends the session', async () => {
    const { clinic } = local;
    const browser = new PortalBrowser();
    await signIn(clinic, browser, 'front-desk');
    const csrf = await csrfOf(clinic, browser);
    const forged = await browser.request(`${clinic.urls.app}/portal/sign-out`, { form: [['csrf', 'x'.repeat(32)]] });
    expect(forged.status).toBe(403);
    expect((await browser.request(`${clinic.urls.app}/portal`)).status).toBe(200);

    const out = await browser.request(`${clinic.urls.app}/portal/sign-out`, { form: [['csrf', csrf]] });
    expect(out.status).toBe(200);
    expect(browser.cookie(clinic.urls.app, sessionCookieName)).toBeUndefined();
    expect((await browser.request(`${clinic.urls.app}/portal`)).status).toBe(303);
  });
});

describe("a clinician's emailed link behind sign-in", () => {
  let link: LinkPage;
  let patientName: string;
  let patientId: string;

  it('the driver, signed in as the addressee, reaches the eligibility decision', async () => {
    const { driver } = local;
    const patient = await driver.throughScreening({ patient: { lastName: 'Quintero' } });
    patientName = 'Quintero';
    patientId = patient.patientId;
    link = await driver.latestLinkFor(rivera, 'eligibility', { mentioning: patient.lastName });
    expect(link.status).toBe(200);
  });

  it('Patients lists the journey with its phase to staff, and finds it by name or id, and nothing for a name no one has', async () => {
    const { clinic } = local;
    const browser = new PortalBrowser();
    const page = await signIn(clinic, browser, 'front-desk', '/portal/patients');
    expect(page.url).toBe(`${clinic.urls.app}/portal/patients`);
    expect(page.body).toMatch(new RegExp(`<h3>[^<]*${patientName}</h3>`));
    expect(page.body).toContain('<dd>eligibility</dd>');
    const byName = await browser.request(`${clinic.urls.app}/portal/patients?q=${patientName.toLowerCase()}`);
    expect(byName.body).toContain(patientId);
    const byId = await browser.request(`${clinic.urls.app}/portal/patients?q=${patientId}`);
    expect(byId.body).toContain(patientName);
    const none = await browser.request(`${clinic.urls.app}/portal/patients?q=Nobody-Has-This-Name`);
    expect(none.body).toContain('No patient matches.');
    expect(none.body).not.toContain(patientName);
    const signedOut = await new PortalBrowser().request(`${clinic.urls.app}/portal/patients`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.body).not.toContain(patientName);
  });

  it("the decision is on the addressee's My decisions, on her backup's as backup, and on no one else's", async () => {
    const { clinic } = local;
    const decisionsOf = async (accountId: string) => {
      const browser = new PortalBrowser();
      return (await signIn(clinic, browser, accountId)).body;
    };
    const mine = await decisionsOf('dr-rivera');
    expect(mine).toContain('My decisions');
    expect(mine).toMatch(new RegExp(`Eligibility: [^<]*${patientName}`));
    expect(mine).toContain('Due by');
    expect(mine).not.toContain('you are the backup');
    const backup = await decisionsOf('dr-chen');
    expect(backup).toMatch(new RegExp(`Eligibility: [^<]*${patientName}`));
    expect(backup).toContain('Dr. Ana Rivera (you are the backup)');
    const other = await decisionsOf('dr-okafor');
    expect(other).toContain('Nothing is waiting for you.');
    expect(other).not.toContain(patientName);
    const staff = await decisionsOf('front-desk');
    expect(staff).not.toContain(patientName);
  });

  it('without a session the link sends the browser to sign in, with nothing about the patient; sign-in returns to the same page', async () => {
    const { clinic } = local;
    const browser = new PortalBrowser();
    const first = await browser.request(link.url);
    expect(first.status).toBe(303);
    expect(first.body).not.toContain(patientName);
    const path = new URL(link.url).pathname;
    expect(first.headers.get('location')).toBe(`/portal/sign-in?return=${encodeURIComponent(path)}`);

    const loginPage = await browser.follow(link.url);
    expect(loginPage.body).not.toContain(patientName);
    const back = await submitLogin(browser, loginPage, 'dr-rivera');
    expect(back.url).toBe(link.url);
    expect(back.status).toBe(200);
    expect(back.body).toContain(patientName);
    expect(back.body).toMatch(/<input type="hidden" name="csrf" value="[A-Za-z0-9_-]+">/);
    expect(clinic.clinicianSignIn).toBe(true);
  });

  it.each([
    ['another clinician', 'dr-okafor'],
    ['a member of staff', 'front-desk'],
  ])('%s gets 403, sees nothing of the patient, and cannot decide', async (_who, accountId) => {
    const { clinic, driver } = local;
    const browser = new PortalBrowser();
    const landed = await signIn(clinic, browser, accountId, new URL(link.url).pathname);
    expect(landed.status).toBe(403);
    expect(landed.body).not.toContain(patientName);
    const csrf = await csrfOf(clinic, browser);
    const post = await browser.request(link.url, {
      form: [
        ['purpose', 'eligibility'],
        ['decision', 'APPROVED'],
        ['csrf', csrf],
      ],
    });
    expect(post.status).toBe(403);
    await driver.settle();
    expect((await driver.openLink(link.url)).status).toBe(200);
  });

  it('a POST without the session CSRF token, or with a foreign one, gets 403 and decides nothing', async () => {
    const { clinic, driver } = local;
    const browser = new PortalBrowser();
    await signIn(clinic, browser, 'dr-rivera');
    const other = new PortalBrowser();
    await signIn(clinic, other, 'dr-rivera');
    for (const csrf of [undefined, await csrfOf(clinic, other)]) {
      const post = await browser.request(link.url, {
        form: [
          ['purpose', 'eligibility'],
          ['decision', 'APPROVED'],
          ...(csrf === undefined ? [] : [['csrf', csrf] as const]),
        ],
      });
      expect(post.status).toBe(403);
    }
    await driver.settle();
    expect((await driver.openLink(link.url)).status).toBe(200);
  });

  it('the backup clinician may decide, with the token the page carries, and is recorded as the one who decided', async () => {
    const { clinic, driver } = local;
    const browser = new PortalBrowser();
    const page = await signIn(clinic, browser, 'dr-chen', new URL(link.url).pathname);
    expect(page.status).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const decided = await browser.request(link.url, {
      form: [
        ['purpose', 'eligibility'],
        ['decision', 'APPROVED'],
        ['note', ''],
        ['csrf', csrf],
      ],
    });
    expect(decided.status).toBe(200);
    await driver.settle();
    expect((await driver.openLink(link.url)).status).not.toBe(200);
    const clinicianActors = (await driver.journeyOf(patientId)).audit
      .filter((event) => event.actor?.type === 'clinician')
      .map((event) => event.actor?.id);
    expect(clinicianActors).toContain('dr-chen');
    expect(clinicianActors).not.toContain('dr-rivera');
  });
});
