import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTimeZone, UnknownReminderKind } from '../functions/domain/domain-errors.ts';
import { addCalendarMonths, fromLocal, localDate, toLocal } from '../functions/domain/local-time.ts';
import { defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import { dueAt, isQuietHour, reminderSchedule } from '../functions/domain/reminder-timing.ts';
import { HOUR_MS as HOUR } from '../functions/domain/durations.ts';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

function byKey(schedule: ReturnType<typeof reminderSchedule>): Record<string, string> {
  return Object.fromEntries(schedule.reminders.map((r) => [r.reminderKey, r.dueAt.toISOString()]));
}

describe('local time in the patient zone', () => {
  it.each([
    { local: '2026-03-08 01:30', expected: '2026-03-08T06:30:00.000Z', why: 'before the spring-forward gap (EST)' },
    {
      local: '2026-03-08 02:30',
      expected: '2026-03-08T07:30:00.000Z',
      why: 'inside the gap: moved forward to 03:30 EDT',
    },
    { local: '2026-03-08 03:00', expected: '2026-03-08T07:00:00.000Z', why: 'the first minute after the gap (EDT)' },
    { local: '2026-11-01 01:30', expected: '2026-11-01T05:30:00.000Z', why: 'happens twice: the earlier (EDT) one' },
    { local: '2026-11-01 02:00', expected: '2026-11-01T07:00:00.000Z', why: 'after the fall-back (EST)' },
  ])('$local in New York is $expected ($why)', ({ local, expected }) => {
    const [date = '', time = ''] = local.split(' ');
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute] = time.split(':').map(Number);
    expect(fromLocal({ year: year!, month: month!, day: day!, hour: hour!, minute: minute! }, NY).toISOString()).toBe(
      expected,
    );
  });

  it('reads the wall clock in the zone, not the machine', () => {
    expect(toLocal(at('2026-11-01T05:30:00Z'), NY)).toEqual({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 });
    expect(toLocal(at('2026-11-01T06:30:00Z'), NY)).toEqual({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 });
    expect(toLocal(at('2026-06-30T20:00:00Z'), 'Asia/Kolkata')).toEqual({
      year: 2026,
      month: 7,
      day: 1,
      hour: 1,
      minute: 30,
    });
  });

  it.each([
    { date: '2025-10-17', months: 6, expected: '2026-04-17' },
    { date: '2025-08-31', months: 6, expected: '2026-02-28' },
    { date: '2023-08-31', months: 6, expected: '2024-02-29' },
    { date: '2026-01-31', months: 1, expected: '2026-02-28' },
    { date: '2026-07-15', months: 6, expected: '2027-01-15' },
  ])('$date + $months months is $expected', ({ date, months, expected }) => {
    expect(addCalendarMonths(date, months)).toBe(expected);
  });

  it('gives the calendar date on the patient wall clock', () => {
    expect(localDate(at('2026-04-18T02:00:00Z'), NY)).toBe('2026-04-17');
    expect(localDate(at('2026-04-18T02:00:00Z'), 'Europe/London')).toBe('2026-04-18');
  });

  it('rejects a time zone that does not exist', () => {
    expect(() => dueAt('session-prep', at('2026-05-01T14:00:00Z'), 'Mars/Olympus_Mons', defaultProtocol)).toThrow(
      InvalidTimeZone,
    );
  });
});

