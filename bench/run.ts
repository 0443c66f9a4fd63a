import { measureEngineThroughput } from './engine-throughput.ts';

/** `npm run bench`: measurements printed as counts and ratios; goals beside them, never asserted. */
function line(label: string, value: string, goal: string): void {
  console.log(`${label.padEnd(52)} ${value.padStart(14)}   goal ${goal}`);
}

const throughput = await measureEngineThroughput();
line('durable state transitions per second (one core)', throughput.transitionsPerSecond.toFixed(0), '>= 2,000');
line('  as a share of bare SQLite commits per second', (throughput.transitionsPerSecond / throughput.bareSqliteCommitsPerSecond).toFixed(3), '(context)');
