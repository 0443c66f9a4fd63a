import { html } from './html.ts';
import { page } from './layout.ts';

/** The pages of a link that cannot be used, each with the HTTP status it is served with. */
export interface StatusPage {
  readonly statusCode: number;
  readonly body: string;
}

const contact = html`<p>If you think this is a mistake, please contact your clinic.</p>`;

export const notFoundPage = (): StatusPage => ({ statusCode: 404, body: page('Link not found', html`<p>This link is not valid. Please check that you opened the whole link from your email.</p>${contact}`) });

export const expiredPage = (): StatusPage => ({ statusCode: 410, body: page('This link has expired', html`<p>This link is no longer valid. Nothing was recorded from it.</p>${contact}`) });

export const supersededPage = (): StatusPage => ({ statusCode: 410, body: page('This link has been replaced', html`<p>A newer email has a new link for this step. Please use that one.</p>${contact}`) });

export const alreadyDecidedPage = (who: string, when: string): StatusPage => ({
  statusCode: 409,
  body: page('Already done', html`<p>This was already decided by ${who} at ${when}. Nothing more was recorded.</p>`),
});

export const stoppedPage = (): StatusPage => ({
  statusCode: 409,
  body: page('This step was stopped', html`<p>This step was stopped; your clinic will be in touch.</p>`),
});

export const wrongPurposePage = (): StatusPage => ({ statusCode: 400, body: page('This form does not belong to this link', html`<p>The form sent does not match this link. Nothing was recorded.</p>`) });

export const unsupportedMediaTypePage = (): StatusPage => ({
  statusCode: 415,
  body: page('This form could not be read', html`<p>The answers were not sent the way this page sends them, so nothing was recorded. Please open the link from your email again and use the form on the page.</p>${contact}`),
});

export const viewOnlyPage = (): StatusPage => ({ statusCode: 409, body: page('Nothing to submit', html`<p>This page is for information only. Nothing was recorded.</p>`) });

export const tooManyRequestsPage = (): StatusPage => ({ statusCode: 429, body: page('Please wait a moment', html`<p>This link was used too often in the last minute. Please wait a minute and try again.</p>`) });

export const methodNotAllowedPage = (): StatusPage => ({ statusCode: 405, body: page('Not allowed', html`<p>This page can only be opened or submitted.</p>`) });

export const errorPage = (): StatusPage => ({ statusCode: 500, body: page('Something went wrong', html`<p>Your answer may not have been recorded. Please try again in a few minutes.</p>${contact}`) });
