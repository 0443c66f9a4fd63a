import { describe, expect, it } from 'vitest';
import { localPassword } from '../local/oidc/local-accounts.ts';
import { horizontalOverflow, phoneViewport, saveScreenshot, submitWith, useBrowser } from './support/browser.ts';
import { useJourneyDriver } from './support/journey-driver.ts';

/**
 * A clinician's emailed link in a real Chromium on a phone, with clinicians' links behind sign-in: the
 * link leads to the local OpenID provider's sign-in page, which shows nothing of the patient; after
 * signing in the browser is back on the same decision page, and the decision is made there. The
 * portal's My decisions lists the step first, and it and Patients fit the phone.
 */
const local = useJourneyDriver({ clinicianSignIn: true });
const browser = useBrowser();
const rivera = 'ana.rivera@example.org';

describe('signing in from an emailed link, in a browser', () => {
  it('opens the sign-in page first, returns to the same decision page after it, and decides there', async () => {
    const d = local.driver;
    const patient = await d.throughScreening({ patient: { lastName: 'Abernathy' } });
    const url = (await d.latestLinkFor(rivera, 'eligibility', { mentioning: patient.lastName })).url;

    const page = await browser.newPage({ viewport: phoneViewport });
    await page.goto(url);
    expect(new URL(page.url()).origin).toBe(local.clinic.urls.oidc);
    expect(await page.content()).not.toContain(patient.lastName);
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, 'portal-sign-in-phone');

    await page.getByLabel('Id').fill('dr-rivera');
    await page.getByLabel('Password').fill(localPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Eligibility decision');
    expect(await page.content()).toContain(patient.lastName);

    const home = await browser.newPage({ viewport: phoneViewport });
    // the same browser context would share the cookie; a new page of the same browser does not: sign in there too
    await home.goto(`${local.clinic.urls.app}/portal`);
    await home.getByLabel('Id').fill('dr-rivera');
    await home.getByLabel('Password').fill(localPassword);
    await home.getByRole('button', { name: 'Sign in' }).click();
    await home.waitForURL(`${local.clinic.urls.app}/portal`);
    expect(await home.getByRole('heading', { name: 'My decisions' }).isVisible()).toBe(true);
    expect(await home.content()).toContain(patient.lastName);
    expect(await horizontalOverflow(home)).toBe(0);
    await saveScreenshot(home, 'portal-my-decisions-phone');
    await home.getByRole('link', { name: 'Patients' }).click();
    await home.waitForURL(`${local.clinic.urls.app}/portal/patients`);
    expect(await home.content()).toContain(patient.lastName);
    expect(await horizontalOverflow(home)).toBe(0);
    await saveScreenshot(home, 'portal-patients-phone');

    expect((await submitWith(page, page.getByRole('button', { name: 'Approve', exact: true }))).status()).toBe(200);
    await d.settle();
    expect((await d.journeyOf(patient.patientId)).journey.phase).toBe('treatment-plan');
  });
});
