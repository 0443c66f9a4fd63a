import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocalModule from 'aws-ses-v2-local';
import * as z from 'zod/mini';
import { issueMessage } from '../../functions/domain/schemas/field-errors.ts';

/**
 * SES on loopback: `aws-ses-v2-local` serves the SES v1 and v2 APIs, keeps every email it accepts in
 * memory, and shows them in its viewer at `/`. It runs in this process (it is a small express app), so
 * stopping it leaves nothing behind. Its store is per process: one SES local per process.
 */
export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  readonly text: string | undefined;
  readonly html: string | undefined;
  /** when SES local received it (its own wall-clock stamp, to the second) */
  readonly date: Date;
}

export interface SesLocal {
  /** the SES API endpoint, for AWS_ENDPOINT_URL_SES */
  readonly endpoint: string;
  /** the web page listing every email sent */
  readonly viewerUrl: string;
  readonly port: number;
  listEmails(): Promise<SentEmail[]>;
  /** forgets every email sent so far */
  clearEmails(): Promise<void>;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

// The package is CommonJS with an `exports.default`; depending on the loader the default import is
// either that function or the whole `module.exports`, so look in both places.
function startServerFunction(): StartServer {
  const moduleValue: unknown = sesLocalModule;
  const candidates = [
    (moduleValue as { default?: unknown }).default,
    ((moduleValue as { default?: { default?: unknown } }).default ?? {}).default,
  ];
  const found = candidates.find((candidate) => typeof candidate === 'function');
  if (found === undefined) throw new Error('aws-ses-v2-local does not export its server function where expected');
  return found as StartServer;
}

const storeSchema = z.object({
  emails: z.array(
    z.object({
      messageId: z.string(),
      from: z.string(),
      destination: z.object({
        to: z._default(z.array(z.string()), []),
        cc: z._default(z.array(z.string()), []),
        bcc: z._default(z.array(z.string()), []),
      }),
      subject: z._default(z.string(), ''),
      body: z._default(z.object({ text: z.optional(z.string()), html: z.optional(z.string()) }), {}),
      at: z.number(),
    }),
  ),
});

export async function startSesLocal(options: { port?: number } = {}): Promise<SesLocal> {
  const requestedPort = options.port ?? 0;
  const server = await startServerFunction()({ host: '127.0.0.1', port: requestedPort });
  // the package resolves even when the bind failed; a server without an address did not start
  const address = server.address() as AddressInfo | null;
  if (address === null) {
    server.close();
    throw new PortInUseError(`SES local could not listen on 127.0.0.1:${requestedPort}: the port is already in use`);
  }
  const port = address.port;
  const endpoint = `http://127.0.0.1:${port}`;

  async function listEmails(): Promise<SentEmail[]> {
    const response = await fetch(`${endpoint}/store`);
    if (!response.ok) throw new Error(`SES local answered ${response.status} to GET /store`);
    const store = storeSchema.parse(await response.json(), { error: issueMessage });
    return store.emails.map((email) => ({
      messageId: email.messageId,
      from: email.from,
      to: email.destination.to,
      cc: email.destination.cc,
      bcc: email.destination.bcc,
      subject: email.subject,
      text: email.body.text,
      html: email.body.html,
      date: new Date(email.at * 1000),
    }));
  }

  async function clearEmails(): Promise<void> {
    const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    if (!response.ok) throw new Error(`SES local answered ${response.status} to POST /clear-store`);
  }

  let stopped: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopped ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // the viewer polls with keep-alive connections that would hold close() open
      server.closeAllConnections();
    });
    return stopped;
  }

  return { endpoint, viewerUrl: `${endpoint}/`, port, listEmails, clearEmails, stop };
}