describe('session reminders', () => {
  it('schedules prep the evening before, the check-in link 2 h before, the journal prompt 60 min after, then the nudge and the clinician alert', () => {
    // 2026-05-12 10:00 EDT
    const schedule = reminderSchedule(
      { type: 'session', sessionNumber: 2, plannedStart: at('2026-05-12T14:00:00Z') },
      NY,
      defaultProtocol,
    );
    expect(byKey(schedule)).toEqual({
      'session-2-prep': '2026-05-11T22:00:00.000Z', // 18:00 EDT the day before
      'session-2-check-in-link': '2026-05-12T12:00:00.000Z', // 08:00 EDT
      'session-2-journal-prompt': '2026-05-12T15:00:00.000Z', // 11:00 EDT
      'session-2-journal-nudge': '2026-05-13T12:00:00.000Z', // prompt + 12 h is 23:00 EDT: quiet, so 08:00 next morning
      'session-2-journal-clinician-alert': '2026-05-14T15:00:00.000Z', // prompt + 48 h, never held back by the patient's quiet hours
    });
    expect(schedule.protocolVersion).toBe(defaultProtocol.version);
    expect(schedule.reminders.map((r) => r.dueAt.getTime())).toEqual(
      [...schedule.reminders.map((r) => r.dueAt.getTime())].sort((a, b) => a - b),
    );
    const nudge = schedule.reminders.find((r) => r.reminderKey === 'session-2-journal-nudge');
    expect(nudge?.shiftedForQuietHours).toBe(true);
    expect(nudge?.reasons.map((r) => r.code)).toEqual(['JOURNAL_NUDGE', 'QUIET_HOURS_SHIFT']);
    expect(schedule.reminders.find((r) => r.kind === 'session-journal-clinician-alert')?.audience).toBe('clinician');
  });

  it('never shifts reminders tied to the session time, even inside quiet hours', () => {
    // 06:30 EDT start: the check-in link at 04:30 is quiet but must go, or the check-in could not happen.
    const early = reminderSchedule(
      { type: 'session', sessionNumber: 1, plannedStart: at('2026-05-12T10:30:00Z') },
      NY,
      defaultProtocol,
    );
    expect(byKey(early)['session-1-check-in-link']).toBe('2026-05-12T08:30:00.000Z');
    // 20:30 EDT start: the journal prompt at 21:30 is quiet but tied to the session.
    const late = reminderSchedule(
      { type: 'session', sessionNumber: 1, plannedStart: at('2026-05-13T00:30:00Z') },
      NY,
      defaultProtocol,
    );
    expect(byKey(late)['session-1-journal-prompt']).toBe('2026-05-13T01:30:00.000Z');
    for (const reminder of [...early.reminders, ...late.reminders]) {
      if (reminder.kind !== 'session-journal-nudge') expect(reminder.shiftedForQuietHours).toBe(false);
    }
  });

  it('puts session prep on the calendar day before in the patient zone, not the UTC day', () => {
    // 2026-05-12 00:30 EDT is 04:30Z the same day; the day before is 2026-05-11 locally.
    const schedule = reminderSchedule(
      { type: 'session', sessionNumber: 3, plannedStart: at('2026-05-12T04:30:00Z') },
      NY,
      defaultProtocol,
    );
    expect(byKey(schedule)['session-3-prep']).toBe('2026-05-11T22:00:00.000Z');
    const tokyo = reminderSchedule(
      { type: 'session', sessionNumber: 3, plannedStart: at('2026-05-12T04:30:00Z') },
      'Asia/Tokyo',
      defaultProtocol,
    );
    expect(byKey(tokyo)['session-3-prep']).toBe('2026-05-11T09:00:00.000Z'); // 18:00 JST on 2026-05-11
  });

  it.each([
    {
      day: 'spring forward',
      start: '2026-03-09T14:00:00Z',
      prep: '2026-03-08T22:00:00.000Z',
      why: '18:00 EDT on the change day',
    },
    {
      day: 'the day after spring forward',
      start: '2026-03-08T13:00:00Z',
      prep: '2026-03-07T23:00:00.000Z',
      why: '18:00 EST the day before the change',
    },
    {
      day: 'fall back',
      start: '2026-11-02T15:00:00Z',
      prep: '2026-11-01T23:00:00.000Z',
      why: '18:00 EST on the change day',
    },
    {
      day: 'the day after fall back',
      start: '2026-11-01T15:00:00Z',
      prep: '2026-10-31T22:00:00.000Z',
      why: '18:00 EDT the day before the change',
    },
  ])('session prep around $day is at $prep ($why)', ({ start, prep }) => {
    const schedule = reminderSchedule(
      { type: 'session', sessionNumber: 1, plannedStart: at(start) },
      NY,
      defaultProtocol,
    );
    expect(byKey(schedule)['session-1-prep']).toBe(prep);
  });

  it.each([
    {
      day: 'spring forward',
      start: '2026-03-07T15:00:00Z',
      nudge: '2026-03-08T12:00:00.000Z',
      why: '23:00 EST, moved to 08:00 EDT: only 8 elapsed hours later',
    },
    {
      day: 'fall back',
      start: '2026-10-31T14:00:00Z',
      nudge: '2026-11-01T13:00:00.000Z',
      why: '23:00 EDT, moved to 08:00 EST: 10 elapsed hours later',
    },
  ])('a journal nudge shifted across $day lands on 08:00 local ($why)', ({ start, nudge }) => {
    const schedule = reminderSchedule(
      { type: 'session', sessionNumber: 1, plannedStart: at(start) },
      NY,
      defaultProtocol,
    );
    expect(byKey(schedule)['session-1-journal-nudge']).toBe(nudge);
  });

  it('gives every reminder a stable key, the same however often it is computed, and a new one for a rebooked session', () => {
    const anchor = { type: 'session', sessionNumber: 2, plannedStart: at('2026-05-12T14:00:00Z') } as const;
    const first = reminderSchedule(anchor, NY, defaultProtocol).reminders.map((r) => r.reminderKey);
    const again = reminderSchedule(anchor, NY, defaultProtocol).reminders.map((r) => r.reminderKey);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    const rebooked = reminderSchedule(
      { ...anchor, plannedStart: at('2026-05-13T14:00:00Z'), attempt: 2 },
      NY,
      defaultProtocol,
    );
    expect(rebooked.reminders.map((r) => r.reminderKey)).toContain('session-2-attempt-2-prep');
    expect(rebooked.reminders.map((r) => r.reminderKey).filter((key) => first.includes(key))).toEqual([]);
  });
});

