/**
 * Drives one local Step Functions engine through its public contract only (`call`, `settle`,
 * `advanceClock`), the way the runtime and the AWS SDK would. One engine per test: ':memory:' and a
 * fixed virtual start, so every test owns its clock.
 */
import { createLocalStepFunctions } from '../../local/sfn/index.ts';
import { SfnServiceError, type LocalStepFunctions } from '../../local/sfn/contract.ts';
import { TestLambdas } from './sfn-test-lambdas.ts';

export const START = new Date('2025-03-03T09:00:00.000Z');
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/local-step-functions';

export function secondsAfterStart(seconds: number): string {
  return new Date(START.getTime() + seconds * 1000).toISOString();
}

export interface ExecutionView {
  readonly executionArn: string;
  readonly status: string;
  readonly name?: string;
  readonly stateMachineArn?: string;
  readonly input?: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly raw: Record<string, unknown>;
}

export interface HistoryEvent {
  readonly id: number;
  readonly type: string;
  readonly previousEventId?: number;
  readonly timestamp?: unknown;
  readonly [detail: string]: unknown;
}

/** a JSONata state machine, as every definition in this suite is */
export function machine(startAt: string, states: Record<string, object>, extra: object = {}): object {
  return { QueryLanguage: 'JSONata', StartAt: startAt, States: states, ...extra };
}

/** a Lambda invoke Task; `rest` carries Next/End, Output, Retry, Catch... */
export function invoke(functionName: string, payload: unknown, rest: object): object {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: { FunctionName: functionName, Payload: payload },
    ...rest,
  };
}

/** a callback Task that hands its token to the `token` test function */
export function waitForToken(rest: object, payload: object = {}): object {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Arguments: { FunctionName: 'token', Payload: { token: '{% $states.context.Task.Token %}', ...payload } },
    ...rest,
  };
}

function parseJson(text: unknown): unknown {
  return typeof text === 'string' ? JSON.parse(text) : text;
}

export class SfnHarness {
  readonly engine: LocalStepFunctions;
  readonly lambdas: TestLambdas;
  private machines = 0;

  constructor(engine: LocalStepFunctions, lambdas: TestLambdas) {
    this.engine = engine;
    this.lambdas = lambdas;
  }

  async call<T = Record<string, unknown>>(action: string, request: unknown): Promise<T> {
    return (await this.engine.call(action, request)) as T;
  }

  async createMachine(definition: object, name?: string): Promise<string> {
    this.machines += 1;
    const out = await this.call<{ stateMachineArn: string }>('CreateStateMachine', {
      name: name ?? `machine-${this.machines}`,
      definition: JSON.stringify(definition),
      roleArn: ROLE_ARN,
    });
    return out.stateMachineArn;
  }

  async start(stateMachineArn: string, input: unknown = {}, name?: string): Promise<string> {
    const out = await this.call<{ executionArn: string }>('StartExecution', {
      stateMachineArn,
      input: JSON.stringify(input),
      ...(name === undefined ? {} : { name }),
    });
    return out.executionArn;
  }

  /** create, start and let it run as far as it can without the clock or a callback */
  async run(definition: object, input: unknown = {}): Promise<ExecutionView> {
    const arn = await this.start(await this.createMachine(definition), input);
    await this.engine.settle();
    return this.describe(arn);
  }

  async describe(executionArn: string): Promise<ExecutionView> {
    const raw = await this.call('DescribeExecution', { executionArn });
    return {
      executionArn,
      status: String(raw.status),
      name: raw.name as string | undefined,
      stateMachineArn: raw.stateMachineArn as string | undefined,
      input: raw.input as string | undefined,
      output: raw.output === undefined ? undefined : parseJson(raw.output),
      error: raw.error as string | undefined,
      cause: raw.cause as string | undefined,
      raw,
    };
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', {
        executionArn,
        ...(nextToken ? { nextToken } : {}),
      });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  async sendSuccess(taskToken: string, output: unknown): Promise<void> {
    await this.call('SendTaskSuccess', { taskToken, output: JSON.stringify(output) });
  }

  async sendFailure(taskToken: string, error: string, cause: string): Promise<void> {
    await this.call('SendTaskFailure', { taskToken, error, cause });
  }

  async heartbeat(taskToken: string): Promise<void> {
    await this.call('SendTaskHeartbeat', { taskToken });
  }

  async advance(seconds: number): Promise<Date> {
    return this.engine.advanceClock({ advanceSeconds: seconds });
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}

export async function startHarness(options: { dbPath?: string; startTime?: Date } = {}): Promise<SfnHarness> {
  const lambdas = new TestLambdas();
  // awaited whether the factory is synchronous or not: the contract leaves that to the engine
  const engine = await createLocalStepFunctions({
    dbPath: options.dbPath ?? ':memory:',
    lambdas,
    startTime: options.startTime ?? START,
  });
  lambdas.clock = () => engine.now();
  return new SfnHarness(engine, lambdas);
}

/** the AWS error a rejected call carried: its name (`InvalidToken`...) and message */
export async function serviceError(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SfnServiceError) return { name: error.errorName, message: error.message };
    if (error instanceof Error && 'errorName' in error) {
      return { name: String((error as { errorName: unknown }).errorName), message: error.message };
    }
    throw error;
  }
  throw new Error('expected the call to be refused with an AWS error, and it succeeded');
}
