import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LinkPerson } from '../domain/schemas/link.ts';

/**
 * Who acts through a link: its addressee, unless a sign-in layer in this function verified another
 * clinician allowed to act on it (the addressee's backup, functions/portal/clinician-sign-in.ts), who
 * is then the one recorded as deciding. The layer puts them where an HTTP API authorizer's context goes;
 * this API has no authorizer, so API Gateway never sets it and a request cannot bring it.
 */
type WithAuthorizer = { requestContext: { authorizer?: { lambda?: { actingClinicianId?: unknown } } } };

export function actingPerson(event: APIGatewayProxyEventV2, addressee: LinkPerson): LinkPerson {
  const acting = (event as unknown as WithAuthorizer).requestContext.authorizer?.lambda?.actingClinicianId;
  return addressee.kind === 'clinician' && typeof acting === 'string' && acting !== ''
    ? { kind: 'clinician', id: acting }
    : addressee;
}

export function withActingClinician(event: APIGatewayProxyEventV2, clinicianId: string): APIGatewayProxyEventV2 {
  return {
    ...event,
    requestContext: { ...event.requestContext, authorizer: { lambda: { actingClinicianId: clinicianId } } },
  } as APIGatewayProxyEventV2;
}
