import { bundleSizeGoalBytes, measureBundleSizes } from './bundle-size.ts';
import { coldInitGoalRatio, measureColdInit } from './cold-init.ts';
import { measureEngineThroughput } from './engine-throughput.ts';

/** `npm run bench`: measurements printed as counts and ratios; goals beside them, never asserted. */
function line(label: string, value: string, goal: string): void {
  console.log(`${label.padEnd(56)} ${value.padStart(12)}   goal ${goal}`);
}

console.log('Local Step Functions engine');
const throughput = await measureEngineThroughput();
line('  durable state transitions per second (one core)', throughput.transitionsPerSecond.toFixed(0), '>= 2,000');
line('  as a share of bare SQLite commits per second', (throughput.transitionsPerSecond / throughput.bareSqliteCommitsPerSecond).toFixed(3), '(context)');

console.log('\nFunction bundles (minified, AWS SDK external as in the stack)');
for (const { id, bytes } of await measureBundleSizes()) {
  line(`  ${id} bundle size (KB)`, (bytes / 1024).toFixed(1), `<= ${bundleSizeGoalBytes / 1024}`);
}

console.log('\nCold init (a fresh Node process loading the bundle), as a ratio to a bare handler');
const coldInit = await measureColdInit();
line('  bare handler, median (ms, context only)', coldInit.bareMedianMs.toFixed(0), '(context)');
for (const fn of coldInit.functions) line(`  ${fn.id} / bare`, `${fn.ratioToBare.toFixed(2)}x`, `<= ${coldInitGoalRatio}x`);
