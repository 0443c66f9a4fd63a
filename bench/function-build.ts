import type { BuildOptions } from 'esbuild';
import { functionBundling } from '../lib/function-bundling.ts';
import { handlerEntry } from '../lib/project-paths.ts';

/** esbuild options that bundle one catalogue function exactly as the stack ships it (in the bench). */
export function functionBuildOptions(functionId: string): BuildOptions {
  return {
    entryPoints: [handlerEntry(functionId)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: functionBundling.target,
    minify: functionBundling.minify,
    // a map file beside the code, as the stack ships it (never inlined into the code)
    sourcemap: functionBundling.sourceMap ? 'linked' : false,
    sourcesContent: functionBundling.sourcesContent,
    external: [...functionBundling.externalModules],
    mainFields: [...functionBundling.mainFields],
    banner: { js: functionBundling.banner },
    logLevel: 'error',
  };
}
