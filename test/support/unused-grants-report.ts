import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grantUsageDirVariable, unusedGrants } from '../../local/iam/grant-usage.ts';

/**
 * Vitest global setup: every local clinic of the run records which of its roles' grants were used, and at
 * the end the grants the whole run never used are printed, each with its reason to stay or none.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'care-journeys-grant-usage-'));
  process.env[grantUsageDirVariable] = dir;
  return () => {
    try {
      if (readdirSync(dir).length === 0) return;
      const unused = unusedGrants(dir);
      const lines = unused.map(
        ({ grant, reason }) =>
          `  ${grant}${reason === undefined ? '   <- unexplained: remove it, or test the path that needs it' : `   (${reason})`}`,
      );
      console.log(
        `\nIAM grants of the stack that no call in this run used: ${unused.length === 0 ? 'none' : `\n${lines.join('\n')}`}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
