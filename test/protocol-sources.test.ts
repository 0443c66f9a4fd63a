import { describe, expect, it } from 'vitest';
import { InvalidProtocol } from '../functions/domain/domain-errors.ts';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import { protocolSources, protocolValuePaths, sourceKinds, sourceOf } from '../functions/domain/protocol-sources.ts';
import { parseClinicConfig } from '../functions/platform/clinic-config.ts';
import { InvalidClinicConfig } from '../functions/platform/platform-errors.ts';
import { renderProtocolDoc } from '../lib/protocol-doc.ts';
import { twoClinicianClinic } from './support/domain-fixtures.ts';

describe('every protocol value carries its source', () => {
  const paths = protocolValuePaths(defaultProtocol);

  it('walks every value of the protocol, not only a few', () => {
    expect(paths.length).toBeGreaterThan(80);
    expect(paths).toContain('checkIn.bpCrisisAtOrAbove.systolic');
    expect(paths).toContain('medications.interacting.benzodiazepine');
    expect(paths).not.toContain('version');
  });

  it.each(protocolValuePaths(defaultProtocol))('%s has a kind, a citation and a one-line reason', (path) => {
    const found = sourceOf(path);
    expect(found, `no source for ${path}`).toBeDefined();
    expect(sourceKinds).toContain(found?.source.kind);
    expect(found?.source.citation.trim()).not.toBe('');
    expect(found?.source.reason.trim()).not.toBe('');
    expect(found?.source.reason).not.toMatch(/\n/);
  });

  it('has no source for a value the protocol no longer has', () => {
    const stale = Object.keys(protocolSources).filter(
      (key) => !paths.some((path) => path === key || path.startsWith(`${key}.`)),
    );
    expect(stale).toEqual([]);
  });

  it('says "clinical judgement" rather than citing a source for the values no source fixes', () => {
    for (const path of ['dose.maxMgPerKg', 'dose.firstDoseMaxMg', 'dose.maxSublingualMg']) {
      expect(sourceOf(path)?.source.kind).toBe('clinical-judgement');
      expect(sourceOf(path)?.source.citation).toMatch(/^none: clinical judgement/);
    }
    expect(sourceOf('refill.maxRefills')?.source).toMatchObject({
      kind: 'regulation',
      citation: expect.stringContaining('21 CFR 1306.22'),
    });
    expect(sourceOf('telehealth.prescribingValidUntil')?.source.citation).toContain('90 FR 61301');
    expect(sourceOf('checkIn.bpCrisisAtOrAbove.diastolic')?.source.citation).toContain('American Heart Association');
  });
});

describe("a clinic's protocol version names who approved it", () => {
  const config = (protocolOverrides: unknown) => ({ ...twoClinicianClinic, protocolOverrides });

  it.each([
    ['neither', { version: 'clinic-2027-01', dose: { firstDoseMaxMg: 200 } }, /"approvedBy" and "approvedOn" missing/],
    [
      'no approvedOn',
      { version: 'clinic-2027-01', approvedBy: 'Dr. Ana Rivera', dose: { firstDoseMaxMg: 200 } },
      /"approvedOn" missing/,
    ],
    [
      'an empty approvedBy',
      { version: 'clinic-2027-01', approvedBy: '', approvedOn: '2027-01-04' },
      /"approvedBy" missing/,
    ],
  ])('synth refuses a version with %s', (_name, overrides, message) => {
    expect(() => parseClinicConfig(config(overrides))).toThrow(InvalidClinicConfig);
    expect(() => parseClinicConfig(config(overrides))).toThrow(message);
  });

  it('refuses an approval date that is not a date, naming the field', () => {
    expect(() =>
      parseClinicConfig(
        config({ version: 'clinic-2027-01', approvedBy: 'Dr. Ana Rivera', approvedOn: 'last Tuesday' }),
      ),
    ).toThrow(/approvedOn/);
  });

  it('accepts a signed version, and the protocol in force carries the approval', () => {
    const parsed = parseClinicConfig(
      config({
        version: 'clinic-2027-01',
        approvedBy: 'Dr. Ana Rivera, medical director',
        approvedOn: '2027-01-04',
        dose: { firstDoseMaxMg: 200 },
      }),
    );
    const protocol = resolveProtocol(parsed.protocolOverrides, { requireApproval: true });
    expect(protocol).toMatchObject({
      version: 'clinic-2027-01',
      approvedBy: 'Dr. Ana Rivera, medical director',
      approvedOn: '2027-01-04',
    });
    expect(protocol.dose.firstDoseMaxMg).toBe(200);
  });

  it('a director may sign the shipped defaults under their own version name', () => {
    const protocol = resolveProtocol(
      { version: defaultProtocol.version, approvedBy: 'Dr. Ana Rivera', approvedOn: '2027-01-04' },
      { requireApproval: true },
    );
    expect(protocol.approvedBy).toBe('Dr. Ana Rivera');
    expect(() =>
      resolveProtocol({
        version: defaultProtocol.version,
        approvedBy: 'Dr. Ana Rivera',
        approvedOn: '2027-01-04',
        dose: { maxMgPerKg: 5 },
      }),
    ).toThrow(InvalidProtocol);
  });

  it('the shipped example config and a config without overrides still parse (the defaults need no signature to synth)', () => {
    expect(() => parseClinicConfig(twoClinicianClinic)).not.toThrow();
  });
});

describe('npm run protocol:doc', () => {
  it("writes one row per value with its kind and source, and marks the clinic's changes and approval", () => {
    const protocol = resolveProtocol(
      {
        version: 'clinic-2027-01',
        approvedBy: 'Dr. Ana Rivera',
        approvedOn: '2027-01-04',
        prescribing: { pdmpCheckWithinDays: 1 },
      },
      { requireApproval: true },
    );
    const doc = renderProtocolDoc(protocol);
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(protocolValuePaths(protocol).length);
    expect(doc).toContain('Version **clinic-2027-01**, approved by Dr. Ana Rivera on 2027-01-04.');
    expect(doc).not.toContain('**missing**');
    expect(rows.find((row) => row.startsWith('| `prescribing.pdmpCheckWithinDays`'))).toMatch(
      /^\| `prescribing\.pdmpCheckWithinDays` \| 1 \*\(clinic\)\* \| 7 \| Regulation \|/,
    );
    expect(rows.find((row) => row.startsWith('| `refill.maxRefills`'))).toContain('21 CFR 1306.22');
  });

  it('says when the version in force is the unapproved defaults', () => {
    expect(renderProtocolDoc(defaultProtocol)).toContain(
      'the shipped defaults: not yet approved by a medical director',
    );
  });
});
