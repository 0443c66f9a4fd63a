import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import { planSession, sameLocalTimeNotBefore } from '../functions/journey/sessions/plan-session.ts';
import type { StoredFill, StoredPlan, StoredSession } from '../functions/patient/stored-records.ts';
import { HOUR_MS as HOUR } from '../functions/domain/durations.ts';

const chicago = 'America/Chicago';
// 10:00 in Chicago on the Saturday before the 2026 spring-forward (CST, UTC-6)
const saturdayTen = Date.parse('2026-03-07T16:00:00.000Z');

describe('the next attempt after a missed check-in or a hold', () => {
  it('keeps the local start time across a DST change: 10:00 CST, then 10:00 CDT the next day (23 h later)', () => {
    const missedAt = saturdayTen + HOUR + 60_000;
    expect(new Date(sameLocalTimeNotBefore(saturdayTen, missedAt + 2 * HOUR, chicago)).toISOString()).toBe(
      '2026-03-08T15:00:00.000Z',
    );
  });

  it('is the same day at the plan’s time when that is still far enough ahead, and never sooner than asked', () => {
    expect(sameLocalTimeNotBefore(saturdayTen, saturdayTen - 5 * HOUR, chicago)).toBe(saturdayTen);
    expect(sameLocalTimeNotBefore(saturdayTen, saturdayTen, chicago)).toBe(saturdayTen);
    expect(sameLocalTimeNotBefore(saturdayTen, saturdayTen + 1, chicago)).toBe(Date.parse('2026-03-08T15:00:00.000Z'));
  });

  it('attempt 2 after a miss is planned for the next day at the plan’s local time, not 24 h after the miss', () => {
    const plan = {
      plannedSessionTimes: [new Date(saturdayTen).toISOString()],
      intervalDays: 7,
      sessionCount: 4,
    } as unknown as StoredPlan;
    const missed = new Date(saturdayTen + HOUR);
    const next = planSession(
      { sessionNumber: 1, attempt: 2, plan, sessions: [], patientTimeZone: chicago },
      defaultProtocol,
      missed,
    );
    expect(next.plannedStart).toBe('2026-03-08T15:00:00.000Z');
    expect(next.key).toBe('session-1-a2');
    expect(next.reasons).toContain("attempt 2: the next day at the plan's local time");
  });
});

describe('a maintenance dose (a session after induction) is planned from the fill that supplies it', () => {
  const newYork = 'America/New_York';
  // induction at 10:00 New York (EDT, UTC-4); the plan's cadence is every 14 days
  const plan = {
    plannedSessionTimes: ['2026-06-01T14:00:00.000Z'],
    intervalDays: 7,
    sessionCount: 4,
    maintenanceIntervalDays: 14,
  } as unknown as StoredPlan;
  const session = (number: number, plannedStart: string) =>
    ({ number, plannedStart, status: 'completed', attempt: 1 }) as unknown as StoredSession;
  const fill = (filledAt: string, firstSessionNumber: number, quantity: number) =>
    ({ cycle: 1, fillNumber: 2, filledAt, firstSessionNumber, quantity }) as unknown as StoredFill;
  const sessions = [session(4, '2026-06-22T14:00:00.000Z')];

  it("the first dose of a fill waits the protocol's 48 h for delivery, at the plan's local time, and is no assessment", () => {
    const filledAt = '2026-07-20T15:30:00.000Z';
    const planned = planSession(
      { sessionNumber: 5, attempt: 1, plan, sessions, fills: [fill(filledAt, 5, 2)], patientTimeZone: newYork },
      defaultProtocol,
      new Date(filledAt),
    );
    expect(planned.plannedStart).toBe('2026-07-23T14:00:00.000Z');
    expect(planned.assessmentDue).toBe(false);
    expect(planned.firstDose).toBe(false);
    expect(planned.reasons).toEqual([
      'maintenance dose 1 of 2 from fill 2',
      "14 day(s) after session 4, at the plan's time of day",
      'not before 48 h after the fill (delivery)',
    ]);
  });

  it('the next dose is the cadence after the one before, at the same local time', () => {
    const filledAt = '2026-07-20T15:30:00.000Z';
    const planned = planSession(
      {
        sessionNumber: 6,
        attempt: 1,
        plan,
        sessions: [...sessions, session(5, '2026-07-23T14:00:00.000Z')],
        fills: [fill(filledAt, 5, 2)],
        patientTimeZone: newYork,
      },
      defaultProtocol,
      new Date('2026-07-24T00:00:00.000Z'),
    );
    expect(planned.plannedStart).toBe('2026-08-06T14:00:00.000Z');
  });

  it('a session that no fill supplies is never planned: every dose is dispensed first', () => {
    expect(() =>
      planSession(
        {
          sessionNumber: 7,
          attempt: 1,
          plan,
          sessions,
          fills: [fill('2026-07-20T15:30:00.000Z', 5, 2)],
          patientTimeZone: newYork,
        },
        defaultProtocol,
        new Date('2026-07-21T00:00:00.000Z'),
      ),
    ).toThrow('no fill supplies maintenance session 7');
  });
});
