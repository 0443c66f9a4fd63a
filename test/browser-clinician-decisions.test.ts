import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  computedStyleOf,
  horizontalOverflow,
  phoneViewport,
  saveScreenshot,
  submitWith,
  unnamedControls,
  useBrowser,
} from './support/browser.ts';
import { localInputOf, useJourneyDriver, type EnrolledPatient, type JourneyDriver } from './support/journey-driver.ts';
import { linksIn, sfnClientFor } from './support/local-clinic.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../functions/domain/durations.ts';

/**
 * A clinician decides the way they would: the link from the email in the SES emulator's store, opened in
 * a real Chromium, the page read, the form filled by its labels, the decision clicked. The journey up to
 * that point is driven through the staff API and the emailed links.
 */
const local = useJourneyDriver();
const browser = useBrowser();

/** A resting BP of 146/92 is a relative contraindication (140/90 to 159/99): the screening says NEEDS_REVIEW. */
const borderlineBp = [
  { systolic: 146, diastolic: 92 },
  { systolic: 144, diastolic: 91 },
];

/** Enrolment, intake, consult booked and held, evaluation recorded; answers the link emailed to the clinician. */
async function toEligibilityDecision(
  d: JourneyDriver,
): Promise<{ patient: EnrolledPatient; clinicianEmail: string; url: string }> {
  const patient = await d.enrolPatient();
  const intake = await d.latestLinkFor(patient.email, 'intake');
  await expectUsableOnPhone(intake.url, 'patient-intake-opened');
  expect((await d.submitIntake(intake, { restingBp: borderlineBp })).status).toBe(200);
  const consultAt = new Date(d.now().getTime() + 3 * DAY);
  expect((await d.bookConsult(patient.patientId, consultAt)).status).toBeLessThan(300);
  await d.advanceTo(new Date(consultAt.getTime() + HOUR));
  const clinician = d.clinic.clinic.clinicians.find((c) => c.id === patient.assignedClinicianId);
  if (clinician === undefined)
    throw new Error(`no clinician ${patient.assignedClinicianId} in the clinic's configuration`);
  const mark = await d.mark();
  expect(
    (
      await d.recordEvaluation(patient.patientId, {
        notes: 'Blood pressure a little high at the consult; otherwise well.',
      })
    ).status,
  ).toBeLessThan(300);
  // straight from the emulator's store: the browser is the first thing to open this link
  const decisionEmails = (await d.emailsSince(mark)).filter(
    (email) => email.to.includes(clinician.email) && linksIn(d.clinic, email).length > 0,
  );
  expect(decisionEmails.map((email) => email.subject)).toEqual([
    expect.stringMatching(/^Eligibility decision due by /),
  ]);
  const [url] = linksIn(d.clinic, decisionEmails[0] as (typeof decisionEmails)[number]);
  return { patient, clinicianEmail: clinician.email, url: url as string };
}

/** The longest form of all (the intake) and the widest (the treatment plan) also name every control and fit a phone. */
async function expectUsableOnPhone(url: string, screenshot: string): Promise<void> {
  const page = await browser.newPage({ viewport: phoneViewport });
  expect((await page.goto(url))?.status()).toBe(200);
  expect(await unnamedControls(page)).toEqual([]);
  expect(await horizontalOverflow(page)).toBe(0);
  await saveScreenshot(page, screenshot);
  await page.context().close();
}

