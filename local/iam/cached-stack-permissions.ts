import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import { repositoryRoot } from '../runtime/handler-loader.ts';
import type { RolePermissions } from './stack-permissions.ts';

/**
 * The stack's permissions, built once per change of what they are made from: loading aws-cdk-lib and
 * building the stack takes seconds, and every test file starts a clinic. The cache key hashes every input
 * of the stack (lib/, the ASL files, the function catalogue, cdk.json, the installed CDK version) and of
 * this reader, so an edited grant is seen at the next start.
 */
const inputs = ['lib', 'statemachines', 'local/iam', 'functions/catalogue.ts', 'cdk.json', 'package-lock.json'];
const cacheDir = join(repositoryRoot, 'node_modules', '.cache', 'care-journeys-iam');

export async function cachedStackPermissions(clinic: ClinicConfig, tableName: string): Promise<RolePermissions[]> {
  const hash = createHash('sha256').update(JSON.stringify({ clinic, tableName }));
  for (const file of inputs.flatMap((input) => filesUnder(join(repositoryRoot, input))))
    hash.update(file).update(readFileSync(file));
  const path = join(cacheDir, `${hash.digest('hex').slice(0, 32)}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RolePermissions[];
  } catch {
    const { stackPermissions } = await import('./stack-permissions.ts');
    const permissions = stackPermissions({ clinic, tableName });
    mkdirSync(cacheDir, { recursive: true });
    // written aside and renamed: test files start clinics in parallel processes
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(permissions));
    renameSync(temporary, path);
    return permissions;
  }
}

function filesUnder(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch {
    return [path];
  }
}
