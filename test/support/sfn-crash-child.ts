/**
 * The crash test's child process: one local Step Functions engine on a database file, serving the AWS
 * API on a free port, with Lambda handlers that log every run. The parent drives the clock over the
 * IPC channel and kills this process with SIGKILL whenever it likes.
 *
 * env: SFN_CRASH_DB (database file), SFN_CRASH_LOG (handler log), SFN_CRASH_GEN (generation number)
 */
import { randomUUID } from 'node:crypto';
import { createLocalStepFunctions } from '../../local/sfn/index.ts';
import type { LambdaRegistry, LocalLambdaHandler } from '../../local/sfn/contract.ts';
import { CRASH_START, appendLog } from './sfn-crash-journey.ts';
import { functionNameOf } from './sfn-test-lambdas.ts';

export type ControlRequest =
  { readonly id: number; readonly op: 'advance'; readonly to: string } | { readonly id: number; readonly op: 'settle' };

export type ControlMessage =
  | { readonly type: 'ready'; readonly url: string; readonly now: string }
  | {
      readonly type: 'reply';
      readonly id: number;
      readonly ok: boolean;
      readonly result?: string;
      readonly error?: string;
    };

const dbPath = process.env.SFN_CRASH_DB;
const logPath = process.env.SFN_CRASH_LOG;
const gen = Number(process.env.SFN_CRASH_GEN ?? '0');
if (!dbPath || !logPath || !process.send) throw new Error('run me from test/sfn-crash.test.ts');
const send = (message: ControlMessage): void => {
  process.send?.(message);
};

// A few real milliseconds inside each handler widen the window in which a kill lands mid-step.
const busy = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));

const handlers: Record<string, LocalLambdaHandler> = {
  step: async (payload) => {
    const key = String((payload as { key: unknown }).key);
    appendLog(logPath, { kind: 'start', gen, key });
    await busy();
    appendLog(logPath, { kind: 'end', gen, key });
    return { key, requestId: randomUUID() };
  },
  ask: async (payload) => {
    const { key, token } = payload as { key: string; token: string };
    appendLog(logPath, { kind: 'start', gen, key, token });
    await busy();
    appendLog(logPath, { kind: 'end', gen, key });
    return { handedOut: true };
  },
};

const lambdas: LambdaRegistry = { resolve: (name) => handlers[functionNameOf(name)] };

const engine = await createLocalStepFunctions({ dbPath, lambdas, startTime: CRASH_START });
const { url } = await engine.listen(0);

process.on('message', (request: ControlRequest) => {
  const work =
    request.op === 'advance'
      ? engine.advanceClock({ to: new Date(request.to) }).then((d: Date) => d.toISOString())
      : engine.settle().then(() => 'settled');
  work.then(
    (result: string) => send({ type: 'reply', id: request.id, ok: true, result }),
    (error: unknown) => send({ type: 'reply', id: request.id, ok: false, error: String(error) }),
  );
});

send({ type: 'ready', url, now: engine.now().toISOString() });
