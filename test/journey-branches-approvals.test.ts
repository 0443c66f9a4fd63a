import { describe, expect, it } from 'vitest';
import { phiIn, useJourneyDriver, type EnrolledPatient, type JourneyDriver } from './support/journey-driver.ts';
import {
  auditOf,
  branchClinicConfig,
  careTeam,
  clinicianLinkFor,
  expectPageStatus,
  HOUR,
  later,
  mainText,
  MINUTE,
  stepRequestedAt,
  toTreatmentPlan,
  type CareTeam,
} from './support/journey-scenarios.ts';

const local = useJourneyDriver({ clinicConfig: branchClinicConfig });

/** The emails of this patient's care: to them, their clinician or the backup. */
async function careEmailsSince(d: JourneyDriver, mark: number, patient: EnrolledPatient, team: CareTeam) {
  return (await d.emailsSince(mark)).filter((email) =>
    [patient.email, team.email, team.backupEmail].some((to) => email.to.includes(to)),
  );
}

describe('a clinician approval that nobody gives', () => {
  it('a treatment plan approval that expires is "not approved": reminder at 24 h, the backup clinician at 48 h, and at 72 h the journey closes without a session', async () => {
    const d = local.driver;
    const team = careTeam(1);
    const patient = await toTreatmentPlan(d, { team });
    const first = await clinicianLinkFor(d, patient, 'treatment-plan', team.email);
    const askedAt = await stepRequestedAt(d, patient, 'treatment-plan-1');
    const mark = await d.mark();

    await d.advanceTo(later(askedAt, 24 * HOUR - MINUTE));
    expect(await careEmailsSince(d, mark, patient, team)).toEqual([]);
    await d.advanceTo(later(askedAt, 24 * HOUR + MINUTE));
    expect((await careEmailsSince(d, mark, patient, team)).map((e) => [e.to.join(), e.subject])).toEqual([
      [team.email, expect.stringMatching(/^Reminder: plan approval due by /)],
    ]);

    await d.advanceTo(later(askedAt, 48 * HOUR - MINUTE));
    expect((await careEmailsSince(d, mark, patient, team)).filter((e) => e.to.includes(team.backupEmail))).toEqual([]);
    await d.advanceTo(later(askedAt, 48 * HOUR + MINUTE));
    expect((await careEmailsSince(d, mark, patient, team)).filter((e) => e.to.includes(team.backupEmail))).toHaveLength(
      1,
    );
    const backup = await clinicianLinkFor(d, patient, 'treatment-plan', team.backupEmail);
    expect((await d.openLink(first.url)).status).toBe(200);

    await d.advanceTo(later(askedAt, 72 * HOUR + MINUTE));
    const view = await d.journeyOf(patient.patientId);
    expect(view.treatmentPlans).toEqual([]);
    expect(view.sessions).toEqual([]);
    expect(view.fills).toEqual([]);
    expect(view.journey.status).toBe('closed');
    expect((await auditOf(d, patient, 'journey.closed')).map((e) => e.reason)).toEqual(['plan-not-approved']);
    expect((await d.execution(patient.executionName))?.status).toBe('SUCCEEDED');
    for (const email of await careEmailsSince(d, mark, patient, team))
      expect(phiIn(email, patient.lastName)).toEqual([]);

    // expiry is never an approval: both links are gone, and a late POST records nothing
    expect((await d.openLink(first.url)).status).toBe(410);
    expect((await d.openLink(backup.url)).status).toBe(410);
    expect((await d.approvePlan(backup)).status).toBe(410);
    expect((await d.journeyOf(patient.patientId)).treatmentPlans).toEqual([]);
  });

  it("the backup clinician's link approves the plan after 48 h; the first clinician's link then says who already decided", async () => {
    const d = local.driver;
    const team = careTeam(2);
    const patient = await toTreatmentPlan(d, { team });
    const first = await clinicianLinkFor(d, patient, 'treatment-plan', team.email);
    const askedAt = await stepRequestedAt(d, patient, 'treatment-plan-1');
    await d.advanceTo(later(askedAt, 48 * HOUR + MINUTE));

    const backup = await clinicianLinkFor(d, patient, 'treatment-plan', team.backupEmail);
    expect(backup.url).not.toBe(first.url);
    expectPageStatus(await d.approvePlan(backup), 200, 'plan approval by the backup');
    const view = await d.journeyOf(patient.patientId);
    expect(view.treatmentPlans).toHaveLength(1);
    expect(view.treatmentPlans[0]?.['approvedBy']).toBe('dr-backup-2');
    expect(view.journey.phase).toBe('induction');

    const late = await d.approvePlan(first);
    expect(late.status).toBe(409);
    expect(mainText(late.html)).toMatch(/already decided by .*Backup 2/);
    expect((await d.journeyOf(patient.patientId)).treatmentPlans).toHaveLength(1);
  });

  it("the first clinician's link still decides after the backup was asked, until expiry", async () => {
    const d = local.driver;
    const team = careTeam(3);
    const patient = await toTreatmentPlan(d, { team });
    const first = await clinicianLinkFor(d, patient, 'treatment-plan', team.email);
    const askedAt = await stepRequestedAt(d, patient, 'treatment-plan-1');
    await d.advanceTo(later(askedAt, 60 * HOUR));
    const backup = await clinicianLinkFor(d, patient, 'treatment-plan', team.backupEmail);

    expectPageStatus(await d.approvePlan(first), 200, 'plan approval on the first link');
    const view = await d.journeyOf(patient.patientId);
    expect(view.treatmentPlans.map((plan) => plan['approvedBy'])).toEqual([team.clinicianId]);
    expect((await d.approvePlan(backup)).status).toBe(409);
    expect((await d.journeyOf(patient.patientId)).treatmentPlans).toHaveLength(1);
  });
});

describe('out-of-order events are refused with a named reason and change nothing', () => {
  it('an approval for a step already decided: a second eligibility POST and a second staff evaluation', async () => {
    const d = local.driver;
    const team = careTeam(4);
    const patient = await toTreatmentPlan(d, { team });
    const eligibility = (await d.linkPagesFor(team.email)).find((page) => page.purpose === 'eligibility');
    if (eligibility === undefined) throw new Error('no eligibility link was emailed');
    const before = await d.journeyOf(patient.patientId);

    // the same clinician changes their mind on the used link
    const again = await d.decideEligibility(eligibility, 'decline');
    expect(again.status).toBe(409);
    expect(mainText(again.html)).toMatch(/already decided by you at /);

    // the clinic records the consult evaluation a second time
    const evaluation = await d.recordEvaluation(patient.patientId, { notes: 'Recorded twice by mistake.' });
    expect(evaluation.status).toBe(409);
    expect(JSON.stringify(evaluation.json)).toMatch(/consult evaluation was already decided/);

    const after = await d.journeyOf(patient.patientId);
    expect(after.audit).toHaveLength(before.audit.length);
    expect(after.journey).toEqual(before.journey);
    expect(after.evaluations).toEqual(before.evaluations);
    await clinicianLinkFor(d, patient, 'treatment-plan', team.email);
  });
});
