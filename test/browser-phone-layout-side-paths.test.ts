import { describe, expect, it } from 'vitest';
import type { LinkPurpose } from '../functions/domain/schemas/link.ts';
import {
  horizontalOverflow,
  phoneViewport,
  saveScreenshot,
  seriousAccessibilityProblems,
  useBrowser,
} from './support/browser.ts';
import { localInputOf, useJourneyDriver, type LinkPage } from './support/journey-driver.ts';
import {
  afterSessionHour,
  clinicianEmail,
  clinicianLinkFor,
  DAY,
  expectPageStatus,
  HOUR,
  later,
  MINUTE,
  plannedStartOf,
} from './support/journey-scenarios.ts';

/**
 * The pages off the main road, on a 390 x 844 phone (test/browser-phone-layout.test.ts measures the main
 * road's): the clinician's consult booking and evaluation, the patient's consult and preparation pages,
 * the notices, the missed check-ins and missing journal decisions, and the decision after a clinical
 * hold. One patient walks to each, through the same doors a person uses; every page is opened as it is
 * reached, with JavaScript off, and none may scroll sideways or have a serious or critical axe finding.
 */
const browser = useBrowser();
const measured = new Map<string, { purpose: LinkPurpose; overflow: number }>();
const accessibilityProblems: string[] = [];
const sidePurposes: ReadonlySet<LinkPurpose> = new Set<LinkPurpose>([
  'consult-booking',
  'consult-evaluation',
  'consult',
  'preparation',
  'notice',
  'missed-check-ins',
  'journal-missing',
  'hold-decision',
]);
// the main road's pages are measured by test/browser-phone-layout.test.ts
const local = useJourneyDriver(
  {},
  { beforeSubmit: (link) => (sidePurposes.has(link.purpose) ? openOnPhone(link) : Promise.resolve()) },
);

async function openOnPhone(link: LinkPage): Promise<void> {
  if (measured.has(link.url)) return;
  const page = await browser.newPage({ viewport: phoneViewport, javaScriptEnabled: false });
  try {
    expect((await page.goto(link.url))?.status()).toBe(200);
    measured.set(link.url, { purpose: link.purpose, overflow: await horizontalOverflow(page) });
    await saveScreenshot(
      page,
      `phone-${link.purpose}-${[...measured.values()].filter((m) => m.purpose === link.purpose).length}`,
    );
  } finally {
    await page.context().close();
  }
  accessibilityProblems.push(...(await seriousAccessibilityProblems(browser, link.url, link.purpose)));
}

/** Every open page of those purposes that reached the address so far (the notices have no form to submit). */
async function openEveryNewPage(address: string): Promise<void> {
  for (const link of await local.driver.linkPagesFor(address))
    if (link.status === 200 && sidePurposes.has(link.purpose)) await openOnPhone(link);
}

