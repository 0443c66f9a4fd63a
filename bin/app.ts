import { addCareJourneysStack, newCareJourneysApp } from '../lib/care-journeys-app.ts';
import { loadClinicConfigFile } from '../lib/clinic-config-file.ts';
import { projectRoot } from '../lib/project-paths.ts';

const app = newCareJourneysApp();
const loaded = loadClinicConfigFile({
  projectRoot,
  contextPath: app.node.tryGetContext('clinicConfig') as string | undefined,
  envPath: process.env.CLINIC_CONFIG_FILE,
});
if (loaded.warning !== undefined) console.warn(`WARNING: ${loaded.warning}`);
addCareJourneysStack(app, { clinic: loaded.config, nag: true });
app.synth();
