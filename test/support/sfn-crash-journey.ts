/**
 * The workload of the crash test, shared by the parent test and the child process: one state machine
 * with Lambda steps, a long Wait, a callback, a Map of sessions with their own Waits, and a final step;
 * and the log every handler appends to, so a step run twice is visible after the fact.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export const CRASH_START = new Date('2025-06-02T08:00:00.000Z');
export const COOLDOWN_SECONDS = 3600;
export const SESSION_REST_SECONDS = 60;
export const SESSIONS = [1, 2, 3, 4] as const;

const step = (key: string, rest: object): object => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Arguments: { FunctionName: 'step', Payload: { key: `{% $name & '-${key}' %}` } },
  ...rest,
});

export const crashJourney = {
  QueryLanguage: 'JSONata',
  StartAt: 'Intake',
  States: {
    Intake: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'step', Payload: { key: "{% $states.context.Execution.Name & '-intake' %}" } },
      Assign: { name: '{% $states.context.Execution.Name %}', intake: '{% $states.result.Payload.key %}' },
      Next: 'Cooldown',
    },
    Cooldown: { Type: 'Wait', Seconds: COOLDOWN_SECONDS, Next: 'Review' },
    Review: step('review', { Next: 'Ask' }),
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: 'ask',
        Payload: { key: "{% $name & '-ask' %}", token: '{% $states.context.Task.Token %}' },
      },
      Assign: { answer: '{% $states.result %}' },
      Next: 'Sessions',
    },
    Sessions: {
      Type: 'Map',
      Items: [...SESSIONS],
      MaxConcurrency: 2,
      ItemProcessor: {
        StartAt: 'Session',
        States: {
          Session: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'step', Payload: { key: "{% $name & '-session-' & $states.input %}" } },
            Output: '{% $states.input * 10 %}',
            Next: 'Rest',
          },
          Rest: { Type: 'Wait', Seconds: SESSION_REST_SECONDS, End: true },
        },
      },
      Next: 'Finish',
    },
    Finish: step('finish', {
      Output: {
        name: '{% $name %}',
        intake: '{% $intake %}',
        answer: '{% $answer %}',
        sessions: '{% $states.input %}',
      },
      End: true,
    }),
  },
};

export function expectedOutput(name: string): unknown {
  return { name, intake: `${name}-intake`, answer: { approvedFor: name }, sessions: SESSIONS.map((s) => s * 10) };
}

/** the steps that can only begin once `key`'s own step was recorded as done */
export function successorsOf(key: string): string[] {
  const match = /^(.*)-(intake|review|ask|session-\d|finish)$/.exec(key);
  if (!match) return [];
  const [, name, step] = match;
  const chain = ['intake', 'review', 'ask', 'sessions', 'finish'];
  const position = chain.indexOf(step?.startsWith('session-') ? 'sessions' : String(step));
  return chain
    .slice(position + 1)
    .flatMap((s) => (s === 'sessions' ? SESSIONS.map((n) => `${name}-session-${n}`) : [`${name}-${s}`]));
}

export type CrashLogLine =
  | { readonly kind: 'start'; readonly gen: number; readonly key: string; readonly token?: string }
  | { readonly kind: 'end'; readonly gen: number; readonly key: string }
  /** written by the parent: in this generation the engine had settled, so every step before it was recorded */
  | { readonly kind: 'settled'; readonly gen: number }
  | { readonly kind: 'killed'; readonly gen: number };

export function appendLog(path: string, line: CrashLogLine): void {
  // appendFileSync: the line is in the file before the handler returns, so a SIGKILL cannot lose it
  appendFileSync(path, `${JSON.stringify(line)}\n`);
}

export function readLog(path: string): CrashLogLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CrashLogLine);
}

/**
 * Steps that ran again although their first run had been recorded as complete. A run counts as
 * recorded when, later in the same generation, the engine settled or a step that can only follow it
 * began ("every transition is written before the next begins"). A run cut short by a kill before
 * either happened may legitimately run again after the restart.
 */
export function stepsRunTwiceAfterCompleting(log: readonly CrashLogLine[]): string[] {
  const offenders = new Set<string>();
  log.forEach((line, index) => {
    if (line.kind !== 'start') return;
    const later = log.slice(index + 1);
    const sameGenLater = later.filter((l) => l.gen === line.gen);
    const successors = new Set(successorsOf(line.key));
    const recorded = sameGenLater.some((l) => l.kind === 'settled' || (l.kind === 'start' && successors.has(l.key)));
    const ranAgain = later.some((l) => l.kind === 'start' && l.key === line.key);
    if (recorded && ranAgain) offenders.add(line.key);
  });
  return [...offenders].sort();
}

export function latestTokens(log: readonly CrashLogLine[]): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const line of log) if (line.kind === 'start' && line.token !== undefined) tokens.set(line.key, line.token);
  return tokens;
}
