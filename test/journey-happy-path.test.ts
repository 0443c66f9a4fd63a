import { describe, expect, it } from 'vitest';
import {
  atLocalHour,
  phiIn,
  useJourneyDriver,
  type EnrolledPatient,
  type JourneyView,
  type ObservedEmail,
} from './support/journey-driver.ts';
import { auditEventSchema } from '../functions/domain/schemas/audit-event.ts';
import { testStartTime } from './support/local-clinic.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR, SECOND_MS as SECOND } from '../functions/domain/durations.ts';
import { takeMaintenanceDoses } from './support/journey-scenarios.ts';
import { toLocal } from '../functions/domain/local-time.ts';

const localTimeOf = (at: Date, timeZone: string): string => {
  const local = toLocal(at, timeZone);
  return `${local.hour}:${local.minute}`;
};

/**
 * One patient from enrolment to the third month of maintenance on the local clinic, acting only
 * through the staff API, the emailed links and the virtual clock: about three months in seconds.
 * The first test walks the journey and checks each email arrives at its moment (not a second early);
 * the others read what the walk left behind.
 */
const local = useJourneyDriver();

const clinician = 'ana.rivera@example.org';
const backupClinician = 'wei.chen@example.org';

const subjects = {
  form: 'A short form is waiting for you',
  consult: 'Your appointment is coming up',
  prep: 'Your appointment is tomorrow',
  followUp: 'Your follow-up appointment is coming up',
  refillWindow: 'Time for your monthly check-in',
};
/** A clinician's subject names the kind of step and its deadline ("Follow-up decision due by ..."). */
const decisionSubject = (step: string) =>
  new RegExp(`^${step} due by \\w{3}, \\w{3} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2} [AP]M [A-Z]{3,4}$`);

let patient: EnrolledPatient;
let consultAt: Date;
const sessionStarts: Date[] = [];
const fillTimes: Date[] = [];
let finalView: JourneyView;

