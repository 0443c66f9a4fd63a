import { describe, expect, it } from 'vitest';
import { phiIn, useJourneyDriver, type EnrolledPatient, type TreatmentPlanInput } from './support/journey-driver.ts';
import { afterSessionHour, backupClinicianEmail, mainText, toMaintenance } from './support/journey-scenarios.ts';
import { HOUR_MS as HOUR } from '../functions/domain/durations.ts';

/**
 * Blood pressure at check-in and the clinical hold, on the local clinic through the patient's and the
 * clinician's links: 150/95 postpones the session to the time the page offers; 185/115 with a change in
 * vision (a hypertensive crisis with a sign of organ damage) sends the patient to emergency care and holds them; a severe side effect in the journal holds them too, and the
 * clinician's decision either resumes the induction or discharges the patient.
 */
const local = useJourneyDriver();

const clinician = 'ana.rivera@example.org';
const urgent = 'Urgent: please review today';
const notice = 'A patient step needs your attention';

async function toFirstCheckIn(): Promise<{ patient: EnrolledPatient; plan: TreatmentPlanInput; start: Date }> {
  const d = local.driver;
  const { patient, plan } = await d.throughPlan();
  const start = plan.plannedSessionTimes[0] as Date;
  await d.advanceTo(new Date(start.getTime() - 2 * HOUR));
  return { patient, plan, start };
}

async function sessionOne(patient: EnrolledPatient) {
  return (await local.driver.journeyOf(patient.patientId)).sessions.find((s) => s.number === 1);
}

async function clinicianEmailsSince(mark: number, subject: string) {
  return (await local.driver.emailsSince(mark)).filter((e) => e.to.includes(clinician) && e.subject === subject);
}

describe('blood pressure at check-in', () => {
  it('150/95 postpones the session: no dose today, the clinician is told, and the new attempt is planned at the time the page offered', async () => {
    const d = local.driver;
    const { patient, start } = await toFirstCheckIn();
    const mark = await d.mark();
    const answer = await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'), {
      bpReadings: [
        { systolic: 150, diastolic: 95 },
        { systolic: 148, diastolic: 92 },
      ],
    });
    expect(answer.status).toBe(200);
    expect(mainText(answer.html)).toContain("Today's session is postponed. Please do not take today's dose.");

    const view = await d.journeyOf(patient.patientId);
    const checkIn = view.checkIns[0] as {
      outcome?: string;
      suggestedStart?: string;
      reasons?: { code: string }[];
      protocolVersion?: string;
    };
    expect(checkIn.outcome).toBe('POSTPONED');
    expect(checkIn.protocolVersion).toMatch(/\S/);
    expect(view.journey.onHold).toBe(false);
    // same time of day, a day later: what the page showed is what the workflow planned
    expect(checkIn.suggestedStart).toBe(new Date(start.getTime() + 24 * HOUR).toISOString());
    const session = await sessionOne(patient);
    expect([session?.status, session?.['attempt'], session?.plannedStart]).toEqual([
      'planned',
      2,
      checkIn.suggestedStart,
    ]);
    expect(await clinicianEmailsSince(mark, notice)).toHaveLength(1);
    expect(view.audit.some((e) => e.action === 'session.postponed')).toBe(true);

    // the new attempt gets its own check-in link 2 h before the new time, and clears
    await d.advanceTo(new Date(Date.parse(String(checkIn.suggestedStart)) - 2 * HOUR));
    const cleared = await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'));
    expect(cleared.html).toContain('You are cleared for today');
    await d.advanceTo(new Date(Date.parse(String(checkIn.suggestedStart)) + HOUR));
    expect((await sessionOne(patient))?.status).toBe('completed');
  });

  it('185/115 with a change in vision sends the patient to emergency care and puts them on hold; the clinician is alerted and discharges', async () => {
    const d = local.driver;
    const { patient, start } = await toFirstCheckIn();
    const mark = await d.mark();
    const answer = await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'), {
      bpReadings: [
        { systolic: 185, diastolic: 115 },
        { systolic: 182, diastolic: 112 },
      ],
      redFlagSymptoms: ['vision-change'],
    });
    expect(answer.html).toContain('Please go to emergency care now');

    const held = await d.journeyOf(patient.patientId);
    expect(held.journey.onHold).toBe(true);
    expect((held.checkIns[0] as { outcome?: string }).outcome).toBe('EMERGENCY');
    expect(held.adverseEvents.map((e) => [e['kind'], e['status']])).toEqual([['red-flag-at-check-in', 'open']]);
    expect(await sessionOne(patient)).toMatchObject({ status: 'emergency', checkInRef: 'session-1-a1-check-in' });
    expect(await clinicianEmailsSince(mark, urgent)).toHaveLength(1);
    // the workflow makes sure of the hold itself too, under the page's adverse event id: still one event, one alert
    const [session1] = await d.executions({
      stateMachine: 'induction-session',
      namePrefix: `${patient.journeyId}-plan1-session-1`,
    });
    expect(await d.statesEntered(session1?.executionArn ?? '')).toContain("Make sure the check-in's hold is placed");
    for (const email of await d.emailsSince(mark)) expect(phiIn(email, patient.lastName)).toEqual([]);

    // the hour passes while on hold: no session is recorded and no journal asked for
    await d.advanceTo(new Date(start.getTime() + 2 * HOUR));
    expect((await sessionOne(patient))?.status).not.toBe('completed');
    expect((await d.linkPagesFor(patient.email)).filter((p) => p.purpose === 'journal')).toEqual([]);

    const hold = await d.latestLinkFor(clinician, 'hold-decision', { mentioning: patient.lastName });
    expect(hold.html).toContain('185/115');
    expect((await d.decideHold(hold, 'DISCHARGE')).status).toBe(200);
    const after = await d.journeyOf(patient.patientId);
    expect([after.journey.phase, after.journey.status, after.journey.onHold]).toEqual(['discharged', 'closed', false]);
    expect((await d.execution(`journey-${patient.journeyId}`))?.status).toBe('SUCCEEDED');
    const decision = after.audit.find((e) => e.action === 'step.decided' && e.details?.['purpose'] === 'hold-decision');
    expect([decision?.details?.['decision'], decision?.protocolVersion]).toEqual([
      'DISCHARGE',
      after.screenings[0]?.protocolVersion,
    ]);
  });
});

