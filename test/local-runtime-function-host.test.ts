import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../functions/catalogue.ts';
import { createFunctionHost } from '../local/runtime/function-host.ts';
import { HandlerNotFoundError, loadHandler } from '../local/runtime/handler-loader.ts';
import { functionIdFromName } from '../local/runtime/local-aws-identity.ts';

const spec = (id: string, timeoutSeconds = 5): FunctionSpec => ({
  id,
  description: id,
  trigger: 'workflow',
  access: { table: ['GetItem', 'Query'], email: false, workflows: 'none' },
  memoryMb: 512,
  timeoutSeconds,
});

describe('the in-process function host', () => {
  it('calls the handler with the payload and a Lambda-like context', async () => {
    const seen: { event: unknown; context: Context }[] = [];
    const host = createFunctionHost([spec('screening')], async () => async (event, context) => {
      seen.push({ event, context });
      return { remaining: context.getRemainingTimeInMillis() };
    });
    const result = (await host.invoke('screening', { patientId: 'p-1' }, { awsRequestId: 'req-1' })) as {
      remaining: number;
    };
    expect(seen[0]?.event).toEqual({ patientId: 'p-1' });
    expect(seen[0]?.context).toMatchObject({
      functionName: 'care-journeys-screening',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:care-journeys-screening',
      memoryLimitInMB: '512',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/care-journeys-screening',
    });
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.remaining).toBeLessThanOrEqual(5000);
  });

  it('fails a call that outlives the function timeout with Sandbox.Timedout, as Lambda reports it', async () => {
    const host = createFunctionHost([spec('slow', 0.05)], async () => () => new Promise(() => undefined));
    await expect(host.invoke('slow', {})).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: 'Task timed out after 0.05 seconds',
    });
  });

  it("passes a handler's error through with its name, and counts it", async () => {
    class RefillTooEarly extends Error {
      override readonly name = 'RefillTooEarly';
    }
    const host = createFunctionHost([spec('refill-gate')], async () => async () => {
      throw new RefillTooEarly('27 days since the last fill');
    });
    await expect(host.invoke('refill-gate', {})).rejects.toMatchObject({ name: 'RefillTooEarly' });
    expect(host.usage()['refill-gate']).toMatchObject({ invocations: 1, errors: 1 });
  });

  it('counts invocations and bills GB-seconds by the memory of each function', async () => {
    const host = createFunctionHost([spec('a')], async () => async () => 'done');
    await host.invoke('a', {});
    await host.invoke('a', {});
    const usage = host.usage().a;
    expect(usage?.invocations).toBe(2);
    // at least 1 ms each, billed at 512 MB: 2 × 1 ms × 0.5 GB
    expect(usage?.gbSeconds).toBeGreaterThanOrEqual(0.001);
  });

  it('resolves a lambda:invoke FunctionName given as a name, a qualified name, a partial or a full ARN', async () => {
    const host = createFunctionHost([spec('schedule')], async () => async (event) => ({ echoed: event }));
    for (const name of [
      'care-journeys-schedule',
      'care-journeys-schedule:$LATEST',
      '000000000000:function:care-journeys-schedule',
      'arn:aws:lambda:us-east-1:000000000000:function:care-journeys-schedule',
      'arn:aws:lambda:us-east-1:000000000000:function:care-journeys-schedule:live',
    ]) {
      const handler = host.registry.resolve(name);
      expect(handler, name).toBeDefined();
      expect(await handler?.({ n: 1 }, { functionName: name, awsRequestId: 'r' })).toEqual({ echoed: { n: 1 } });
    }
  });

  it('resolves no function outside the catalogue, the local account or the local region', () => {
    const host = createFunctionHost([spec('schedule')], async () => async () => null);
    expect(host.registry.resolve('care-journeys-unknown')).toBeUndefined();
    expect(host.registry.resolve('schedule')).toBeUndefined();
    expect(
      host.registry.resolve('arn:aws:lambda:eu-west-1:000000000000:function:care-journeys-schedule'),
    ).toBeUndefined();
    expect(
      host.registry.resolve('arn:aws:lambda:us-east-1:123456789012:function:care-journeys-schedule'),
    ).toBeUndefined();
    expect(
      functionIdFromName('arn:aws:states:us-east-1:000000000000:stateMachine:care-journeys-schedule'),
    ).toBeUndefined();
  });

  it('names the missing file when a function has no handler yet', async () => {
    await expect(loadHandler('no-such-function')).rejects.toThrow(HandlerNotFoundError);
    await expect(loadHandler('no-such-function')).rejects.toThrow(
      'functions/no-such-function/handler.ts does not exist',
    );
  });
});
