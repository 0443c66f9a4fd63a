import { bundleSizeGoalBytes, measureBundleSizes } from './bundle-size.ts';
import { coldInitGoalRatio, measureColdInit, ownCodeGoalRatio } from './cold-init.ts';
import { measureEngineThroughput } from './engine-throughput.ts';
import { printIamOverhead } from './iam-overhead.ts';
import { runJourneyBench } from './journey-bench.ts';
import { journeyCosts, printJourneyCosts } from './journey-cost.ts';
import { printJourneyWallTime } from './journey-wall-time.ts';
import { printCohortBench, runCohortBench } from './simulate/cohort-bench.ts';
import { goal, reportLine } from './report-line.ts';

/** `npm run bench`: measurements printed as counts and ratios; goals beside them, never asserted. */
console.log('Local Step Functions engine');
const throughput = await measureEngineThroughput();
reportLine(
  '  durable state transitions per second (one core)',
  throughput.transitionsPerSecond.toFixed(0),
  goal('>= 10,000'),
);
reportLine(
  '  as a share of bare SQLite commits per second',
  (throughput.transitionsPerSecond / throughput.bareSqliteCommitsPerSecond).toFixed(3),
  '(context)',
);

// One clinic for both journey measurements: the same patient gives the wall time and the cost. The
// journey is the part most likely to break while the workflows change: say why, and measure the rest.
console.log('');
try {
  const journey = await runJourneyBench({ warmPatient: true });
  printJourneyWallTime(journey);
  console.log('');
  printJourneyCosts(journeyCosts(journey.first, journey.firstExecutionLogs));
} catch (error) {
  console.log(
    `Patient journey: NOT MEASURED, the journey did not go through:\n  ${String((error as Error).stack ?? error).replace(/\n/g, '\n  ')}`,
  );
  process.exitCode = 1;
}

console.log('');
try {
  printCohortBench(await runCohortBench());
} catch (error) {
  console.log(
    `Cohort simulation: NOT MEASURED, the cohort did not go through:\n  ${String((error as Error).stack ?? error).replace(/\n/g, '\n  ')}`,
  );
  process.exitCode = 1;
}

console.log('');
try {
  printIamOverhead();
} catch (error) {
  console.log(`IAM enforcement overhead: NOT MEASURED:\n  ${String((error as Error).message)}`);
  process.exitCode = 1;
}

console.log('\nFunction bundles (minified, AWS SDK external as in the stack)');
for (const { id, bytes } of await measureBundleSizes()) {
  reportLine(`  ${id} bundle size (KB)`, (bytes / 1024).toFixed(1), goal(`<= ${bundleSizeGoalBytes / 1024}`));
}

console.log(
  '\nCold init (CPU time of a fresh Node process loading the bundle, least of interleaved runs), as a ratio to a bare handler',
);
const coldInit = await measureColdInit();
const clientsOf = (externalImports: readonly string[]): string =>
  externalImports.map((path) => path.replace('@aws-sdk/', '')).join(', ');
reportLine('  bare handler (CPU ms, context only)', coldInit.bareCpuMs.toFixed(0), '(context)');
console.log('  the floor: a bare handler that only imports the AWS SDK clients (issue 6 requires them), / bare');
for (const baseline of coldInit.sdkBaselines)
  reportLine(
    `  SDK baseline / bare`,
    `${baseline.ratioToBare.toFixed(2)}x`,
    `(context: ${clientsOf(baseline.externalImports)})`,
  );
for (const fn of coldInit.functions)
  reportLine(
    `  ${fn.id} / bare`,
    `${fn.ratioToBare.toFixed(2)}x`,
    `${goal(`<= ${coldInitGoalRatio}x`)}, under the floor above: see bench/cold-init.ts`,
  );
console.log('  what our own code adds: each function as a ratio to the SDK baseline of the clients it imports');
for (const fn of coldInit.functions)
  reportLine(
    `  ${fn.id} / SDK baseline`,
    `${fn.ratioToSdkBaseline.toFixed(2)}x`,
    `${goal(`<= ${ownCodeGoalRatio}x`)} (${clientsOf(fn.externalImports)})`,
  );
