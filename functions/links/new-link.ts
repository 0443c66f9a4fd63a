import type { CreateWrite } from '../store/store-writes.ts';
import { keys, pendingLinkIndexKeys } from '../store/table-design.ts';
import { linkUrl, newLinkToken } from './link-token.ts';
import type { LinkItem } from './step-store.ts';
import { DAY_MS } from '../domain/durations.ts';

/** What a new link is for: its purpose, the one person it is for, and the step it speaks for. */
export type LinkRequest = Pick<
  LinkItem,
  'purpose' | 'person' | 'patientId' | 'journeyId' | 'stepKey' | 'stepRound' | 'expiresAt'
>;

export interface NewLink {
  readonly tokenHash: string;
  /** the URL for the email; it exists only here and in the email, never in the store */
  readonly url: string;
  /** the LINK item, to be created in the same transaction as the step it points at */
  readonly write: CreateWrite;
}

/** A late click must still get the "expired" page, so the row outlives its expiry by a month. */
const KEPT_AFTER_EXPIRY_MS = 30 * DAY_MS;

/**
 * Makes a new link for one person and one step: a fresh random token, and the create write of its LINK
 * item (only the token's hash is stored; listed among the person's pending links until it is closed).
 * Every emailed link is made here: workflow steps (request-action) and clinician alerts alike.
 */
export function newLink(request: LinkRequest, appBaseUrl: string): NewLink {
  const { token, tokenHash } = newLinkToken();
  return {
    tokenHash,
    url: linkUrl(appBaseUrl, token, request.person.kind),
    write: {
      kind: 'create',
      key: keys.link(tokenHash),
      label: 'link',
      itemType: 'LINK',
      attributes: {
        tokenHash,
        purpose: request.purpose,
        person: request.person,
        patientId: request.patientId,
        journeyId: request.journeyId,
        stepKey: request.stepKey,
        stepRound: request.stepRound,
        status: 'pending',
        expiresAt: request.expiresAt,
        ...pendingLinkIndexKeys(request.person.id, request.expiresAt, tokenHash),
      },
      expiresAt: new Date(Date.parse(request.expiresAt) + KEPT_AFTER_EXPIRY_MS),
    },
  };
}
