import { describe, expect, it } from 'vitest';
import { useJourneyDriver } from './support/journey-driver.ts';
import {
  auditOf,
  branchClinicConfig,
  careTeam,
  clinicianLinkFor,
  expectPageStatus,
  fillTimesOf,
  requestRefillAtOnce,
  toMaintenance,
} from './support/journey-scenarios.ts';

const local = useJourneyDriver({ clinicConfig: branchClinicConfig });

describe('staff restart a refill cycle that ended without a fill', () => {
  it('POST /staff/patients/{id}/refill-cycles starts the next cycle by name once the last one ended, refusing while one runs', async () => {
    const d = local.driver;
    const team = careTeam(4);
    const { patient } = await toMaintenance(d, { team });
    const restart = (body: unknown) => d.staff('POST', `/staff/patients/${patient.patientId}/refill-cycles`, body);

    // cycle 1 is running (waiting for its window): no second cycle
    const whileRunning = await restart({ reason: 'patient asked by phone' });
    expect([whileRunning.status, String(whileRunning.json['error'])]).toEqual([
      409,
      'refill cycle 1 has already started',
    ]);

    // the clinician declines the refill: the cycle ends with no fill and nothing starts after it
    await requestRefillAtOnce(d, patient);
    expectPageStatus(
      await d.declineRefill(
        await clinicianLinkFor(d, patient, 'refill-approval', team.email),
        'Wants to talk about the dose first.',
      ),
      200,
      'refill declined',
    );
    expect((await d.execution(`${patient.journeyId}-refill-1`))?.status).toBe('SUCCEEDED');
    expect(await d.execution(`${patient.journeyId}-refill-2`)).toBeUndefined();

    const malformed = await restart({ reason: '' });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.json)).toContain('reason');
    expect(await d.execution(`${patient.journeyId}-refill-2`)).toBeUndefined();

    const started = await restart({ reason: 'Spoke with the patient; dose unchanged.' });
    expect([started.status, started.json['cycle'], started.json['executionName']]).toEqual([
      201,
      2,
      `${patient.journeyId}-refill-2`,
    ]);
    const audited = await auditOf(d, patient, 'refill.cycle-restarted');
    expect(audited.map((e) => [e.actor, e.reason, e.details?.['cycle']])).toEqual([
      [{ type: 'staff', id: 'local-staff' }, 'Spoke with the patient; dose unchanged.', 2],
    ]);
    const again = await restart({ reason: 'pressed twice' });
    expect([again.status, String(again.json['error'])]).toEqual([409, 'refill cycle 2 is still running']);

    // the restarted cycle runs like any other: window, request, approval, one fill
    await requestRefillAtOnce(d, patient);
    expectPageStatus(
      await d.approveRefill(await clinicianLinkFor(d, patient, 'refill-approval', team.email)),
      200,
      'refill approval',
    );
    expect((await d.journeyOf(patient.patientId)).fills.map((f) => f.cycle)).toEqual([0, 2]);
    expect(await fillTimesOf(d, patient)).toHaveLength(2);
  }, 300_000);

  it('refuses a restart before maintenance and for an unknown patient', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient({});
    const early = await d.staff('POST', `/staff/patients/${patient.patientId}/refill-cycles`, { reason: 'too soon' });
    expect([early.status, String(early.json['error'])]).toEqual([409, 'the journey is in intake, not maintenance']);
    const unknown = await d.staff('POST', '/staff/patients/nobody-here/refill-cycles', { reason: 'who?' });
    expect(unknown.status).toBe(404);
  }, 120_000);
});
