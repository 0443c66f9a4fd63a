/**
 * The AWS JSON 1.0 wire protocol @aws-sdk/client-sfn speaks: POST / with
 * `X-Amz-Target: AWSStepFunctions.<Action>`; errors are HTTP 400 with `__type` naming the error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SfnServiceError } from './contract.ts';

export type ActionHandler = (action: string, request: unknown) => Promise<unknown>;

const CONTENT_TYPE = 'application/x-amz-json-1.0';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': crypto.randomUUID(),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function answer(handle: ActionHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.headers['x-amz-target'];
  if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith('AWSStepFunctions.')) {
    send(res, 400, {
      __type: 'UnknownOperationException',
      message: 'Expected POST / with X-Amz-Target: AWSStepFunctions.<Action>',
    });
    return;
  }
  let request: unknown;
  try {
    const body = await readBody(req);
    request = body.length === 0 ? {} : (JSON.parse(body) as unknown);
  } catch {
    send(res, 400, { __type: 'SerializationException', message: 'The request body is not valid JSON' });
    return;
  }
  try {
    send(res, 200, await handle(target.slice('AWSStepFunctions.'.length), request));
  } catch (error) {
    if (error instanceof SfnServiceError) send(res, 400, { __type: error.errorName, message: error.message });
    else send(res, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
  }
}

export function listenAwsJson(handle: ActionHandler, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    void answer(handle, req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
