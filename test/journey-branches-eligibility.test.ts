import { describe, expect, it } from 'vitest';
import { phiIn, useJourneyDriver, type EnrolledPatient } from './support/journey-driver.ts';
import { HOUR_MS as HOUR, SECOND_MS as SECOND } from '../functions/domain/durations.ts';

/**
 * The eligibility branches on the local clinic, through the same doors as the happy path: an absolute
 * exclusion ends the journey before any clinician decision; a relative one needs a written override
 * reason to approve, or can be declined; an approval nobody gives expires as "not approved", with the
 * reminder at 24 h and the backup clinician at 48 h.
 */
const local = useJourneyDriver();

const clinician = 'ana.rivera@example.org';
const backupClinician = 'wei.chen@example.org';
const contactUs = 'Please get in touch with us';

async function closedJourney(patient: EnrolledPatient) {
  const view = await local.driver.journeyOf(patient.patientId);
  const execution = await local.driver.execution(`journey-${patient.journeyId}`);
  return { view, execution };
}

describe('an absolute exclusion', () => {
  it('makes the patient INELIGIBLE: the journey closes, the patient is asked to contact the clinic, no clinician is asked to approve', async () => {
    const d = local.driver;
    const clinicianEmailsBefore = (await d.emailsTo(clinician)).length;
    const patient = await d.throughScreening({ intake: { conditions: ['opioid-use-disorder'] } });

    const { view, execution } = await closedJourney(patient);
    expect(view.screenings.map((s) => s.outcome)).toEqual(['INELIGIBLE']);
    expect(view.screenings[0]?.reasons?.map((r) => r.code)).toContain('opioid-use-disorder');
    expect(view.journey.phase).toBe('ineligible');
    expect(view.journey.status).toBe('closed');
    expect(execution?.status).toBe('SUCCEEDED');

    const toPatient = await d.emailsTo(patient.email);
    expect(toPatient.filter((e) => e.subject === contactUs)).toHaveLength(1);
    for (const email of toPatient) expect(phiIn(email, patient.lastName)).toEqual([]);
    // consult booking and evaluation only: no eligibility decision was ever asked for
    const asked = (await d.linkPagesFor(clinician)).filter(
      (p) => p.purpose === 'eligibility' && p.email.to.includes(clinician),
    );
    expect(asked.filter((p) => p.html.includes(patient.lastName))).toEqual([]);
    expect((await d.emailsTo(clinician)).length - clinicianEmailsBefore).toBe(2);

    const screening = view.audit.find((e) => e.action === 'screening.decided');
    expect(screening?.reason).toMatch(/^INELIGIBLE/);
    expect(screening?.protocolVersion).toBe(view.screenings[0]?.protocolVersion);
  });

  it('makes the patient INELIGIBLE for a resting blood pressure of 165/102', async () => {
    const patient = await local.driver.throughScreening({ intake: { restingBp: [{ systolic: 165, diastolic: 102 }] } });
    const { view } = await closedJourney(patient);
    expect(view.screenings.map((s) => s.outcome)).toEqual(['INELIGIBLE']);
    expect(view.journey.phase).toBe('ineligible');
  });
});

