import { describe, expect, it } from 'vitest';
import { useJourneyDriver } from './support/journey-driver.ts';
import {
  clinicianEmail,
  emailsTo,
  expectPageStatus,
  HOUR,
  later,
  MINUTE,
  plannedStartOf,
  toInduction,
} from './support/journey-scenarios.ts';

/**
 * After the session hour (issue 19): the patient confirms they have recovered before the adult with them
 * leaves, or reports symptoms (a warning sign holds them); no answer in time asks the adult to stay and
 * alerts the clinician. After the first dose ever, the clinician is given a task to check in 1 to 2 days
 * later. Both go alongside the journal, never in its way.
 */
const local = useJourneyDriver();

async function throughSessionHour(patientEmail: string, start: Date) {
  const d = local.driver;
  await d.advanceTo(later(start, -2 * HOUR));
  expectPageStatus(await d.checkIn(await d.latestLinkFor(patientEmail, 'check-in')), 200, 'check-in');
  await d.advanceTo(later(start, 61 * MINUTE));
}

describe('the check after the session hour', () => {
  it('"recovered" lets the adult leave; the journal comes as usual; the first dose gives the clinician a check-in task, once', async () => {
    const d = local.driver;
    const { patient } = await toInduction(d);
    const start = await plannedStartOf(d, patient, 1);
    await throughSessionHour(patient.email, start);
    const recovery = await d.latestLinkFor(patient.email, 'recovery');
    expect(recovery.html).toContain('Have you recovered');
    const answer = await d.submitForm(recovery, [['recoveredNow', 'yes']]);
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('The adult with you may leave');
    expectPageStatus(await d.writeJournal(await d.latestLinkFor(patient.email, 'journal')), 200, 'journal alongside');

    const task = await d.latestLinkFor(clinicianEmail, 'first-dose-check-in', { mentioning: patient.lastName });
    expect(task.html).toContain('1 to 2 days after it');
    expect((await d.submitForm(task, [['decision', 'CHECKED_IN']])).status).toBe(400);
    expect(
      (
        await d.submitForm(task, [
          ['decision', 'CHECKED_IN'],
          ['note', 'Called on day 1: slept well, mild nausea only.'],
        ])
      ).status,
    ).toBe(200);

    // session 2 is not a first dose: no second task
    await throughSessionHour(patient.email, await plannedStartOf(d, patient, 2));
    const asked = (await d.journeyOf(patient.patientId)).audit.filter(
      (e) => e.action === 'step.requested' && e.details?.['stepKey'] === 'first-dose-check-in',
    );
    expect(asked).toHaveLength(1);
    expect(await d.execution(`${patient.journeyId}-first-dose-check-in`)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('no answer: after the protocol’s 30 minutes the patient is asked to keep the adult there, and the clinician is alerted', async () => {
    const d = local.driver;
    const { patient } = await toInduction(d);
    const start = await plannedStartOf(d, patient, 1);
    await throughSessionHour(patient.email, start);
    const mark = await d.mark();
    const ended = later(start, HOUR);
    await d.advanceTo(later(ended, 29 * MINUTE));
    expect(emailsTo(await d.emailsSince(mark), patient.email).map((e) => e.subject)).not.toContain(
      'Please keep your companion with you',
    );
    await d.advanceTo(later(ended, 32 * MINUTE));
    expect(emailsTo(await d.emailsSince(mark), patient.email).map((e) => e.subject)).toContain(
      'Please keep your companion with you',
    );
    const urgent = emailsTo(await d.emailsSince(mark), clinicianEmail).filter(
      (e) => e.subject === 'Urgent: a patient step is overdue',
    );
    expect(urgent).toHaveLength(1);
    const notice = (await d.linkPagesFor(clinicianEmail)).find(
      (p) =>
        p.purpose === 'notice' && p.html.includes(patient.lastName) && p.html.includes('recovered after a session'),
    );
    expect(notice?.status).toBe(200);
  });

  it('a warning sign after the session holds the patient at once, and says not to dose again', async () => {
    const d = local.driver;
    const { patient } = await toInduction(d);
    await throughSessionHour(patient.email, await plannedStartOf(d, patient, 1));
    const answer = await d.submitForm(await d.latestLinkFor(patient.email, 'recovery'), [
      ['recoveredNow', 'no'],
      ['symptoms', 'chest-pain'],
    ]);
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('Please do not take another dose');
    await d.settle();
    const view = await d.journeyOf(patient.patientId);
    expect(view.journey.onHold).toBe(true);
    expect(view.adverseEvents.map((e) => [e['kind'], e['reportedBy']])).toEqual([['severe-side-effect', 'patient']]);
  });
});
