/**
 * An in-memory LambdaRegistry for the engine's conformance suite: small named handlers, every call
 * recorded with the virtual time it happened at, so tests can ask "was it called, with what, when".
 */
import type { LambdaRegistry, LocalLambdaContext, LocalLambdaHandler } from '../../local/sfn/contract.ts';

export interface RecordedCall {
  readonly functionName: string;
  readonly payload: unknown;
  readonly at: Date;
  readonly context: LocalLambdaContext;
}

/** An error whose `name` is what Lambda reports as errorType, and Step Functions as the task's Error. */
export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * `arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST`, `123456789012:function:echo`,
 * `echo:prod` and `echo` all name the function `echo` (the Lambda Invoke API's FunctionName forms).
 */
export function functionNameOf(nameOrArn: string): string {
  const marker = ':function:';
  const at = nameOrArn.indexOf(marker);
  const tail = at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
  return tail.split(':')[0] ?? tail;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export class TestLambdas implements LambdaRegistry {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<string, LocalLambdaHandler>();
  private readonly failuresSoFar = new Map<string, number>();
  /** set by the harness once the engine exists, so calls are stamped with virtual time */
  clock: () => Date = () => new Date(0);

  constructor() {
    this.register('echo', async (payload) => payload);
    this.register('double', async (payload) => ({ value: Number(record(payload).value) * 2 }));
    this.register('now', async () => this.clock().toISOString());
    // Callback tasks: the handler only hands the token out; the result comes from SendTaskSuccess.
    this.register('token', async () => ({ handedOut: true }));
    this.register('fail', async (payload) => {
      const p = record(payload);
      throw new NamedError(String(p.errorName ?? 'BoomError'), String(p.message ?? 'it failed'));
    });
    // Fails `failures` times per `key` (default: always), then succeeds with the number of attempts.
    this.register('flaky', async (payload) => {
      const p = record(payload);
      const key = String(p.key ?? 'default');
      const failures = p.failures === undefined ? Number.POSITIVE_INFINITY : Number(p.failures);
      const sofar = this.failuresSoFar.get(key) ?? 0;
      if (sofar < failures) {
        this.failuresSoFar.set(key, sofar + 1);
        throw new NamedError(String(p.errorName ?? 'Transient'), `attempt ${sofar + 1} failed`);
      }
      return { attempts: sofar + 1 };
    });
  }

  register(name: string, handler: LocalLambdaHandler): void {
    this.handlers.set(name, handler);
  }

  resolve(functionNameOrArn: string): LocalLambdaHandler | undefined {
    const name = functionNameOf(functionNameOrArn);
    const handler = this.handlers.get(name);
    if (!handler) return undefined;
    return async (payload, context) => {
      this.calls.push({ functionName: name, payload, at: this.clock(), context });
      return handler(payload, context);
    };
  }

  callsTo(name: string): RecordedCall[] {
    return this.calls.filter((c) => c.functionName === name);
  }

  /** the task tokens handed to the `token` function, oldest first (Payload field `token`) */
  tokens(): string[] {
    return this.callsTo('token').map((c) => String(record(c.payload).token));
  }

  lastToken(): string {
    const all = this.tokens();
    const last = all[all.length - 1];
    if (last === undefined) throw new Error('no task token was handed out');
    return last;
  }
}
