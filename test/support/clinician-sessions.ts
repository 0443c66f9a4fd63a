import type { LocalClinic } from '../../local/runtime/start-local-clinic.ts';
import { linksIn } from './local-clinic.ts';
import { csrfOf, PortalBrowser, signIn } from './portal-browser.ts';

/**
 * What the journey driver sends with a clinician's link when the clinic asks clinicians to sign in: the
 * session cookie of the link's addressee (found from the email that carried the link), and the CSRF
 * token a POST must carry. Each clinician signs in through the portal and the local OpenID provider,
 * as a person would, and again when the session would have expired on the virtual clock (idle 30 min).
 * A clinic without the sign-in check gets nothing added.
 */
export interface LinkCredentials {
  readonly headers: Record<string, string>;
  readonly fields: readonly (readonly [string, string])[];
}

const none: LinkCredentials = { headers: {}, fields: [] };
// below the session's 30 idle minutes: the driver does not carry the refreshed cookie forward
const reuseForMs = 25 * 60_000;

export function clinicianSessions(clinic: LocalClinic): { forLink(url: string): Promise<LinkCredentials> } {
  const addressees = new Map<string, string>();
  const sessions = new Map<string, { browser: PortalBrowser; csrf: string; signedInAt: number }>();

  const addresseeOf = async (url: string): Promise<string | undefined> => {
    const known = addressees.get(url);
    if (known !== undefined) return known;
    for (const email of await clinic.listEmails()) {
      if (!linksIn(clinic, email).includes(url)) continue;
      const clinician = clinic.clinic.clinicians.find((c) => email.to.includes(c.email));
      if (clinician !== undefined) addressees.set(url, clinician.id);
      return clinician?.id;
    }
    return undefined;
  };

  return {
    async forLink(url) {
      if (!clinic.clinicianSignIn || !new URL(url).pathname.startsWith('/c/')) return none;
      const clinicianId = await addresseeOf(url);
      if (clinicianId === undefined) return none;
      const at = clinic.now().getTime();
      let session = sessions.get(clinicianId);
      if (session === undefined || at - session.signedInAt >= reuseForMs || at < session.signedInAt) {
        const browser = new PortalBrowser();
        await signIn(clinic, browser, clinicianId);
        session = { browser, csrf: await csrfOf(clinic, browser), signedInAt: clinic.now().getTime() };
        sessions.set(clinicianId, session);
      }
      return { headers: { cookie: session.browser.cookieHeader(url) }, fields: [['csrf', session.csrf]] };
    },
  };
}
