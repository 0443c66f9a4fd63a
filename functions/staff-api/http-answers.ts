import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldError } from '../domain/schemas/field-errors.ts';

/** The staff API's answers: JSON, never cached, and errors as {error, fields?}. */
export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

export function badRequest(
  fields: readonly FieldError[],
  error = 'the request is not valid',
): APIGatewayProxyStructuredResultV2 {
  return json(400, { error, fields });
}

export function problem(statusCode: number, error: string): APIGatewayProxyStructuredResultV2 {
  return json(statusCode, { error });
}
