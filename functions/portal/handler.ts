import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { htmlResponse } from '../link-pages/responses.ts';
import { html } from '../pages/html.ts';
import { functionContext } from '../platform/function-context.ts';
import { now } from '../platform/clock.ts';
import { functionEnvironment } from '../platform/environment.ts';
import { invocationLogging } from '../platform/invocation-logging.ts';
import { logger } from '../platform/logger.ts';
import { clearPendingCookie, finishSignIn, SignInFailed, startSignIn } from './oidc-sign-in.ts';
import { myDecisionsSection, pendingDecisions } from './my-decisions.ts';
import { listPatients, patientsSection } from './patients-list.ts';
import { homePage, notAllowedPage, portalPage, signedOutPage, signInFailedPage } from './portal-pages.ts';
import {
  csrfFieldOf,
  csrfMatches,
  endSessionCookie,
  newSession,
  sessionCookie,
  sessionFrom,
} from './portal-session.ts';
import { portalSettings } from './portal-settings.ts';
import { NotAPortalUser, portalUserFrom } from './portal-user.ts';
import { portalHome } from './return-path.ts';

/**
 * HTTP API routes under `/portal` (functions/catalogue.ts): sign-in through the OpenID provider, the
 * callback that opens the session, sign-out, and the signed-in home page. Every POST carries the
 * session's CSRF token; a page without a session sends the browser to sign in and back.
 */
type Result = APIGatewayProxyStructuredResultV2;

async function portal(event: APIGatewayProxyEventV2): Promise<Result> {
  const settings = portalSettings();
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath.replace(/\/$/, '') || '/';
  const at = now();

  if (method === 'GET' && path === '/portal/sign-in') {
    const { location, cookie } = await startSignIn(settings, event.queryStringParameters?.['return'], at);
    return redirect(location, [cookie]);
  }
  if (method === 'GET' && path === '/portal/callback') {
    try {
      const { claims, returnTo } = await finishSignIn(settings, event.cookies, event.rawQueryString);
      const clinicianIds = new Set(functionEnvironment().clinic.clinicians.map((c) => c.id));
      const session = newSession(portalUserFrom(claims, clinicianIds), at);
      logger.info('portal sign-in', { role: session.role });
      return redirect(returnTo, [
        sessionCookie(session, settings.sessionKey, at, settings.secureCookies),
        clearPendingCookie(settings),
      ]);
    } catch (error) {
      if (!(error instanceof SignInFailed) && !(error instanceof NotAPortalUser)) throw error;
      logger.warn('portal sign-in refused', { errorName: error.name });
      return { ...htmlResponse(400, signInFailedPage()), cookies: [clearPendingCookie(settings)] };
    }
  }

  const session = sessionFrom(event.cookies, settings.sessionKey, at);
  if (method === 'POST' && path === '/portal/sign-out') {
    // sign-out is a POST with the session's token, so another site cannot sign a clinician out
    if (session === undefined)
      return { ...htmlResponse(200, signedOutPage()), cookies: [endSessionCookie(settings.secureCookies)] };
    if (!csrfMatches(session, csrfFieldOf(bodyOf(event))))
      return htmlResponse(403, notAllowedPage('This form has expired.'));
    return { ...htmlResponse(200, signedOutPage()), cookies: [endSessionCookie(settings.secureCookies)] };
  }
  if (method === 'GET' && path === portalHome) {
    if (session === undefined) return redirect(`/portal/sign-in?return=${encodeURIComponent(portalHome)}`, []);
    const { client, tableName, clinic } = functionContext();
    const content =
      session.clinicianId === undefined
        ? html``
        : myDecisionsSection(
            await pendingDecisions(client, tableName, clinic, session.clinicianId, at),
            clinic.defaultTimeZone,
          );
    return {
      ...htmlResponse(200, homePage(session, content)),
      cookies: [sessionCookie(session, settings.sessionKey, at, settings.secureCookies)],
    };
  }
  if (method === 'GET' && path === '/portal/patients') {
    if (session === undefined) return redirect(`/portal/sign-in?return=${encodeURIComponent('/portal/patients')}`, []);
    const { client, tableName, clinic } = functionContext();
    const search = (event.queryStringParameters?.['q'] ?? '').slice(0, 100);
    const content = patientsSection(await listPatients(client, tableName, search), search, clinic.defaultTimeZone);
    return {
      ...htmlResponse(200, portalPage('Patients', session, content)),
      cookies: [sessionCookie(session, settings.sessionKey, at, settings.secureCookies)],
    };
  }
  return htmlResponse(404, notAllowedPage('There is no such page.'));
}

function redirect(location: string, cookies: string[]): Result {
  return { ...htmlResponse(303, ''), headers: { ...htmlResponse(303, '').headers, location }, cookies };
}

function bodyOf(event: APIGatewayProxyEventV2): string | Uint8Array {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
}

export const handler = middy<APIGatewayProxyEventV2, Result>()
  .use(invocationLogging('portal'))
  .use({
    onError: (request) => {
      logger.error('portal page failed', { errorName: request.error?.name });
      request.response = htmlResponse(500, notAllowedPage('Something went wrong.'));
    },
  })
  .handler(portal);
