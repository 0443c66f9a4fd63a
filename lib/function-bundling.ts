import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function is bundled, in one place so `npm run bench` measures exactly what `cdk deploy` ships.
 * The AWS SDK v3 stays out of the bundle: the Node.js 24 Lambda runtime provides it.
 */
export const functionBundling = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
  externalModules: ['@aws-sdk/*', '@smithy/*'],
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require() for Node built-ins, which ESM lacks.
  banner: "import { createRequire as __cjRequire } from 'node:module'; const require = __cjRequire(import.meta.url);",
} as const satisfies BundlingOptions;

/**
 * The Node options every function runs with. Source maps make a minified stack trace readable in the
 * logs; Node reads the map when the module loads, so the bench's cold init runs with the same options.
 */
export const functionNodeOptions = '--enable-source-maps';
