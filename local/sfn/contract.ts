/**
 * The public surface of the local Step Functions service, shared by the engine (local/sfn/) and
 * the local runtime that hosts it (local/runtime/). The engine implements it; nothing else reaches
 * into the engine's internals.
 */

/** A Lambda function served in-process: receives the invoke Payload, returns the function's result. */
export type LocalLambdaHandler = (payload: unknown, context: LocalLambdaContext) => Promise<unknown>;

export interface LocalLambdaContext {
  readonly functionName: string;
  readonly awsRequestId: string;
  /** the execution that invoked the function, for per-execution usage counting */
  readonly executionArn?: string;
}

/** Resolves a FunctionName (name, partial or full ARN, with or without qualifier) to a handler. */
export interface LambdaRegistry {
  resolve(functionNameOrArn: string): LocalLambdaHandler | undefined;
}

export interface UsageCounts {
  stateTransitions: number;
  lambdaInvocations: number;
  lambdaDurationMs: number;
}

export interface EngineUsage {
  total: UsageCounts;
  byExecution: Record<string, UsageCounts>;
}

export interface LocalStepFunctionsOptions {
  /** SQLite file holding every definition, execution, event, timer and the clock; ':memory:' for tests */
  readonly dbPath: string;
  readonly lambdas: LambdaRegistry;
  /** where the virtual clock starts when the database is new (default: the real time now) */
  readonly startTime?: Date;
  /** run the virtual clock this many times faster than real time; 0 (default) = only moves when advanced */
  readonly speed?: number;
  readonly region?: string;
  readonly accountId?: string;
  /**
   * Whether an execution's role may start a child execution (and, for `.sync`, follow it): undefined when
   * it may, else AWS's AccessDenied message. The runtime answers it from the stack's roles.
   */
  readonly authorizeChildStart?: ChildStartAuthorizer;
}

export type ChildStartAuthorizer = (request: {
  readonly parentExecutionArn: string;
  readonly stateMachineArn: string;
  readonly mode: 'async' | 'sync' | 'sync2' | 'callback';
}) => string | undefined;

export type ClockMove = { readonly advanceSeconds: number } | { readonly to: Date };

export interface LocalStepFunctions {
  /** the virtual time; the runtime hands this to functions/platform/clock.ts */
  now(): Date;
  /** moves the clock forward (never back) and resolves once every due timer fired and executions settled */
  advanceClock(move: ClockMove): Promise<Date>;
  /** resolves when no execution has work it can do without the clock moving or a callback arriving */
  settle(): Promise<void>;
  /**
   * when the next timer (a Wait, a retry's backoff, a timeout) falls due, if any: a driver of many
   * journeys (bench/simulate) moves the clock to it rather than guessing a step
   */
  nextTimerDue(): Date | undefined;
  /** one AWS JSON-protocol action, e.g. ('StartExecution', {...}); throws SfnServiceError with AWS's name */
  call(action: string, request: unknown): Promise<unknown>;
  usage(): EngineUsage;
  /** serves the AWS JSON 1.0 protocol that @aws-sdk/client-sfn speaks on 127.0.0.1:port (0 = any free port) */
  listen(port: number): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

/** An error with AWS's name (`ExecutionDoesNotExist`, `InvalidDefinition`, ...), answered as HTTP 400. */
export class SfnServiceError extends Error {
  readonly errorName: string;
  constructor(errorName: string, message: string) {
    super(message);
    this.errorName = errorName;
    this.name = errorName;
  }
}
