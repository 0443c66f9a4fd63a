import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrontGuard } from './guarded-front.ts';

/**
 * A loopback proxy in front of DynamoDB Local that counts the capacity units each request consumed,
 * which is what DynamoDB on-demand bills. The handlers reach it through AWS_ENDPOINT_URL_DYNAMODB and
 * cannot tell it is there: requests and responses pass through byte for byte, except that a request
 * which did not ask for ReturnConsumedCapacity is asked for TOTAL (DynamoDB Local does not check
 * signatures, and an extra response field is ignored by the SDK).
 */
export interface DynamoDbCapacity {
  readRequestUnits: number;
  writeRequestUnits: number;
  requests: number;
}

export interface DynamoDbMeteringProxy {
  readonly endpoint: string;
  readonly port: number;
  capacity(): DynamoDbCapacity;
  stop(): Promise<void>;
}

const readOperations = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const writeOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const statementOperations = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

/** `guard` may answer in DynamoDB's place (an access denial, an injected fault) before the request is forwarded. */
export async function startDynamoDbMeteringProxy(
  upstreamEndpoint: string,
  guard?: FrontGuard,
): Promise<DynamoDbMeteringProxy> {
  const upstream = new URL(upstreamEndpoint);
  const totals: DynamoDbCapacity = { readRequestUnits: 0, writeRequestUnits: 0, requests: 0 };

  const server = createServer((req, res) => {
    void forward(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: `local metering proxy: ${(error as Error).message}`,
        }),
      );
    });
  });

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const original = await readBody(req);
    const refusal = await guard?.({
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers: req.headers,
      body: original,
    });
    if (refusal !== undefined) {
      totals.requests += 1;
      res.writeHead(refusal.status, refusal.headers);
      res.end(refusal.body);
      return;
    }
    const body = askForCapacity(operation, original);
    const { 'transfer-encoding': _chunked, ...passed } = req.headers;
    const headers = { ...passed, host: upstream.host, 'content-length': String(body.length) };
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const out = httpRequest(
          { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
          (upstreamRes) => {
            readBody(upstreamRes).then(
              (responseBody) =>
                resolve({ status: upstreamRes.statusCode ?? 502, headers: upstreamRes.headers, body: responseBody }),
              reject,
            );
          },
        );
        out.on('error', reject);
        out.end(body);
      },
    );
    totals.requests += 1;
    if (answer.status === 200) count(operation, original, answer.body);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  function count(operation: string, requestBody: Buffer, responseBody: Buffer): void {
    let units: { read: number; write: number };
    try {
      units = unitsIn(operation, JSON.parse(requestBody.toString('utf8')), JSON.parse(responseBody.toString('utf8')));
    } catch {
      return;
    }
    totals.readRequestUnits += units.read;
    totals.writeRequestUnits += units.write;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    capacity: () => ({ ...totals }),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function askForCapacity(operation: string, body: Buffer): Buffer {
  if (!readOperations.has(operation) && !writeOperations.has(operation) && !statementOperations.has(operation))
    return body;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (parsed.ReturnConsumedCapacity !== undefined && parsed.ReturnConsumedCapacity !== 'NONE') return body;
    return Buffer.from(JSON.stringify({ ...parsed, ReturnConsumedCapacity: 'TOTAL' }), 'utf8');
  } catch {
    return body;
  }
}

interface ConsumedCapacityShape {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** Splits consumed capacity into read and write units; which one a plain CapacityUnits is depends on the operation. */
export function unitsIn(operation: string, request: unknown, response: unknown): { read: number; write: number } {
  const consumed = (response as { ConsumedCapacity?: ConsumedCapacityShape | ConsumedCapacityShape[] })
    .ConsumedCapacity;
  const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  const isWrite = writeOperations.has(operation) || (statementOperations.has(operation) && !isSelectOnly(request));
  let read = 0;
  let write = 0;
  for (const entry of entries) {
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      read += entry.ReadCapacityUnits ?? 0;
      write += entry.WriteCapacityUnits ?? 0;
    } else if (isWrite) {
      write += entry.CapacityUnits ?? 0;
    } else {
      read += entry.CapacityUnits ?? 0;
    }
  }
  return { read, write };
}

function isSelectOnly(request: unknown): boolean {
  const r = request as {
    Statement?: string;
    Statements?: { Statement?: string }[];
    TransactStatements?: { Statement?: string }[];
  };
  const statements = [
    r.Statement,
    ...(r.Statements ?? []).map((s) => s.Statement),
    ...(r.TransactStatements ?? []).map((s) => s.Statement),
  ];
  return statements.filter((s) => s !== undefined).every((s) => /^\s*select\b/i.test(s ?? ''));
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
