import { fromLocal } from '../domain/local-time.ts';

/**
 * A `datetime-local` value ("2026-06-01T09:00") read on the person's wall clock in their zone, as an
 * ISO instant; anything else is returned unchanged so the schema names the field.
 */
export function instantFromLocalInput(value: string | undefined, timeZone: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (match === null) return value;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return fromLocal({ year, month, day, hour, minute }, timeZone).toISOString();
}
