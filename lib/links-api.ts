import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { TelemetryEncryption } from './telemetry-encryption.ts';

/** Routes under this prefix are the staff API: only IAM-signed requests reach them. */
export const staffRoutePrefix = '/staff/';

/**
 * A clinic's traffic is a few requests a minute; these limits leave ample room for it while capping
 * what a link-scanning bot or a runaway staff script can cost or do to the table.
 */
export const apiThrottle = { rateLimit: 20, burstLimit: 40 } as const;

export interface LinksApiProps {
  readonly telemetry: TelemetryEncryption;
}

export interface ParsedRoute {
  readonly method: HttpMethod;
  readonly path: string;
}

export class InvalidRouteError extends Error {
  override readonly name = 'InvalidRouteError';
}

/** "GET /p/{token}" -> { method: GET, path: '/p/{token}' }, as the catalogue writes routes. */
export function parseRoute(route: string): ParsedRoute {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route);
  const method = match?.[1];
  const path = match?.[2];
  const known = Object.values(HttpMethod) as string[];
  if (method === undefined || path === undefined || !known.includes(method)) {
    throw new InvalidRouteError(
      `route "${route}" in functions/catalogue.ts is not "METHOD /path" with one of ${known.join(', ')}`,
    );
  }
  return { method: method as HttpMethod, path };
}

/**
 * The one HTTP API: the emailed-link pages (public: a link's 256-bit token is its own authorisation)
 * and the staff API (IAM-signed). Created before the functions so its URL can be handed to them; the
 * routes are added afterwards with {@link LinksApi.route}.
 */
export class LinksApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly staffAuthorizer: IHttpRouteAuthorizer = new HttpIamAuthorizer();

  constructor(scope: Construct, id: string, props: LinksApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Care Journeys: emailed-link pages and the staff API',
      createDefaultStage: false,
    });
    const accessLogs = props.telemetry.logGroup(
      this,
      'AccessLogs',
      `/aws/vendedlogs/apigateway/${Stack.of(this).stackName}-links-api`,
    );
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The route key, never the path: a link's path carries its token, a credential.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userArn: '$context.identity.userArn',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            error: '$context.error.message',
          }),
        ),
      },
    });
  }

  /** Base URL of the link pages; `$default` stage, so no stage segment. */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Serves each route with the function; staff routes require an IAM-signed request. */
  route(functionId: string, handler: IFunction, routes: readonly string[]): void {
    const integration = new HttpLambdaIntegration(`${functionId}-integration`, handler, {
      timeout: Duration.seconds(29),
    });
    for (const route of routes) {
      const { method, path } = parseRoute(route);
      const isStaff = path.startsWith(staffRoutePrefix);
      const added = this.api.addRoutes({
        path,
        methods: [method],
        integration,
        ...(isStaff ? { authorizer: this.staffAuthorizer } : {}),
      });
      if (isStaff) continue;
      for (const publicRoute of added) {
        Validations.of(publicRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "Emailed-link pages are opened by patients and clinicians who have no AWS identity. Each request is authorised by the link's random 256-bit token, checked by the function against its stored SHA-256 hash, expiry and status; GET never changes anything and a decision needs a POST.",
        });
      }
    }
  }
}
