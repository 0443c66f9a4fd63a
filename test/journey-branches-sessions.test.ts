import { describe, expect, it } from 'vitest';
import { toLocal } from '../functions/domain/local-time.ts';
import { atLocalHour, phiIn, useJourneyDriver } from './support/journey-driver.ts';
import {
  branchClinicConfig,
  careTeam,
  clinicianLinkFor,
  completeSessionWithoutJournal,
  DAY,
  expectPageStatus,
  HOUR,
  later,
  mainText,
  MINUTE,
  plannedStartOf,
  sessionView,
  toInduction,
} from './support/journey-scenarios.ts';

const local = useJourneyDriver({ clinicConfig: branchClinicConfig });

/** DESIGN.md section 3: quiet hours 21:00-08:00 in the patient's time zone. */
function outOfQuietHours(at: Date, timeZone: string): Date {
  const hour = toLocal(at, timeZone).hour;
  if (hour >= 21) return atLocalHour(later(at, DAY), timeZone, 8);
  if (hour < 8) return atLocalHour(at, timeZone, 8);
  return at;
}

describe('induction sessions: the branches', () => {
  it('chest pain at check-in sends the patient to emergency care, puts them on hold and asks the clinician to decide; no session runs', async () => {
    const d = local.driver;
    const team = careTeam(1);
    const { patient } = await toInduction(d, { team });
    const start = await plannedStartOf(d, patient, 1);
    await d.advanceTo(later(start, -2 * HOUR));
    const mark = await d.mark();
    // blood pressure is normal: chest pain alone is the emergency
    const answer = expectPageStatus(
      await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'), { redFlagSymptoms: ['chest-pain'] }),
      200,
      'check-in',
    );
    expect(mainText(answer.html)).toMatch(/emergency care/i);
    expect(mainText(answer.html)).toMatch(/do not take today's dose/i);

    const view = await d.journeyOf(patient.patientId);
    expect(view.journey.onHold).toBe(true);
    expect(view.adverseEvents).toHaveLength(1);
    expect(JSON.stringify(view.adverseEvents[0])).toMatch(/chest-pain/);
    const checkIn = view.checkIns[0] as { outcome?: string; reasons?: { code: string }[]; protocolVersion?: string };
    expect(checkIn.outcome).toBe('EMERGENCY');
    expect(checkIn.reasons?.map((r) => r.code)).toContain('EMERGENCY_SYMPTOM');
    expect(checkIn.protocolVersion).toEqual(expect.any(String));

    // the clinician is told at once and asked to decide about the hold
    const toClinician = (await d.emailsSince(mark)).filter((email) => email.to.includes(team.email));
    expect(toClinician.length).toBeGreaterThan(0);
    for (const email of toClinician) expect(phiIn(email, patient.lastName)).toEqual([]);
    await clinicianLinkFor(d, patient, 'hold-decision', team.email);

    // the hour passes: no session was recorded, no journal is asked for
    await d.advanceTo(later(start, 2 * HOUR));
    expect((await sessionView(d, patient, 1))?.status).not.toBe('completed');
    const journalLinks = (await d.linkPagesFor(patient.email)).filter((page) => page.purpose === 'journal');
    expect(journalLinks).toEqual([]);
  });

  it('a missed check-in tells the clinician when the window closes, and the session is planned again with a new check-in', async () => {
    const d = local.driver;
    const team = careTeam(2);
    const { patient } = await toInduction(d, { team });
    const start = await plannedStartOf(d, patient, 1);
    await d.advanceTo(later(start, -2 * HOUR));
    const firstLink = await d.latestLinkFor(patient.email, 'check-in');
    const mark = await d.mark();

    // the window closes 1 h after the planned start, with no check-in
    await d.advanceTo(later(start, HOUR + MINUTE));
    const view = await d.journeyOf(patient.patientId);
    expect(view.audit.filter((event) => event.action === 'session.missed')).toHaveLength(1);
    const notices = (await d.emailsSince(mark)).filter((email) => email.to.includes(team.email));
    expect(notices).toHaveLength(1);
    expect(phiIn(notices[0] as (typeof notices)[number], patient.lastName)).toEqual([]);
    expect(view.journey.onHold).not.toBe(true);

    // the old link is closed: a late check-in changes nothing
    const late = await d.checkIn(firstLink);
    expect(late.status).toBe(410);
    expect((await d.journeyOf(patient.patientId)).checkIns).toEqual([]);

    // the session is planned again, later, and the new check-in clears it
    const again = await plannedStartOf(d, patient, 1);
    expect(again.getTime()).toBeGreaterThan(start.getTime());
    await d.advanceTo(later(again, -2 * HOUR));
    const newLink = await d.latestLinkFor(patient.email, 'check-in');
    expect(newLink.url).not.toBe(firstLink.url);
    expectPageStatus(await d.checkIn(newLink), 200, 'check-in for the planned-again session');
    await d.advanceTo(later(again, 61 * MINUTE));
    expect((await sessionView(d, patient, 1))?.status).toBe('completed');
  });

  it('a missing journal blocks the next session: the patient is nudged at 12 h, the clinician alerted at 48 h, and session 2 waits until the journal is written', async () => {
    const d = local.driver;
    const team = careTeam(3);
    const { patient } = await toInduction(d, { team });
    const start = await completeSessionWithoutJournal(d, patient, 1);
    const journalLink = await d.latestLinkFor(patient.email, 'journal');
    // DESIGN.md: the journal prompt goes out 60 min after the start
    const prompt = later(start, 60 * MINUTE);

    const mark = await d.mark();
    // the nudge is a free-floating reminder: 12 h after the prompt, moved out of the patient's quiet hours
    const nudgeDue = outOfQuietHours(later(prompt, 12 * HOUR), patient.timeZone);
    await d.advanceTo(later(prompt, 12 * HOUR - MINUTE));
    expect((await d.emailsSince(mark)).filter((email) => email.to.includes(patient.email))).toEqual([]);
    await d.advanceTo(later(nudgeDue, MINUTE));
    const nudges = (await d.emailsSince(mark)).filter((email) => email.to.includes(patient.email));
    expect(nudges).toHaveLength(1);
    // the nudge carries a journal link of its own; the prompt's link still works too
    expect((await d.latestLinkFor(patient.email, 'journal')).email.messageId).toBe(nudges[0]?.messageId);
    expect((await d.openLink(journalLink.url)).status).toBe(200);
    expect(nudges[0]?.seenAt.getTime()).toBeGreaterThanOrEqual(nudgeDue.getTime());

    // not before 48 h
    await d.advanceTo(later(prompt, 47 * HOUR));
    expect((await d.emailsSince(mark)).filter((email) => email.to.includes(team.email))).toEqual([]);
    await d.advanceTo(later(prompt, 48 * HOUR + MINUTE));
    const alerts = (await d.emailsSince(mark)).filter((email) => email.to.includes(team.email));
    expect(alerts).toHaveLength(1);
    expect(phiIn(alerts[0] as (typeof alerts)[number], patient.lastName)).toEqual([]);

    // session 2 is blocked while the journal is missing: no check-in link on its planned day
    const secondPlanned = later(start, 7 * DAY);
    await d.advanceTo(later(secondPlanned, -HOUR));
    const checkIns = (await d.linkPagesFor(patient.email)).filter(
      (page) => page.purpose === 'check-in' && page.status === 200,
    );
    expect(checkIns).toEqual([]);
    expect((await sessionView(d, patient, 2))?.status).not.toBe('completed');

    // the clinician decides to ask again; once the journal is written, session 2 goes ahead
    expectPageStatus(
      await d.decideMissingJournal(
        await clinicianLinkFor(d, patient, 'journal-missing', team.email),
        'ASK_AGAIN',
        'Called the patient; they will write it today.',
      ),
      200,
      'missing-journal decision',
    );
    expectPageStatus(await d.writeJournal(await d.latestLinkFor(patient.email, 'journal')), 200, 'late journal');
    expect((await d.journeyOf(patient.patientId)).journalEntries).toHaveLength(1);
    const second = await plannedStartOf(d, patient, 2);
    await d.advanceTo(later(second, -2 * HOUR));
    expectPageStatus(await d.checkIn(await d.latestLinkFor(patient.email, 'check-in')), 200, 'check-in for session 2');
    await d.advanceTo(later(second, 61 * MINUTE));
    expect((await sessionView(d, patient, 2))?.status).toBe('completed');
  });
});
