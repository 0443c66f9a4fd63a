import { describe, expect, it } from 'vitest';
import { useJourneyDriver } from './support/journey-driver.ts';
import {
  auditOf,
  awaitClinicianLink,
  branchClinicConfig,
  careTeam,
  completeSession,
  DAY,
  expectPageStatus,
  HOUR,
  later,
  mainText,
  MINUTE,
  plannedStartOf,
  refillOnce,
  sessionView,
  suppliedDoses,
  toMaintenance,
} from './support/journey-scenarios.ts';

const local = useJourneyDriver({ clinicConfig: branchClinicConfig });

const FLOW_TIMEOUT = 300_000;

/** The decision buttons a clinician page offers, by their value. */
const decisionsOffered = (html: string): string[] =>
  [...html.matchAll(/name="decision" value="([A-Z_]+)"/g)].map((match) => match[1] as string);

describe('maintenance doses: every dose after induction is gated like an induction session', () => {
  it(
    "a refill supplies the plan's doses; each has its preparation reminder and check-in gate, and high blood pressure postpones it",
    async () => {
      const d = local.driver;
      const team = careTeam(1);
      const { patient } = await toMaintenance(d, { team });
      const filledAt = await refillOnce(d, patient, team);
      // the tests' plan doses every 28 days: one maintenance dose per 30-day fill, numbered after induction's four
      expect(await suppliedDoses(d, patient)).toEqual([5]);

      // the first dose waits for delivery, then comes with its own preparation reminder and check-in link
      const start = await plannedStartOf(d, patient, 5);
      expect(start.getTime()).toBeGreaterThanOrEqual(filledAt.getTime() + 48 * HOUR);
      const mark = await d.mark();
      await d.advanceTo(later(start, -2 * HOUR));
      const subjects = (await d.emailsSince(mark))
        .filter((email) => email.to.includes(patient.email))
        .map((email) => email.subject);
      expect(subjects.length).toBeGreaterThanOrEqual(2);

      // the gate judges a maintenance dose as any other: high blood pressure postpones it, and no dose is given
      const postponed = await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'), {
        bpReadings: [
          { systolic: 150, diastolic: 95 },
          { systolic: 148, diastolic: 94 },
        ],
      });
      expect(mainText(postponed.html)).toMatch(/not today|postponed/i);
      await d.advanceTo(later(start, 2 * HOUR));
      expect((await sessionView(d, patient, 5))?.status).not.toBe('completed');
      const session = await auditOf(d, patient, 'session.postponed');
      expect(session.map((e) => e.details?.['sessionNumber'])).toEqual([5]);

      // the new attempt goes through the whole flow: check-in, the hour, recovery, journal
      await completeSession(d, patient, 5, false);
      const completed = await sessionView(d, patient, 5);
      expect(completed?.status).toBe('completed');
      expect(completed?.['checkInRef']).toBe('session-5-a2-check-in');
      expect((await d.journeyOf(patient.patientId)).journalEntries.some((entry) => entry['sessionNumber'] === 5)).toBe(
        true,
      );
    },
    FLOW_TIMEOUT,
  );

  it(
    'a hold during a maintenance dose stops it at once; the clinician may resume or discharge (no new plan), and a resume gives the dose after a new check-in',
    async () => {
      const d = local.driver;
      const team = careTeam(2);
      const { patient } = await toMaintenance(d, { team });
      await refillOnce(d, patient, team);
      const start = await plannedStartOf(d, patient, 5);
      await d.advanceTo(later(start, -2 * HOUR));
      expectPageStatus(await d.checkIn(await d.latestLinkFor(patient.email, 'check-in')), 200, 'check-in of dose 5');

      // staff report an adverse event before the hour is up: the session stops, the clinician decides
      await d.advanceTo(later(start, 10 * MINUTE));
      expect(
        (
          await d.reportAdverseEvent(patient.patientId, {
            kind: 'other',
            description: 'Called the clinic feeling faint.',
          })
        ).status,
      ).toBe(201);
      await d.advanceTo(later(start, 2 * HOUR));
      expect((await sessionView(d, patient, 5))?.status).not.toBe('completed');
      const hold = await awaitClinicianLink(d, patient, 'hold-decision', team.email, DAY);
      expect(decisionsOffered(hold.html)).toEqual(['RESUME', 'DISCHARGE']);

      expectPageStatus(await d.decideHold(hold, 'RESUME'), 200, 'resume after the hold');
      await completeSession(d, patient, 5, false);
      expect((await sessionView(d, patient, 5))?.status).toBe('completed');
      const completed = (await auditOf(d, patient, 'session.completed')).filter(
        (e) => e.details?.['sessionNumber'] === 5,
      );
      const lifted = await auditOf(d, patient, 'journey.hold-lifted');
      expect(completed).toHaveLength(1);
      expect(Date.parse(String(completed[0]?.at))).toBeGreaterThan(Date.parse(String(lifted.at(-1)?.at)));
    },
    FLOW_TIMEOUT,
  );

  it(
    'three missed check-ins of a maintenance dose go to the clinician (try again or discharge); a discharge ends the refills',
    async () => {
      const d = local.driver;
      const team = careTeam(3);
      const { patient } = await toMaintenance(d, { team });
      await refillOnce(d, patient, team);
      const start = await plannedStartOf(d, patient, 5);

      // the patient never checks in: after the protocol's three misses the clinician is asked
      const decision = await awaitClinicianLink(
        d,
        patient,
        'missed-check-ins',
        team.email,
        later(start, 5 * DAY).getTime() - d.now().getTime(),
      );
      expect(decisionsOffered(decision.html)).toEqual(['TRY_AGAIN', 'DISCHARGE']);
      expect((await auditOf(d, patient, 'session.missed')).map((e) => e.details?.['sessionNumber'])).toEqual([5, 5, 5]);
      expectPageStatus(
        await d.submitForm(decision, [
          ['decision', 'DISCHARGE'],
          ['note', 'Patient asked to stop treatment.'],
        ]),
        200,
        'discharge',
      );
      await d.advanceBy(3600);

      const view = await d.journeyOf(patient.patientId);
      expect(view.journey.phase).toBe('discharged');
      expect(view.sessions.filter((s) => Number(s.number) > 4 && s.status === 'completed')).toEqual([]);
      // no further cycle starts and nothing is left running
      const mine = (await d.executions()).filter((e) => e.name.includes(patient.journeyId));
      expect(mine.filter((e) => e.status === 'RUNNING').map((e) => e.name)).toEqual([]);
      expect(mine.some((e) => e.name === `${patient.journeyId}-refill-2`)).toBe(false);
    },
    FLOW_TIMEOUT,
  );
});