describe('the pages off the main road, on a phone', () => {
  it('consult, preparation, notices, missed check-ins, a missing journal and a hold decision: none scrolls sideways at 390 px, none has a serious accessibility problem', async () => {
    const d = local.driver;
    const zone = d.clinic.clinic.defaultTimeZone;
    const patient = await d.enrolPatient();
    expectPageStatus(await d.submitIntake(await d.latestLinkFor(patient.email, 'intake')), 200, 'intake');

    // the clinician books the consult on the page, with a join link (the patient's consult page shows it)
    const consultAt = later(d.now(), 3 * DAY);
    const booking = await clinicianLinkFor(d, patient, 'consult-booking');
    expectPageStatus(
      await d.submitForm(booking, [
        ['decision', 'BOOKED'],
        ['consultAt', localInputOf(consultAt, zone)],
        ['joinUrl', 'https://video.example.org/join/room-4821'],
      ]),
      200,
      'consult booking',
    );
    await d.advanceTo(later(consultAt, -23 * HOUR));
    await openEveryNewPage(patient.email);
    await d.advanceTo(later(consultAt, 10 * MINUTE));
    const evaluation = await d.awaitLink(clinicianEmail, 'consult-evaluation', {
      withinSeconds: (2 * DAY) / 1000,
      mentioning: patient.lastName,
    });
    expectPageStatus(
      await d.submitForm(evaluation, [
        ['decision', 'EVALUATED'],
        ['modality', 'telehealth'],
        ['notes', 'Video consult held; history reviewed with the patient.'],
      ]),
      200,
      'evaluation',
    );

    expectPageStatus(
      await d.decideEligibility(await clinicianLinkFor(d, patient, 'eligibility'), 'approve'),
      200,
      'eligibility',
    );
    expect((await d.recordPdmpCheck(patient.patientId)).status).toBe(200);
    expectPageStatus(await d.approvePlan(await clinicianLinkFor(d, patient, 'treatment-plan')), 200, 'plan');

    // the preparation reminder the day before session 1, then three missed check-ins in a row
    let start = await plannedStartOf(d, patient, 1);
    await d.advanceTo(later(start, -3 * HOUR));
    await openEveryNewPage(patient.email);
    for (let miss = 1; miss <= 3; miss += 1) {
      await d.advanceTo(later(start, HOUR + MINUTE));
      await openEveryNewPage(clinicianEmail);
      if (miss < 3) start = await plannedStartOf(d, patient, 1);
    }
    const missed = await d.awaitLink(clinicianEmail, 'missed-check-ins', {
      withinSeconds: 3600,
      mentioning: patient.lastName,
    });
    expectPageStatus(await d.submitForm(missed, [['decision', 'TRY_AGAIN']]), 200, 'try again');

    // the next attempt goes ahead, and the journal is never written: the clinician is asked after 48 h
    start = await plannedStartOf(d, patient, 1);
    await d.advanceTo(later(start, -2 * HOUR));
    expectPageStatus(await d.checkIn(await d.latestLinkFor(patient.email, 'check-in')), 200, 'check-in');
    await d.advanceTo(later(start, 61 * MINUTE));
    await afterSessionHour(d, patient);
    const journalMissing = await d.awaitLink(clinicianEmail, 'journal-missing', {
      withinSeconds: (8 * DAY) / 1000,
      stepSeconds: 6 * 3600,
      mentioning: patient.lastName,
    });
    await openOnPhone(journalMissing);
    await openEveryNewPage(clinicianEmail);

    // an adverse event: the clinician decides after the hold
    expect(
      (
        await d.reportAdverseEvent(patient.patientId, {
          kind: 'severe-side-effect',
          description: 'Fainted at home; seen in urgent care.',
        })
      ).status,
    ).toBeLessThan(300);
    const hold = await d.awaitLink(clinicianEmail, 'hold-decision', {
      withinSeconds: 600,
      mentioning: patient.lastName,
    });
    await openOnPhone(hold);
    await openEveryNewPage(clinicianEmail);

    const purposes = new Set([...measured.values()].map((m) => m.purpose));
    expect([...sidePurposes].filter((purpose) => !purposes.has(purpose))).toEqual([]);
    expect([...measured.values()].filter((m) => m.overflow > 0)).toEqual([]);
    expect(accessibilityProblems).toEqual([]);
    console.log(
      `measured ${measured.size} pages on a phone: ${[...measured.values()].map((m) => m.purpose).join(', ')}`,
    );
  }, 300_000);
});

describe("a Spanish-speaking patient's pages on a phone", () => {
  it('the intake in Spanish (its questionnaires kept in English, marked lang="en") fits 390 px and has no serious accessibility problem', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient({ preferredLanguage: 'es' });
    const intake = await d.latestLinkFor(patient.email, 'intake');
    const page = await browser.newPage({ viewport: phoneViewport, javaScriptEnabled: false });
    expect((await page.goto(intake.url))?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, 'phone-intake-es');
    await page.context().close();
    expect(await seriousAccessibilityProblems(browser, intake.url, 'intake (es)')).toEqual([]);
  });
});
