/**
 * A Wait state's Timestamp, read as AWS reads it: an ISO-8601 extended offset date-time, so the `T`,
 * the seconds and a `Z` or `±hh:mm` offset are all required (`2016-12-05T21:29:29Z`,
 * `2016-12-05T21:29:29.123+01:00`). `2016-12-05 21:29:29Z` and `2016-12-05T21:29:29` fail on AWS.
 */
const OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds, or NaN when `value` is not such a date-time (or names no real day, like 02-30). */
export function parseOffsetDateTime(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const parts = OFFSET_DATE_TIME.exec(value);
  if (parts === null) return Number.NaN;
  const [, year, month, day, hour, minute, second] = parts.map(Number) as number[];
  const ms = Date.parse(value);
  // Date.parse rolls 2016-02-30 over to March: check the fields it read back.
  const calendar = new Date(Date.UTC(year as number, (month as number) - 1, day as number));
  if (calendar.getUTCDate() !== day || (hour as number) > 23 || (minute as number) > 59 || (second as number) > 59)
    return Number.NaN;
  return ms;
}
