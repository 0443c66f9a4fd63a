import { html } from './html.ts';
import { page } from './layout.ts';
import { en, type Messages } from './messages-en.ts';

/**
 * The pages of a link that cannot be used, each with the HTTP status it is served with, in the reader's
 * language when the link says whose it is (a patient's), else in English.
 */
export interface StatusPage {
  readonly statusCode: number;
  readonly body: string;
}

const contact = (m: Messages) => html`<p>${m.status.contact}</p>`;
const shown = (m: Messages, statusCode: number, title: string, body: ReturnType<typeof html>): StatusPage => ({
  statusCode,
  body: page(title, body, m.htmlLang),
});

export const notFoundPage = (m: Messages = en): StatusPage =>
  shown(m, 404, m.status.notFoundTitle, html`<p>${m.status.notFound}</p>${contact(m)}`);

export const expiredPage = (m: Messages = en): StatusPage =>
  shown(m, 410, m.status.expiredTitle, html`<p>${m.status.expired}</p>${contact(m)}`);

export const supersededPage = (m: Messages = en): StatusPage =>
  shown(m, 410, m.status.supersededTitle, html`<p>${m.status.superseded}</p>${contact(m)}`);

export const alreadyDecidedPage = (who: string, when: string, m: Messages = en): StatusPage =>
  shown(m, 409, m.status.alreadyDoneTitle, html`<p>${m.status.alreadyDone(who, when)}</p>`);

export const stoppedPage = (m: Messages = en): StatusPage =>
  shown(m, 409, m.status.stoppedTitle, html`<p>${m.status.stopped}</p>`);

export const wrongPurposePage = (m: Messages = en): StatusPage =>
  shown(m, 400, m.status.wrongPurposeTitle, html`<p>${m.status.wrongPurpose}</p>`);

export const unsupportedMediaTypePage = (m: Messages = en): StatusPage =>
  shown(m, 415, m.status.unsupportedTitle, html`<p>${m.status.unsupported}</p>${contact(m)}`);

export const viewOnlyPage = (m: Messages = en): StatusPage =>
  shown(m, 409, m.status.viewOnlyTitle, html`<p>${m.status.viewOnly}</p>`);

export const tooManyRequestsPage = (m: Messages = en): StatusPage =>
  shown(m, 429, m.status.tooManyTitle, html`<p>${m.status.tooMany}</p>`);

export const methodNotAllowedPage = (m: Messages = en): StatusPage =>
  shown(m, 405, m.status.methodTitle, html`<p>${m.status.method}</p>`);

export const errorPage = (m: Messages = en): StatusPage =>
  shown(m, 500, m.status.errorTitle, html`<p>${m.status.error}</p>${contact(m)}`);
