import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../functions/catalogue.ts';
import { matchRoute, parseRouteKey } from '../local/runtime/api-routes.ts';
import { apiGatewayTime, createHttpGateway, type HttpGateway } from '../local/runtime/http-gateway.ts';

describe('route matching (API Gateway HTTP API route keys)', () => {
  const routes = [
    parseRouteKey('GET /l/{token}', 'link-get'),
    parseRouteKey('POST /l/{token}', 'link-post'),
    parseRouteKey('ANY /staff/{proxy+}', 'staff-any'),
    parseRouteKey('GET /staff/health', 'staff-health'),
    parseRouteKey('GET /staff/{proxy+}', 'staff-get'),
  ];
  const target = (method: string, path: string) => matchRoute(routes, method, path)?.route.target;

  it('picks the route by method and fills the path parameter, decoded', () => {
    expect(matchRoute(routes, 'GET', '/l/ab%2Bcd')).toMatchObject({
      route: { target: 'link-get' },
      pathParameters: { token: 'ab+cd' },
    });
    expect(target('POST', '/l/abc')).toBe('link-post');
  });

  it('a {param} matches exactly one non-empty segment', () => {
    expect(target('GET', '/l/abc/extra')).toBeUndefined();
    expect(target('GET', '/l/')).toBeUndefined();
    expect(target('GET', '/l')).toBeUndefined();
  });

  it('a greedy {proxy+} takes the rest of the path, but not an empty rest', () => {
    expect(matchRoute(routes, 'DELETE', '/staff/patients/p-1/journey')).toMatchObject({
      route: { target: 'staff-any' },
      pathParameters: { proxy: 'patients/p-1/journey' },
    });
    expect(target('DELETE', '/staff')).toBeUndefined();
  });

  it('the most specific route wins: a literal over a greedy path, a method over ANY', () => {
    expect(target('GET', '/staff/health')).toBe('staff-health');
    expect(target('GET', '/staff/patients')).toBe('staff-get');
    expect(target('POST', '/staff/patients')).toBe('staff-any');
  });

  it('refuses a route key that is not API Gateway syntax', () => {
    expect(() => parseRouteKey('FETCH /x', 'f')).toThrow(/METHOD \/path/);
    expect(() => parseRouteKey('GET /a/{rest+}/b', 'f')).toThrow(/last segment/);
  });
});

describe('the HTTP API gateway', () => {
  const catalogue: FunctionSpec[] = [
    {
      id: 'echo',
      description: 'answers what the test tells it to',
      trigger: 'http',
      access: { table: ['GetItem', 'Query'], email: false, workflows: 'none' },
      memoryMb: 128,
      timeoutSeconds: 3,
      routes: ['ANY /echo/{proxy+}', 'GET /items/{id}'],
    },
  ];
  const events: APIGatewayProxyEventV2[] = [];
  let answer: (event: APIGatewayProxyEventV2) => unknown = () => ({ statusCode: 204 });
  const virtualNow = new Date('2026-03-01T08:30:05.000Z');
  let gateway: HttpGateway;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    gateway = createHttpGateway({
      catalogue,
      now: () => virtualNow,
      maxBodyBytes: 1024,
      invoke: async (_id, event) => {
        events.push(event);
        return answer(event);
      },
    });
    server = createServer((req, res) => void gateway.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('hands the function a payload format 2.0 event built from the request', async () => {
    answer = () => ({ statusCode: 200, body: 'ok' });
    await fetch(`${base}/items/i%2D7?b=2&a=1&a=3`, {
      headers: { 'X-Custom': 'Value', cookie: 'session=abc; theme=dark', 'user-agent': 'test-agent' },
    });
    const event = events.at(-1) as APIGatewayProxyEventV2;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/i%2D7',
      rawQueryString: 'b=2&a=1&a=3',
      pathParameters: { id: 'i-7' },
      queryStringParameters: { a: '1,3', b: '2' },
      cookies: ['session=abc', 'theme=dark'],
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/items/i%2D7', sourceIp: '127.0.0.1', userAgent: 'test-agent' },
        routeKey: 'GET /items/{id}',
        stage: '$default',
        time: '01/Mar/2026:08:30:05 +0000',
        timeEpoch: virtualNow.getTime(),
      },
    });
    expect(event.headers['x-custom']).toBe('Value');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
  });

  it('passes a text body as is and a binary body base64-encoded', async () => {
    answer = () => ({ statusCode: 204 });
    await fetch(`${base}/echo/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approve',
    });
    expect(events.at(-1)).toMatchObject({
      body: 'decision=approve',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST' } },
    });
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await fetch(`${base}/echo/upload`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(events.at(-1)).toMatchObject({
      body: bytes.toString('base64'),
      isBase64Encoded: true,
      pathParameters: { proxy: 'upload' },
    });
  });

  it("turns the function's structured answer into the HTTP response, each cookie a set-cookie header", async () => {
    answer = () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Count': 3 },
      cookies: ['a=1; HttpOnly', 'b=2; Secure'],
      body: '<p>made</p>',
    });
    const response = await fetch(`${base}/echo/make`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-count')).toBe('3');
    expect(response.headers.getSetCookie()).toEqual(['a=1; HttpOnly', 'b=2; Secure']);
    expect(await response.text()).toBe('<p>made</p>');
  });

  it('decodes a base64 answer body', async () => {
    answer = () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: Buffer.from([137, 80, 78, 71]).toString('base64'),
      isBase64Encoded: true,
    });
    const response = await fetch(`${base}/echo/logo.png`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([137, 80, 78, 71]));
  });

  it('answers 200 application/json with the value when the function returns JSON without a statusCode', async () => {
    answer = () => ({ journeys: 2 });
    const response = await fetch(`${base}/echo/count`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ journeys: 2 });
  });

  it('answers 500 Internal Server Error when the function throws or returns a malformed response', async () => {
    answer = () => {
      throw new Error('boom');
    };
    const thrown = await fetch(`${base}/echo/x`);
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ message: 'Internal Server Error' });
    answer = () => ({ statusCode: 'two hundred' });
    expect((await fetch(`${base}/echo/x`)).status).toBe(500);
  });

  it('answers 404 Not Found without calling a function when no route matches', async () => {
    const calls = events.length;
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    expect(events.length).toBe(calls);
  });

  it('answers 413 to a body over the limit without calling the function', async () => {
    const calls = events.length;
    const response = await fetch(`${base}/echo/big`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(2048),
    });
    expect(response.status).toBe(413);
    expect(events.length).toBe(calls);
  });

  it('counts every request it receives, routed or not', async () => {
    const before = gateway.requestCount();
    await fetch(`${base}/nowhere`);
    await fetch(`${base}/items/1`);
    expect(gateway.requestCount()).toBe(before + 2);
  });
});

describe('requestContext.time', () => {
  it("is written in API Gateway's format, in UTC", () => {
    expect(apiGatewayTime(new Date('2020-03-12T19:03:58.000Z'))).toBe('12/Mar/2020:19:03:58 +0000');
  });
});