describe('appointment reminders', () => {
  it('reminds 24 h and 1 h before the consult, each with its own key', () => {
    const schedule = reminderSchedule({ type: 'consult', at: at('2026-05-12T14:00:00Z') }, NY, defaultProtocol);
    expect(byKey(schedule)).toEqual({
      'consult-24h-before': '2026-05-11T14:00:00.000Z',
      'consult-1h-before': '2026-05-12T13:00:00.000Z',
    });
  });

  it("reminds before the follow-up appointment at the protocol's own follow-up hours, apart from the consult's", () => {
    const protocol = resolveProtocol({ version: 'follow-up-48', reminders: { followUpHoursBefore: [48, 2] } });
    const schedule = reminderSchedule({ type: 'follow-up', at: at('2026-06-12T14:00:00Z'), attempt: 2 }, NY, protocol);
    expect(byKey(schedule)).toEqual({
      'follow-up-attempt-2-48h-before': '2026-06-10T14:00:00.000Z',
      'follow-up-attempt-2-2h-before': '2026-06-12T12:00:00.000Z',
    });
    expect(() => dueAt('follow-up-24h-before', at('2026-06-12T14:00:00Z'), NY, protocol)).toThrow(
      /follow-up reminders 48 h, 2 h before, not 24 h/,
    );
    expect(dueAt('consult-24h-before', at('2026-06-12T14:00:00Z'), NY, protocol).dueAt.toISOString()).toBe(
      '2026-06-11T14:00:00.000Z',
    );
  });

  it('counts 24 elapsed hours across a daylight-saving change', () => {
    // 10:00 EDT on the spring-forward day; 24 h earlier is 09:00 EST on the wall clock.
    expect(dueAt('consult-24h-before', at('2026-03-08T14:00:00Z'), NY, defaultProtocol).dueAt.toISOString()).toBe(
      '2026-03-07T14:00:00.000Z',
    );
  });

  it('never moves an appointment reminder for quiet hours', () => {
    // An 08:30 consult: the 1 h reminder at 07:30 is quiet but is sent then.
    const timing = dueAt('consult-1h-before', at('2026-05-12T12:30:00Z'), NY, defaultProtocol);
    expect(timing.dueAt.toISOString()).toBe('2026-05-12T11:30:00.000Z');
    expect(timing.shiftedForQuietHours).toBe(false);
  });

  it('keys follow-up appointment reminders apart from the consult', () => {
    const schedule = reminderSchedule({ type: 'follow-up', at: at('2026-06-20T14:00:00Z') }, NY, defaultProtocol);
    expect(Object.keys(byKey(schedule))).toEqual(['follow-up-24h-before', 'follow-up-1h-before']);
  });

  it('refuses an appointment reminder the protocol does not send', () => {
    expect(() => dueAt('consult-3h-before', at('2026-05-12T14:00:00Z'), NY, defaultProtocol)).toThrow(
      UnknownReminderKind,
    );
  });
});

