import { formatInZone } from '../functions/pages/format-time.ts';
import { describe, expect, it } from 'vitest';
import type { LinkPurpose } from '../functions/domain/schemas/link.ts';
import { useJourneyDriver, type EnrolledPatient, type JourneyDriver, type LinkPage } from './support/journey-driver.ts';
import {
  auditOf,
  clinicianEmail,
  clinicianLinkFor,
  completeSession,
  DAY,
  emailsTo,
  expectPageStatus,
  HOUR,
  later,
  MINUTE,
  plannedStartOf,
  requestRefillAtOnce,
  toInduction,
  toTreatmentPlan,
} from './support/journey-scenarios.ts';

/**
 * Paths through a clinical hold and back, through restarts and through misses, on the local clinic through
 * the real doors: each waiting step is asked again after a resume (a new link, a new execution name, so the
 * journey never fails on a name already used), fills count fills, notices say only what happened, missed
 * check-ins stop after the protocol's count, and a journey closed by an undone decision tells the patient.
 */
const local = useJourneyDriver();

const RESUME_NOTE = 'Reviewed by phone today; safe to continue.';

async function hold(d: JourneyDriver, patient: EnrolledPatient): Promise<LinkPage> {
  expect(
    (
      await d.reportAdverseEvent(patient.patientId, {
        kind: 'severe-side-effect',
        description: 'Fainted at home; seen in urgent care.',
      })
    ).status,
  ).toBe(201);
  return clinicianLinkFor(d, patient, 'hold-decision');
}

/** No execution of this patient's journey ended in failure: the paths here are all meant to go on. */
async function expectNoFailedExecution(d: JourneyDriver, patient: EnrolledPatient): Promise<void> {
  const failed = (await d.executions()).filter(
    (e) => e.name.includes(patient.journeyId) && ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(e.status ?? ''),
  );
  expect(failed.map((e) => `${e.name}: ${e.status}`)).toEqual([]);
}

async function resumeAndAwait(
  d: JourneyDriver,
  patient: EnrolledPatient,
  holdLink: LinkPage,
  purpose: LinkPurpose,
  address: string,
  before: LinkPage,
): Promise<LinkPage> {
  expectPageStatus(await d.decideHold(holdLink, 'RESUME', RESUME_NOTE), 200, 'resume');
  const again = await d.awaitLink(address, purpose, {
    withinSeconds: 24 * 3600,
    ...(address === patient.email ? {} : { mentioning: patient.lastName }),
  });
  expect(again.url).not.toBe(before.url);
  expect((await d.openLink(before.url)).status).not.toBe(200);
  return again;
}

describe('a hold, then resume, at each step before treatment: the step is asked again and the journey goes on', () => {
  it('during the intake: only resume or discharge are offered, and resuming asks for the intake again', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient();
    const intake = await d.latestLinkFor(patient.email, 'intake');
    const holdLink = await hold(d, patient);
    // a new plan before eligibility would skip it: refused, nothing recorded
    const newPlan = await d.decideHold(holdLink, 'NEW_PLAN');
    expect([
      newPlan.status,
      newPlan.html.includes('Please use one of the buttons at the end of the form to decide'),
    ]).toEqual([400, true]);

    const again = await resumeAndAwait(d, patient, holdLink, 'intake', patient.email, intake);
    expectPageStatus(await d.submitIntake(again), 200, 'intake after the resume');
    await d.settle();
    expect((await d.journeyOf(patient.patientId)).journey.phase).toBe('consult');
    expect((await d.execution(`journey-${patient.journeyId}`))?.status).toBe('RUNNING');
    await expectNoFailedExecution(d, patient);
  });

  it('while the eligibility decision waits: eligibility is screened and asked again within a day, then approved', async () => {
    const d = local.driver;
    const patient = await d.throughScreening();
    const first = await clinicianLinkFor(d, patient, 'eligibility');
    const holdLink = await hold(d, patient);
    const again = await resumeAndAwait(d, patient, holdLink, 'eligibility', clinicianEmail, first);
    expectPageStatus(await d.decideEligibility(again, 'approve'), 200, 'eligibility after the resume');
    await clinicianLinkFor(d, patient, 'treatment-plan');
    const names = (
      await d.executions({ stateMachine: 'person-action', namePrefix: `${patient.journeyId}-eligibility` })
    ).map((e) => [e.name, e.status]);
    expect(names).toEqual(
      expect.arrayContaining([
        [`${patient.journeyId}-eligibility-1`, 'SUCCEEDED'],
        [`${patient.journeyId}-eligibility-2`, 'SUCCEEDED'],
      ]),
    );
    await expectNoFailedExecution(d, patient);
  });

  it('while the treatment plan waits: the plan is asked again and its approval starts the induction', async () => {
    const d = local.driver;
    const patient = await toTreatmentPlan(d);
    const first = await clinicianLinkFor(d, patient, 'treatment-plan');
    const holdLink = await hold(d, patient);
    const again = await resumeAndAwait(d, patient, holdLink, 'treatment-plan', clinicianEmail, first);
    expectPageStatus(await d.approvePlan(again), 200, 'plan after the resume');
    await d.settle();
    expect((await d.journeyOf(patient.patientId)).journey.phase).toBe('induction');
    await expectNoFailedExecution(d, patient);
  });
});

