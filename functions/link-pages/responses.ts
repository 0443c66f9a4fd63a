import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PAGE_CSS_HASH } from '../pages/layout.ts';
import type { StatusPage } from '../pages/status-pages.ts';

/**
 * Headers on every link page, whatever its status: never cached or indexed, no referrer (the URL is the
 * secret), and a CSP that allows nothing but the page's own inline stylesheet (by hash) and forms posted
 * back to the same origin: no script, image, frame or base URL can be injected or framed.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': `default-src 'none'; style-src '${PAGE_CSS_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-robots-tag': 'noindex, nofollow',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export function htmlResponse(statusCode: number, body: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...SECURITY_HEADERS }, body };
}

/** An appointment's .ics file: the same headers (never cached, no referrer), as a download. */
export function calendarResponse(body: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': 'attachment; filename="appointment.ics"',
    },
    body,
  };
}

export function statusResponse(status: StatusPage): APIGatewayProxyStructuredResultV2 {
  return htmlResponse(status.statusCode, status.body);
}
