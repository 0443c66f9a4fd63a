import { describe, expect, it } from 'vitest';
import type { LinkPurpose } from '../functions/domain/schemas/link.ts';
import {
  horizontalOverflow,
  pageHeight,
  phoneViewport,
  saveScreenshot,
  seriousAccessibilityProblems,
  submitWith,
  useBrowser,
} from './support/browser.ts';
import { useJourneyDriver, type LinkPage } from './support/journey-driver.ts';
import { completeSessionWithoutJournal, refillOnce, toMaintenance } from './support/journey-scenarios.ts';

/**
 * Every link page a journey reaches, opened on a 390 x 844 phone in a real Chromium with JavaScript off
 * (the pages promise to work without it), just before the driver sends its answer: none may scroll
 * sideways, and axe-core finds nothing serious or critical on it. The journal is measured too: its common
 * path ("no side effects") fits one screen, and the twenty symptoms appear only after "Yes".
 */
const opened = new Map<LinkPurpose, { overflow: number; height: number }>();
const accessibilityProblems: string[] = [];
const browser = useBrowser();
const local = useJourneyDriver({}, { beforeSubmit: openOnPhone });

async function openOnPhone(link: LinkPage): Promise<void> {
  if (opened.has(link.purpose)) return;
  const page = await browser.newPage({ viewport: phoneViewport, javaScriptEnabled: false });
  try {
    expect((await page.goto(link.url))?.status()).toBe(200);
    opened.set(link.purpose, { overflow: await horizontalOverflow(page), height: await pageHeight(page) });
    await saveScreenshot(page, `phone-${link.purpose}`);
  } finally {
    await page.context().close();
  }
  accessibilityProblems.push(...(await seriousAccessibilityProblems(browser, link.url, link.purpose)));
}

describe('every page a journey reaches, on a phone', () => {
  it('no page scrolls sideways at 390 px, from the intake to the refill approval', async () => {
    const d = local.driver;
    const { patient } = await toMaintenance(d);
    await refillOnce(d, patient);
    expect([...opened.keys()].sort()).toEqual([
      'assessment',
      'check-in',
      'eligibility',
      'first-dose-check-in',
      'follow-up-decision',
      'intake',
      'journal',
      'recovery',
      'refill-approval',
      'refill-request',
      'treatment-plan',
    ]);
    expect([...opened].filter(([, measured]) => measured.overflow > 0)).toEqual([]);
    expect(accessibilityProblems).toEqual([]);
    // eleven pages, each opened twice (layout, then axe), on a journey to its first refill: minutes on a busy 2-core machine
  }, 240_000);

  it('status pages (a used link, an unknown one) fit the phone and have no serious accessibility problem', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient();
    const intake = await d.latestLinkFor(patient.email, 'intake');
    expect((await d.submitIntake(intake)).status).toBe(200);
    const unknown = intake.url.replace(/[^/]+$/, 'A'.repeat(43));
    const problems: string[] = [];
    for (const [name, url, status] of [
      ['used link', intake.url, 409],
      ['unknown link', unknown, 404],
    ] as const) {
      const page = await browser.newPage({ viewport: phoneViewport, javaScriptEnabled: false });
      expect((await page.goto(url))?.status()).toBe(status);
      expect(await horizontalOverflow(page)).toBe(0);
      await page.context().close();
      problems.push(...(await seriousAccessibilityProblems(browser, url, name)));
    }
    expect(problems).toEqual([]);
  });
});

describe('the session journal on a phone', () => {
  it('fits one screen on the "no side effects" path, shows the symptoms only after Yes, and sends the short path', async () => {
    const d = local.driver;
    const { patient } = await d.throughPlan();
    await completeSessionWithoutJournal(d, patient, 1);
    const journal = await d.latestLinkFor(patient.email, 'journal');

    const page = await browser.newPage({ viewport: phoneViewport, javaScriptEnabled: false });
    expect((await page.goto(journal.url))?.status()).toBe(200);
    const short = await pageHeight(page);
    expect(await page.getByRole('group', { name: 'Nausea' }).isVisible()).toBe(false);
    await saveScreenshot(page, 'phone-journal-1-short');

    await page
      .getByRole('group', { name: 'Have you had any side effects since your session?' })
      .getByLabel('Yes', { exact: true })
      .check();
    expect(await page.getByRole('group', { name: 'Nausea' }).isVisible()).toBe(true);
    const long = await pageHeight(page);
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, 'phone-journal-2-side-effects');

    // the page was 4,864 px with every symptom always shown; the short path is one 844 px screen
    expect(short).toBeLessThanOrEqual(phoneViewport.height);
    expect(long).toBeGreaterThan(3 * short);

    await page
      .getByRole('group', { name: 'Have you had any side effects since your session?' })
      .getByLabel('No', { exact: true })
      .check();
    expect(await page.getByRole('group', { name: 'Nausea' }).isVisible()).toBe(false);
    await page.getByLabel('How was your session? Write as much or as little as you like.').fill('Calm; slept well.');
    expect((await submitWith(page, page.getByRole('button', { name: 'Send my journal' }))).status()).toBe(200);
    const reports = (await d.journeyOf(patient.patientId)).sideEffectReports;
    expect(reports.map((r) => r['triage'])).toEqual(['NONE']);
  });
});