describe('quiet hours', () => {
  // intake reminder 1 is due 24 h after enrolment and is not tied to a session, so quiet hours move it.
  const intakeDue = (localDueIso: string, zone = NY) => {
    const wanted = new Date(localDueIso);
    return dueAt('intake-reminder-1', new Date(wanted.getTime() - 24 * HOUR), zone, defaultProtocol);
  };

  it.each([
    { local: '20:59 EDT', due: '2026-06-16T00:59:00Z', expected: '2026-06-16T00:59:00.000Z', shifted: false },
    { local: '21:00 EDT', due: '2026-06-16T01:00:00Z', expected: '2026-06-16T12:00:00.000Z', shifted: true },
    { local: '00:00 EDT', due: '2026-06-16T04:00:00Z', expected: '2026-06-16T12:00:00.000Z', shifted: true },
    { local: '07:59 EDT', due: '2026-06-16T11:59:00Z', expected: '2026-06-16T12:00:00.000Z', shifted: true },
    { local: '08:00 EDT', due: '2026-06-16T12:00:00Z', expected: '2026-06-16T12:00:00.000Z', shifted: false },
    {
      local: '21:00 EST on the eve of spring forward',
      due: '2026-03-08T02:00:00Z',
      expected: '2026-03-08T12:00:00.000Z',
      shifted: true,
    },
    {
      local: '07:59 EDT on the spring-forward day',
      due: '2026-03-08T11:59:00Z',
      expected: '2026-03-08T12:00:00.000Z',
      shifted: true,
    },
    {
      local: '08:00 EDT on the spring-forward day',
      due: '2026-03-08T12:00:00Z',
      expected: '2026-03-08T12:00:00.000Z',
      shifted: false,
    },
    {
      local: '21:00 EDT on the eve of fall back',
      due: '2026-11-01T01:00:00Z',
      expected: '2026-11-01T13:00:00.000Z',
      shifted: true,
    },
    {
      local: '01:30 EST (the second one) on the fall-back day',
      due: '2026-11-01T06:30:00Z',
      expected: '2026-11-01T13:00:00.000Z',
      shifted: true,
    },
    {
      local: '20:59 EST on the fall-back day',
      due: '2026-11-02T01:59:00Z',
      expected: '2026-11-02T01:59:00.000Z',
      shifted: false,
    },
  ])('a reminder due at $local goes at $expected', ({ due, expected, shifted }) => {
    const timing = intakeDue(due);
    expect(timing.dueAt.toISOString()).toBe(expected);
    expect(timing.shiftedForQuietHours).toBe(shifted);
  });

  it('reckons quiet hours in the patient zone', () => {
    // 02:00Z is 22:00 EDT in New York (quiet) but 03:00 BST in London (quiet) and 07:30 IST in Kolkata (quiet), 12:00 in Sydney (not)
    expect(isQuietHour(at('2026-06-16T02:00:00Z'), 'Australia/Sydney', defaultProtocol)).toBe(false);
    expect(isQuietHour(at('2026-06-16T02:00:00Z'), 'Asia/Kolkata', defaultProtocol)).toBe(true);
    expect(intakeDue('2026-06-16T02:00:00Z', 'Asia/Kolkata').dueAt.toISOString()).toBe('2026-06-16T02:30:00.000Z'); // 08:00 IST
  });

  it('takes the quiet hours from the protocol, including a window that does not cross midnight', () => {
    const protocol = resolveProtocol({
      version: 'day-sleeper-1',
      reminders: { quietHoursStart: '09:00', quietHoursEnd: '17:00' },
    });
    expect(isQuietHour(at('2026-06-16T12:59:00Z'), NY, protocol)).toBe(false); // 08:59 EDT
    expect(isQuietHour(at('2026-06-16T13:00:00Z'), NY, protocol)).toBe(true); // 09:00 EDT
    expect(isQuietHour(at('2026-06-16T20:59:00Z'), NY, protocol)).toBe(true); // 16:59 EDT
    expect(isQuietHour(at('2026-06-16T21:00:00Z'), NY, protocol)).toBe(false); // 17:00 EDT
    const timing = dueAt('intake-reminder-1', at('2026-06-15T14:00:00Z'), NY, protocol);
    expect(timing.dueAt.toISOString()).toBe('2026-06-16T21:00:00.000Z'); // 10:00 EDT moved to 17:00 the same day
  });

  it('never delivers a movable patient reminder inside quiet hours, never earlier than planned, and never more than a night later', () => {
    const zones = [
      'America/New_York',
      'Europe/London',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'America/St_Johns',
      'Pacific/Chatham',
    ];
    const year2026 = fc
      .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) })
      .map((ms) => new Date(ms - (ms % 60_000)));
    fc.assert(
      fc.property(year2026, fc.constantFrom(...zones), (enrolledAt, zone) => {
        const planned = enrolledAt.getTime() + 24 * HOUR;
        const timing = dueAt('intake-reminder-1', enrolledAt, zone, defaultProtocol);
        expect(isQuietHour(timing.dueAt, zone, defaultProtocol)).toBe(false);
        expect(timing.dueAt.getTime()).toBeGreaterThanOrEqual(planned);
        // 11 quiet hours, plus at most one hour of a daylight-saving change
        expect(timing.dueAt.getTime() - planned).toBeLessThanOrEqual(12 * HOUR);
        expect(timing.shiftedForQuietHours).toBe(timing.dueAt.getTime() !== planned);
      }),
    );
  });
});

describe('intake and refill reminders', () => {
  it('reminds about intake every 24 h after enrolment, up to the protocol maximum', () => {
    const schedule = reminderSchedule({ type: 'intake', enrolledAt: at('2026-05-12T14:00:00Z') }, NY, defaultProtocol);
    expect(byKey(schedule)).toEqual({
      'intake-reminder-1': '2026-05-13T14:00:00.000Z',
      'intake-reminder-2': '2026-05-14T14:00:00.000Z',
      'intake-reminder-3': '2026-05-15T14:00:00.000Z',
    });
    expect(() => dueAt('intake-reminder-4', at('2026-05-12T14:00:00Z'), NY, defaultProtocol)).toThrow(
      UnknownReminderKind,
    );
  });

  it('opens the refill window 3 days before a refill is due, keyed by the refill cycle', () => {
    const schedule = reminderSchedule(
      { type: 'refill-window', cycle: 2, lastFillAt: at('2026-05-01T16:00:00Z') },
      NY,
      defaultProtocol,
    );
    expect(byKey(schedule)).toEqual({ 'refill-2-window-opens': '2026-05-26T16:00:00.000Z' });
  });
});
