import { describe, expect, it } from 'vitest';
import { formatInZone } from '../functions/pages/format-time.ts';
import {
  horizontalOverflow,
  phoneViewport,
  saveScreenshot,
  submitWith,
  unnamedControls,
  useBrowser,
} from './support/browser.ts';
import { useJourneyDriver, type EnrolledPatient, type JourneyDriver } from './support/journey-driver.ts';
import { linksIn } from './support/local-clinic.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../functions/domain/durations.ts';

/**
 * A patient checks in before their first session the way they would: on a phone, with JavaScript off
 * (the pages promise to work without it), from the link in the email the SES emulator holds, filling
 * the form by its labels. The journey up to the check-in window is driven through the staff API, the
 * clinician's emailed links and the virtual clock.
 */
const local = useJourneyDriver();
const browser = useBrowser();

/** Intake, consult, evaluation, eligibility and the default plan (four sessions, a week apart, the first four days out). */
async function toFirstSession(d: JourneyDriver): Promise<{ patient: EnrolledPatient; plannedStart: Date }> {
  const patient = await d.enrolPatient();
  expect((await d.submitIntake(await d.latestLinkFor(patient.email, 'intake'))).status).toBe(200);
  const consultAt = new Date(d.now().getTime() + 3 * DAY);
  expect((await d.bookConsult(patient.patientId, consultAt)).status).toBeLessThan(300);
  await d.advanceTo(new Date(consultAt.getTime() + HOUR));
  expect((await d.recordEvaluation(patient.patientId)).status).toBeLessThan(300);
  const clinician = d.clinic.clinic.clinicians.find((c) => c.id === patient.assignedClinicianId);
  if (clinician === undefined)
    throw new Error(`no clinician ${patient.assignedClinicianId} in the clinic's configuration`);
  expect((await d.decideEligibility(await d.latestLinkFor(clinician.email, 'eligibility'), 'approve')).status).toBe(
    200,
  );
  expect((await d.recordPdmpCheck(patient.patientId)).status).toBe(200);
  expect((await d.approvePlan(await d.latestLinkFor(clinician.email, 'treatment-plan'))).status).toBe(200);
  const first = (await d.journeyOf(patient.patientId)).sessions.find((s) => s.number === 1);
  if (first?.plannedStart === undefined)
    throw new Error(`session 1 is not planned: ${JSON.stringify((await d.journeyOf(patient.patientId)).sessions)}`);
  return { patient, plannedStart: new Date(first.plannedStart) };
}

describe('a patient checking in on a phone with JavaScript off', () => {
  it('fills the check-in by its labels with a blood pressure of 150/95 and sees the session postponed with the new time', async () => {
    const d = local.driver;
    const { patient, plannedStart } = await toFirstSession(d);
    const mark = await d.mark();
    // the check-in opens two hours before the start
    await d.advanceTo(new Date(plannedStart.getTime() - 2 * HOUR));
    // the newest email with a link; the page itself proves it is the check-in
    const withLinks = (await d.emailsSince(mark)).filter(
      (email) => email.to.includes(patient.email) && linksIn(d.clinic, email).length > 0,
    );
    const newest = withLinks.at(-1);
    if (newest === undefined)
      throw new Error(`no email with a link reached ${patient.email} by ${d.now().toISOString()}`);
    const [url] = linksIn(d.clinic, newest);

    const page = await browser.newPage({ viewport: phoneViewport, javaScriptEnabled: false });
    const response = await page.goto(url as string);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check in before your session');
    expect(await page.getByText(formatInZone(plannedStart, patient.timeZone)).isVisible()).toBe(true);
    expect(await unnamedControls(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, 'patient-check-in-1-opened');

    const answer = async (question: string, choice: 'Yes' | 'No') =>
      page.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();
    await answer('Is an adult with you who will stay for the whole session?', 'Yes');
    await page.getByLabel('How many hours since you last ate?').fill('5');
    await answer('Have you taken a stimulant or an opioid painkiller today?', 'No');
    await answer('Have you paused the medicines your care team asked you to pause?', 'Yes');
    await page.getByLabel('Reading 1: upper number (systolic, mmHg)').fill('150');
    await page.getByLabel('Reading 1: lower number (diastolic, mmHg)').fill('95');
    await page.getByLabel('Reading 2: upper number (systolic, mmHg)').fill('150');
    await page.getByLabel('Reading 2: lower number (diastolic, mmHg)').fill('95');
    // asked at each check-in of a patient who can become pregnant (the intake said so)
    await answer('Are you pregnant now, planning to become pregnant, or breastfeeding?', 'No');
    await answer('Do you agree not to drive until tomorrow morning?', 'Yes');
    await saveScreenshot(page, 'patient-check-in-2-filled');

    const beforeSubmit = await d.mark();
    expect((await submitWith(page, page.getByRole('button', { name: 'Send my check-in' }))).status()).toBe(200);
    const status = page.getByRole('status');
    expect(await status.textContent()).toContain("Today's session is postponed");
    // the new time on the page is the one the check-in gate recorded, in the patient's own zone
    const checkIn = (await d.journeyOf(patient.patientId)).checkIns.at(-1);
    expect(checkIn).toMatchObject({ outcome: 'POSTPONED', sessionNumber: 1 });
    const suggested = checkIn?.['suggestedStart'];
    expect(typeof suggested).toBe('string');
    expect(new Date(suggested as string).getTime()).toBeGreaterThan(plannedStart.getTime());
    expect(await page.getByText('The earliest new time is').textContent()).toContain(
      formatInZone(suggested as string, patient.timeZone),
    );
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, 'patient-check-in-3-postponed');

    // "Your care team has been told" is true, and the session is planned again at the time the page showed
    await d.settle();
    const clinician = d.clinic.clinic.clinicians.find((c) => c.id === patient.assignedClinicianId);
    expect(
      (await d.emailsSince(beforeSubmit)).filter((email) => email.to.includes(clinician?.email ?? '?')).length,
    ).toBeGreaterThan(0);
    const session1 = (await d.journeyOf(patient.patientId)).sessions.find((s) => s.number === 1);
    expect(session1).toMatchObject({ attempt: 2, status: 'planned', plannedStart: suggested });
  });
});
