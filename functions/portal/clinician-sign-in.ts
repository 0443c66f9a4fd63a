import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ClinicConfig } from '../platform/clinic-config.ts';
import { functionContext } from '../platform/function-context.ts';
import { hashLinkToken, isWellFormedLinkToken } from '../links/link-token.ts';
import { readLink } from '../links/step-store.ts';
import { withActingClinician } from '../link-pages/acting-person.ts';
import { htmlResponse } from '../link-pages/responses.ts';
import type { LinkServer } from '../link-pages/serve-link.ts';
import { now } from '../platform/clock.ts';
import { logger } from '../platform/logger.ts';
import { notAllowedPage } from './portal-pages.ts';
import {
  csrfField,
  csrfFieldOf,
  csrfMatches,
  sessionCookie,
  sessionFrom,
  withoutCsrfField,
  type PortalSession,
} from './portal-session.ts';
import { clinicianSignInRequired, portalSettings } from './portal-settings.ts';

/**
 * The sign-in check in front of the clinicians' link pages (`/c/{token}`), a layer of its own around
 * the link server, which it leaves as it is. Without a session the browser is sent to sign in and back
 * to the same page, and nothing about the patient is read. With one, only the link's addressee or their
 * backup gets the page: anyone else (another clinician, staff, an admin) gets 403 and nothing changes.
 * A POST must carry the session's CSRF token, which this layer writes into the page's forms.
 */
export function requireClinicianSignIn(server: LinkServer): LinkServer {
  return async (event) => {
    if (!clinicianSignInRequired()) return server(event);
    const token = event.pathParameters?.['token'] ?? '';
    // a malformed token is refused by the link server before any read, as before
    if (!isWellFormedLinkToken(token)) return server(event);
    const settings = portalSettings();
    const at = now();
    const session = sessionFrom(event.cookies, settings.sessionKey, at);
    if (session === undefined) return toSignIn(event, token);

    const { client, tableName, clinic } = functionContext();
    const link = await readLink(client, tableName, hashLinkToken(token));
    // an unknown link, or a patient's, is the link server's "not found"
    if (link === undefined || link.person.kind !== 'clinician') return server(event);
    if (!mayAct(session, link.person.id, clinic)) {
      logger.warn('clinician link refused', { outcome: 'not-addressee', role: session.role });
      return htmlResponse(403, notAllowedPage('This page is for the clinician it was sent to, or their backup.'));
    }
    let forwarded: APIGatewayProxyEventV2 = withActingClinician(event, session.clinicianId as string);
    if (event.requestContext.http.method.toUpperCase() === 'POST') {
      const body = bodyOf(event);
      if (!csrfMatches(session, csrfFieldOf(body))) {
        logger.warn('clinician link refused', { outcome: 'csrf' });
        return htmlResponse(
          403,
          notAllowedPage('This form has expired or did not come from this site. Please open the page again.'),
        );
      }
      forwarded = withBody(forwarded, withoutCsrfField(body));
    }
    const response = await server(forwarded);
    return withSession(response, session, settings.sessionKey, at, settings.secureCookies);
  };
}

/** The addressee, or the clinician the addressee names as backup; never staff or an admin. */
export function mayAct(session: PortalSession, addresseeId: string, clinic: ClinicConfig): boolean {
  if (session.role !== 'clinician' || session.clinicianId === undefined) return false;
  if (session.clinicianId === addresseeId) return true;
  return clinic.clinicians.find((c) => c.id === addresseeId)?.backupId === session.clinicianId;
}

function toSignIn(event: APIGatewayProxyEventV2, token: string): APIGatewayProxyStructuredResultV2 {
  const calendar = event.rawQueryString === 'calendar' ? '?calendar' : '';
  const location = `/portal/sign-in?return=${encodeURIComponent(`/c/${token}${calendar}`)}`;
  const page = htmlResponse(303, '');
  return { ...page, headers: { ...page.headers, location } };
}

function withSession(
  response: APIGatewayProxyStructuredResultV2,
  session: PortalSession,
  key: Buffer,
  at: Date,
  secure: boolean,
): APIGatewayProxyStructuredResultV2 {
  const body =
    typeof response.body === 'string' && response.headers?.['content-type']?.toString().startsWith('text/html')
      ? withCsrfInForms(response.body, session.csrf)
      : response.body;
  return {
    ...response,
    ...(body === undefined ? {} : { body }),
    cookies: [...(response.cookies ?? []), sessionCookie(session, key, at, secure)],
  };
}

/** Every POST form of the page carries the token as a hidden field. */
export function withCsrfInForms(page: string, csrf: string): string {
  return page.replace(
    /<form\b[^>]*\bmethod="post"[^>]*>/gi,
    (tag) => `${tag}<input type="hidden" name="${csrfField}" value="${csrf}">`,
  );
}

function bodyOf(event: APIGatewayProxyEventV2): string | Uint8Array {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
}

function withBody(event: APIGatewayProxyEventV2, body: string | Uint8Array): APIGatewayProxyEventV2 {
  return typeof body === 'string'
    ? { ...event, body, isBase64Encoded: false }
    : { ...event, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
}
