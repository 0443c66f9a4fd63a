/**
 * Wall-clock arithmetic in a patient's IANA time zone, with nothing but `Intl`.
 *
 * Reminders are promised in the patient's own time ("the evening before at 18:00", "never between
 * 21:00 and 08:00"), while the workflows wait on instants. These functions translate between the two,
 * including on the days a zone changes its offset (a local time may not exist, or exist twice).
 */

import { InvalidTimeZone } from './domain-errors.ts';

/** A calendar date and time of day on a wall clock; month is 1-12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new InvalidTimeZone(`unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws InvalidTimeZone unless the name is a zone this runtime's ICU knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall-clock reading in `timeZone` at `instant` (seconds are dropped). */
export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => {
    const found = parts.find((p) => p.type === type);
    if (found === undefined) throw new Error(`Intl gave no ${type} for ${instant.toISOString()} in ${timeZone}`);
    return Number(found.value);
  };
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

/** Milliseconds the zone is ahead of UTC at `instant` (negative west of Greenwich). */
export function offsetAt(instant: Date, timeZone: string): number {
  const local = toLocal(instant, timeZone);
  const wholeMinute = Math.floor(instant.getTime() / 60_000) * 60_000;
  return wallClockAsUtc(local) - wholeMinute;
}

/**
 * The instant a wall-clock time happens in `timeZone`.
 *
 * On a spring-forward day a time inside the gap (02:30 in New York on 2026-03-08) does not exist; it
 * is moved forward by the gap (03:30), so a reminder is late by the lost hour rather than lost. On a
 * fall-back day a time inside the overlap happens twice; the earlier one is chosen, so a reminder is
 * never an hour later than the patient expects. These match Temporal's "compatible" disambiguation.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const asUtc = wallClockAsUtc(local);
  // Any offset change is at least a day away from a neighbouring one, so the offsets a day either side
  // are the only two candidates.
  const day = 24 * 60 * 60 * 1000;
  const before = offsetAt(new Date(asUtc - day), timeZone);
  const after = offsetAt(new Date(asUtc + day), timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((t) => sameWallClock(toLocal(new Date(t), timeZone), local))
    .sort((a, b) => a - b);
  const earliest = candidates[0];
  if (earliest !== undefined) return new Date(earliest);
  // In the gap: read the wall clock with the offset in force before the change, which lands after it.
  return new Date(asUtc - before);
}

/** The calendar date `days` after (or before, if negative) the given one, at the given time of day. */
export function addCalendarDays(local: LocalDateTime, days: number): LocalDateTime {
  const shifted = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Minutes since local midnight. */
export function minuteOfDay(local: Pick<LocalDateTime, 'hour' | 'minute'>): number {
  return local.hour * 60 + local.minute;
}

/** Parses the protocol's "HH:MM" into hour and minute. */
export function parseLocalTime(hhmm: string): { hour: number; minute: number } {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (match === null) throw new Error(`expected HH:MM, got "${hhmm}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function wallClockAsUtc(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
}

function sameWallClock(a: LocalDateTime, b: LocalDateTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

/** The calendar date ("YYYY-MM-DD") in `timeZone` at `instant`. */
export function localDate(instant: Date, timeZone: string): string {
  const { year, month, day } = toLocal(instant, timeZone);
  return formatDate(year, month, day);
}

/**
 * A calendar date ("YYYY-MM-DD") moved by whole months, kept on the same day of the month or, when that
 * month is shorter, on its last day (31 August + 6 months is 28 or 29 February): the reading a
 * pharmacist gives "six months from the date of issue".
 */
export function addCalendarMonths(date: string, months: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) throw new Error(`expected a date as YYYY-MM-DD, got "${date}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const firstOfTarget = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  return formatDate(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, Math.min(day, lastDay));
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
