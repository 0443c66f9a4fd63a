import { html, type Html } from '../pages/html.ts';
import { page } from '../pages/layout.ts';
import type { PortalSession } from './portal-session.ts';

/** The portal's own pages, in the link pages' shell: server-rendered, no script, readable on a phone. */
export function signOutForm(session: PortalSession): Html {
  return html`<form method="post" action="/portal/sign-out"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit" class="secondary">Sign out</button></form>`;
}

export function signedInBar(session: PortalSession): Html {
  return html`<p class="hint">Signed in as ${session.name} (${session.role}).</p>`;
}

export function portalPage(title: string, session: PortalSession, content: Html): string {
  return page(
    title,
    html`${signedInBar(session)}<p><a href="/portal">My decisions</a> · <a href="/portal/patients">Patients</a></p>${content}${signOutForm(session)}`,
  );
}

export function homePage(session: PortalSession, content: Html): string {
  return portalPage('Care Journeys', session, content);
}

export function signedOutPage(): string {
  return page(
    'You have signed out',
    html`<p>You have signed out of Care Journeys.</p><p><a href="/portal/sign-in">Sign in again</a></p>`,
  );
}

export function signInFailedPage(): string {
  return page(
    'Sign-in did not finish',
    html`<p>This sign-in could not be completed, or it took too long. Nothing was changed.</p><p><a href="/portal/sign-in">Sign in again</a></p>`,
  );
}

export function notAllowedPage(message: string): string {
  return page('Not allowed', html`<p>${message} Nothing was changed.</p>`);
}
