/**
 * "Step Functions implements JSONata based on the 2.0.6 specification ... with one exception: $eval is
 * not available — use $parse instead. Step Functions also provides additional functions": $partition,
 * $range, $hash, $random, $uuid, $parse.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { machine, serviceError, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function evaluate(expression: string, input: unknown = {}): Promise<unknown> {
  const run = await h.run(
    machine('E', { E: { Type: 'Pass', Output: { value: `{% ${expression} %}` }, End: true } }),
    input,
  );
  expect(run.status, `${expression} → ${run.error ?? ''} ${run.cause ?? ''}`).toBe('SUCCEEDED');
  return (run.output as { value: unknown }).value;
}

describe('Step Functions JSONata functions', () => {
  it('"$partition" splits an array into chunks of the given size, the last one shorter', async () => {
    expect(await evaluate('$partition([1,2,3,4,5,6,7,8,9,10], 4)')).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
  });

  it('"$range(0, 10, 2)" gives [0, 2, 4, 6, 8, 10]', async () => {
    expect(await evaluate('$range(0, 10, 2)')).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('"$hash" supports MD5, SHA-1, SHA-256, SHA-384 and SHA-512 as hex digests', async () => {
    for (const [algorithm, node] of [
      ['MD5', 'md5'],
      ['SHA-1', 'sha1'],
      ['SHA-256', 'sha256'],
      ['SHA-384', 'sha384'],
      ['SHA-512', 'sha512'],
    ] as const) {
      expect(await evaluate(`$hash($states.input.s, '${algorithm}')`, { s: 'input data' })).toBe(
        createHash(node).update('input data').digest('hex'),
      );
    }
  });

  it('"$random(seed)" is repeatable for the same seed; "$random()" is in [0, 1)', async () => {
    const [a, b, c] = (await evaluate('[$random(42), $random(42), $random()]')) as number[];
    expect(a).toBe(b);
    for (const value of [a, c]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('"$uuid()" gives a version 4 UUID, a new one each call', async () => {
    const [a, b] = (await evaluate('[$uuid(), $uuid()]')) as string[];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
  });

  it('"$parse" turns a JSON string into a value', async () => {
    expect(await evaluate('$parse($states.input.text)', { text: '{"a":[1,true,null]}' })).toEqual({
      a: [1, true, null],
    });
  });

  it('the built-in JSONata functions are available', async () => {
    expect(await evaluate("[$sum([1,2,3]), $uppercase('ok'), $string(5), $count([1,2])]")).toEqual([6, 'OK', '5', 2]);
  });

  it('"$eval is not available": it is refused at creation or fails the state with States.QueryEvaluationError', async () => {
    const definition = machine('E', { E: { Type: 'Pass', Output: "{% $eval('1 + 1') %}", End: true } });
    const created = await h.createMachine(definition).then(
      (arn) => ({ arn }),
      (error: unknown) => ({ error }),
    );
    if ('error' in created) {
      expect((await serviceError(Promise.reject(created.error))).name).toBe('InvalidDefinition');
      return;
    }
    const executionArn = await h.start(created.arn);
    await h.engine.settle();
    const run = await h.describe(executionArn);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.QueryEvaluationError');
    // as calling a function that does not exist: JSONata's T1006 (issue 12)
    expect(run.cause).toContain(
      "The JSONata expression '$eval('1 + 1')' specified for the field 'Output' threw an error during evaluation. T1006: ",
    );
  });
});
