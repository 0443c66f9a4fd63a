import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { purposeSpecs, isStepPurpose } from '../functions/links/purposes.ts';
import {
  isLambdaTask,
  lambdaServiceErrors,
  permanentTaskErrors,
  taskRetriers,
  transientTaskErrors,
  type Retrier,
} from '../statemachines/task-retry-policy.ts';

/**
 * The contract between the state machines and the code they call, read from the very ASL files: an error
 * a Catch or Retry names must be one the code can throw, a decision a Choice compares must be one the
 * purpose's page (or the person-action machine) can produce, and every Lambda task retries the service's
 * transient errors. A misspelt name would pass every flow test that never takes that branch.
 */
const folder = join(import.meta.dirname, '..', 'statemachines');
type Json = Record<string, unknown>;
const machines = readdirSync(folder)
  .filter((f) => f.endsWith('.asl.json'))
  .map((file) => ({ file, definition: JSON.parse(readFileSync(join(folder, file), 'utf8')) as Json }));

function* statesOf(states: Json, path = ''): Generator<{ name: string; state: Json; states: Json }> {
  for (const [name, state] of Object.entries(states) as [string, Json][]) {
    yield { name: `${path}${name}`, state, states };
    const processor = state['ItemProcessor'] as Json | undefined;
    if (processor !== undefined) yield* statesOf(processor['States'] as Json, `${path}${name} / `);
    for (const branch of (state['Branches'] as Json[] | undefined) ?? [])
      yield* statesOf(branch['States'] as Json, `${path}${name} / `);
  }
}

/** Every `class X extends ... { name = 'X' }` in functions/: the error names the code can throw. */
function thrownErrorNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // the portal answers browsers only: no workflow task runs its code, so its errors never reach a Retry
      if (entry.isDirectory()) {
        if (entry.name !== 'portal') walk(path);
      } else if (entry.name.endsWith('.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/override readonly name = '([A-Za-z]+)'/g))
          names.add(m[1] as string);
    }
  };
  walk(join(import.meta.dirname, '..', 'functions'));
  return names;
}

// what AWS itself raises (States.*, the Lambda service's errors, and StartExecution's for a name in use)
const awsErrors = /^(States\.[A-Za-z]+|Lambda\.[A-Za-z]+|StepFunctions\.[A-Za-z]+|Sandbox\.Timedout)$/;
const standardRetrier = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
/** outcomes the person-action machine adds to any purpose's decisions, and the session machine's own */
const machineOutcomes = new Set(['EXPIRED', 'ON_HOLD']);

describe('the state machines and the code agree', () => {
  // what our code throws, and what a Fail state of ours raises for its parent to catch
  const errors = thrownErrorNames();
  for (const { definition } of machines)
    for (const { state } of statesOf(definition['States'] as Json))
      if (state['Type'] === 'Fail' && typeof state['Error'] === 'string') errors.add(state['Error']);

  it.each(machines)(
    '$file: every error named in a Catch or Retry is thrown by our code or raised by AWS',
    ({ definition }) => {
      const unknown: string[] = [];
      for (const { name, state } of statesOf(definition['States'] as Json)) {
        for (const handler of [
          ...((state['Catch'] as Json[] | undefined) ?? []),
          ...((state['Retry'] as Json[] | undefined) ?? []),
        ]) {
          for (const error of handler['ErrorEquals'] as string[])
            if (!awsErrors.test(error) && !errors.has(error)) unknown.push(`${name}: ${error}`);
        }
      }
      expect(unknown).toEqual([]);
    },
  );

  it.each(machines)('$file: every Lambda task retries the Lambda service’s transient errors', ({ definition }) => {
    const missing: string[] = [];
    for (const { name, state } of statesOf(definition['States'] as Json)) {
      if (typeof state['Resource'] !== 'string' || !state['Resource'].startsWith('arn:aws:states:::lambda:invoke'))
        continue;
      const retried = ((state['Retry'] as Json[] | undefined) ?? []).flatMap((r) => r['ErrorEquals'] as string[]);
      for (const error of standardRetrier) if (!retried.includes(error)) missing.push(`${name}: ${error}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(machines)(
    '$file: every Lambda task retries transient failures and never a business error',
    ({ definition }) => {
      // what reaches a task after the SDK inside the function gave up: SES or DynamoDB throttling, a 5xx, a crash
      const transient = [
        ...lambdaServiceErrors,
        ...transientTaskErrors,
        'ThrottlingException',
        'ProvisionedThroughputExceededException',
        'InternalServerError',
        'Error',
        'TypeError',
      ];
      const problems: string[] = [];
      for (const { name, state } of statesOf(definition['States'] as Json)) {
        if (!isLambdaTask(state)) continue;
        const retry = (state['Retry'] as Retrier[] | undefined) ?? [];
        // Step Functions uses the first retrier whose ErrorEquals matches, and no other
        const firstMatch = (error: string): Retrier | undefined =>
          retry.find((r) =>
            r.ErrorEquals.some(
              (e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout'),
            ),
          );
        for (const error of transient)
          if ((firstMatch(error)?.MaxAttempts ?? 0) === 0) problems.push(`${name}: ${error} is not retried`);
        const ownWildcard = retry.some((r) => r.ErrorEquals.includes('States.ALL') && (r.MaxAttempts ?? 3) > 0);
        if (!ownWildcard) {
          for (const error of permanentTaskErrors)
            if ((firstMatch(error)?.MaxAttempts ?? 0) > 0) problems.push(`${name}: business error ${error} is retried`);
        }
        if (JSON.stringify(retry) !== JSON.stringify(taskRetriers(retry)))
          problems.push(`${name}: Retry differs from bin/apply-task-retriers.ts`);
      }
      expect(problems).toEqual([]);
    },
  );

  it('every error our code throws is classed as a business error or a transient one', () => {
    const classed = new Set<string>([...permanentTaskErrors, ...transientTaskErrors]);
    expect([...thrownErrorNames()].filter((name) => !classed.has(name)).sort()).toEqual([]);
  });

  it.each(machines)(
    '$file: every decision a Choice compares after a person-action is one its purpose can produce',
    ({ definition }) => {
      const problems: string[] = [];
      for (const { name, state, states } of statesOf(definition['States'] as Json)) {
        const input = ((state['Arguments'] as Json | undefined)?.['Input'] as Json | undefined) ?? undefined;
        if (state['Resource'] !== 'arn:aws:states:::states:startExecution.sync:2' || input?.['purpose'] === undefined)
          continue;
        const purpose = String(input['purpose']);
        if (!isStepPurpose(purpose)) {
          problems.push(`${name}: unknown purpose ${purpose}`);
          continue;
        }
        const choice = states[String(state['Next'])] as Json | undefined;
        if (choice?.['Type'] !== 'Choice') continue;
        const possible = new Set([...purposeSpecs[purpose].decisions, ...machineOutcomes]);
        for (const rule of choice['Choices'] as Json[]) {
          for (const m of String(rule['Condition']).matchAll(/\$states\.input\.decision = '([A-Z_]+)'/g)) {
            if (!possible.has(m[1] as string))
              problems.push(`${name} → ${String(state['Next'])}: ${m[1]} is not a ${purpose} decision`);
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
