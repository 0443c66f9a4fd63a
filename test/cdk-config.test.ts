import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clinicConfigFileName, exampleClinicConfigFileName, loadClinicConfigFile } from '../lib/clinic-config-file.ts';
import { handlerEntry, projectRoot } from '../lib/project-paths.ts';
import { parseRoute } from '../lib/links-api.ts';

const example = JSON.parse(readFileSync(join(projectRoot, exampleClinicConfigFileName), 'utf8')) as Record<
  string,
  unknown
>;

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'clinic-config-'));
  writeFileSync(join(folder, exampleClinicConfigFileName), JSON.stringify(example));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function write(name: string, config: unknown): void {
  writeFileSync(join(folder, name), typeof config === 'string' ? config : JSON.stringify(config));
}

describe('the clinic config at synth', () => {
  it('names the bad field when the sender address is not an email', () => {
    write(clinicConfigFileName, { ...example, senderEmail: 'not-an-address' });
    expect(() => loadClinicConfigFile({ projectRoot: folder })).toThrow(/senderEmail/);
  });

  it('names the sender address when it is not in the sender domain', () => {
    write(clinicConfigFileName, {
      ...example,
      senderEmail: 'care@elsewhere.example',
      senderDomain: 'riverside-wellness.example',
    });
    expect(() => loadClinicConfigFile({ projectRoot: folder })).toThrow(
      /senderEmail: "care@elsewhere\.example" is not an address of senderDomain "riverside-wellness\.example"/,
    );
  });

  it('names the sender domain when it is not a domain name', () => {
    write(clinicConfigFileName, {
      ...example,
      senderEmail: 'care@riverside-wellness.example',
      senderDomain: 'https://riverside-wellness.example',
    });
    expect(() => loadClinicConfigFile({ projectRoot: folder })).toThrow(/senderDomain: expected a domain name/);
  });

  it('accepts a sender address in a subdomain of the sender domain, and no domain at all (a sandbox trial)', () => {
    write(clinicConfigFileName, {
      ...example,
      senderEmail: 'care@mail.riverside-wellness.example',
      senderDomain: 'riverside-wellness.example',
    });
    expect(loadClinicConfigFile({ projectRoot: folder }).config.senderDomain).toBe('riverside-wellness.example');
    const { senderDomain: _omitted, ...addressOnly } = example;
    write(clinicConfigFileName, addressOnly);
    expect(loadClinicConfigFile({ projectRoot: folder }).config.senderDomain).toBeUndefined();
  });

  it('names the clinician whose backup does not exist', () => {
    const clinicians = [{ id: 'dr-solo', name: 'Dr. Solo', email: 'solo@example.org', backupId: 'dr-nobody' }];
    write('other.json', { ...example, clinicians });
    expect(() => loadClinicConfigFile({ projectRoot: folder, contextPath: 'other.json' })).toThrow(
      /clinicians\.0\.backupId/,
    );
  });

  it('names a field the schema does not know', () => {
    write(clinicConfigFileName, { ...example, opsEmail: 'ops@example.org' });
    expect(() => loadClinicConfigFile({ projectRoot: folder })).toThrow(/opsEmail/);
  });

  it('says which file is not JSON', () => {
    write(clinicConfigFileName, '{ "clinicName": ');
    expect(() => loadClinicConfigFile({ projectRoot: folder })).toThrow(/clinic\.config\.json is not valid JSON/);
  });

  it('refuses a named file that does not exist instead of falling back to the example', () => {
    expect(() => loadClinicConfigFile({ projectRoot: folder, envPath: 'missing.json' })).toThrow(
      /missing\.json.*CLINIC_CONFIG_FILE.*does not exist/,
    );
  });

  it('prefers the CDK context path over the environment variable', () => {
    write('from-context.json', { ...example, clinicName: 'Context Clinic' });
    write('from-env.json', { ...example, clinicName: 'Env Clinic' });
    const loaded = loadClinicConfigFile({
      projectRoot: folder,
      contextPath: 'from-context.json',
      envPath: 'from-env.json',
    });
    expect(loaded.config.clinicName).toBe('Context Clinic');
  });

  it('uses clinic.config.json when it exists, without a warning', () => {
    write(clinicConfigFileName, { ...example, clinicName: 'Own Clinic' });
    const loaded = loadClinicConfigFile({ projectRoot: folder });
    expect(loaded.config.clinicName).toBe('Own Clinic');
    expect(loaded.warning).toBeUndefined();
  });

  it('falls back to the example on a fresh clone, with a warning saying so', () => {
    const loaded = loadClinicConfigFile({ projectRoot: folder });
    expect(loaded.config.clinicName).toBe(example.clinicName);
    expect(loaded.warning).toMatch(/clinic\.config\.json not found/);
  });
});

describe('the catalogue at synth', () => {
  it('names the handler file a catalogue entry is missing', () => {
    expect(() => handlerEntry('no-such-function')).toThrow(/functions\/no-such-function\/handler\.ts does not exist/);
  });

  it('refuses a route that is not "METHOD /path"', () => {
    expect(parseRoute('ANY /staff/{proxy+}')).toEqual({ method: 'ANY', path: '/staff/{proxy+}' });
    expect(() => parseRoute('FETCH /l/{token}')).toThrow(/FETCH \/l\/\{token\}/);
    expect(() => parseRoute('/l/{token}')).toThrow(/METHOD \/path/);
  });
});
