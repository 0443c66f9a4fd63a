import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { functionCatalogue } from '../functions/catalogue.ts';
import { functionBundling } from '../lib/function-bundling.ts';
import { handlerEntry, projectRoot } from '../lib/project-paths.ts';

/**
 * Cold init of each bundled function as a ratio to a bare Node handler's: a fresh Node process
 * loads the module and exits, the way Lambda's init phase does. The AWS SDK is external, as in the stack.
 *
 * On a shared machine other work only ever adds time, so each module's cost is the fastest of its runs,
 * and the runs are interleaved (one of each module per round) so a burst of load hits them all alike.
 *
 * Most of a function's init is the AWS SDK's own: loading @aws-sdk/client-dynamodb alone costs several
 * bare handlers. So each function is also compared with an "SDK baseline", a bare handler that imports
 * the same external modules its bundle imports: that ratio is the part our own code adds.
 */
export const coldInitGoalRatio = 2;
const rounds = 7;

export interface ColdInit {
  readonly id: string;
  readonly fastestMs: number;
  readonly ratioToBare: number;
  /** the external modules (the AWS SDK clients) the bundle imports */
  readonly externalImports: readonly string[];
  /** to a bare handler that imports only those modules */
  readonly ratioToSdkBaseline: number;
}

export async function measureColdInit(): Promise<{ bareFastestMs: number; functions: ColdInit[] }> {
  // Inside the project, so the external AWS SDK resolves from node_modules as the runtime provides it.
  const dir = join(projectRoot, '.bench', 'cold-init');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const bare = join(dir, 'bare.mjs');
    writeFileSync(bare, 'export const handler = async () => ({ statusCode: 200 });\n');
    const bundles: { id: string; path: string; externalImports: string[]; baseline: string }[] = [];
    // functions importing the same SDK clients share one baseline module
    const baselines = new Map<string, string>();
    for (const spec of functionCatalogue) {
      const path = join(dir, `${spec.id}.mjs`);
      const externalImports = await bundle(spec.id, path);
      const key = externalImports.join(' ');
      let baseline = baselines.get(key);
      if (baseline === undefined) {
        baseline = join(dir, `sdk-baseline-${baselines.size}.mjs`);
        writeFileSync(baseline, `${externalImports.map((p) => `import ${JSON.stringify(p)};\n`).join('')}export const handler = async () => ({ statusCode: 200 });\n`);
        baselines.set(key, baseline);
      }
      bundles.push({ id: spec.id, path, externalImports, baseline });
    }

    const fastest = new Map<string, number>();
    const modules = [bare, ...baselines.values(), ...bundles.map((b) => b.path)];
    for (let round = 0; round < rounds; round += 1) {
      for (const module of modules) fastest.set(module, Math.min(fastest.get(module) ?? Infinity, loadMs(module)));
    }
    const ms = (module: string): number => fastest.get(module) as number;
    const bareFastestMs = ms(bare);
    return {
      bareFastestMs,
      functions: bundles.map((b) => ({
        id: b.id,
        fastestMs: ms(b.path),
        ratioToBare: ms(b.path) / bareFastestMs,
        externalImports: b.externalImports,
        ratioToSdkBaseline: ms(b.path) / ms(b.baseline),
      })),
    };
  } finally {
    rmSync(join(projectRoot, '.bench'), { recursive: true, force: true });
  }
}

/** Bundles a function as the stack does and answers the external modules the bundle imports. */
async function bundle(functionId: string, outfile: string): Promise<string[]> {
  const result = await build({
    entryPoints: [handlerEntry(functionId)],
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
    metafile: true,
  });
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
  return [...new Set(imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path))].sort();
}

/** Wall time of a whole `node` process that imports the module and reads its handler. */
function loadMs(modulePath: string): number {
  const env = { ...process.env, TABLE_NAME: 'bench', APP_BASE_URL: 'https://bench.invalid', CLINIC_CONFIG: '{}' };
  const started = performance.now();
  execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(modulePath)}); if (typeof m.handler !== 'function') process.exit(3);`], { env, stdio: 'ignore' });
  return performance.now() - started;
}
