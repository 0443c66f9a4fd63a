import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseClinicConfig, type ClinicConfig } from '../functions/platform/clinic-config.ts';

/** The file a clinic writes; kept out of the example so a clone never deploys example addresses silently. */
export const clinicConfigFileName = 'clinic.config.json';
export const exampleClinicConfigFileName = 'clinic.config.example.json';

export interface ClinicConfigLocation {
  /** the repository root the default file names are relative to */
  readonly projectRoot: string;
  /** from the CDK context `clinicConfig` (`cdk synth -c clinicConfig=path`) */
  readonly contextPath?: string | undefined;
  /** from the environment variable `CLINIC_CONFIG_FILE` */
  readonly envPath?: string | undefined;
}

export interface LoadedClinicConfig {
  readonly config: ClinicConfig;
  readonly path: string;
  /** set when the example stood in for a missing clinic.config.json */
  readonly warning: string | undefined;
}

export class ClinicConfigFileError extends Error {
  override readonly name = 'ClinicConfigFileError';
}

/**
 * Finds, reads and validates the clinic config. An explicitly named file must exist; without one, the
 * example stands in (with a warning) so `cdk synth` works on a fresh clone.
 */
export function loadClinicConfigFile(location: ClinicConfigLocation): LoadedClinicConfig {
  const explicit = location.contextPath ?? location.envPath;
  const from = (path: string) => (isAbsolute(path) ? path : resolve(location.projectRoot, path));
  if (explicit !== undefined && explicit !== '') {
    const path = from(explicit);
    if (!existsSync(path)) {
      const origin = location.contextPath !== undefined ? 'the CDK context "clinicConfig"' : 'CLINIC_CONFIG_FILE';
      throw new ClinicConfigFileError(`clinic config file ${path} (named by ${origin}) does not exist`);
    }
    return { config: readAndParse(path), path, warning: undefined };
  }
  const own = from(clinicConfigFileName);
  if (existsSync(own)) return { config: readAndParse(own), path: own, warning: undefined };
  const example = from(exampleClinicConfigFileName);
  return {
    config: readAndParse(example),
    path: example,
    warning:
      `${clinicConfigFileName} not found: using ${exampleClinicConfigFileName}, whose addresses are placeholders. ` +
      `Copy it to ${clinicConfigFileName} and fill in your clinic's values before deploying.`,
  };
}

function readAndParse(path: string): ClinicConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ClinicConfigFileError(`clinic config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseClinicConfig(raw, `clinic config file ${path}`);
}
