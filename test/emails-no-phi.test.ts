import { describe, expect, it } from 'vitest';
import type { SentEmail } from '../local/services/ses-local.ts';
import { useJourneyDriver, type EnrolledPatient } from './support/journey-driver.ts';
import { withoutLinkTokens } from './support/link-http.ts';
import { DAY_SECONDS as DAY, HOUR_SECONDS as HOUR } from '../functions/domain/durations.ts';

/**
 * Emails are read on lock screens, in shared mailboxes and by scanners: each may carry a first name, a
 * neutral sentence and a link, never a drug, dose, diagnosis, clinic specialty or the rest of a person's
 * identity. The journeys here go through the doors people use (staff API, emailed links, the clock), and
 * every email is read back from the SES emulator's store, as sent.
 */
const local = useJourneyDriver();

const clinician = 'ana.rivera@example.org';
const backupClinician = 'wei.chen@example.org';

/** The list, as whole words; plurals and the obvious inflections count too. */
const forbiddenWords = [
  'ketamine',
  'esketamine',
  'dose',
  'dosage',
  'dosing',
  'mg',
  'depression',
  'anxiety',
  'psychiatric',
  'psychiatry',
  'psychiatrist',
  'therapy',
  'therapies',
  'treatment',
  'prescription',
  'medication',
  'drug',
  'mental',
];

// a letter, not \b, ends a word: "450mg" and "mg." are both caught, "amgen" and "doses" are told apart
const forbiddenPatterns = forbiddenWords.map((word) => ({
  word,
  pattern: new RegExp(`(?<![a-z])${word}(?:s|es|d|ly)?(?![a-z])`, 'i'),
}));

const enrolled: EnrolledPatient[] = [];
const dateOfBirth = '1979-11-23';

async function enrol(lastName: string, firstName = 'Robin'): Promise<EnrolledPatient> {
  const patient = await local.driver.enrolPatient({ firstName, lastName, dateOfBirth });
  enrolled.push(patient);
  return patient;
}

/** What an email carries that it must not: a forbidden word, or any enrolled patient's identity beyond a first name. */
function problemsIn(email: SentEmail): string[] {
  const content = withoutLinkTokens(`${email.subject}\n${email.text ?? ''}\n${email.html ?? ''}`);
  const lower = content.toLowerCase();
  const problems = forbiddenPatterns
    .filter(({ pattern }) => pattern.test(content))
    .map(({ word }) => `the word "${word}"`);
  for (const patient of enrolled) {
    if (lower.includes(patient.lastName.toLowerCase())) problems.push(`the last name of ${patient.patientId}`);
    if (lower.includes(patient.email.toLowerCase())) problems.push(`the email address of ${patient.patientId}`);
    if (lower.includes(patient.patientId.toLowerCase())) problems.push(`the patient id ${patient.patientId}`);
    if (lower.includes(patient.journeyId.toLowerCase())) problems.push(`the journey id of ${patient.patientId}`);
  }
  if (content.includes(dateOfBirth) || /nov(ember)?\.? 23,? 1979/i.test(content) || content.includes('11/23/1979'))
    problems.push('a date of birth');
  return problems;
}

function expectClean(emails: readonly SentEmail[]): void {
  expect(emails.map((email) => ({ to: email.to, subject: email.subject, problems: problemsIn(email) }))).toEqual(
    emails.map((email) => ({ to: email.to, subject: email.subject, problems: [] })),
  );
}

