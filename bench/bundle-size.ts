import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { functionCatalogue } from '../functions/catalogue.ts';
import { functionBuildOptions } from './function-build.ts';

/** The goal of issue 6: a function's minified bundle stays small enough for a fast cold start. */
export const bundleSizeGoalBytes = 150 * 1024;

export interface BundleSize {
  readonly id: string;
  readonly bytes: number;
}

/** Bundles each catalogue function as the stack does (in memory) and measures the code, not its source map. */
export async function measureBundleSizes(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const spec of functionCatalogue) {
    // the out file only names the map beside the code; nothing is written
    const result = await build({ ...functionBuildOptions(spec.id), outfile: `${spec.id}.mjs`, write: false });
    const code = result.outputFiles.filter((file) => !file.path.endsWith('.map'));
    const bytes = code.reduce((total, file) => total + file.contents.byteLength, 0);
    sizes.push({ id: spec.id, bytes });
  }
  return sizes;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { id, bytes } of await measureBundleSizes()) {
    const verdict = bytes <= bundleSizeGoalBytes ? 'within' : 'OVER';
    console.log(
      `${id.padEnd(20)} ${(bytes / 1024).toFixed(1).padStart(8)} KB   ${verdict} the ${bundleSizeGoalBytes / 1024} KB goal`,
    );
  }
}
