import { addCareJourneysStack, newCareJourneysApp } from '../lib/care-journeys-app.ts';
import { loadClinicConfigFile } from '../lib/clinic-config-file.ts';
import { projectRoot } from '../lib/project-paths.ts';

/** Errors that tell the clinic engineer what to fix; a stack trace would only bury the sentence. */
const explainedErrors = new Set([
  'ClinicConfigFileError',
  'InvalidClinicConfig',
  'ClinicConfigTooLargeError',
  'MissingSourceFileError',
  'DefinitionPlaceholderError',
  'InvalidRouteError',
]);

try {
  const app = newCareJourneysApp();
  const loaded = loadClinicConfigFile({
    projectRoot,
    contextPath: app.node.tryGetContext('clinicConfig') as string | undefined,
    envPath: process.env.CLINIC_CONFIG_FILE,
  });
  if (loaded.warning !== undefined) console.warn(`WARNING: ${loaded.warning}`);
  addCareJourneysStack(app, { clinic: loaded.config, nag: true });
  app.synth();
} catch (error) {
  if (!(error instanceof Error) || !explainedErrors.has(error.name)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
}