describe('the checks themselves', () => {
  it('the check finds a forbidden word in any form and a last name, and passes a neutral email', () => {
    enrolled.push({
      patientId: 'p-check',
      journeyId: 'j-check',
      executionName: 'journey-j-check',
      email: 'p-check@example.net',
      firstName: 'Robin',
      lastName: 'Zebulonsky',
      timeZone: 'UTC',
      assignedClinicianId: 'dr-rivera',
    });
    const email = (text: string): SentEmail => ({
      messageId: 'm',
      from: 'care@example.org',
      to: ['x@example.net'],
      cc: [],
      bcc: [],
      subject: 'Hello',
      text,
      html: undefined,
      date: new Date(),
    });
    expect(problemsIn(email('Take 450mg before bed.'))).toEqual(['the word "mg"']);
    expect(problemsIn(email('Your Ketamine Therapy session'))).toEqual(['the word "ketamine"', 'the word "therapy"']);
    expect(problemsIn(email('Doses and Medications'))).toEqual(['the word "dose"', 'the word "medication"']);
    expect(problemsIn(email('Hello Robin Zebulonsky, born 1979-11-23'))).toEqual([
      'the last name of p-check',
      'a date of birth',
    ]);
    expect(problemsIn(email('Hello Robin, a short form is waiting. Amgen, fundamental, endorse.'))).toEqual([]);
    // a link's random token may spell a word between digits: it is not something the email says
    const token = `3mg-${'A'.repeat(39)}`;
    expect(problemsIn(email(`Open the secure page: https://clinic.example/p/${token}`))).toEqual([]);
    expect(problemsIn(email(`Take 3mg. Open https://clinic.example/p/${token}`))).toEqual(['the word "mg"']);
    enrolled.pop();
  });
});