describe('the happy path, enrolment to maintenance', () => {
  it('carries a patient from enrolment through four sessions and two refill cycles, each email at its moment', async () => {
    const d = local.driver;
    expect(d.now().toISOString()).toBe(testStartTime.toISOString());

    /** Moves to one second before `at` (nothing yet), then to `at` (exactly one such email, now). */
    async function expectEmailAt(
      address: string,
      at: Date,
      subject: string | RegExp,
      howMany = 1,
    ): Promise<ObservedEmail> {
      const matches = (e: ObservedEmail) =>
        typeof subject === 'string' ? e.subject === subject : subject.test(e.subject);
      const countOf = async () => (await d.emailsTo(address)).filter(matches).length;
      await d.advanceTo(new Date(at.getTime() - SECOND));
      const before = await countOf();
      await d.advanceTo(at);
      const mine = (await d.emailsTo(address)).filter(matches);
      expect(mine.length, `${subject} to ${address} at ${at.toISOString()}`).toBe(before + howMany);
      return mine.at(-1) as ObservedEmail;
    }

    // Enrolment starts the journey; the intake questionnaires arrive at once.
    patient = await d.enrolPatient({ timeZone: 'America/Chicago' });
    const [intakeEmail, ...others] = await d.emailsTo(patient.email);
    expect(others).toEqual([]);
    expect([intakeEmail?.subject, intakeEmail?.seenAt.toISOString()]).toEqual([
      subjects.form,
      testStartTime.toISOString(),
    ]);
    const intake = await d.latestLinkFor(patient.email, 'intake');
    expect((await d.submitIntake(intake)).status).toBe(200);

    // The clinic books the consult three days out (10:00 in Chicago); reminders 24 h and 1 h before.
    consultAt = new Date(testStartTime.getTime() + 3 * DAY + 2 * HOUR);
    expect((await d.bookConsult(patient.patientId, consultAt)).status).toBe(200);
    await expectEmailAt(patient.email, new Date(consultAt.getTime() - 24 * HOUR), subjects.consult);
    await expectEmailAt(patient.email, new Date(consultAt.getTime() - 1 * HOUR), subjects.consult);

    // After the consult the evaluation is recorded; screening finds the patient ELIGIBLE.
    await d.advanceTo(new Date(consultAt.getTime() + HOUR));
    expect((await d.recordEvaluation(patient.patientId)).status).toBe(200);
    const screened = await d.journeyOf(patient.patientId);
    expect(screened.screenings.map((s) => s.outcome)).toEqual(['ELIGIBLE']);

    // The clinician approves eligibility, then the plan (4 sessions, a week apart, 10:00 New York time).
    expect((await d.decideEligibility(await d.latestLinkFor(clinician, 'eligibility'), 'approve')).status).toBe(200);
    // a dose every 14 days: each refill supplies two maintenance doses
    const plan = { ...d.defaultPlan(), maintenanceIntervalDays: 14 };
    // the plan needs a PDMP check within the protocol's window; staff record it before approval
    expect((await d.recordPdmpCheck(patient.patientId)).status).toBe(200);
    const approved = await d.approvePlan(await d.latestLinkFor(clinician, 'treatment-plan'), plan);
    expect(approved.html).toContain('The plan is approved (4 sessions)');

    for (let n = 1; n <= 4; n++) {
      const start = plan.plannedSessionTimes[n - 1] as Date;
      sessionStarts.push(start);
      // preparation reminder the day before at 18:00 on the patient's own clock
      await expectEmailAt(
        patient.email,
        atLocalHour(new Date(start.getTime() - DAY), patient.timeZone, 18),
        subjects.prep,
      );
      // the check-in link 2 h before the start
      await expectEmailAt(patient.email, new Date(start.getTime() - 2 * HOUR), subjects.form);
      const cleared = await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'));
      expect(cleared.html).toContain('You are cleared for today');
      // the hour, then the recovery check and the journal prompt, both 60 min after the start
      await expectEmailAt(patient.email, new Date(start.getTime() + HOUR), subjects.form, 2);
      const recovered = await d.submitForm(await d.latestLinkFor(patient.email, 'recovery'), [['recoveredNow', 'yes']]);
      expect(recovered.html).toContain('The adult with you may leave');
      if (n === 1) {
        // after the first dose, the clinician's task to check in 1 to 2 days later
        const task = await d.latestLinkFor(clinician, 'first-dose-check-in');
        expect(
          (
            await d.submitForm(task, [
              ['decision', 'CHECKED_IN'],
              ['note', 'Called the next day: slept well.'],
            ])
          ).status,
        ).toBe(200);
      }
      const journal = await d.writeJournal(await d.latestLinkFor(patient.email, 'journal'));
      expect(journal.html).toContain('Your journal has been sent');
      if (n === 2 || n === 4) {
        const assessment = await d.latestLinkFor(patient.email, 'assessment');
        expect((await d.submitAssessment(assessment)).status).toBe(200);
      }
    }

    // Follow-up: reminders 24 h and 1 h before the plan's follow-up date, then the clinician is asked at
    // that date (not when the last assessment came in), sees the computed response and chooses maintenance.
    const decisionsSoFar = (await d.emailsTo(clinician)).length;
    await expectEmailAt(patient.email, new Date(plan.followUpAt.getTime() - 24 * HOUR), subjects.followUp);
    const followUpReminder = await expectEmailAt(
      patient.email,
      new Date(plan.followUpAt.getTime() - 1 * HOUR),
      subjects.followUp,
    );
    expect(followUpReminder.text).toContain('follow-up appointment');
    expect(await d.emailsTo(clinician)).toHaveLength(decisionsSoFar);
    await expectEmailAt(clinician, plan.followUpAt, decisionSubject('Follow-up decision'));
    const followUp = await d.latestLinkFor(clinician, 'follow-up-decision');
    const followUpText = followUp.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(followUpText).toContain(
      'GAD-7 (anxiety) Baseline 12 Latest 4 Change fell 67 % Response Yes . GAD-7 fell from 12 to 4 (66.7 % of baseline, response needs 50 %). Remission Yes . GAD-7 is 4, below 5, from a baseline of 12.',
    );
    expect(followUpText).toContain(
      'PHQ-9 (depression) Baseline 14 Latest 5 Change fell 64 % Response Yes . PHQ-9 fell from 14 to 5 (64.3 % of baseline, response needs 50 %). Remission No . PHQ-9 is 5; remission needs a score below 5.',
    );
    expect((await d.decideFollowUp(followUp, 'MAINTENANCE')).status).toBe(200);
    expect((await d.journeyOf(patient.patientId)).journey.phase).toBe('maintenance');

    // Two refill cycles. The first: the follow-up came more than 28 days after the initial fill, so its
    // window opens at once and the gate lets the request through. The second: the window opens 3 days
    // before the 28 days are up, the gate waits for day 28. The clinician approves, the fill is recorded.
    fillTimes.push(new Date(String((await d.journeyOf(patient.patientId)).fills[0]?.filledAt)));
    const maintenanceFrom = d.now();
    expect(maintenanceFrom.getTime() - (fillTimes[0] as Date).getTime()).toBeGreaterThan(28 * DAY);
    for (let cycle = 1; cycle <= 2; cycle++) {
      const lastFill = fillTimes.at(-1) as Date;
      const windowOpens =
        cycle === 1 ? new Date(maintenanceFrom.getTime() + SECOND) : new Date(lastFill.getTime() + 25 * DAY);
      await expectEmailAt(patient.email, windowOpens, subjects.refillWindow);
      const request = await d.latestLinkFor(patient.email, 'refill-request');
      await d.recordPdmpCheck(patient.patientId);
      expect((await d.requestRefill(request)).html).toContain('Your request has been sent');
      if (cycle === 1)
        expect((await d.emailsTo(clinician)).at(-1)?.subject).toMatch(decisionSubject('Refill approval'));
      else await expectEmailAt(clinician, new Date(lastFill.getTime() + 28 * DAY), decisionSubject('Refill approval'));
      expect((await d.approveRefill(await d.latestLinkFor(clinician, 'refill-approval'))).status).toBe(200);
      const fills = (await d.journeyOf(patient.patientId)).fills;
      expect(fills).toHaveLength(cycle + 1);
      // a dose every 14 days for 30 days: two maintenance doses, numbered after every session so far
      expect(fills.at(-1)).toMatchObject({ quantity: 2, doseMg: plan.doseMg, firstSessionNumber: 3 + 2 * cycle });
      fillTimes.push(new Date(String(fills.at(-1)?.filledAt)));
      // every dose is a dose: each runs the whole session flow before the next window opens
      expect(await takeMaintenanceDoses(d, patient)).toEqual([3 + 2 * cycle, 4 + 2 * cycle]);
    }
    finalView = await d.journeyOf(patient.patientId);
  }, 180_000);

  it('ends the journey execution SUCCEEDED at maintenance, refill cycles 1 and 2 SUCCEEDED, cycle 3 RUNNING for its window', async () => {
    const executions = await local.driver.executions();
    const mine = executions.filter((e) => e.name.includes(patient.journeyId));
    const status = (name: string) => mine.find((e) => e.name === name)?.status;
    expect(status(`journey-${patient.journeyId}`)).toBe('SUCCEEDED');
    expect(status(`${patient.journeyId}-refill-1`)).toBe('SUCCEEDED');
    expect(status(`${patient.journeyId}-refill-2`)).toBe('SUCCEEDED');
    expect(status(`${patient.journeyId}-refill-3`)).toBe('RUNNING');
    expect(mine.filter((e) => e.status !== 'SUCCEEDED').map((e) => e.name)).toEqual([`${patient.journeyId}-refill-3`]);
    expect(
      mine
        .filter((e) => e.stateMachine === 'induction-session')
        .map((e) => e.name)
        .sort(),
    ).toEqual(
      [
        ...[1, 2, 3, 4].map((n) => `${patient.journeyId}-plan1-session-${n}`),
        ...[
          [1, 5],
          [1, 6],
          [2, 7],
          [2, 8],
        ].map(([cycle, n]) => `${patient.journeyId}-refill-${cycle}-session-${n}`),
      ].sort(),
    );
    expect(finalView.journey.phase).toBe('maintenance');
    expect(finalView.journey.status).toBe('active');
  });

  it('records the initial fill at induction and exactly one fill per approved refill, 28 days apart', () => {
    expect(finalView.fills.map((f) => f.cycle)).toEqual([0, 1, 2]);
    const [initial, first, second] = fillTimes as [Date, Date, Date];
    // the first refill waited for the follow-up decision, past day 28
    expect(first.getTime() - initial.getTime()).toBeGreaterThan(28 * DAY);
    expect(second.getTime() - first.getTime()).toBe(28 * DAY);
  });

  it('keeps every session, check-in, journal and assessment: four induction sessions and four maintenance doses, each cleared and with a journal', () => {
    const induction = finalView.sessions.filter((s) => Number(s.number) <= 4);
    expect(induction.map((s) => [s.number, s.status, s.plannedStart])).toEqual(
      sessionStarts.map((start, i) => [i + 1, 'completed', start.toISOString()]),
    );
    expect(finalView.sessions.map((s) => [s.number, s.status])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, 'completed']),
    );
    expect(finalView.sessions.every((s) => s['journalRef'] !== null)).toBe(true);
    // each session names the check-in that cleared it
    expect(finalView.sessions.map((s) => s['checkInRef'])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `session-${n}-a1-check-in`),
    );
    expect(finalView.checkIns.map((c) => [c['sessionNumber'], c['outcome']])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, 'CLEARED']),
    );
    expect(finalView.journalEntries).toHaveLength(8);
    // a fill's first dose waits for delivery (48 h), the next comes 14 days later at the plan's local time
    const starts = finalView.sessions.map((s) => new Date(String(s.plannedStart)));
    const [, first, second] = fillTimes as [Date, Date, Date];
    expect((starts[4] as Date).getTime()).toBeGreaterThanOrEqual(first.getTime() + 48 * HOUR);
    expect((starts[6] as Date).getTime()).toBeGreaterThanOrEqual(second.getTime() + 48 * HOUR);
    expect(starts.map((start) => localTimeOf(start, patient.timeZone))).toEqual(
      starts.map(() => localTimeOf(starts[0] as Date, patient.timeZone)),
    );
    expect((starts[5] as Date).getTime() - (starts[4] as Date).getTime()).toBeGreaterThanOrEqual(14 * DAY - 2 * HOUR);
    // after session 2, after the last, and one with each refill request
    expect(finalView.assessments.map((a) => a['stepKey']).sort()).toEqual([
      'refill-1-request-1',
      'refill-2-request-1',
      'session-2-a1-assessment',
      'session-4-a1-assessment',
    ]);
  });

  it('sent the patient 43 emails and the clinician 8, none to the backup clinician, and never a word of PHI', async () => {
    const d = local.driver;
    const toPatient = await d.emailsTo(patient.email);
    const count = (subject: string) => toPatient.filter((e) => e.subject === subject).length;
    // intake + 8 x (check-in, recovery check, journal) for 4 induction sessions and 4 maintenance doses + 2 assessments + 2 refill requests
    expect(count(subjects.form)).toBe(1 + 24 + 2 + 2);
    expect(count(subjects.consult)).toBe(2);
    expect(count(subjects.followUp)).toBe(2);
    expect(count(subjects.prep)).toBe(8);
    expect(count(subjects.refillWindow)).toBe(2);
    expect(toPatient).toHaveLength(43);
    // consult booking, evaluation, eligibility, plan, the check-in after the first dose, follow-up, 2 refill approvals
    const toClinician = await d.emailsTo(clinician);
    const steps = [
      'Consult booking',
      'Consult notes',
      'Eligibility decision',
      'Plan approval',
      'Check-in after the first session',
      'Follow-up decision',
      'Refill approval',
      'Refill approval',
    ];
    expect(toClinician.map((e) => e.subject)).toEqual(
      steps.map((step) => expect.stringMatching(decisionSubject(step))),
    );
    expect(await d.emailsTo(backupClinician)).toEqual([]);

    for (const email of [...toPatient, ...toClinician]) {
      expect(phiIn(email, patient.lastName), `${email.subject}: ${email.text ?? ''}`).toEqual([]);
      expect(email.from).toBe(local.clinic.clinic.senderEmail);
    }
    // the patient is greeted by first name and nothing else
    expect(toPatient.every((e) => (e.text ?? '').startsWith(`Hello ${patient.firstName},`))).toBe(true);
  });

  it('audits every decision with its reasons and the protocol version, and who made it', () => {
    const audit = finalView.audit;
    const protocolVersion = finalView.screenings[0]?.protocolVersion;
    expect(protocolVersion).toMatch(/\S/);
    const decisionActions = [
      'step.decided',
      'screening.decided',
      'refill.gate-decided',
      'fill.initial-recorded',
      'fill.refill-recorded',
      'journey.follow-up-response',
      'session.planned',
      'session.completed',
    ];
    const decisions = audit.filter((e) => decisionActions.includes(String(e.action)));
    expect(new Set(decisions.map((e) => e.action))).toEqual(new Set(decisionActions));
    for (const event of decisions) {
      expect(event.reason, `${event.action} at ${event.at}`).toMatch(/\S/);
      expect(event.protocolVersion, `${event.action} at ${event.at}: ${event.reason}`).toBe(protocolVersion);
    }

    const decided = (purpose: string) =>
      audit
        .filter((e) => e.action === 'step.decided' && e.details?.['purpose'] === purpose)
        .map((e) => ({ ...e, actor: `${e.actor?.type}:${e.actor?.id}` }));
    expect(decided('eligibility').map((e) => [e.actor, e.details?.['decision'], e.reason])).toEqual([
      ['clinician:dr-rivera', 'APPROVED', 'eligibility approved'],
    ]);
    expect(decided('treatment-plan').map((e) => e.actor)).toEqual(['clinician:dr-rivera']);
    // four induction sessions and four maintenance doses, each through the check-in gate
    expect(decided('check-in').map((e) => e.details?.['decision'])).toEqual(Array.from({ length: 8 }, () => 'CLEARED'));
    expect(decided('follow-up-decision').map((e) => [e.actor, e.details?.['decision']])).toEqual([
      ['clinician:dr-rivera', 'MAINTENANCE'],
    ]);
    expect(decided('refill-approval').map((e) => [e.actor, e.details?.['decision']])).toEqual([
      ['clinician:dr-rivera', 'APPROVED'],
      ['clinician:dr-rivera', 'APPROVED'],
    ]);
    // each refill records what it supplies and why, under the protocol's version
    const refills = audit.filter((e) => e.action === 'fill.refill-recorded');
    expect(refills.map((e) => [e.details?.['doses'], e.details?.['firstSessionNumber'], e.protocolVersion])).toEqual([
      [2, 5, protocolVersion],
      [2, 7, protocolVersion],
    ]);
    expect(
      refills.every((e) => String(e.details?.['quantityReasons']).includes('a dose every 14 days for 30 days')),
    ).toBe(true);
    expect(decided('consult-booking').map((e) => e.actor)).toEqual(['staff:local-staff']);

    const screening = audit.filter((e) => e.action === 'screening.decided');
    expect(screening.map((e) => e.reason)).toEqual(['ELIGIBLE: no exclusion or review reason']);
    // the gate said "not yet" at day 25 with its reason, and "approvable" at day 28, for each cycle
    // (the first cycle's request came after the follow-up, past day 28: no "not yet")
    const gate = audit.filter((e) => e.action === 'refill.gate-decided').map((e) => String(e.reason));
    expect(gate.filter((r) => r.startsWith('REFUSED: 25 day(s) since the last fill'))).toHaveLength(1);
    expect(gate.filter((r) => r.startsWith('APPROVABLE'))).toHaveLength(2);

    const response = audit.find((e) => e.action === 'journey.follow-up-response');
    expect(response?.details).toMatchObject({
      gad7: { baseline: 12, latest: 4, response: true, remission: true },
      phq9: { baseline: 14, latest: 5, response: true, remission: false },
    });
    expect(audit.filter((e) => e.action === 'fill.refill-recorded')).toHaveLength(2);
    expect(audit.filter((e) => e.action === 'fill.initial-recorded')).toHaveLength(1);
  });

  it('writes every audit item of the journey in the shape the audit schema describes, the actor as {type, id}', () => {
    expect(finalView.audit.length).toBeGreaterThan(50);
    for (const event of finalView.audit) {
      const parsed = auditEventSchema.safeParse(event);
      expect(
        parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        `${String(event.action)} at ${String(event.at)}`,
      ).toEqual([]);
    }
    expect(new Set(finalView.audit.map((e) => e.actor?.type))).toEqual(
      new Set(['patient', 'clinician', 'staff', 'system']),
    );
  });
});
