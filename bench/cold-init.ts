import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { functionCatalogue } from '../functions/catalogue.ts';
import { functionBundling } from '../lib/function-bundling.ts';
import { handlerEntry, projectRoot } from '../lib/project-paths.ts';

/**
 * Cold init of each bundled function as a ratio to a bare Node handler's: a fresh Node process
 * loads the module and exits, the way Lambda's init phase does. Ratios of medians stay readable on a
 * noisy shared machine where absolute milliseconds do not. The AWS SDK is external, as in the stack.
 */
export const coldInitGoalRatio = 2;
const runs = 7;

export interface ColdInit {
  readonly id: string;
  readonly medianMs: number;
  readonly ratioToBare: number;
}

export async function measureColdInit(): Promise<{ bareMedianMs: number; functions: ColdInit[] }> {
  // Inside the project, so the external AWS SDK resolves from node_modules as the runtime provides it.
  const dir = join(projectRoot, '.bench', 'cold-init');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const bare = join(dir, 'bare.mjs');
    writeFileSync(bare, 'export const handler = async () => ({ statusCode: 200 });\n');
    const bareMedianMs = medianLoadMs(bare);
    const functions: ColdInit[] = [];
    for (const spec of functionCatalogue) {
      const outfile = join(dir, `${spec.id}.mjs`);
      await build({
        entryPoints: [handlerEntry(spec.id)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: functionBundling.target,
        minify: functionBundling.minify,
        external: [...functionBundling.externalModules],
        mainFields: [...functionBundling.mainFields],
        banner: { js: functionBundling.banner },
        logLevel: 'error',
      });
      const medianMs = medianLoadMs(outfile);
      functions.push({ id: spec.id, medianMs, ratioToBare: medianMs / bareMedianMs });
    }
    return { bareMedianMs, functions };
  } finally {
    rmSync(join(projectRoot, '.bench'), { recursive: true, force: true });
  }
}

/** Wall time of a whole `node` process that imports the module and reads its handler. */
function medianLoadMs(modulePath: string): number {
  const env = { ...process.env, TABLE_NAME: 'bench', APP_BASE_URL: 'https://bench.invalid', CLINIC_CONFIG: '{}' };
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(modulePath)}); if (typeof m.handler !== 'function') process.exit(3);`], { env, stdio: 'ignore' });
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}
