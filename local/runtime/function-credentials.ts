import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * Each function gets its own local credentials, as each Lambda gets its own role's. The functions run in
 * this one process and their SDK clients read the one AWS_ACCESS_KEY_ID, so the function host runs each
 * invocation under its function's identity and every request the SDK sends while it runs is re-signed with
 * that function's access key id; the local endpoints read it back from the Authorization header, as AWS
 * reads the caller from the signature. Requests outside any invocation (tests, the console, the runtime's
 * own setup) keep the operator's key, which the endpoints let through.
 */
const invocation = new AsyncLocalStorage<string>();
const keyPrefix = 'LOCALFN';

/** letters and digits only, as DynamoDB Local requires of an access key id: the function id in hex */
export function functionAccessKeyId(functionId: string): string {
  return `${keyPrefix}${Buffer.from(functionId, 'utf8').toString('hex')}`;
}

/** The function id whose key signed the request, or undefined for the operator's. */
export function functionIdFromAuthorization(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const key = /Credential=([^/,\s]+)\//.exec(header ?? '')?.[1];
  return key?.startsWith(keyPrefix) === true
    ? Buffer.from(key.slice(keyPrefix.length), 'hex').toString('utf8')
    : undefined;
}

export function runAsFunction<T>(functionId: string, work: () => T): T {
  return invocation.run(functionId, work);
}

let subscribed = false;

export function signRequestsWithFunctionCredentials(): void {
  if (subscribed) return;
  subscribed = true;
  // published in the ClientRequest constructor, in the caller's async context and before any header is sent
  diagnostics.subscribe('http.client.request.created', (message) => {
    const functionId = invocation.getStore();
    if (functionId === undefined) return;
    const { request } = message as { request: ClientRequest };
    const authorization = request.getHeader('authorization');
    if (typeof authorization !== 'string') return;
    request.setHeader(
      'authorization',
      authorization.replace(/Credential=[^/]+\//, `Credential=${functionAccessKeyId(functionId)}/`),
    );
  });
}
