import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goal, reportLine } from '../report-line.ts';
import { cohortInChild } from './cohort-process.ts';
import type { CohortReport } from './cohort-report.ts';

/**
 * The cohort simulation's speed and growth (issue 17), printed by `npm run bench`, never asserted:
 * patient-months simulated per wall second, and how wall time, DynamoDB request units and Step Functions
 * transitions per patient-month grow when the cohort doubles. The pair is 400 against 200
 * patients over 12 months; at the rate measured on a shared 2-core machine that pair takes hours, so
 * the bench runs a smaller pair (SIMULATE_BENCH_PATIENTS, default 4, and twice that, over
 * SIMULATE_BENCH_MONTHS, default 2) and says so. Set them to 200 and 12 for the pair.
 */
export interface CohortBench {
  readonly small: CohortReport;
  readonly large: CohortReport;
}

export async function runCohortBench(
  patients = Number(process.env['SIMULATE_BENCH_PATIENTS'] ?? 4),
  months = Number(process.env['SIMULATE_BENCH_MONTHS'] ?? 2),
): Promise<CohortBench> {
  const outDir = mkdtempSync(join(tmpdir(), 'care-journeys-cohort-bench-'));
  try {
    // each cohort in a process of its own (cohort-process.ts), one after the other
    const one = async (n: number) => {
      const { code, report } = await cohortInChild({ patients: n, months, seed: 17, outDir, name: `bench-${n}` });
      if (report === undefined) throw new Error(`the ${n}-patient cohort left no report (exit ${code})`);
      return report;
    };
    const small = await one(patients);
    const large = await one(patients * 2);
    return { small, large };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function printCohortBench(bench: CohortBench): void {
  const { small, large } = bench;
  const pair = `${large.patients} vs ${small.patients} patients, ${small.months} month(s)`;
  console.log(
    `Cohort simulation (npm run simulate): ${pair}${large.patients === 400 && small.months === 12 ? '' : " (a smaller pair than the issue's 400 vs 200 over 12 months, which takes hours on this machine)"}`,
  );
  reportLine(
    `  patient-months per wall second (${large.patients} patients)`,
    large.patientMonthsPerWallSecond.toFixed(3),
    goal('>= 10 (200-patient clinic-year)'),
  );
  reportLine(
    `  patient-months per wall second (${small.patients} patients)`,
    small.patientMonthsPerWallSecond.toFixed(3),
    '(context)',
  );
  reportLine(
    `  wall time (s), ${small.patients} / ${large.patients} patients`,
    `${small.wallSeconds.toFixed(0)} / ${large.wallSeconds.toFixed(0)}`,
    '(context)',
  );
  reportLine(
    '  growth: wall time, larger / smaller cohort',
    (large.wallSeconds / small.wallSeconds).toFixed(2),
    goal('<= 2.2'),
  );
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  reportLine(
    '  growth: DynamoDB request units per patient-month',
    ratio(large.cost.dynamoDbRequestUnitsPerPatientMonth, small.cost.dynamoDbRequestUnitsPerPatientMonth),
    '(context: 1.00 is linear)',
  );
  reportLine(
    '  growth: state transitions per patient-month',
    ratio(large.cost.stateTransitionsPerPatientMonth, small.cost.stateTransitionsPerPatientMonth),
    '(context: 1.00 is linear)',
  );
  const t = large.timing;
  reportLine(
    '  where the wall time went: clock moves / mail / actions (s)',
    `${(t.advanceMs / 1000).toFixed(0)} / ${(t.mailMs / 1000).toFixed(0)} / ${(t.actionMs / 1000).toFixed(0)}`,
    `(context: ${t.steps} clock moves)`,
  );
  const l = large.pageLatencyMs;
  reportLine('  link page GET p50 / p99 (ms)', `${l.getP50.toFixed(0)} / ${l.getP99.toFixed(0)}`, goal('p99 <= 100'));
  reportLine(
    '  link page POST p50 / p99, until its work settled (ms)',
    `${l.postP50.toFixed(0)} / ${l.postP99.toFixed(0)}`,
    goal('p99 <= 100 (for the POST alone)'),
  );
  reportLine(
    '  peak memory of the runtime process (MB; DynamoDB Local runs apart)',
    (large.peakRssBytes / 1e6).toFixed(0),
    '(context)',
  );
  reportLine(
    '  journey invariant violations (both cohorts)',
    String(small.invariants.violations + large.invariants.violations),
    goal('0'),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printCohortBench(await runCohortBench());
}
