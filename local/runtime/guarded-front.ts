import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback front for a local AWS service: every request is first put to a guard, which may answer in the
 * service's place (an access denial, an injected fault); otherwise it passes to the service byte for byte.
 */
export interface FrontRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface FrontAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type FrontGuard = (request: FrontRequest) => Promise<FrontAnswer | undefined>;

export interface GuardedFront {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startGuardedFront(upstreamEndpoint: string, guard: FrontGuard): Promise<GuardedFront> {
  const upstream = new URL(upstreamEndpoint);
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      const refusal = await guard(request);
      if (refusal !== undefined) {
        res.writeHead(refusal.status, {
          ...refusal.headers,
          'content-length': String(Buffer.byteLength(refusal.body)),
        });
        res.end(refusal.body);
        return;
      }
      const { 'transfer-encoding': _chunked, ...passed } = req.headers;
      const out = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          path: request.url,
          method: request.method,
          headers: { ...passed, host: upstream.host, 'content-length': String(body.length) },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`local front: ${error.message}`);
      });
      out.end(body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`local front: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

export function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
