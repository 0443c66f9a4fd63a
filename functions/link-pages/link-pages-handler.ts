import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LinkPersonKind } from '../domain/schemas/link.ts';
import type { AudiencePages } from '../pages/page-view.ts';
import { errorPage } from '../pages/status-pages.ts';
import { invocationLogging } from '../platform/invocation-logging.ts';
import { logger } from '../platform/logger.ts';
import { statusResponse } from './responses.ts';
import { linkServer, type LinkServer } from './serve-link.ts';

/**
 * The HTTP handler of one audience's link pages: any unexpected failure still answers a page, never a bare 5xx body.
 * `guard` wraps the link server with a check of its own (the clinicians' sign-in, functions/portal/clinician-sign-in.ts).
 */
export function linkPagesHandler(
  functionId: string,
  audience: LinkPersonKind,
  pages: AudiencePages,
  guard: (server: LinkServer) => LinkServer = (server) => server,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(invocationLogging(functionId))
    .use({
      onError: (request) => {
        // the error name only: messages may quote the store's items
        logger.error('link page failed', { errorName: request.error?.name });
        request.response = statusResponse(errorPage());
      },
    })
    .handler(guard(linkServer(audience, pages)));
}
