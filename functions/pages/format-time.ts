/** A time as a person reads it in their own zone and language, e.g. "Mon, Jun 1, 2026, 9:00 AM EDT" (locale `es-US`: "lun, 1 jun 2026, 9:00 a.m. EDT"). */
export function formatInZone(instant: Date | string, timeZone: string, locale = 'en-US'): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}
