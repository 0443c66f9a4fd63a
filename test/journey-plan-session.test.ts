import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import { planSession, sameLocalTimeNotBefore } from '../functions/journey/plan-session.ts';
import type { StoredPlan } from '../functions/journey/stored-records.ts';
import { HOUR_MS as HOUR } from '../functions/domain/durations.ts';

const chicago = 'America/Chicago';
// 10:00 in Chicago on the Saturday before the 2026 spring-forward (CST, UTC-6)
const saturdayTen = Date.parse('2026-03-07T16:00:00.000Z');

describe('the next attempt after a missed check-in or a hold', () => {
  it('keeps the local start time across a DST change: 10:00 CST, then 10:00 CDT the next day (23 h later)', () => {
    const missedAt = saturdayTen + HOUR + 60_000;
    expect(new Date(sameLocalTimeNotBefore(saturdayTen, missedAt + 2 * HOUR, chicago)).toISOString()).toBe('2026-03-08T15:00:00.000Z');
  });

  it('is the same day at the plan’s time when that is still far enough ahead, and never sooner than asked', () => {
    expect(sameLocalTimeNotBefore(saturdayTen, saturdayTen - 5 * HOUR, chicago)).toBe(saturdayTen);
    expect(sameLocalTimeNotBefore(saturdayTen, saturdayTen, chicago)).toBe(saturdayTen);
    expect(sameLocalTimeNotBefore(saturdayTen, saturdayTen + 1, chicago)).toBe(Date.parse('2026-03-08T15:00:00.000Z'));
  });

  it('attempt 2 after a miss is planned for the next day at the plan’s local time, not 24 h after the miss', () => {
    const plan = { plannedSessionTimes: [new Date(saturdayTen).toISOString()], intervalDays: 7, sessionCount: 4 } as unknown as StoredPlan;
    const missed = new Date(saturdayTen + HOUR);
    const next = planSession({ sessionNumber: 1, attempt: 2, plan, sessions: [], patientTimeZone: chicago }, defaultProtocol, missed);
    expect(next.plannedStart).toBe('2026-03-08T15:00:00.000Z');
    expect(next.key).toBe('session-1-a2');
    expect(next.reasons).toContain("attempt 2: the next day at the plan's local time");
  });
});