describe('a hold, then resume, after treatment began', () => {
  it('while the follow-up decision waits: the decision is asked again, and maintenance starts', async () => {
    const d = local.driver;
    const { patient, plan } = await toInduction(d);
    for (let n = 1; n <= plan.sessionCount; n += 1)
      await completeSession(d, patient, n, n === 2 || n === plan.sessionCount);
    await d.advanceTo(plan.followUpAt);
    const first = await clinicianLinkFor(d, patient, 'follow-up-decision');
    const holdLink = await hold(d, patient);
    const again = await resumeAndAwait(d, patient, holdLink, 'follow-up-decision', clinicianEmail, first);
    expectPageStatus(await d.decideFollowUp(again, 'MAINTENANCE'), 200, 'follow-up after the resume');
    await d.settle();
    expect((await d.journeyOf(patient.patientId)).journey.phase).toBe('maintenance');
    expect((await d.execution(`${patient.journeyId}-refill-1`))?.status).toBe('RUNNING');
    await expectNoFailedExecution(d, patient);
  }, 180_000);

  it('while a refill approval waits: the patient asks again, the approval is asked again, and one fill is made', async () => {
    const d = local.driver;
    const { patient, plan } = await toInduction(d);
    for (let n = 1; n <= plan.sessionCount; n += 1)
      await completeSession(d, patient, n, n === 2 || n === plan.sessionCount);
    await d.advanceTo(plan.followUpAt);
    expectPageStatus(
      await d.decideFollowUp(await clinicianLinkFor(d, patient, 'follow-up-decision'), 'MAINTENANCE'),
      200,
      'follow-up',
    );
    // the follow-up came more than 28 days after the first fill: the gate passes at once
    await requestRefillAtOnce(d, patient);
    const first = await clinicianLinkFor(d, patient, 'refill-approval');
    const holdLink = await hold(d, patient);
    expectPageStatus(await d.decideHold(holdLink, 'RESUME', RESUME_NOTE), 200, 'resume');
    // the cycle plans its window again: the request link comes at once (the window is open)
    const request = await d.awaitLink(patient.email, 'refill-request', { withinSeconds: 24 * 3600 });
    await d.recordPdmpCheck(patient.patientId);
    expectPageStatus(await d.requestRefill(request), 200, 'refill request after the resume');
    const again = await d.awaitLink(clinicianEmail, 'refill-approval', {
      withinSeconds: 24 * 3600,
      mentioning: patient.lastName,
    });
    expect(again.url).not.toBe(first.url);
    expectPageStatus(await d.approveRefill(again), 200, 'refill approval after the resume');
    const fills = (await d.journeyOf(patient.patientId)).fills;
    expect(fills.map((f) => [f.cycle, f['fillNumber']])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    await expectNoFailedExecution(d, patient);
  }, 240_000);
});

describe('refills count fills, and notices say only what happened', () => {
  it('a restarted cycle keeps the patient’s one refill: the fill after the restart is refill 1, fill 2', async () => {
    const d = local.driver;
    const { patient, plan } = await toInduction(d, { plan: { refillsAllowed: 1 } });
    for (let n = 1; n <= plan.sessionCount; n += 1)
      await completeSession(d, patient, n, n === 2 || n === plan.sessionCount);
    await d.advanceTo(plan.followUpAt);
    expectPageStatus(
      await d.decideFollowUp(await clinicianLinkFor(d, patient, 'follow-up-decision'), 'MAINTENANCE'),
      200,
      'follow-up',
    );
    // cycle 1's request goes unanswered (its link lasts until 7 days after the fill fell due): no fill
    await d.awaitLink(patient.email, 'refill-request', { withinSeconds: 24 * 3600 });
    await d.advanceTo(later(d.now(), 11 * DAY));
    expect((await d.execution(`${patient.journeyId}-refill-1`))?.status).toBe('SUCCEEDED');
    const restarted = await d.staff('POST', `/staff/patients/${patient.patientId}/refill-cycles`, {
      reason: 'Patient called; missed the form.',
    });
    expect([restarted.status, restarted.json['cycle']]).toEqual([201, 2]);

    const request = await d.awaitLink(patient.email, 'refill-request', { withinSeconds: 24 * 3600 });
    await d.recordPdmpCheck(patient.patientId);
    expectPageStatus(await d.requestRefill(request), 200, 'refill request');
    const gate = (await auditOf(d, patient, 'refill.gate-decided')).at(-1);
    expect([gate?.details?.['cycle'], gate?.details?.['refillNumber']]).toEqual([2, 1]);
    expectPageStatus(await d.approveRefill(await clinicianLinkFor(d, patient, 'refill-approval')), 200, 'approval');
    const fills = (await d.journeyOf(patient.patientId)).fills;
    expect(fills.map((f) => [f.cycle, f['fillNumber']])).toEqual([
      [0, 1],
      [2, 2],
    ]);
    expect((await auditOf(d, patient, 'refill.refused')).filter((e) => e.details?.['atFill'] === true)).toEqual([]);
  }, 240_000);

  it('a refill the gate refuses for good tells the clinician the gate’s reasons, never that they approved it', async () => {
    const d = local.driver;
    const { patient, plan } = await toInduction(d, { plan: { refillsAllowed: 0 } });
    for (let n = 1; n <= plan.sessionCount; n += 1)
      await completeSession(d, patient, n, n === 2 || n === plan.sessionCount);
    await d.advanceTo(plan.followUpAt);
    expectPageStatus(
      await d.decideFollowUp(await clinicianLinkFor(d, patient, 'follow-up-decision'), 'MAINTENANCE'),
      200,
      'follow-up',
    );
    const mark = await d.mark();
    await requestRefillAtOnce(d, patient);
    await d.settle();
    const notices = (await d.linkPagesFor(clinicianEmail)).filter(
      (p) => p.purpose === 'notice' && p.html.includes(patient.lastName) && p.html.includes('Refill cycle 1'),
    );
    expect(notices).toHaveLength(1);
    const text = notices[0]?.html ?? '';
    expect(text).toContain('the refill gate refused the request; refills end until the clinician reviews');
    expect(text).toContain('this would be refill 1; the prescription allows 0');
    expect(text).not.toContain('approved');
    expect(
      emailsTo(await d.emailsSince(mark), clinicianEmail).filter((e) => /decision is waiting/i.test(e.subject)),
    ).toEqual([]);
    await expectNoFailedExecution(d, patient);
  }, 240_000);
});

describe('missed check-ins', () => {
  it('the next attempt keeps the plan’s local time; after 3 misses no more links, and the clinician decides to try again', async () => {
    const d = local.driver;
    const { patient } = await toInduction(d);
    const tz = patient.timeZone;
    const localTimeOf = (at: Date) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(at);
    const planned = await plannedStartOf(d, patient, 1);
    const starts = [planned];
    for (let miss = 1; miss <= 3; miss += 1) {
      const start = starts.at(-1) as Date;
      await d.advanceTo(later(start, -2 * HOUR));
      await d.latestLinkFor(patient.email, 'check-in');
      await d.advanceTo(later(start, HOUR + MINUTE));
      if (miss < 3) starts.push(await plannedStartOf(d, patient, 1));
    }
    // each attempt the next day, at the plan's own local time (not an hour later each day)
    expect(starts.map(localTimeOf)).toEqual([localTimeOf(planned), localTimeOf(planned), localTimeOf(planned)]);
    expect(starts.map((s) => s.getTime() - planned.getTime())).toEqual([0, DAY, 2 * DAY]);

    // after the third miss: no further check-in link, the clinician is asked
    const mark = await d.mark();
    const decision = await d.awaitLink(clinicianEmail, 'missed-check-ins', {
      withinSeconds: 3600,
      mentioning: patient.lastName,
    });
    expect(decision.html).toContain('missed the check-in for session 1 3 times');
    await d.advanceTo(later(d.now(), 3 * DAY));
    expect(emailsTo(await d.emailsSince(mark), patient.email)).toEqual([]);

    expectPageStatus(await d.submitForm(decision, [['decision', 'TRY_AGAIN']]), 200, 'try again');
    const next = await plannedStartOf(d, patient, 1);
    expect(localTimeOf(next)).toBe(localTimeOf(planned));
    await d.advanceTo(later(next, -2 * HOUR));
    expectPageStatus(
      await d.checkIn(await d.latestLinkFor(patient.email, 'check-in')),
      200,
      'check-in after trying again',
    );
    await d.advanceTo(later(next, 61 * MINUTE));
    const completed = (await auditOf(d, patient, 'session.completed')).at(-1);
    expect(completed?.details?.['attempt']).toBe(4);
    await expectNoFailedExecution(d, patient);
  }, 240_000);
});

describe('a decision nobody makes before treatment', () => {
  it('an expired eligibility decision closes the journey before treatment and asks the patient, once, to contact the clinic', async () => {
    const d = local.driver;
    const patient = await d.throughScreening();
    const mark = await d.mark();
    await d.advanceTo(later(d.now(), 73 * HOUR));
    const view = await d.journeyOf(patient.patientId);
    expect([view.journey.status, view.journey.phase, view.journey['closedReason']]).toEqual([
      'closed',
      'closed-before-treatment',
      'eligibility-decision-expired',
    ]);
    const toPatient = emailsTo(await d.emailsSince(mark), patient.email);
    expect(toPatient.map((e) => e.subject)).toEqual(['Please get in touch with us']);
    await d.advanceTo(later(d.now(), 7 * DAY));
    expect(emailsTo(await d.emailsSince(mark), patient.email)).toHaveLength(1);
  });
});

describe("the plan's preparation guidance", () => {
  it('reaches the patient behind the preparation reminder’s link and on the check-in page, never in an email', async () => {
    const d = local.driver;
    const guidance = 'Light breakfast before 07:30; have a blanket and an eye mask ready.';
    const { patient } = await toInduction(d, { plan: { preparationGuidance: guidance } });
    const start = await plannedStartOf(d, patient, 1);
    const mark = await d.mark();
    await d.advanceTo(later(start, -3 * HOUR));
    const prepEmail = emailsTo(await d.emailsSince(mark), patient.email).find(
      (e) => e.subject === 'Your appointment is tomorrow',
    );
    expect(prepEmail?.text).toMatch(/\/p\/[A-Za-z0-9_-]{43}/);
    // the session's time in the patient's own zone, not only "tomorrow"
    expect(prepEmail?.text).toContain(`A reminder about your appointment on ${formatInZone(start, patient.timeZone)}.`);
    const prepPage = (await d.linkPagesFor(patient.email)).find((p) => p.purpose === 'preparation' && p.status === 200);
    expect(prepPage?.html).toContain(guidance);
    expect(prepPage?.html).toContain('nothing to submit');
    for (const email of emailsTo(await d.emailsSince(mark), patient.email))
      expect(`${email.text ?? ''}${email.html ?? ''}`).not.toContain('blanket');

    await d.advanceTo(later(start, -2 * HOUR));
    const checkIn = await d.latestLinkFor(patient.email, 'check-in');
    expect(checkIn.html).toContain(guidance);
  });
});
