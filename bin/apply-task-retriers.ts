/**
 * Writes the retry policy of statemachines/task-retry-policy.ts into every Lambda task of every ASL file.
 * Run it again after a merge that brings new tasks: `npx tsx bin/apply-task-retriers.ts` (a no-op when
 * every task already has the policy; `--check` exits 1 instead of writing when one does not).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLambdaTask, taskRetriers, type Retrier } from '../statemachines/task-retry-policy.ts';

type Json = Record<string, unknown>;
const folder = join(import.meta.dirname, '..', 'statemachines');

function applyTo(states: Json): void {
  for (const state of Object.values(states) as Json[]) {
    if (isLambdaTask(state)) {
      // Retry sits where it was, or right after Arguments for a task that had none, so diffs stay small
      const retry = taskRetriers((state['Retry'] as Retrier[] | undefined) ?? []);
      const entries = Object.entries(state).filter(([key]) => key !== 'Retry');
      const anchor =
        'Retry' in state
          ? Object.keys(state).indexOf('Retry')
          : Math.max(entries.findIndex(([key]) => key === 'Arguments') + 1, 1);
      entries.splice(anchor, 0, ['Retry', retry]);
      for (const key of Object.keys(state)) delete state[key];
      Object.assign(state, Object.fromEntries(entries));
    }
    const processor = state['ItemProcessor'] as Json | undefined;
    if (processor !== undefined) applyTo(processor['States'] as Json);
    for (const branch of (state['Branches'] as Json[] | undefined) ?? []) applyTo(branch['States'] as Json);
  }
}

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const file of readdirSync(folder).filter((name) => name.endsWith('.asl.json'))) {
  const path = join(folder, file);
  const before = readFileSync(path, 'utf8');
  const definition = JSON.parse(before) as Json;
  applyTo(definition['States'] as Json);
  const after = `${JSON.stringify(definition, null, 2)}\n`;
  if (after === before) continue;
  stale.push(file);
  if (!check) writeFileSync(path, after);
}
if (check && stale.length > 0) {
  console.error(`task retriers out of date in ${stale.join(', ')}: run npx tsx bin/apply-task-retriers.ts`);
  process.exit(1);
}
console.log(
  stale.length === 0
    ? 'every Lambda task already has the retry policy'
    : `${check ? 'stale' : 'updated'}: ${stale.join(', ')}`,
);