async function journeyHistory(d: JourneyDriver, executionName: string): Promise<HistoryEvent[]> {
  const execution = await d.execution(executionName);
  if (execution === undefined) throw new Error(`no execution ${executionName}`);
  const sfn = sfnClientFor(d.clinic);
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: execution.executionArn,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

describe('a clinician deciding eligibility in a real browser', () => {
  it('reads the screening summary, is asked for the override reason, approves, and the journey moves on to the treatment plan', async () => {
    const d = local.driver;
    const { patient, clinicianEmail, url } = await toEligibilityDecision(d);
    const screening = (await d.journeyOf(patient.patientId)).screenings.at(-1);
    expect(screening?.outcome).toBe('NEEDS_REVIEW');
    const reasons = (screening?.reasons ?? []).map((r) => r.message);
    expect(reasons.length).toBeGreaterThan(0);

    const page = await browser.newPage({ viewport: phoneViewport });
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['cache-control']).toContain('no-store');
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Eligibility decision');
    expect(
      await page
        .getByRole('heading', { name: 'Screening: needs your review (a relative contraindication)' })
        .isVisible(),
    ).toBe(true);
    expect(await page.getByRole('cell', { name: `${patient.firstName} ${patient.lastName}` }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Reasons' }).isVisible()).toBe(true);
    for (const reason of reasons)
      expect(await page.getByRole('listitem').filter({ hasText: reason }).isVisible(), reason).toBe(true);
    expect(await page.getByText('Blood pressure a little high at the consult').isVisible()).toBe(true);

    // Approve is the primary action; Decline is drawn as the outlined secondary button, not a second blue one
    const backgroundOf = (name: string) =>
      computedStyleOf(page.getByRole('button', { name, exact: true }), 'background-color');
    expect(await backgroundOf('Decline')).toBe('rgb(255, 255, 255)');
    expect(await backgroundOf('Approve')).not.toBe('rgb(255, 255, 255)');

    expect(await unnamedControls(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, 'clinician-eligibility-1-opened');
    // opening the page (as a mail scanner would) decided nothing
    expect((await d.execution(`${patient.journeyId}-eligibility-1`))?.status).toBe('RUNNING');

    // approving a relative contraindication without a reason: the form comes back with the message next to the field
    await page.getByLabel('Note (optional)').fill('Discussed home BP monitoring.');
    expect((await submitWith(page, page.getByRole('button', { name: 'Approve', exact: true }))).status()).toBe(400);
    const overrideField = page.locator('.field', { has: page.getByLabel('Override reason') });
    expect(await overrideField.locator('.error').isVisible()).toBe(true);
    expect(await page.getByRole('alert').isVisible()).toBe(true);
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('Discussed home BP monitoring.');
    await saveScreenshot(page, 'clinician-eligibility-2-reason-missing');
    await d.settle();
    expect((await d.execution(`${patient.journeyId}-eligibility-1`))?.status).toBe('RUNNING');

    await page.getByLabel('Override reason').fill('Borderline readings at rest; will recheck before every session.');
    expect((await submitWith(page, page.getByRole('button', { name: 'Approve', exact: true }))).status()).toBe(200);
    expect(await page.getByRole('status').textContent()).toContain('Eligibility approved');
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, 'clinician-eligibility-3-approved');
    await d.settle();

    // the journey moved on: the eligibility step succeeded with the clinician's decision, and the plan link is out
    const eligibility = await d.execution(`${patient.journeyId}-eligibility-1`);
    expect(eligibility?.status).toBe('SUCCEEDED');
    expect(eligibility?.output).toMatchObject({ decision: 'APPROVED' });
    const history = await journeyHistory(d, patient.executionName);
    const entered = history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toContain('Clinician writes the treatment plan');
    const exited = history.find(
      (e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Clinician decides eligibility',
    );
    expect(JSON.parse(exited?.stateExitedEventDetails?.output ?? '{}')).toMatchObject({ decision: 'APPROVED' });
    const planLink = await d.latestLinkFor(clinicianEmail, 'treatment-plan');
    expect(planLink.html).toContain(patient.lastName);
    await expectUsableOnPhone(planLink.url, 'clinician-treatment-plan-opened');

    // the same link opened again is used: a second click cannot decide twice
    const again = await page.goto(url);
    expect(again?.status()).toBe(409);
    await saveScreenshot(page, 'clinician-eligibility-4-reopened');
  });
});

describe('a clinician writing the treatment plan in a real browser', () => {
  it('types the plan by its labels, sees the dose over the protocol limit refused next to the field with the answers kept, corrects it and approves', async () => {
    const d = local.driver;
    const { patient, clinicianEmail } = await toEligibilityDecision(d);
    expect(
      (
        await d.decideEligibility(await d.latestLinkFor(clinicianEmail, 'eligibility'), {
          override: 'Borderline readings; rechecked before each session.',
        })
      ).status,
    ).toBe(200);
    // the plan can be approved only with a recent PDMP check on record
    expect((await d.recordPdmpCheck(patient.patientId)).status).toBe(200);
    // the newest open treatment-plan link in the clinician's mail, as the emulator holds it
    const link = await d.latestLinkFor(clinicianEmail, 'treatment-plan');

    const plan = d.defaultPlan();
    // the sessions are typed in the patient's zone (Chicago), with the clinic's (New York) beside it
    const zone = patient.timeZone;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    expect((await page.goto(link.url))?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Treatment plan');
    expect(await page.getByRole('cell', { name: `${patient.firstName} ${patient.lastName}` }).isVisible()).toBe(true);

    const chooseIn = (group: string, option: string) =>
      page.getByRole('group', { name: group }).getByLabel(option, { exact: true }).check();
    await page.getByLabel('Dose per session (mg)').fill('600');
    await chooseIn('Route', 'sublingual');
    await page.getByLabel('Number of sessions', { exact: true }).fill(String(plan.sessionCount));
    await page.getByLabel('Days between sessions', { exact: true }).fill(String(plan.intervalDays));
    for (const [i, time] of plan.plannedSessionTimes.entries())
      await page.getByLabel(`Session ${i + 1} start (${zone})`, { exact: true }).fill(localInputOf(time, zone));
    await chooseIn('An adult monitor stays for the whole session', 'Required');
    await chooseIn('Blood pressure before each session', 'Required');
    await page.getByLabel('Monitoring notes', { exact: true }).fill(plan.monitoringNotes);
    await page.getByLabel(`Follow-up appointment (${zone})`, { exact: true }).fill(localInputOf(plan.followUpAt, zone));
    await page.getByLabel('Preparation guidance for the patient', { exact: true }).fill(plan.preparationGuidance);
    await page.getByLabel('Date of issue', { exact: true }).fill(plan.prescriptionIssuedOn);
    await page.getByLabel('Days of supply per fill', { exact: true }).fill(String(plan.daysOfSupply));
    await page.getByLabel('Refills allowed', { exact: true }).fill(String(plan.refillsAllowed));
    await page.getByLabel('Days between maintenance doses', { exact: true }).fill(String(plan.maintenanceIntervalDays));
    await saveScreenshot(page, 'clinician-treatment-plan-1-filled');

    expect((await submitWith(page, page.getByRole('button', { name: 'Approve plan', exact: true }))).status()).toBe(
      400,
    );
    const doseField = page.locator('.field', { has: page.getByLabel('Dose per session (mg)') });
    expect(await doseField.locator('.error').textContent()).toContain('at most 450 mg');
    expect(await page.getByLabel('Dose per session (mg)').inputValue()).toBe('600');
    expect(await page.getByLabel('Monitoring notes', { exact: true }).inputValue()).toBe(plan.monitoringNotes);
    expect(await page.getByLabel(`Session 4 start (${zone})`, { exact: true }).inputValue()).toBe(
      localInputOf(plan.plannedSessionTimes[3] as Date, zone),
    );
    expect(
      await page
        .getByRole('group', { name: 'Blood pressure before each session' })
        .getByLabel('Required', { exact: true })
        .isChecked(),
    ).toBe(true);
    expect(await unnamedControls(page)).toEqual([]);
    await saveScreenshot(page, 'clinician-treatment-plan-2-dose-refused');
    await d.settle();
    expect(
      (await d.journeyOf(patient.patientId)).treatmentPlans.filter(
        (p) => p['approvedAt'] !== undefined && p['approvedAt'] !== null,
      ),
    ).toEqual([]);

    await page.getByLabel('Dose per session (mg)').fill(String(plan.doseMg));
    expect((await submitWith(page, page.getByRole('button', { name: 'Approve plan', exact: true }))).status()).toBe(
      200,
    );
    expect(await page.getByRole('status').textContent()).toContain(
      `The plan is approved (${plan.sessionCount} sessions)`,
    );
    await saveScreenshot(page, 'clinician-treatment-plan-3-approved');
    await d.settle();

    // the plan the clinician typed is the plan the journey follows
    const view = await d.journeyOf(patient.patientId);
    expect(view.treatmentPlans.at(-1)).toMatchObject({
      doseMg: plan.doseMg,
      sessionCount: plan.sessionCount,
      maintenanceIntervalDays: plan.maintenanceIntervalDays,
      plannedSessionTimes: plan.plannedSessionTimes.map((t) => t.toISOString()),
    });
    expect(view.sessions.find((s) => s.number === 1)?.plannedStart).toBe(
      (plan.plannedSessionTimes[0] as Date).toISOString(),
    );
  });
});