describe('a relative contraindication (NEEDS_REVIEW)', () => {
  // AUDIT-C 3 for a woman is at the review threshold
  const review = { intake: { auditC: [2, 1, 0] } };

  it('cannot be approved without a written reason, and is approved with one: the reason is audited and the plan is asked for', async () => {
    const d = local.driver;
    const patient = await d.throughScreening(review);
    const before = await d.journeyOf(patient.patientId);
    expect(before.screenings.map((s) => s.outcome)).toEqual(['NEEDS_REVIEW']);

    const link = await d.latestLinkFor(clinician, 'eligibility', { mentioning: patient.lastName });
    expect(link.html).toContain(patient.lastName);
    const refused = await d.decideEligibility(link, 'approve');
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Override reason: write why approving is acceptable');
    // nothing was decided: the same link still opens
    expect((await d.openLink(link.url)).status).toBe(200);

    const reason = 'Drinks socially; reviewed at the consult and agreed to abstain during induction.';
    const approved = await d.decideEligibility(link, { override: reason });
    expect(approved.status).toBe(200);
    const after = await d.journeyOf(patient.patientId);
    const decision = after.audit.find((e) => e.action === 'step.decided' && e.details?.['purpose'] === 'eligibility');
    expect(decision?.reason).toBe(`eligibility approved with an override: ${reason}`);
    expect(decision?.protocolVersion).toBe(after.screenings[0]?.protocolVersion);
    expect((await d.latestLinkFor(clinician, 'treatment-plan', { mentioning: patient.lastName })).url).toMatch(
      /\/c\/[A-Za-z0-9_-]{43}$/,
    );
  });

  it('can be declined: the journey closes as declined and the patient is asked to contact the clinic', async () => {
    const d = local.driver;
    const patient = await d.throughScreening(review);
    const declined = await d.decideEligibility(
      await d.latestLinkFor(clinician, 'eligibility', { mentioning: patient.lastName }),
      'decline',
    );
    expect(declined.status).toBe(200);
    const { view, execution } = await closedJourney(patient);
    expect(view.journey.phase).toBe('declined');
    expect(execution?.status).toBe('SUCCEEDED');
    expect((await d.emailsTo(patient.email)).filter((e) => e.subject === contactUs)).toHaveLength(1);
    expect(view.treatmentPlans).toEqual([]);
  });
});

describe('an eligibility approval nobody gives', () => {
  it('reminds the clinician at 24 h, passes it to the backup clinician at 48 h and expires at 72 h as not approved', async () => {
    const d = local.driver;
    const patient = await d.throughScreening();
    const asked = await d.latestLinkFor(clinician, 'eligibility', { mentioning: patient.lastName });
    const askedAt = d.now();
    const count = async (address: string, subject: RegExp) =>
      (await d.emailsTo(address)).filter((e) => subject.test(e.subject)).length;
    const reminder = /^Reminder: eligibility decision due by /;
    const passed = /^Passed to you: eligibility decision due by /;

    const remindersBefore = await count(clinician, reminder);
    await d.advanceTo(new Date(askedAt.getTime() + 24 * HOUR - SECOND));
    expect(await count(clinician, reminder)).toBe(remindersBefore);
    await d.advanceTo(new Date(askedAt.getTime() + 24 * HOUR));
    expect(await count(clinician, reminder)).toBe(remindersBefore + 1);

    const passedBefore = await count(backupClinician, passed);
    await d.advanceTo(new Date(askedAt.getTime() + 48 * HOUR - SECOND));
    expect(await count(backupClinician, passed)).toBe(passedBefore);
    await d.advanceTo(new Date(askedAt.getTime() + 48 * HOUR));
    expect(await count(backupClinician, passed)).toBe(passedBefore + 1);
    const backupLink = await d.latestLinkFor(backupClinician, 'eligibility', { mentioning: patient.lastName });
    expect(backupLink.html).toContain(patient.lastName);

    await d.advanceTo(new Date(askedAt.getTime() + 72 * HOUR - SECOND));
    expect((await d.journeyOf(patient.patientId)).journey.status).toBe('active');
    await d.advanceTo(new Date(askedAt.getTime() + 72 * HOUR));
    const { view, execution } = await closedJourney(patient);
    expect(view.journey.status).toBe('closed');
    expect(view.journey['closedReason']).toBe('eligibility-decision-expired');
    expect(execution?.status).toBe('SUCCEEDED');
    // never approved: no plan was asked for, and neither link decides anything any more
    expect(view.treatmentPlans).toEqual([]);
    expect(view.audit.filter((e) => e.action === 'step.decided' && e.details?.['purpose'] === 'eligibility')).toEqual(
      [],
    );
    expect((await d.openLink(asked.url)).status).toBe(410);
    expect((await d.openLink(backupLink.url)).status).toBe(410);
    const planLinks = (await d.linkPagesFor(clinician)).filter(
      (p) => p.purpose === 'treatment-plan' && p.html.includes(patient.lastName),
    );
    expect(planLinks).toEqual([]);
    expect(view.audit.some((e) => e.action === 'step.expired' && /not done/.test(String(e.reason)))).toBe(true);
  });
});
