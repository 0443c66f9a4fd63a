import * as z from 'zod/mini';
import { issueMessage } from '../domain/schemas/field-errors.ts';
import { parseClinicConfig, type ClinicConfig } from './clinic-config.ts';

/**
 * The one list of environment variables a function reads. The CDK stack sets them on every function;
 * the local runtime sets them in its own process before it loads the handlers.
 */
export const environmentSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** base URL of the link pages, e.g. https://abc.execute-api.eu-west-1.amazonaws.com */
  APP_BASE_URL: z.url(),
  /** JSON of functions/platform/clinic-config.ts */
  CLINIC_CONFIG: z.string().check(z.minLength(2)),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  JOURNEY_STATE_MACHINE_ARN: z.optional(z.string()),
  INDUCTION_SESSION_STATE_MACHINE_ARN: z.optional(z.string()),
  REFILL_CYCLE_STATE_MACHINE_ARN: z.optional(z.string()),
});

export interface FunctionEnvironment {
  readonly tableName: string;
  readonly appBaseUrl: string;
  readonly clinic: ClinicConfig;
  readonly sesConfigurationSet: string | undefined;
  readonly stateMachineArns: {
    readonly journey: string | undefined;
    readonly inductionSession: string | undefined;
    readonly refillCycle: string | undefined;
  };
}

let cached: { fingerprint: string; value: FunctionEnvironment } | undefined;

/** Reads and validates the environment once per process (cold start), not on every invocation. */
export function functionEnvironment(source: NodeJS.ProcessEnv = process.env): FunctionEnvironment {
  const fingerprint = Object.keys(environmentSchema.shape)
    .map((key) => source[key] ?? '')
    .join('\u0000');
  if (cached?.fingerprint === fingerprint) return cached.value;
  const env = environmentSchema.parse(source, { error: issueMessage });
  const value: FunctionEnvironment = {
    tableName: env.TABLE_NAME,
    appBaseUrl: env.APP_BASE_URL.replace(/\/$/, ''),
    clinic: parseClinicConfig(JSON.parse(env.CLINIC_CONFIG), 'CLINIC_CONFIG'),
    sesConfigurationSet: env.SES_CONFIGURATION_SET,
    stateMachineArns: {
      journey: env.JOURNEY_STATE_MACHINE_ARN,
      inductionSession: env.INDUCTION_SESSION_STATE_MACHINE_ARN,
      refillCycle: env.REFILL_CYCLE_STATE_MACHINE_ARN,
    },
  };
  cached = { fingerprint, value };
  return value;
}
