import { App, Validations, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClinicConfig } from '../functions/platform/clinic-config.ts';
import { CareJourneysStack } from './care-journeys-stack.ts';
import { projectRoot } from './project-paths.ts';

export const stackName = 'CareJourneys';

export interface CareJourneysStackOptions {
  readonly clinic: ClinicConfig;
  /** run cdk-nag's AwsSolutions and HIPAA Security packs at synth (`Template.fromStack` refuses apps that do) */
  readonly nag: boolean;
}

/** The feature flags of cdk.json, so an app built in a test behaves like the one `cdk synth` builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/**
 * An app with cdk.json's flags; context given to the CLI (`-c name=value`) still takes precedence. Callers
 * synthesize explicitly: an automatic synth at exit would run even after a config error stopped the build.
 */
export function newCareJourneysApp(outdir?: string): App {
  return new App({ context: cdkJsonContext(), autoSynth: false, ...(outdir !== undefined ? { outdir } : {}) });
}

export function addCareJourneysStack(app: App, options: CareJourneysStackOptions): CareJourneysStack {
  const stack = new CareJourneysStack(app, stackName, {
    clinic: options.clinic,
    description: 'Care Journeys: durable workflows for at-home ketamine therapy programs',
  });
  if (options.nag) Validations.of(app).addPlugins(...nagPacks(app));
  return stack;
}

/** The rule packs every synth runs: AWS Solutions, and HIPAA Security for a system that holds PHI. */
export function nagPacks(app: App): IPolicyValidationPlugin[] {
  return [new AwsSolutionsChecks(app), new HIPAASecurityChecks(app)];
}

export function createCareJourneysApp(options: CareJourneysStackOptions & { readonly outdir?: string }): {
  app: App;
  stack: CareJourneysStack;
} {
  const app = newCareJourneysApp(options.outdir);
  return { app, stack: addCareJourneysStack(app, options) };
}
