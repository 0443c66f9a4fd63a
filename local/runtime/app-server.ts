import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClockMove } from '../sfn/contract.ts';
import { consoleStylesheet } from '../console/console-style.ts';
import { parseClockMove } from './clock-request.ts';
import { faultRequestSchema, type FaultInjection } from './fault-injection.ts';
import type { HttpGateway } from './http-gateway.ts';

/**
 * The app port: the console (`/`), the runtime's own endpoints (`/_local/...`), and every other path
 * handed to the HTTP API gateway, as API Gateway would receive it. It listens before the rest of the
 * runtime exists, because the functions need its address (APP_BASE_URL) in their environment; until
 * `serve()` is called it answers 503.
 */
export interface AppRoutes {
  readonly gateway: HttpGateway;
  now(): Date;
  advanceClock(move: ClockMove): Promise<Date>;
  usage(): Promise<unknown>;
  alarms(): Promise<unknown>;
  readonly faults: FaultInjection;
  renderConsole(): Promise<string>;
}

export interface AppServer {
  readonly port: number;
  readonly url: string;
  serve(routes: AppRoutes): void;
  stop(): Promise<void>;
}

const localPageHeaders = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const maxLocalBodyBytes = 64 * 1024;

export async function startAppServer(port: number): Promise<AppServer> {
  let routes: AppRoutes | undefined;
  const server: Server = createServer((req, res) => {
    void dispatch(req, res).catch((error: unknown) => {
      console.error('local runtime: request failed', error);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.end();
    });
  });

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (routes === undefined) {
      sendJson(res, 503, { message: 'the local clinic is still starting' });
      return;
    }
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const method = req.method ?? 'GET';
    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      send(res, 200, 'text/html; charset=utf-8', await routes.renderConsole(), localPageHeaders);
    } else if (path === '/_local/console.css' && method === 'GET') {
      send(res, 200, 'text/css; charset=utf-8', consoleStylesheet, {
        ...localPageHeaders,
        'cache-control': 'no-cache',
      });
    } else if (path === '/_local/clock' && method === 'GET') {
      sendJson(res, 200, { now: routes.now().toISOString() });
    } else if (path === '/_local/clock' && method === 'POST') {
      await moveClock(routes, req, res);
    } else if (path === '/_local/usage' && method === 'GET') {
      sendJson(res, 200, await routes.usage());
    } else if (path === '/_local/alarms' && method === 'GET') {
      sendJson(res, 200, { alarms: await routes.alarms() });
    } else if (path === '/_local/faults' && method === 'GET') {
      sendJson(res, 200, { faults: routes.faults.list() });
    } else if (path === '/_local/faults' && method === 'POST') {
      await injectFault(routes.faults, req, res);
    } else if (path === '/_local/faults' && method === 'DELETE') {
      routes.faults.clear();
      sendJson(res, 200, { faults: [] });
    } else if (path.startsWith('/_local/')) {
      sendJson(res, ['/_local/clock', '/_local/usage', '/_local/alarms', '/_local/faults'].includes(path) ? 405 : 404, {
        message: `no ${method} ${path} here`,
      });
    } else {
      await routes.gateway.handle(req, res);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`the app port 127.0.0.1:${port} is already in use`) : error),
    );
    server.listen(port, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    serve(next) {
      routes = next;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** POST /_local/faults {"fault": {...}, "calls": N} or {..., "forSeconds": S}: see fault-injection.ts */
async function injectFault(faults: FaultInjection, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (isCrossSite(req)) {
    sendJson(res, 403, { message: 'faults can only be injected from a non-browser client' });
    return;
  }
  const raw = await readBody(req, maxLocalBodyBytes);
  if (raw === undefined) {
    sendJson(res, 413, { message: `the body must be under ${maxLocalBodyBytes} bytes` });
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    sendJson(res, 400, { message: 'the body is not valid JSON' });
    return;
  }
  const parsed = faultRequestSchema.safeParse(body);
  if (!parsed.success) {
    sendJson(res, 400, {
      message: `not a fault: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    });
    return;
  }
  const id = faults.add(parsed.data);
  sendJson(res, 201, { id, faults: faults.list() });
}

async function moveClock(routes: AppRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (isCrossSite(req)) {
    sendJson(res, 403, { message: 'the clock can only be moved from this console or a non-browser client' });
    return;
  }
  const fromForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const raw = await readBody(req, maxLocalBodyBytes);
  if (raw === undefined) {
    sendJson(res, 413, { message: `the body must be under ${maxLocalBodyBytes} bytes` });
    return;
  }
  let body: unknown;
  if (fromForm) {
    const form = new URLSearchParams(raw.toString('utf8'));
    const seconds = form.get('advanceSeconds');
    body = seconds !== null ? { advanceSeconds: Number(seconds) } : { to: form.get('to') ?? '' };
  } else {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      sendJson(res, 400, {
        message: 'the body is not valid JSON: expected {"advanceSeconds": N} or {"to": "<ISO time>"}',
      });
      return;
    }
  }
  const parsed = parseClockMove(body, routes.now());
  if (!parsed.ok) {
    sendJson(res, 400, { message: parsed.message });
    return;
  }
  let now: Date;
  try {
    now = await routes.advanceClock(parsed.move);
  } catch (error) {
    // the engine refuses with a named error (e.g. a move into the past that raced another move)
    const named = error as { name?: string; errorName?: string; message?: string };
    if (named.errorName !== undefined) {
      sendJson(res, 400, { message: `${named.errorName}: ${named.message ?? ''}` });
      return;
    }
    throw error;
  }
  if (fromForm) {
    res.writeHead(303, { location: '/', ...localPageHeaders });
    res.end();
    return;
  }
  sendJson(res, 200, { now: now.toISOString() });
}

// A page on another site may submit a form to 127.0.0.1; browsers say where a request comes from.
// Sec-Fetch-Site first: under this page's no-referrer policy a same-origin form posts "Origin: null".
function isCrossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value, null, 2), { 'cache-control': 'no-store' });
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
