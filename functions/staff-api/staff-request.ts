import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import type * as z from 'zod/mini';
import { ValidationFailed } from '../domain/domain-errors.ts';
import { safeParseFields } from '../domain/schemas/parse.ts';
import type { AuditActor } from '../store/audited-change.ts';

/**
 * Who is calling, and what they sent. In AWS the route is IAM-authorised, so the caller is the IAM
 * principal API Gateway verified (a header could be forged, so it is ignored there). Locally (open on
 * loopback) the `x-staff-id` header names the caller, `local-staff` by default.
 */
export function staffActor(event: APIGatewayProxyEventV2): AuditActor {
  const iam = (event as Partial<APIGatewayProxyEventV2WithIAMAuthorizer>).requestContext?.authorizer?.iam;
  if (iam !== undefined)
    return { type: 'staff', id: iam.userArn ?? iam.callerId ?? iam.userId ?? 'unknown-iam-principal' };
  const header = event.headers?.['x-staff-id'];
  if (header === undefined) return { type: 'staff', id: 'local-staff' };
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(header)) {
    throw new ValidationFailed(
      [{ field: 'x-staff-id', message: 'x-staff-id: expected 1-64 letters, digits, ".", "@", "-" or "_"' }],
      'staff identity',
    );
  }
  return { type: 'staff', id: header };
}

/** The JSON body parsed with a strict schema; anything else is ValidationFailed naming the field. */
export function parseBody<Schema extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
): z.output<Schema> {
  let raw: unknown;
  try {
    const text =
      event.isBase64Encoded && event.body !== undefined
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
    raw = JSON.parse(text ?? '');
  } catch {
    throw new ValidationFailed([{ field: '(body)', message: '(body): expected a JSON object' }], 'request body');
  }
  const parsed = safeParseFields(schema, raw);
  if (!parsed.success) throw new ValidationFailed(parsed.errors, 'request body');
  return parsed.data;
}

/** The Idempotency-Key header, if sent; a malformed one is refused rather than ignored. */
export function idempotencyKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const key = event.headers?.['idempotency-key'] ?? event.headers?.['Idempotency-Key'];
  if (key === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(key)) {
    throw new ValidationFailed(
      [{ field: 'Idempotency-Key', message: 'Idempotency-Key: expected 8-64 letters, digits, "-" or "_"' }],
      'request headers',
    );
  }
  return key;
}
