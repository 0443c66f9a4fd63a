import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createLocalStepFunctions } from '../local/sfn/index.ts';

/**
 * Durable state transitions per second on one core, and the same machine's bare SQLite commit rate,
 * so the result can be read as a ratio that survives a noisy shared machine.
 */
const loopLength = 2_000;

const countingLoop = {
  QueryLanguage: 'JSONata',
  StartAt: 'Start',
  States: {
    Start: { Type: 'Pass', Assign: { n: 0 }, Next: 'Count' },
    Count: { Type: 'Pass', Assign: { n: '{% $n + 1 %}' }, Next: 'Done?' },
    'Done?': {
      Type: 'Choice',
      Choices: [{ Condition: `{% $n >= ${loopLength} %}`, Next: 'Finish' }],
      Default: 'Count',
    },
    Finish: { Type: 'Succeed' },
  },
};

export interface ThroughputResult {
  transitions: number;
  transitionsPerSecond: number;
  bareSqliteCommitsPerSecond: number;
}

export async function measureEngineThroughput(): Promise<ThroughputResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cj-bench-'));
  try {
    const engine = await createLocalStepFunctions({
      dbPath: join(dir, 'sfn.sqlite'),
      lambdas: { resolve: () => undefined },
    });
    const { stateMachineArn } = (await engine.call('CreateStateMachine', {
      name: 'bench-loop',
      definition: JSON.stringify(countingLoop),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
    })) as { stateMachineArn: string };
    const before = engine.usage().total.stateTransitions;
    const started = performance.now();
    await engine.call('StartExecution', { stateMachineArn, name: 'run-1', input: '{}' });
    await engine.settle();
    const seconds = (performance.now() - started) / 1000;
    const transitions = engine.usage().total.stateTransitions - before;
    await engine.close();
    return {
      transitions,
      transitionsPerSecond: transitions / seconds,
      bareSqliteCommitsPerSecond: bareSqliteCommitRate(dir),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function bareSqliteCommitRate(dir: string): number {
  const db = new DatabaseSync(join(dir, 'bare.sqlite'));
  db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const commits = 5_000;
  const started = performance.now();
  for (let i = 0; i < commits; i += 1) {
    db.exec('BEGIN');
    insert.run(`row ${i}`);
    db.exec('COMMIT');
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return commits / seconds;
}
