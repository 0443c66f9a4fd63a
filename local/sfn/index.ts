/**
 * The local Step Functions service: `createLocalStepFunctions` opens (or resumes) the engine's
 * SQLite file and implements the contract in contract.ts.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StepFunctionsApi } from './api.ts';
import {
  SfnServiceError,
  type ClockMove,
  type LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from './contract.ts';
import { Engine } from './engine.ts';
import { EngineRepository } from './engine-repository.ts';
import { listenAwsJson } from './http-server.ts';
import { EngineStore } from './store.ts';
import { VirtualClock } from './virtual-clock.ts';

export { SfnServiceError } from './contract.ts';
export type * from './contract.ts';

/** How often a sped-up clock looks for due timers, in real milliseconds. */
const SPEED_TICK_MS = 20;

export async function createLocalStepFunctions(options: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const store = new EngineStore(options.dbPath);
  const repo = new EngineRepository(store);
  const speed = options.speed ?? 0;
  const clock = new VirtualClock(repo, options.startTime, speed);
  const arns = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  const engine = new Engine({
    repo,
    lambdas: options.lambdas,
    clock,
    arns,
    ...(options.authorizeChildStart === undefined ? {} : { authorizeChildStart: options.authorizeChildStart }),
  });
  const api = new StepFunctionsApi(engine, arns);
  const servers: Server[] = [];
  let clockMoves: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function fireDueTimers(untilMs: number): Promise<void> {
    await engine.settle();
    for (;;) {
      const timer = engine.nextTimer();
      if (timer === undefined || timer.due_ms > untilMs) return;
      // Each timer fires with the clock reading its due time, as if the time had passed for real.
      if (timer.due_ms > clock.nowMs()) clock.set(timer.due_ms);
      await engine.fireTimer(timer);
      await engine.settle();
    }
  }

  /** Clock moves run one at a time; a sped-up clock's ticks queue behind explicit moves. */
  function serializeClock<T>(work: () => Promise<T>): Promise<T> {
    const next = clockMoves.then(work, work);
    clockMoves = next.catch(() => undefined);
    return next;
  }

  let ticking = false;
  let ticks = 0;
  const ticker =
    speed > 0
      ? setInterval(() => {
          if (ticking || closed) return;
          ticking = true;
          void serializeClock(() => fireDueTimers(clock.nowMs())).finally(() => {
            ticking = false;
            // Saving the clock about once a second bounds how far a crash can rewind a sped-up clock.
            if (++ticks % 50 === 0 && !closed) clock.persist();
          });
        }, SPEED_TICK_MS)
      : undefined;
  ticker?.unref();

  engine.resume();

  return {
    now: () => new Date(clock.nowMs()),
    advanceClock(move: ClockMove): Promise<Date> {
      return serializeClock(async () => {
        let target: number;
        if ('to' in move) {
          target = move.to instanceof Date ? move.to.getTime() : Number.NaN;
        } else {
          if (
            typeof move.advanceSeconds !== 'number' ||
            !Number.isFinite(move.advanceSeconds) ||
            move.advanceSeconds < 0
          ) {
            throw new SfnServiceError(
              'ValidationException',
              'advanceSeconds must be a number >= 0: the virtual clock never moves backward',
            );
          }
          target = clock.nowMs() + move.advanceSeconds * 1000;
        }
        if (Number.isNaN(target)) throw new SfnServiceError('ValidationException', "'to' must be a valid date");
        if (target < clock.nowMs()) {
          throw new SfnServiceError(
            'ValidationException',
            `the virtual clock never moves backward (now ${new Date(clock.nowMs()).toISOString()})`,
          );
        }
        await fireDueTimers(target);
        clock.set(target);
        await fireDueTimers(clock.nowMs());
        return new Date(clock.nowMs());
      });
    },
    settle: () => engine.settle(),
    nextTimerDue() {
      const timer = engine.nextTimer();
      return timer === undefined ? undefined : new Date(timer.due_ms);
    },
    call: (action: string, request: unknown) => api.call(action, request),
    usage: () => engine.usage(),
    async listen(port: number) {
      const server = await listenAwsJson((action, request) => api.call(action, request), port);
      servers.push(server);
      const actual = (server.address() as AddressInfo).port;
      return { port: actual, url: `http://127.0.0.1:${actual}` };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (ticker !== undefined) clearInterval(ticker);
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
      await engine.close();
      clock.persist();
      store.close();
    },
  };
}
