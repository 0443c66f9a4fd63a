import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { functionCatalogue, type FunctionSpec } from '../../functions/catalogue.ts';
import { matchRoute, parseRouteKey, type ApiRoute } from './api-routes.ts';
import { localAccountId } from './local-aws-identity.ts';

/**
 * The local stand-in for the HTTP API: the catalogue's routes, each calling its function with the
 * payload format 2.0 event API Gateway would send, and the function's answer turned back into HTTP
 * the way API Gateway does it.
 */
export interface HttpGateway {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** requests the HTTP API would have billed: every request it received, routed or not */
  requestCount(): number;
  readonly routes: readonly string[];
}

export interface HttpGatewayOptions {
  invoke(functionId: string, event: APIGatewayProxyEventV2): Promise<unknown>;
  /** the time stamped on each request (the virtual clock) */
  now(): Date;
  catalogue?: readonly FunctionSpec[];
  maxBodyBytes?: number;
  onError?(error: unknown, routeKey: string): void;
}

/** Lambda's limit for a synchronous invocation payload; the event is JSON around the body, so this is a ceiling. */
export const defaultMaxBodyBytes = 6 * 1024 * 1024;

export function createHttpGateway(options: HttpGatewayOptions): HttpGateway {
  const catalogue: readonly FunctionSpec[] = options.catalogue ?? functionCatalogue;
  const routes: ApiRoute<string>[] = catalogue.flatMap((spec) =>
    (spec.routes ?? []).map((key) => parseRouteKey(key, spec.id)),
  );
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  let requests = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests += 1;
    const requestId = randomUUID();
    res.setHeader('apigw-requestid', requestId);
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    const match = matchRoute(routes, method, url.pathname);
    if (match === undefined) {
      sendJson(res, 404, { message: 'Not Found' });
      req.resume();
      return;
    }
    const body = await readLimitedBody(req, maxBodyBytes);
    if (body === 'too-large') {
      sendJson(res, 413, { message: 'Request Entity Too Large' });
      return;
    }
    const event = toApiGatewayEvent(req, {
      routeKey: match.route.routeKey,
      pathParameters: match.pathParameters,
      body,
      requestId,
      now: options.now(),
    });
    let result: unknown;
    try {
      result = await options.invoke(match.route.target, event);
    } catch (error) {
      options.onError?.(error, match.route.routeKey);
      sendJson(res, 500, { message: 'Internal Server Error' });
      return;
    }
    const response = fromLambdaResult(result);
    if (response === undefined) {
      options.onError?.(
        new Error(`the function's answer is not a valid HTTP API response: ${JSON.stringify(result)}`),
        match.route.routeKey,
      );
      sendJson(res, 500, { message: 'Internal Server Error' });
      return;
    }
    res.statusCode = response.statusCode;
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (response.cookies.length > 0) res.setHeader('set-cookie', response.cookies);
    res.end(response.body);
  }

  return { handle, requestCount: () => requests, routes: routes.map((r) => r.routeKey) };
}

const textContentType =
  /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|x-www-form-urlencoded|javascript|graphql))/i;

export function toApiGatewayEvent(
  req: IncomingMessage,
  request: { routeKey: string; pathParameters: Record<string, string>; body: Buffer; requestId: string; now: Date },
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://local');
  const rawPath = (req.url ?? '/').split('?')[0] as string;
  const rawQueryString = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    // format 2.0 hands cookies over in their own field, not as a header
    if (name === 'cookie' || values === undefined) continue;
    headers[name] = values.join(',');
  }
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  const cookies = (req.headersDistinct.cookie ?? []).flatMap((line) => line.split(/;\s*/)).filter((c) => c !== '');
  const query: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
  const queryStringParameters = Object.fromEntries(
    Object.entries(query).map(([key, values]) => [key, values.join(',')]),
  );
  const contentType = headers['content-type'] ?? '';
  const isBase64Encoded = request.body.length > 0 && !textContentType.test(contentType);
  const host = headers.host ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    ...(Object.keys(request.pathParameters).length > 0 ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: localAccountId,
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: request.routeKey,
      stage: '$default',
      time: apiGatewayTime(request.now),
      timeEpoch: request.now.getTime(),
    },
    ...(request.body.length > 0 ? { body: request.body.toString(isBase64Encoded ? 'base64' : 'utf8') } : {}),
    isBase64Encoded,
  };
}

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/**
 * API Gateway's reading of a function's answer (format 2.0): a structured response is used as is; any
 * other JSON value is taken as the body of a 200 application/json response.
 */
export function fromLambdaResult(result: unknown): GatewayResponse | undefined {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body, 'utf8'),
    };
  }
  const response = result as APIGatewayProxyStructuredResultV2;
  if (
    typeof response.statusCode !== 'number' ||
    !Number.isInteger(response.statusCode) ||
    response.statusCode < 100 ||
    response.statusCode > 599
  ) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const body = response.body ?? '';
  return {
    statusCode: response.statusCode,
    headers,
    cookies: [...(response.cookies ?? [])],
    body: Buffer.from(body, response.isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // keep draining so the client can read the 413 instead of a reset connection
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's requestContext.time format: "12/Mar/2020:19:03:58 +0000" */
export function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
