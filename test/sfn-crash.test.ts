/**
 * Issue 3, "Durable: every transition is written before the next begins; kill -9 at any moment and
 * restart, and every execution continues where it was, waiting tasks and timers included, with no
 * step run twice that had completed." A real child process is SIGKILLed at several points and
 * restarted on the same database file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COOLDOWN_SECONDS,
  CRASH_START,
  SESSION_REST_SECONDS,
  crashJourney,
  expectedOutput,
  latestTokens,
  readLog,
  stepsRunTwiceAfterCompleting,
  type CrashLogLine,
} from './support/sfn-crash-journey.ts';
import { CrashChild } from './support/sfn-crash-process.ts';

const PATIENTS = Array.from({ length: 8 }, (_, i) => `patient-${i + 1}`);
const at = (seconds: number): Date => new Date(CRASH_START.getTime() + seconds * 1000);
const realPause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
let dbPath: string;
let logPath: string;
let child: CrashChild | undefined;
let generation = 0;

async function restart(): Promise<CrashChild> {
  generation += 1;
  child = await CrashChild.start(generation, dbPath, logPath);
  return child;
}

async function untilLogShows(done: (log: CrashLogLine[]) => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done(readLog(logPath)) && Date.now() < deadline) await realPause(2);
}

async function killNow(): Promise<void> {
  await child?.kill();
  child = undefined;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sfn-crash-'));
  dbPath = join(dir, 'engine.db');
  logPath = join(dir, 'handlers.log');
});

afterAll(async () => {
  await child?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the crash log detector (so the crash test can fail)', () => {
  it('flags a step that ran again after the engine had settled or a later step had begun', () => {
    expect(
      stepsRunTwiceAfterCompleting([
        { kind: 'start', gen: 1, key: 'p-intake' },
        { kind: 'settled', gen: 1 },
        { kind: 'killed', gen: 1 },
        { kind: 'start', gen: 2, key: 'p-intake' },
        { kind: 'start', gen: 2, key: 'p-review' },
        { kind: 'start', gen: 2, key: 'p-ask' },
        { kind: 'killed', gen: 2 },
        { kind: 'start', gen: 3, key: 'p-review' },
      ]),
    ).toEqual(['p-intake', 'p-review']);
  });

  it('allows a step cut short by a kill to run again', () => {
    expect(
      stepsRunTwiceAfterCompleting([
        { kind: 'start', gen: 1, key: 'p-session-1' },
        { kind: 'start', gen: 1, key: 'p-session-2' },
        { kind: 'killed', gen: 1 },
        { kind: 'start', gen: 2, key: 'p-session-1' },
        { kind: 'start', gen: 2, key: 'p-session-2' },
      ]),
    ).toEqual([]);
  });
});

describe('kill -9 and restart', () => {
  it('every execution finishes with the right output, no recorded step runs twice, tokens and timers survive', async () => {
    // 1. Create the machine and start every execution; kill while the first Lambda steps are running.
    let c = await restart();
    const { stateMachineArn } = await c.sfn.send(
      new CreateStateMachineCommand({
        name: 'crash-journey',
        definition: JSON.stringify(crashJourney),
        roleArn: 'arn:aws:iam::123456789012:role/local',
      }),
    );
    const starts = PATIENTS.map((name) =>
      c.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ name }) })).then(
        () => true,
        () => false,
      ),
    );
    // kill as soon as a few Intake steps have begun, while the rest are starting or running
    await untilLogShows((log) => log.filter((l) => l.kind === 'start' && l.gen === generation).length >= 3);
    await killNow();
    await Promise.all(starts);

    // 2. Restart. StartExecution is idempotent by name for open executions: repeat every start.
    c = await restart();
    const arns = new Map<string, string>();
    for (const name of PATIENTS) {
      const started = await c.sfn.send(
        new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ name }) }),
      );
      arns.set(name, String(started.executionArn));
    }
    await c.settle();
    const listed = await c.sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions?.map((e) => e.name).sort()).toEqual([...PATIENTS].sort());
    for (const arn of arns.values())
      expect((await c.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');

    // 3. Move the clock past the cooldown Wait and kill in the middle of the move.
    c.advanceToInBackground(at(COOLDOWN_SECONDS));
    await realPause(10);
    await killNow();

    // 4. Restart: the timers still fire; every execution reaches its callback task.
    c = await restart();
    await c.advanceTo(at(COOLDOWN_SECONDS));
    await c.settle();
    let tokens = latestTokens(readLog(logPath));
    for (const name of PATIENTS) expect(tokens.has(`${name}-ask`), `${name} is waiting for its callback`).toBe(true);

    // 5. Kill while idle, restart: tokens handed out by an earlier process are still accepted.
    await killNow();
    c = await restart();
    tokens = latestTokens(readLog(logPath));
    const half = PATIENTS.slice(0, PATIENTS.length / 2);
    const rest = PATIENTS.slice(PATIENTS.length / 2);
    for (const name of half) {
      await c.sfn.send(
        new SendTaskSuccessCommand({
          taskToken: tokens.get(`${name}-ask`),
          output: JSON.stringify({ approvedFor: name }),
        }),
      );
    }

    // 6. Answer the rest and kill while those answers and the session Lambdas are in flight.
    const answered = rest.map((name) =>
      c.sfn
        .send(
          new SendTaskSuccessCommand({
            taskToken: tokens.get(`${name}-ask`),
            output: JSON.stringify({ approvedFor: name }),
          }),
        )
        .then(
          () => name,
          () => undefined,
        ),
    );
    await realPause(8);
    await killNow();
    const acknowledged = new Set((await Promise.all(answered)).filter((n): n is string => n !== undefined));

    // 7. Restart. An acknowledged answer was recorded: sending it again finds the task closed.
    c = await restart();
    for (const name of [...half, ...acknowledged]) {
      await expect(
        c.sfn.send(
          new SendTaskSuccessCommand({
            taskToken: tokens.get(`${name}-ask`),
            output: JSON.stringify({ approvedFor: name }),
          }),
        ),
        `${name}'s answer was acknowledged before the kill`,
      ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    }
    for (const name of rest.filter((n) => !acknowledged.has(n))) {
      // unacknowledged: either it was recorded just before the kill (TaskTimedOut now) or it is still waiting
      await c.sfn
        .send(
          new SendTaskSuccessCommand({
            taskToken: tokens.get(`${name}-ask`),
            output: JSON.stringify({ approvedFor: name }),
          }),
        )
        .catch((error: { name?: string }) => expect(error.name).toBe('TaskTimedOut'));
    }

    // 8. Kill during the session Waits' clock move once more, restart, and finish.
    c.advanceToInBackground(at(COOLDOWN_SECONDS + SESSION_REST_SECONDS));
    await realPause(5);
    await killNow();
    c = await restart();
    await c.settle();
    await c.advanceTo(at(COOLDOWN_SECONDS + 2 * SESSION_REST_SECONDS));
    await c.settle();

    for (const name of PATIENTS) {
      const run = await c.sfn.send(new DescribeExecutionCommand({ executionArn: arns.get(name) }));
      expect(run.status, `${name}: ${run.error ?? ''} ${run.cause ?? ''}`).toBe('SUCCEEDED');
      expect(JSON.parse(run.output ?? 'null')).toEqual(expectedOutput(name));
    }

    const log = readLog(logPath);
    expect(stepsRunTwiceAfterCompleting(log)).toEqual([]);
    expect(log.filter((l) => l.kind === 'killed').length).toBeGreaterThanOrEqual(5);
    await child?.stop();
  });
});
