import { createHash, randomBytes } from 'node:crypto';
import type { LinkPersonKind } from '../domain/schemas/link.ts';

/**
 * A link carries one random 256-bit token and nothing else. The store keeps only its SHA-256, so a
 * leaked table backup cannot be turned into working links.
 */
const tokenBytes = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(tokenBytes).toString('base64url');
  return { token, tokenHash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Shape check before any lookup: a tampered or truncated token is refused without touching the store. */
export function isWellFormedLinkToken(token: string): boolean {
  return tokenPattern.test(token);
}

/**
 * Patients' and clinicians' links are served by separate functions (catalogue: patient-pages and
 * clinician-pages), so each audience has its own path; a token under the other audience's path is not found.
 */
export const linkPaths: Readonly<Record<LinkPersonKind, string>> = { patient: '/p', clinician: '/c' };

export function linkUrl(appBaseUrl: string, token: string, audience: LinkPersonKind): string {
  return `${appBaseUrl}${linkPaths[audience]}/${token}`;
}
