import { randomUUID } from 'node:crypto';
import { functionCatalogue, type FunctionSpec } from '../../functions/catalogue.ts';
import type { LambdaRegistry, LocalLambdaHandler } from '../sfn/contract.ts';
import { lambdaGbSeconds } from './aws-prices.ts';
import { createLambdaContext } from './lambda-context.ts';
import { loadHandler, type LoadedHandler } from './handler-loader.ts';
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

export function createFunctionHost(
  catalogue: readonly FunctionSpec[] = functionCatalogue,
  load: (functionId: string) => Promise<LoadedHandler> = loadHandler,
): FunctionHost {
  const specs = new Map(catalogue.map((spec) => [spec.id, spec]));
  const counters = new Map<string, FunctionUsage>();

  async function invoke(functionId: string, event: unknown, options: { awsRequestId?: string } = {}): Promise<unknown> {
    const spec = specs.get(functionId);
    if (spec === undefined) throw new UnknownFunctionError(`no function "${functionId}" in functions/catalogue.ts`);
    const handler = await load(functionId);
    const started = performance.now();
    const deadline = started + spec.timeoutSeconds * 1000;
    const context = createLambdaContext(spec, options.awsRequestId ?? randomUUID(), deadline);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeoutError(`Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`)), spec.timeoutSeconds * 1000);
      timer.unref();
    });
    let failed = false;
    try {
      return await Promise.race([handler(event, context), timedOut]);
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
      return (payload, context) => invoke(id, payload, { awsRequestId: context.awsRequestId });
    },
  };

  return {
    invoke,
    registry,
    usage: () => Object.fromEntries([...counters].map(([id, usage]) => [id, { ...usage }])),
  };
}
