import { Validations, type IPolicyValidationPlugin, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClinicConfig } from '../functions/platform/clinic-config.ts';
import { addCareJourneysStack, nagPacks, newCareJourneysApp } from '../lib/care-journeys-app.ts';

const clinic = parseClinicConfig(
  JSON.parse(readFileSync(new URL('../clinic.config.example.json', import.meta.url), 'utf8')),
);

const reports: Array<{ pack: string; report: PolicyValidationPluginReport }> = [];
const acknowledgements: Array<{ path: string; id: string; reason: string }> = [];
let outdir: string;
let synthError: unknown;

/** Passes the pack's verdict through unchanged, keeping a copy for the assertions. */
function recorded(pack: IPolicyValidationPlugin): IPolicyValidationPlugin {
  return {
    name: pack.name,
    ...(pack.version !== undefined ? { version: pack.version } : {}),
    ...(pack.ruleIds !== undefined ? { ruleIds: pack.ruleIds } : {}),
    validate(context) {
      const report = pack.validate(context);
      reports.push({ pack: pack.name, report });
      return report;
    },
  };
}

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'care-journeys-nag-'));
  const app = newCareJourneysApp(outdir);
  addCareJourneysStack(app, { clinic, nag: false });
  Validations.of(app).addPlugins(...nagPacks(app).map(recorded));
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        acknowledgements.push({ path: construct.node.path, id, reason });
      }
    }
  }
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('cdk-nag at synth', () => {
  it('runs both the AwsSolutions and the HIPAA Security packs', () => {
    expect(reports.map((entry) => entry.pack).sort()).toEqual(['AwsSolutions', 'HIPAA.Security']);
  });

  it('finds no unacknowledged rule in either pack, and synth succeeds', () => {
    const findings = reports.flatMap(({ report }) =>
      report.violations.map((violation) => {
        // cdk-nag names the construct path, which says more than the logical id it leaves empty.
        const where = violation.violatingResources.map(
          (resource) => (resource as { constructPath?: string }).constructPath ?? resource.resourceLogicalId,
        );
        return `${violation.ruleName}: ${where.join(', ')}`;
      }),
    );
    expect(findings).toEqual([]);
    expect(reports.every(({ report }) => report.success)).toBe(true);
    expect(synthError).toBeUndefined();
  });

  it('acknowledges each finding on the resource it concerns, with a reason a reviewer can check', () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      expect(acknowledgement.path, acknowledgement.id).not.toBe('CareJourneys');
      expect(acknowledgement.reason.length, `${acknowledgement.path} ${acknowledgement.id}`).toBeGreaterThanOrEqual(60);
    }
  });
});
