import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handler as clinicianPages } from '../../functions/clinician-pages/handler.ts';
import { handler as patientPages } from '../../functions/patient-pages/handler.ts';
import { formBody, type FormFields } from './link-http.ts';

/** The audience path of a link: `/p/` for patients, `/c/` for clinicians. */
export type LinkPath = 'p' | 'c';

export type PageResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
};

/**
 * Calls the function behind `/<path>/<token>` directly, with the event API Gateway's HTTP API would hand
 * it (for tests of the handlers without the HTTP server; test/support/link-http.ts goes through HTTP).
 */
export async function callLinkPage(
  method: 'GET' | 'POST',
  path: LinkPath,
  token: string,
  form?: FormFields,
): Promise<PageResponse> {
  const event = {
    version: '2.0',
    routeKey: `${method} /${path}/{token}`,
    rawPath: `/${path}/${token}`,
    rawQueryString: '',
    headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    pathParameters: { token },
    requestContext: {
      http: { method, path: `/${path}/${token}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    } as APIGatewayProxyEventV2['requestContext'],
    ...(form === undefined ? {} : { body: formBody(form) }),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
  const handler = path === 'p' ? patientPages : clinicianPages;
  return (await handler(event, {} as Context)) as PageResponse;
}
