/**
 * How every Lambda task of the state machines retries, in one place: the script that writes the Retry
 * lists into the ASL files (bin/apply-task-retriers.ts) and the contract test that checks them both read it.
 *
 * A function's error reaches Step Functions under the error's `name`, and `States.TaskFailed` matches every
 * name but `States.Timeout`: a broad retrier would retry a clinical hold too. Step Functions uses only the
 * first retrier whose ErrorEquals matches, so the business errors come first with `MaxAttempts: 0` (AWS's
 * documented way to exclude errors from a later, broader retrier), then the Lambda service's transient
 * errors, then everything else a function may throw after its SDK gave up (SES or DynamoDB throttling, a 5xx).
 */

/**
 * Errors our functions throw that a retry would only repeat: the same input meets the same rule or the
 * same missing data. Every other error a function throws is taken as transient.
 */
export const permanentTaskErrors = [
  'PatientOnHold',
  'RefillNotAllowed',
  'TreatmentPlanRejected',
  'InvalidTaskInput',
  'ValidationFailed',
  'PatientNotFound',
  'JourneyDataMissing',
  'StoredItemInvalid',
  'RecipientUnknown',
  'StepNotWaiting',
  'UnknownClinician',
  'StaffMayNotDecide',
  'EnrolmentConflict',
  'JourneyWorkflowNotConfigured',
  'IdempotencyMismatch',
  'InvalidTransaction',
  'InvalidKeyPart',
  'InvalidProtocol',
  'InvalidClinicConfig',
  'InvalidTimeZone',
  'MismatchedInstruments',
  'UnknownReminderKind',
  'AlreadyExists',
  'ItemNotFound',
] as const;

/**
 * Errors our functions throw that a later attempt can overcome: SES refused for now (throttling, a 5xx
 * after the SDK's own retries), a concurrent write that a fresh read resolves.
 */
export const transientTaskErrors = ['EmailNotSent', 'ConcurrentUpdate', 'ConditionFailed'] as const;

/** What the Lambda service itself raises, plus a function that ran out of time. */
export const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Sandbox.Timedout',
] as const;

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export const businessErrorRetrier: Retrier = { ErrorEquals: permanentTaskErrors, MaxAttempts: 0 };

export const lambdaServiceRetrier: Retrier = {
  ErrorEquals: lambdaServiceErrors,
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/** Everything else: four more attempts spread over about a minute, jittered so a throttled burst spreads out. */
export const transientErrorRetrier: Retrier = {
  ErrorEquals: ['States.TaskFailed'],
  IntervalSeconds: 2,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};

const lambdaResources = ['arn:aws:states:::lambda:invoke', 'arn:aws:states:::lambda:invoke.waitForTaskToken'];

export function isLambdaTask(state: Record<string, unknown>): boolean {
  return (
    state['Type'] === 'Task' && typeof state['Resource'] === 'string' && lambdaResources.includes(state['Resource'])
  );
}

const wildcards = new Set(['States.ALL', 'States.TaskFailed']);
const ours = (retrier: Retrier, policy: Retrier): boolean => retrier.ErrorEquals.join() === policy.ErrorEquals.join();
const lambdaOnly = (retrier: Retrier): boolean =>
  retrier.ErrorEquals.every((name) => name.startsWith('Lambda.') || name === 'Sandbox.Timedout');

/**
 * The Retry list a Lambda task gets. A task that already retries with a wildcard of its own (a step that is
 * idempotent in every part and must not give up, e.g. placing a hold) keeps it: only its Lambda service
 * retrier is brought up to date. Re-applying this to its own output changes nothing.
 */
export function taskRetriers(existing: readonly Retrier[]): Retrier[] {
  const withoutOurs = existing.filter(
    (r) => !ours(r, businessErrorRetrier) && !ours(r, transientErrorRetrier) && !lambdaOnly(r),
  );
  const ownWildcard = withoutOurs.some((r) => r.ErrorEquals.some((name) => wildcards.has(name)));
  if (ownWildcard) return [lambdaServiceRetrier, ...withoutOurs];
  return [businessErrorRetrier, lambdaServiceRetrier, ...withoutOurs, transientErrorRetrier];
}