describe('a severe side effect reported in the journal', () => {
  async function heldAfterSessionOne(): Promise<{ patient: EnrolledPatient; plan: TreatmentPlanInput; mark: number }> {
    const d = local.driver;
    const { patient, plan, start } = await toFirstCheckIn();
    await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'));
    await d.advanceTo(new Date(start.getTime() + HOUR));
    await afterSessionHour(d, patient);
    const mark = await d.mark();
    const journal = await d.writeJournal(await d.latestLinkFor(patient.email, 'journal'), { headache: 'severe' });
    expect(journal.html).toContain('Please do not take another dose until they do');
    const view = await d.journeyOf(patient.patientId);
    expect(view.journey.onHold).toBe(true);
    expect(view.adverseEvents.map((e) => [e['kind'], e['status']])).toEqual([['severe-side-effect', 'open']]);
    expect(view.sideEffectReports.map((r) => r['triage'])).toEqual(['ADVERSE_EVENT']);
    expect(await clinicianEmailsSince(mark, urgent)).toHaveLength(1);
    // the workflow makes sure of the hold itself too (a no-op here: the page placed it)
    const [session1] = await d.executions({
      stateMachine: 'induction-session',
      namePrefix: `${patient.journeyId}-plan1-session-1`,
    });
    expect(await d.statesEntered(session1?.executionArn ?? '')).toContain("Make sure the journal's hold is placed");
    return { patient, plan, mark };
  }

  it('holds the patient: nothing reaches them for session 2, and when the clinician resumes it is planned again and runs', async () => {
    const d = local.driver;
    const { patient, plan } = await heldAfterSessionOne();
    const second = plan.plannedSessionTimes[1] as Date;
    // nothing reaches the patient while on hold, even past session 2's preparation and check-in times
    const quiet = await d.mark();
    const hold = await d.latestLinkFor(clinician, 'hold-decision', { mentioning: patient.lastName });
    expect(hold.html).toContain('severe headache');
    const withoutNote = await d.decideHold(hold, 'RESUME', '');
    expect(withoutNote.status).toBe(400);
    // (session 2 may already be on the calendar: the journal reached the workflow a moment before the
    // hold landed; the hold then stopped it before anything was sent)
    await d.advanceTo(new Date(second.getTime() - 2 * HOUR));
    expect((await d.emailsSince(quiet)).filter((e) => e.to.includes(patient.email))).toEqual([]);

    // an unanswered hold decision went to the backup clinician and stays open for a week, not 72 h
    expect((await d.openLink(hold.url)).status).toBe(200);
    expect((await d.emailsSince(quiet)).filter((e) => e.to.includes(backupClinicianEmail))).toHaveLength(1);
    // then it expires as "not decided" and is asked again: the hold stays
    await d.advanceTo(new Date(second.getTime() + HOUR));
    expect((await d.openLink(hold.url)).status).toBe(410);
    expect((await d.journeyOf(patient.patientId)).journey.onHold).toBe(true);
    const askedAgain = await d.latestLinkFor(clinician, 'hold-decision', { mentioning: patient.lastName });
    expect(
      (await d.decideHold(askedAgain, 'RESUME', 'Headache settled; reviewed by phone, blood pressure normal.')).status,
    ).toBe(200);
    const resumed = await d.journeyOf(patient.patientId);
    expect(resumed.journey.onHold).toBe(false);
    expect(resumed.adverseEvents.map((e) => e['status'])).toEqual(['resolved']);
    expect(resumed.audit.some((e) => e.action === 'journey.hold-lifted')).toBe(true);
    const session2 = resumed.sessions.find((s) => s.number === 2);
    expect([session2?.status, session2?.['attempt']]).toEqual(['planned', 2]);

    const start2 = new Date(String(session2?.plannedStart));
    await d.advanceTo(new Date(start2.getTime() - 2 * HOUR));
    expect((await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'))).html).toContain(
      'You are cleared for today',
    );
    await d.advanceTo(new Date(start2.getTime() + HOUR));
    expect((await d.journeyOf(patient.patientId)).sessions.find((s) => s.number === 2)?.status).toBe('completed');
  });

  it('holds the patient until the clinician discharges: the journey ends discharged and nothing more is sent', async () => {
    const d = local.driver;
    const { patient, plan } = await heldAfterSessionOne();
    const hold = await d.latestLinkFor(clinician, 'hold-decision', { mentioning: patient.lastName });
    expect((await d.decideHold(hold, 'DISCHARGE')).status).toBe(200);
    const after = await d.journeyOf(patient.patientId);
    expect([after.journey.phase, after.journey.status, after.journey.onHold]).toEqual(['discharged', 'closed', false]);
    expect((await d.execution(`journey-${patient.journeyId}`))?.status).toBe('SUCCEEDED');

    const mark = await d.mark();
    await d.advanceTo(new Date((plan.plannedSessionTimes[3] as Date).getTime() + 2 * HOUR));
    expect((await d.emailsSince(mark)).filter((e) => e.to.includes(patient.email))).toEqual([]);
    expect(
      (await d.journeyOf(patient.patientId)).sessions.filter((s) => s.status === 'completed').map((s) => s.number),
    ).toEqual([1]);
    const running = (await d.executions()).filter((e) => e.name.includes(patient.journeyId) && e.status === 'RUNNING');
    expect(running).toEqual([]);
  });
});

describe('an adverse event during maintenance', () => {
  it('holds the refill cycle; the clinician may resume or discharge but not start a new plan from it, and resuming opens the refill window', async () => {
    const d = local.driver;
    const { patient } = await toMaintenance(d);
    const cycle = `${patient.journeyId}-refill-1`;
    expect((await d.execution(cycle))?.status).toBe('RUNNING');
    const reported = await d.reportAdverseEvent(patient.patientId, {
      kind: 'severe-side-effect',
      description: 'Fainted at home two days after the last dose.',
    });
    expect(reported.status).toBe(201);
    expect((await d.journeyOf(patient.patientId)).journey.onHold).toBe(true);

    const hold = await d.latestLinkFor(clinician, 'hold-decision', { mentioning: patient.lastName });
    expect(hold.html).toContain('Fainted at home');
    // the refill cycle cannot act on "new plan": refused with the choices it can act on, nothing recorded
    const newPlan = await d.decideHold(hold, 'NEW_PLAN');
    expect(newPlan.status).toBe(400);
    expect(newPlan.html).toContain('Please use one of the buttons at the end of the form to decide');
    expect((await d.openLink(hold.url)).status).toBe(200);
    expect(
      (await d.journeyOf(patient.patientId)).audit.filter(
        (e) => e.action === 'step.decided' && e.details?.['purpose'] === 'hold-decision',
      ),
    ).toEqual([]);

    expect((await d.decideHold(hold, 'RESUME', 'Seen in clinic; vasovagal faint, safe to continue.')).status).toBe(200);
    const resumed = await d.journeyOf(patient.patientId);
    expect([resumed.journey.onHold, resumed.journey.phase]).toEqual([false, 'maintenance']);
    const lastFill = new Date(String(resumed.fills.at(-1)?.filledAt));
    // the window opens 3 days before the 28 days are up, as before the hold
    await d.advanceTo(new Date(lastFill.getTime() + 25 * 24 * HOUR));
    await d.awaitLink(patient.email, 'refill-request', { withinSeconds: 12 * 3600 });
    expect((await d.execution(cycle))?.status).toBe('RUNNING');
  }, 120_000);
});
