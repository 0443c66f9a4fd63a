import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { protocolOf } from '../functions/platform/clinic-config.ts';
import { loadClinicConfigFile } from '../lib/clinic-config-file.ts';
import { projectRoot } from '../lib/project-paths.ts';
import { renderProtocolDoc } from '../lib/protocol-doc.ts';

/**
 * `npm run protocol:doc [-- <output>]`: writes the protocol in force (the clinic config as synth reads it:
 * `CLINIC_CONFIG_FILE`, else clinic.config.json, else the example) as a table, to docs/protocol.md by default.
 */
const loaded = loadClinicConfigFile({ projectRoot, envPath: process.env['CLINIC_CONFIG_FILE'] });
if (loaded.warning !== undefined) console.warn(loaded.warning);
const output = resolve(projectRoot, process.argv[2] ?? 'docs/protocol.md');
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, renderProtocolDoc(protocolOf(loaded.config)));
console.log(`protocol table written to ${output} (from ${loaded.path})`);
