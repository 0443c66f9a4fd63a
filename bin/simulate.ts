import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { captureFunctionLogs } from '../bench/function-log-capture.ts';
import { childMarker, cohortInChild, signalChild, simulateInChild } from '../bench/simulate/cohort-process.ts';
import { cohortReport, type CohortReport } from '../bench/simulate/cohort-report.ts';
import { renderComparison, renderHtml, renderMarkdown } from '../bench/simulate/cohort-render.ts';
import { runCohort, type CohortProgress } from '../bench/simulate/cohort-run.ts';
import { repositoryRoot } from '../local/runtime/handler-loader.ts';

/**
 * `npm run simulate`: a synthetic cohort through the local clinic, and its report (Markdown, JSON,
 * HTML). `--compare a.json b.json` runs the same cohort under two protocol overrides.
 */
const usage = `Usage: npm run simulate -- [--patients N] [--months M] [--seed S] [--protocol overrides.json] [--out DIR]
       npm run simulate -- --compare a.json b.json [--patients N] [--months M] [--seed S] [--out DIR]

  --patients N   patients in the cohort (default 10)
  --months M     months simulated; enrolments are spread over them (default 3)
  --seed S       the cohort and every answer drawn from this seed (default 1)
  --protocol F   protocol overrides: a JSON object as a clinic config's "protocolOverrides" (or a clinic config)
  --compare A B  the same cohort under the overrides of A and of B, differences side by side
  --out DIR      where the reports go (default .local/simulate)
  --name STEM    the reports' file name without extension (default cohort-<seed>-<patients>p-<months>m)

Exits 1 when any journey invariant is violated. Ctrl-C stops the run and writes a partial report.`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

const options = {
  patients: { type: 'string' },
  months: { type: 'string' },
  seed: { type: 'string' },
  protocol: { type: 'string' },
  compare: { type: 'boolean' },
  out: { type: 'string' },
  name: { type: 'string' },
  help: { type: 'boolean' },
} as const;
let args: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
try {
  args = parseArgs({ options, strict: true, allowPositionals: true });
} catch (error) {
  fail((error as Error).message);
}
if (args.values.help === true) {
  console.log(usage);
  process.exit(0);
}
const whole = (name: string, raw: string | undefined, fallback: number, min: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`--${name} ${raw} is not a whole number ${min} or more`);
  return n;
};
const patients = whole('patients', args.values.patients, 10, 1);
const months = whole('months', args.values.months, 3, 1);
const seed = whole('seed', args.values.seed, 1, 0);
const outDir = resolve(args.values.out ?? join(repositoryRoot, '.local', 'simulate'));
if (args.values.compare === true && args.positionals.length !== 2)
  fail('--compare needs two files: --compare a.json b.json');
if (args.values.compare !== true && args.positionals.length > 0)
  fail(`unexpected argument(s): ${args.positionals.join(' ')}`);

function readOverrides(path: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`${path}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`${path} must hold a JSON object`);
  const object = raw as Record<string, unknown>;
  const overrides = 'protocolOverrides' in object ? object['protocolOverrides'] : object;
  if (typeof overrides !== 'object' || overrides === null) fail(`${path}: protocolOverrides must be an object`);
  return overrides as Record<string, unknown>;
}

const isChild = process.env[childMarker] === '1';
let stopRequested = false;

if (!isChild) {
  // This process only starts the cohort runs, each in a child of its own (cohort-process.ts), and
  // passes Ctrl-C on to the one running.
  // tsx relays the terminal's SIGINT to this process, which the terminal also signals: one Ctrl-C may
  // arrive twice within a moment, so only a Ctrl-C a second or more after the first counts as a second
  let firstAt = 0;
  process.on('SIGINT', () => {
    if (stopRequested && performance.now() - firstAt < 1000) return;
    if (stopRequested) {
      console.error('\nSecond Ctrl-C: stopping at once.');
      signalChild('SIGKILL', { group: true });
      process.exit(130);
    }
    stopRequested = true;
    firstAt = performance.now();
    signalChild('SIGINT');
  });
  process.on('SIGTERM', () => signalChild('SIGTERM'));
  if (args.values.compare !== true) process.exit(await simulateInChild(process.argv.slice(2)));
  const [fileA, fileB] = args.positionals as [string, string];
  for (const file of [fileA, fileB]) readOverrides(file);
  const reports: CohortReport[] = [];
  let violations = 0;
  for (const file of [fileA, fileB]) {
    if (stopRequested) break;
    console.error(`Cohort under ${file}…`);
    const name = `cohort-${seed}-${basename(file, '.json')}`;
    const { code, report } = await cohortInChild({ patients, months, seed, outDir, name, protocolFile: resolve(file) });
    if (report === undefined) {
      console.error(`  the cohort under ${file} left no report (exit ${code})`);
      process.exit(code === 0 ? 1 : code);
    }
    reports.push(report);
    violations += report.invariants.violations;
    console.error(
      `  reports: ${join(outDir, name)}.{md,json,html}; ${report.invariants.violations} invariant violation(s)`,
    );
  }
  if (reports.length === 2) {
    const comparison = renderComparison(reports[0] as CohortReport, reports[1] as CohortReport, [
      basename(fileA),
      basename(fileB),
    ]);
    console.log(comparison);
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, `compare-${seed}-${basename(fileA, '.json')}-${basename(fileB, '.json')}.md`);
    writeFileSync(path, comparison);
    console.error(`comparison: ${path}`);
  }
  console.error(`journey invariant violations: ${violations}`);
  process.exit(violations > 0 ? 1 : 0);
}

// ------------------------------------------------------------------ the child: one cohort
// Ctrl-C once: the run stops at its next step and the report of what was simulated is written.
process.on('SIGINT', () => {
  if (stopRequested) process.exit(130);
  stopRequested = true;
  console.error('\nCtrl-C: stopping after this step; the partial report follows (Ctrl-C again to quit at once).');
});

let lastLine = 0;
function showProgress(p: CohortProgress): void {
  const line = `patients ${p.enrolled}/${p.patients}  day ${p.virtualDays.toFixed(0)}/${p.totalDays}  actions ${p.actions}  emails ${p.emails}  ${(p.wallMs / 1000).toFixed(0)} s`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(90)}`);
  else if (performance.now() - lastLine > 10_000) {
    lastLine = performance.now();
    console.error(line);
  }
}

const logs = captureFunctionLogs();
let report: CohortReport;
try {
  const protocolOverrides = args.values.protocol === undefined ? undefined : readOverrides(args.values.protocol);
  const run = await runCohort({
    patients,
    months,
    seed,
    ...(protocolOverrides === undefined ? {} : { protocolOverrides }),
    onProgress: showProgress,
    shouldStop: () => stopRequested,
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  try {
    report = await cohortReport(run);
  } finally {
    await run.clinic.stop();
  }
} finally {
  logs.stop();
}
mkdirSync(outDir, { recursive: true });
const stem = join(outDir, args.values.name ?? `cohort-${seed}-${patients}p-${months}m`);
writeFileSync(`${stem}.md`, renderMarkdown(report));
writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${stem}.html`, renderHtml(report));
console.log(renderMarkdown(report));
console.error(`reports: ${stem}.md, ${stem}.json, ${stem}.html`);
// actions the pages or the staff API refused with an error are a failure of the run, like a violation
const failed = report.invariants.violations > 0 || report.simulation.errors.length > 0;
console.error(
  `journey invariant violations: ${report.invariants.violations}; failed actions: ${report.simulation.errors.length}`,
);
process.exit(failed ? 1 : 0);
