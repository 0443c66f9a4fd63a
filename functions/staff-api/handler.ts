import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isDomainError, ValidationFailed } from '../domain/domain-errors.ts';
import { EnrolmentConflict, PatientNotFound } from '../patient/journey-errors.ts';
import { StaffMayNotDecide } from '../links/link-errors.ts';
import { invocationLogging } from '../platform/invocation-logging.ts';
import { logger } from '../platform/logger.ts';
import { AlreadyExists, ConcurrentUpdate } from '../store/store-errors.ts';
import { badRequest, problem } from './http-answers.ts';
import { routes } from './routes.ts';

/** `ANY /staff/{proxy+}`: finds the route, runs it, and maps named errors to statuses at this one edge. */
async function staffApi(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath.replace(/\/+$/, '');
  const found = match(method, path);
  if (found === 'method-not-allowed') return problem(405, `${method} is not allowed on ${path}`);
  if (found === undefined) return problem(404, `no staff route ${method} ${path}`);
  try {
    return await found.run(event, found.params);
  } catch (error) {
    return answerFor(error);
  }
}

function match(
  method: string,
  path: string,
): { run: (typeof routes)[number]['run']; params: { id: string } } | 'method-not-allowed' | undefined {
  const parts = path.split('/').slice(1).map(safeDecode);
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/').slice(1);
    if (pattern.length !== parts.length) continue;
    let id = '';
    const same = pattern.every((segment, index) => {
      if (segment === '{id}') {
        id = parts[index] ?? '';
        return /^[A-Za-z0-9_-]{1,64}$/.test(id);
      }
      return segment === parts[index];
    });
    if (!same) continue;
    pathMatched = true;
    if (route.method === method) return { run: route.run, params: { id } };
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

function answerFor(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof ValidationFailed) return badRequest(error.errors);
  if (error instanceof PatientNotFound) return problem(404, `no patient ${error.patientId}`);
  if (error instanceof EnrolmentConflict || error instanceof StaffMayNotDecide) return problem(409, error.message);
  if (isDomainError(error)) return problem(422, error.message);
  if (error instanceof ConcurrentUpdate || error instanceof AlreadyExists)
    return problem(409, 'the patient changed at the same moment; try again');
  logger.error('staff API request failed', { errorName: (error as Error).name });
  return problem(500, 'the request could not be completed');
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(invocationLogging('staff-api'))
  .handler(staffApi);

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
