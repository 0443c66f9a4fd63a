import { describe, expect, it } from 'vitest';
import { phiIn, useJourneyDriver } from './support/journey-driver.ts';
import {
  auditOf,
  awaitRefillRequest,
  branchClinicConfig,
  careTeam,
  clinicianLinkFor,
  expectPageStatus,
  fillTimesOf,
  recordClinicianCheckIn,
  refillOnce,
  toMaintenance,
} from './support/journey-scenarios.ts';

const local = useJourneyDriver({ clinicConfig: branchClinicConfig });

describe('refill caps through the flow', () => {
  it('the 6th refill is refused for good: five refills are filled 28 days apart, the sixth request asks no clinician and records no fill', async () => {
    const d = local.driver;
    const team = careTeam(1);
    const { patient } = await toMaintenance(d, { team });
    for (let refill = 1; refill <= 5; refill += 1) {
      // more than 90 days without a session needs a clinician's check-in first: the clinic records one
      // before the 4th refill, which covers the 90 days up to the 6th request
      if (refill === 4) await recordClinicianCheckIn(d, patient);
      await refillOnce(d, patient, team);
    }
    const fills = await fillTimesOf(d, patient);
    expect(fills).toHaveLength(6);

    const request = await awaitRefillRequest(d, patient);
    await d.recordPdmpCheck(patient.patientId);
    const mark = await d.mark();
    expectPageStatus(await d.requestRefill(request), 200, 'sixth refill request');

    const [decision] = (await auditOf(d, patient, 'refill.gate-decided')).filter((e) => e.details?.['cycle'] === 6);
    expect(decision?.details?.['reasonCodes']).toContain('REFILLS_EXHAUSTED');
    expect(decision?.details?.['reasonCodes']).not.toContain('CLINICIAN_CHECK_IN_NEEDED');
    expect(decision?.reason).toContain('this would be refill 6; the protocol allows 5');
    expect(decision?.details?.['retryable']).toBe(false);
    expect(decision?.protocolVersion).toEqual(expect.any(String));
    const notices = (await d.emailsSince(mark)).filter((email) => email.to.includes(team.email));
    expect(notices).toHaveLength(1);
    expect(phiIn(notices[0] as (typeof notices)[number], patient.lastName)).toEqual([]);

    // a week later: no approval asked, still six fills, and no seventh cycle
    await d.advanceBy(7 * 24 * 3600);
    await expect(clinicianLinkFor(d, patient, 'refill-approval', team.email)).rejects.toThrow(
      /no open refill-approval link/,
    );
    expect(await fillTimesOf(d, patient)).toHaveLength(6);
    expect((await d.execution(`${patient.journeyId}-refill-6`))?.status).toBe('SUCCEEDED');
    expect(await d.execution(`${patient.journeyId}-refill-7`)).toBeUndefined();
  }, 600_000);

  it('a clinician check-in with a malformed body is refused naming the field, and nothing is written', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient();
    const before = await d.journeyOf(patient.patientId);
    const answer = await d.staff('POST', `/staff/patients/${patient.patientId}/clinician-check-ins`, {
      notes: 'Phone call.',
      modality: 'phone',
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).toMatch(/modality/);
    const after = await d.journeyOf(patient.patientId);
    expect(after.evaluations).toEqual(before.evaluations);
    expect(after.audit).toHaveLength(before.audit.length);
  });
});