describe('emails the clinic sends', () => {
  it('an unanswered intake: the form, its reminder and the clinician notice carry a first name at most and no clinical word', async () => {
    const d = local.driver;
    const mark = await d.mark();
    const patient = await enrol('Quillfeatherstone');
    await d.advanceBy(4 * DAY);

    const sent = await d.emailsSince(mark);
    const toPatient = sent.filter((email) => email.to.includes(patient.email));
    expect(toPatient.length).toBeGreaterThanOrEqual(2);
    expect(sent.some((email) => email.to.includes(clinician))).toBe(true);
    expect(toPatient[0]?.text).toContain(`Hello ${patient.firstName},`);
    expectClean(sent);
  });

  it('a journey from intake to the first session: every request, reminder and prompt is neutral', async () => {
    const d = local.driver;
    const mark = await d.mark();
    const patient = await enrol('Hollingsworth-Varga');
    expect((await d.submitIntake(await d.latestLinkFor(patient.email, 'intake'))).status).toBe(200);
    const consultAt = new Date(d.now().getTime() + 3 * DAY * 1000);
    expect((await d.bookConsult(patient.patientId, consultAt)).status).toBe(200);
    await d.advanceTo(new Date(consultAt.getTime() + HOUR * 1000));
    expect((await d.recordEvaluation(patient.patientId)).status).toBe(200);
    expect((await d.decideEligibility(await d.latestLinkFor(clinician, 'eligibility'), 'approve')).status).toBe(200);
    const plan = d.defaultPlan();
    expect((await d.recordPdmpCheck(patient.patientId)).status).toBe(200);
    expect((await d.approvePlan(await d.latestLinkFor(clinician, 'treatment-plan'), plan)).status).toBe(200);
    const firstSession = plan.plannedSessionTimes[0] as Date;
    await d.advanceTo(new Date(firstSession.getTime() - 2 * HOUR * 1000));
    expect((await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'))).status).toBe(200);
    await d.advanceTo(new Date(firstSession.getTime() + 61 * 60 * 1000));
    expect((await d.writeJournal(await d.latestLinkFor(patient.email, 'journal'))).status).toBe(200);

    const sent = await d.emailsSince(mark);
    const subjectsToPatient = new Set(
      sent.filter((email) => email.to.includes(patient.email)).map((email) => email.subject),
    );
    // the intake form, the consult reminders, the session preparation, the check-in and the journal prompt
    expect(subjectsToPatient.size).toBeGreaterThanOrEqual(3);
    expect(sent.filter((email) => email.to.includes(clinician)).length).toBeGreaterThanOrEqual(3);
    expectClean(sent);
  });

  it('declined, ineligible and urgent news: the "please contact us" emails and the urgent alerts stay neutral', async () => {
    const d = local.driver;
    const mark = await d.mark();
    const declined = await enrol('Abernathy-Okonkwo');
    const ineligible = await enrol('Featherstonehaugh');
    const atRisk = await enrol('Marchbanks-Delacroix');
    await d.submitIntake(await d.latestLinkFor(declined.email, 'intake'));
    await d.submitIntake(await d.latestLinkFor(ineligible.email, 'intake'), {
      restingBp: [
        { systolic: 172, diastolic: 108 },
        { systolic: 170, diastolic: 106 },
      ],
    });
    await d.submitIntake(await d.latestLinkFor(atRisk.email, 'intake'), {
      phq9: [3, 3, 3, 3, 2, 3, 2, 2, 3],
      cssrs: {
        wishToBeDead: true,
        suicidalThoughts: true,
        thoughtsOfMethod: true,
        intentToAct: true,
        planWithIntent: true,
        suicidalBehaviour: false,
        behaviourLastOn: null,
      },
    });
    const consultAt = new Date(d.now().getTime() + 2 * DAY * 1000);
    for (const patient of [declined, ineligible, atRisk])
      expect((await d.bookConsult(patient.patientId, consultAt)).status).toBe(200);
    await d.advanceTo(new Date(consultAt.getTime() + HOUR * 1000));
    for (const patient of [declined, ineligible, atRisk])
      expect((await d.recordEvaluation(patient.patientId)).status).toBe(200);
    const eligibilityLinks = (await d.linkPagesFor(clinician)).filter(
      (page) => page.purpose === 'eligibility' && page.status === 200 && page.html.includes(declined.lastName),
    );
    expect(eligibilityLinks.length).toBeGreaterThan(0);
    expect(
      (
        await d.decideEligibility(
          eligibilityLinks[0] as (typeof eligibilityLinks)[number],
          'decline',
          'Not the right program for now.',
        )
      ).status,
    ).toBe(200);

    const sent = await d.emailsSince(mark);
    expect(sent.filter((email) => email.to.includes(declined.email)).length).toBeGreaterThanOrEqual(2);
    expect(sent.filter((email) => email.to.includes(ineligible.email)).length).toBeGreaterThanOrEqual(2);
    expect(sent.some((email) => email.to.includes(clinician) && /urgent/i.test(email.subject))).toBe(true);
    expectClean(sent);
  });

  it('a clinical hold and an unanswered clinician decision: the urgent email, the reminder and the backup clinician stay neutral', async () => {
    const d = local.driver;
    const mark = await d.mark();
    const held = await enrol('Wolfeschlegel');
    const waiting = await enrol('Ravensworth-Ngata');
    await d.submitIntake(await d.latestLinkFor(held.email, 'intake'));
    await d.submitIntake(await d.latestLinkFor(waiting.email, 'intake'));
    expect(
      (
        await d.reportAdverseEvent(held.patientId, {
          kind: 'lost-or-stolen-medication',
          description: 'Reported by phone.',
        })
      ).status,
    ).toBe(201);
    // nobody books the waiting patient's consult: the clinician is reminded, then the backup is asked
    await d.advanceBy(3 * DAY);

    const sent = await d.emailsSince(mark);
    expect(sent.some((email) => email.to.includes(clinician) && /urgent/i.test(email.subject))).toBe(true);
    expect(sent.some((email) => email.to.includes(backupClinician))).toBe(true);
    expectClean(sent);
  });

  it('every email the clinic sent in this file carries a first name at most and no clinical word', async () => {
    const all = await local.clinic.listEmails();
    expect(all.length).toBeGreaterThan(20);
    // the journeys above reached most templates: a check that saw few kinds of email proves little
    expect(new Set(all.map((email) => email.subject)).size).toBeGreaterThanOrEqual(8);
    expectClean(all);
  });
});
