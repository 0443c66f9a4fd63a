import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../../local/runtime/handler-loader.ts';
import type { CohortReport } from './cohort-report.ts';

/**
 * One cohort run in a process of its own. The functions read their configuration from process.env and
 * keep their AWS clients for the life of the process, so a second clinic in the same process would
 * reach the first one's (stopped) services: a comparison or a bench pair runs each cohort in a child.
 * The child also runs in a process group of its own, so Ctrl-C in a terminal reaches the simulation
 * (which stops and writes its partial report) and not DynamoDB Local's JVM, which the report still reads.
 */
export const childMarker = 'CARE_JOURNEYS_SIMULATE_CHILD';

let current: ChildProcess | undefined;

/**
 * Passes a signal on to the running child, if any; answers whether there was one. With `group`, to its
 * whole process group (DynamoDB Local's JVM included), so nothing is left running.
 */
export function signalChild(signal: NodeJS.Signals, options: { group?: boolean } = {}): boolean {
  if (current?.pid === undefined || current.exitCode !== null) return false;
  if (options.group === true) process.kill(-current.pid, signal);
  else current.kill(signal);
  return true;
}

/** Runs bin/simulate.ts with these arguments in a child; answers its exit code. */
export function simulateInChild(args: readonly string[], options: { quiet?: boolean } = {}): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, join(repositoryRoot, 'bin', 'simulate.ts'), ...args], {
    detached: true,
    stdio: options.quiet === true ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, [childMarker]: '1' },
  });
  current = child;
  return new Promise((resolveCode, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      current = undefined;
      resolveCode(code ?? (signal === null ? 1 : 130));
    });
  });
}

/** A cohort run in a child, its report read back from the JSON it wrote. */
export async function cohortInChild(run: {
  patients: number;
  months: number;
  seed: number;
  outDir: string;
  name: string;
  protocolFile?: string;
}): Promise<{ code: number; report: CohortReport | undefined }> {
  const args = [
    '--patients',
    String(run.patients),
    '--months',
    String(run.months),
    '--seed',
    String(run.seed),
    '--out',
    run.outDir,
    '--name',
    run.name,
    ...(run.protocolFile === undefined ? [] : ['--protocol', run.protocolFile]),
  ];
  const code = await simulateInChild(args, { quiet: true });
  try {
    return { code, report: JSON.parse(readFileSync(join(run.outDir, `${run.name}.json`), 'utf8')) as CohortReport };
  } catch {
    return { code, report: undefined };
  }
}
