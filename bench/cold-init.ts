import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { functionCatalogue } from '../functions/catalogue.ts';
import { projectRoot } from '../lib/project-paths.ts';
import { functionNodeOptions } from '../lib/function-bundling.ts';
import { functionBuildOptions } from './function-build.ts';

/**
 * Cold init of each bundled function as a ratio to a bare Node handler's: a fresh Node process
 * loads the module and exits, the way Lambda's init phase does. The AWS SDK is external and the Node
 * options are the functions' own (source maps on), as in the stack.
 *
 * On a shared machine wall time mostly measures the other work, so the cost of a load is the CPU time
 * (user + system) the process spent until the handler was in hand, which on Lambda's dedicated init CPU
 * is close to the init duration. Other work only ever adds to it, so each module's cost is the least of
 * its runs, and the runs are interleaved (one of each module per round) so load hits them all alike.
 *
 * Most of a function's init is the AWS SDK's own: loading @aws-sdk/client-dynamodb alone costs several
 * bare handlers. So each function is also compared with an "SDK baseline", a bare handler that imports
 * the same external modules its bundle imports: that ratio is the part our own code adds.
 *
 * Issue 6's goal of 2x a bare handler is below the SDK baselines themselves (about 5x here, bundled or
 * external: the SDK's own code, not how it is loaded), so no function that uses the SDK v3 clients the
 * project requires can meet it. The bench prints the baselines to show that floor, and holds our own
 * code to its own goal over the baseline, the part we control.
 */
export const coldInitGoalRatio = 2;
/** our code's share: a function's init over the SDK baseline of the clients it imports */
export const ownCodeGoalRatio = 1.5;
const rounds = 7;

export interface ColdInit {
  readonly id: string;
  /** CPU milliseconds, least of the runs */
  readonly cpuMs: number;
  readonly ratioToBare: number;
  /** the external modules (the AWS SDK clients) the bundle imports */
  readonly externalImports: readonly string[];
  /** to a bare handler that imports only those modules */
  readonly ratioToSdkBaseline: number;
}

export interface SdkBaseline {
  /** the external modules a bare handler imports */
  readonly externalImports: readonly string[];
  readonly ratioToBare: number;
}

export async function measureColdInit(): Promise<{
  bareCpuMs: number;
  sdkBaselines: SdkBaseline[];
  functions: ColdInit[];
}> {
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
        writeFileSync(
          baseline,
          `${externalImports.map((p) => `import ${JSON.stringify(p)};\n`).join('')}export const handler = async () => ({ statusCode: 200 });\n`,
        );
        baselines.set(key, baseline);
      }
      bundles.push({ id: spec.id, path, externalImports, baseline });
    }

    const least = new Map<string, number>();
    const modules = [bare, ...baselines.values(), ...bundles.map((b) => b.path)];
    for (let round = 0; round < rounds; round += 1) {
      for (const module of modules) least.set(module, Math.min(least.get(module) ?? Infinity, loadCpuMs(module)));
    }
    const ms = (module: string): number => least.get(module) as number;
    const bareCpuMs = ms(bare);
    return {
      bareCpuMs,
      sdkBaselines: [...baselines].map(([key, baseline]) => ({
        externalImports: key.split(' '),
        ratioToBare: ms(baseline) / bareCpuMs,
      })),
      functions: bundles.map((b) => ({
        id: b.id,
        cpuMs: ms(b.path),
        ratioToBare: ms(b.path) / bareCpuMs,
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
  const result = await build({ ...functionBuildOptions(functionId), outfile, metafile: true });
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
  return [...new Set(imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path))].sort();
}

/** CPU time of a fresh `node` process, from its start until it has imported the module and read its handler. */
function loadCpuMs(modulePath: string): number {
  const env = {
    ...process.env,
    NODE_OPTIONS: functionNodeOptions,
    TABLE_NAME: 'bench',
    APP_BASE_URL: 'https://bench.invalid',
    CLINIC_CONFIG: '{}',
  };
  const script = `const m = await import(${JSON.stringify(modulePath)}); if (typeof m.handler !== 'function') process.exit(3); const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const cpuMs = Number(output);
  if (!Number.isFinite(cpuMs))
    throw new Error(`loading ${modulePath} printed ${JSON.stringify(output)}, not its CPU time`);
  return cpuMs;
}
