import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { useJourneyDriver, type JourneyView } from './support/journey-driver.ts';
import { sfnClientFor } from './support/local-clinic.ts';
import {
  branchClinicConfig,
  careTeam,
  completeSession,
  HOUR,
  later,
  mainText,
  MINUTE,
  plannedStartOf,
  toInduction,
} from './support/journey-scenarios.ts';

const local = useJourneyDriver({ clinicConfig: branchClinicConfig });

/** What a refused event must leave untouched: the records a check-in or a journal would write. */
const recordsOf = (view: JourneyView) => ({
  checkIns: view.checkIns,
  journalEntries: view.journalEntries,
  sideEffectReports: view.sideEffectReports,
  sessions: view.sessions,
  journey: view.journey,
  adverseEvents: view.adverseEvents,
});

describe('out-of-order events at the sessions are refused with a named reason and change nothing', () => {
  it('a check-in sent after the window closed is refused as expired and records nothing', async () => {
    const d = local.driver;
    const { patient } = await toInduction(d, { team: careTeam(1) });
    const start = await plannedStartOf(d, patient, 1);
    await d.advanceTo(later(start, -2 * HOUR));
    const link = await d.latestLinkFor(patient.email, 'check-in');
    // the page was opened in time, the form is sent after the window closed (1 h after the start)
    await d.advanceTo(later(start, HOUR + MINUTE));
    const before = recordsOf(await d.journeyOf(patient.patientId));
    const late = await d.checkIn(link);
    expect(late.status).toBe(410);
    expect(mainText(late.html)).toMatch(/expired/i);
    expect(recordsOf(await d.journeyOf(patient.patientId))).toEqual(before);
    expect((await d.journeyOf(patient.patientId)).checkIns).toEqual([]);
  });

  it('a journal for a session that has not happened is refused by name, and the journal of the session that did happen still goes through', async () => {
    const d = local.driver;
    const { patient } = await toInduction(d, { team: careTeam(2) });
    await completeSession(d, patient, 1, false);

    // A stray request for session 3's journal (an operator's re-drive or a duplicated workflow start):
    // the step and its link exist, but session 3 has not happened.
    const personAction = d.clinic.stateMachines.find((machine) => machine.id === 'person-action');
    if (personAction === undefined) throw new Error('no person-action state machine');
    await sfnClientFor(d.clinic).send(
      new StartExecutionCommand({
        stateMachineArn: personAction.arn,
        name: `${patient.journeyId}-session-3-a1-journal-stray`,
        input: JSON.stringify({
          patientId: patient.patientId,
          journeyId: patient.journeyId,
          purpose: 'journal',
          stepKey: 'session-3-a1-journal',
        }),
      }),
    );
    await d.settle();
    const stray = await d.latestLinkFor(patient.email, 'journal');
    const before = recordsOf(await d.journeyOf(patient.patientId));

    const refused = await d.writeJournal(stray);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(mainText(refused.html)).toMatch(/session 3/i);
    expect(mainText(refused.html)).toMatch(/has not (yet )?(happened|taken place)/i);
    expect(recordsOf(await d.journeyOf(patient.patientId))).toEqual(before);
    expect(before.journalEntries).toHaveLength(1);

    // session 2 goes ahead as planned, and its own journal is accepted
    await completeSession(d, patient, 2, true);
    const after = await d.journeyOf(patient.patientId);
    expect(after.journalEntries.map((entry) => entry['sessionNumber']).sort()).toEqual([1, 2]);
  });
});
