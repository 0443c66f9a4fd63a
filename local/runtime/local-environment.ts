import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import { localRegion, localStateMachineArn, stateMachineArnVariable } from './local-aws-identity.ts';

/**
 * The environment a function sees, set in this process before any handler is imported: the same
 * variables the CDK stack sets on each Lambda (functions/platform/environment.ts), plus the
 * `AWS_ENDPOINT_URL_<SERVICE>` variables through which the AWS SDK reaches the local services, and
 * dummy credentials so the SDK never goes looking for real ones.
 */
export interface LocalEnvironmentInput {
  readonly tableName: string;
  readonly appBaseUrl: string;
  readonly clinic: ClinicConfig;
  readonly dynamoDbEndpoint: string;
  readonly sfnEndpoint: string;
  readonly sesEndpoint: string;
  readonly stateMachineIds: readonly string[];
  /** the portal's sign-in (functions/portal/portal-settings.ts), against the local OpenID provider */
  readonly portal?: {
    readonly issuer: string;
    readonly clientId: string;
    readonly sessionKey: string;
    readonly clinicianSignIn: boolean;
  };
}

export function localEnvironment(input: LocalEnvironmentInput): Record<string, string> {
  return {
    AWS_REGION: localRegion,
    AWS_DEFAULT_REGION: localRegion,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_SFN: input.sfnEndpoint,
    AWS_ENDPOINT_URL_SES: input.sesEndpoint,
    // aws-ses-v2-local serves the v2 API on the same port, for a handler that uses @aws-sdk/client-sesv2
    AWS_ENDPOINT_URL_SESV2: input.sesEndpoint,
    TABLE_NAME: input.tableName,
    APP_BASE_URL: input.appBaseUrl,
    CLINIC_CONFIG: JSON.stringify(input.clinic),
    ...(input.portal === undefined
      ? {}
      : {
          OIDC_ISSUER: input.portal.issuer,
          OIDC_CLIENT_ID: input.portal.clientId,
          PORTAL_SESSION_KEY: input.portal.sessionKey,
          CLINICIAN_SIGN_IN: input.portal.clinicianSignIn ? 'required' : 'off',
        }),
    ...Object.fromEntries(input.stateMachineIds.map((id) => [stateMachineArnVariable(id), localStateMachineArn(id)])),
  };
}

/** Variables that would send the SDK to a real account or a shared config instead of the values above. */
const shadowing = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL'];

/** Sets the variables and returns how to put back what was there before. */
export function applyEnvironment(values: Record<string, string>): () => void {
  const names = [...Object.keys(values), ...shadowing];
  const previous = new Map(names.map((name) => [name, process.env[name]]));
  for (const name of shadowing) delete process.env[name];
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
