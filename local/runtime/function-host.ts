import { randomUUID } from 'node:crypto';
import { functionCatalogue, type FunctionSpec } from '../../functions/catalogue.ts';
import type { LambdaRegistry, LocalLambdaHandler } from '../sfn/contract.ts';
import { lambdaGbSeconds } from './aws-prices.ts';
import { createLambdaContext } from './lambda-context.ts';
import { loadHandler, type LoadedHandler } from './handler-loader.ts';
import type { FaultInjection } from './fault-injection.ts';
import { runAsFunction } from './function-credentials.ts';
import { functionIdFromName } from './local-aws-identity.ts';

/**
 * Runs the catalogue's functions in this process, the way Lambda would: a fresh request id and context
 * per call, the configured timeout, and the billed duration counted per function (memory × time is
 * what Lambda charges, and only the host knows each call's memory size).
 */
export interface FunctionUsage {
  invocations: number;
  errors: number;
  durationMs: number;
  gbSeconds: number;
}

export interface FunctionHost {
  invoke(functionId: string, event: unknown, options?: { awsRequestId?: string }): Promise<unknown>;
  /** the registry the Step Functions engine resolves `lambda:invoke` FunctionNames with */
  readonly registry: LambdaRegistry;
  usage(): Record<string, FunctionUsage>;
}

/** Lambda's own name for a function that ran out of time, as Step Functions reports it. */
export class LambdaTimeoutError extends Error {
  override readonly name = 'Sandbox.Timedout';
}

export class UnknownFunctionError extends Error {
  override readonly name = 'ResourceNotFoundException';
}

/** Lambda refused to run the function: its concurrency is used up (as Step Functions names it). */
export class LambdaThrottledError extends Error {
  override readonly name = 'Lambda.TooManyRequestsException';
}

/** Lambda refused the caller: its role may not invoke the function (Step Functions reports it under this name). */
export class LambdaAccessDeniedError extends Error {
  override readonly name = 'Lambda.AWSLambdaException';
}

export interface FunctionHostOptions {
  /** faults injected on purpose (POST /_local/faults) */
  readonly faults?: FaultInjection;
  /** whether the execution's state machine may invoke the function: undefined when allowed, else AWS's message */
  readonly authorizeInvoke?: (executionArn: string, functionId: string) => Promise<string | undefined>;
}

export function createFunctionHost(
  catalogue: readonly FunctionSpec[] = functionCatalogue,
  load: (functionId: string) => Promise<LoadedHandler> = loadHandler,
  hostOptions: FunctionHostOptions = {},
): FunctionHost {
  const specs = new Map(catalogue.map((spec) => [spec.id, spec]));
  const counters = new Map<string, FunctionUsage>();

  async function invoke(functionId: string, event: unknown, options: { awsRequestId?: string } = {}): Promise<unknown> {
    const spec = specs.get(functionId);
    if (spec === undefined) throw new UnknownFunctionError(`no function "${functionId}" in functions/catalogue.ts`);
    const handler = await load(functionId);
    const fault = hostOptions.faults?.take({ service: 'lambda', functionId });
    if (fault?.service === 'lambda' && fault.kind === 'throttle')
      throw new LambdaThrottledError('Rate Exceeded. (local fault injection)');
    const started = performance.now();
    const deadline = started + spec.timeoutSeconds * 1000;
    const context = createLambdaContext(spec, options.awsRequestId ?? randomUUID(), deadline);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new LambdaTimeoutError(`Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`)),
        spec.timeoutSeconds * 1000,
      );
      timer.unref();
    });
    let failed = false;
    try {
      if (fault?.service === 'lambda' && fault.when !== 'after') throw injectedFailure(fault.kind, spec.timeoutSeconds);
      // each function signs its AWS requests with its own local credentials, so the endpoints apply its role
      const result: unknown = await Promise.race([runAsFunction(spec.id, () => handler(event, context)), timedOut]);
      if (fault?.service === 'lambda') throw injectedFailure(fault.kind, spec.timeoutSeconds);
      return result;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      clearTimeout(timer);
      record(spec, performance.now() - started, failed);
    }
  }

  function record(spec: FunctionSpec, durationMs: number, failed: boolean): void {
    const current = counters.get(spec.id) ?? { invocations: 0, errors: 0, durationMs: 0, gbSeconds: 0 };
    current.invocations += 1;
    current.errors += failed ? 1 : 0;
    current.durationMs += durationMs;
    current.gbSeconds += lambdaGbSeconds(durationMs, spec.memoryMb);
    counters.set(spec.id, current);
  }

  const registry: LambdaRegistry = {
    resolve(functionNameOrArn: string): LocalLambdaHandler | undefined {
      const id = functionIdFromName(functionNameOrArn);
      if (id === undefined || !specs.has(id)) return undefined;
      return async (payload, context) => {
        if (context.executionArn !== undefined && hostOptions.authorizeInvoke !== undefined) {
          const refusal = await hostOptions.authorizeInvoke(context.executionArn, id);
          if (refusal !== undefined)
            throw new LambdaAccessDeniedError(
              `${refusal} (Service: Lambda, Status Code: 403, Error Code: AccessDeniedException)`,
            );
        }
        return invoke(id, payload, { awsRequestId: context.awsRequestId });
      };
    },
  };

  return {
    invoke,
    registry,
    usage: () => Object.fromEntries([...counters].map(([id, usage]) => [id, { ...usage }])),
  };
}

function injectedFailure(kind: 'throw' | 'timeout' | 'throttle', timeoutSeconds: number): Error {
  if (kind === 'timeout')
    return new LambdaTimeoutError(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds (local fault injection)`);
  return new Error('the function failed (local fault injection)');
}
