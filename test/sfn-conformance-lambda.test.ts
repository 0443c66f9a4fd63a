/**
 * The Lambda integration, from AWS's "Invoke an AWS Lambda function with Step Functions": the result
 * is the Invoke response {Payload, StatusCode, ...}; a function error becomes the task's Error (the
 * function's errorType) with the Lambda error document as Cause.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke, machine, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('lambda:invoke', () => {
  it("the task result is the Invoke response: the function's return value in Payload, StatusCode 200", async () => {
    const run = await h.run(machine('Call', { Call: invoke('echo', { hello: 'world' }, { End: true }) }));
    expect(run.output).toMatchObject({ Payload: { hello: 'world' }, StatusCode: 200 });
  });

  it('FunctionName may be a name, a name with qualifier, or a full ARN', async () => {
    for (const name of [
      'echo',
      'echo:live',
      'arn:aws:lambda:us-east-1:123456789012:function:echo',
      'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST',
    ]) {
      const run = await h.run(
        machine('Call', { Call: invoke(name, 'x', { Output: '{% $states.result.Payload %}', End: true }) }),
      );
      expect(run.output, name).toBe('x');
    }
  });

  it("a handler that throws fails the task: Error is the error's name", async () => {
    const run = await h.run(
      machine('Call', { Call: invoke('fail', { errorName: 'RefillTooEarly', message: '27 days' }, { End: true }) }),
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('RefillTooEarly');
    expect(JSON.parse(String(run.cause))).toMatchObject({ errorType: 'RefillTooEarly', errorMessage: '27 days' });
  });

  it('the handler gets the function name and the invoking execution in its context', async () => {
    const run = await h.run(
      machine('Call', { Call: invoke('arn:aws:lambda:us-east-1:123456789012:function:echo', {}, { End: true }) }),
    );
    const [call] = h.lambdas.callsTo('echo');
    expect(call?.context.executionArn).toBe(run.executionArn);
    expect(call?.context.functionName).toContain('echo');
    expect(call?.context.awsRequestId).toBeTruthy();
  });

  it('a function name the registry does not know fails the task with Lambda.ResourceNotFoundException', async () => {
    const run = await h.run(machine('Call', { Call: invoke('no-such-function', {}, { End: true }) }));
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Lambda.ResourceNotFoundException');
  });

  it('a return value that is not an object still comes back as Payload (numbers, strings, null, arrays)', async () => {
    h.lambdas.register('constant', async (payload) => payload);
    for (const value of [0, 'text', null, [1, 2]]) {
      const run = await h.run(
        machine('Call', {
          Call: invoke('constant', value, { Output: { p: '{% $states.result.Payload %}' }, End: true }),
        }),
      );
      expect(run.output, JSON.stringify(value)).toEqual({ p: value });
    }
  });
});
