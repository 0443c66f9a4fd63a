import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorPage } from '../pages/status-pages.ts';
import { logger } from '../platform/logger.ts';
import { statusResponse } from './responses.ts';
import { serveLink } from './serve-link.ts';

/** HTTP API routes `GET /l/{token}` and `POST /l/{token}` (functions/catalogue.ts). */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use({
    before: () => {
      logger.appendKeys({ functionId: 'link-pages' });
    },
    onError: (request) => {
      // the error name only: messages may quote the store's items
      logger.error('link page failed', { errorName: request.error?.name });
      request.response = statusResponse(errorPage());
    },
  })
  .handler(serveLink);
