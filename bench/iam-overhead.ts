import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runJourneyBench } from './journey-bench.ts';
import { journeyCosts } from './journey-cost.ts';
import { goal, reportLine } from './report-line.ts';

/**
 * What enforcing the stack's IAM adds to a patient's journey on the local clinic: the same journey with
 * and without enforcement, each in its own process (the functions' SDK clients keep the first clinic's
 * endpoints), alternated so a change of machine load falls on both. Printed as a ratio; never asserted.
 */
export const enforcementOverheadGoal = 1.1;
const runsPerSide = 2;

interface Run {
  readonly wallMs: number;
  readonly costUsd: number;
}

function runInChild(iam: boolean): Run {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), iam ? '--iam=on' : '--iam=off'],
    {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'ERROR' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Run;
}

export function printIamOverhead(): void {
  const on: Run[] = [];
  const off: Run[] = [];
  for (let i = 0; i < runsPerSide; i++) {
    off.push(runInChild(false));
    on.push(runInChild(true));
  }
  const least = (runs: Run[]): number => Math.min(...runs.map((r) => r.wallMs));
  console.log(
    `IAM enforcement (the stack's roles checked on every local call), journey from enrolment through induction`,
  );
  reportLine('  wall time without enforcement (s, least of runs)', (least(off) / 1000).toFixed(2), '(context)');
  reportLine('  wall time with enforcement (s, least of runs)', (least(on) / 1000).toFixed(2), '(context)');
  reportLine('  with / without', `${(least(on) / least(off)).toFixed(3)}x`, goal(`<= ${enforcementOverheadGoal}x`));
  reportLine(
    '  AWS cost of the induction, with / without (USD)',
    `${on[0]?.costUsd.toFixed(4)} / ${off[0]?.costUsd.toFixed(4)}`,
    '(context: enforcement changes no billable count)',
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const side = process.argv.find((arg) => arg.startsWith('--iam='));
  if (side === undefined) {
    printIamOverhead();
  } else {
    const bench = await runJourneyBench({ warmPatient: false, iam: side === '--iam=on' });
    const wallMs = bench.first.toPlan.wallMs + bench.first.induction.wallMs;
    const costUsd = journeyCosts(bench.first, bench.firstExecutionLogs).induction.estimate.totalUsd;
    console.log(JSON.stringify({ wallMs, costUsd } satisfies Run));
  }
}
