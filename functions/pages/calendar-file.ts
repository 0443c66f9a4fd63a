/**
 * One appointment as an iCalendar file (RFC 5545) the patient can add to their own calendar: a neutral
 * title and nothing else (a calendar is shared, synced and shown on lock screens like an email),
 * the time in UTC so every calendar shows it in its own zone. Written by hand: a VEVENT is a few lines,
 * not worth a dependency in every Lambda bundle.
 */
export interface CalendarEvent {
  /** stable per appointment, so adding it twice updates rather than duplicates */
  readonly uid: string;
  readonly start: Date;
  readonly durationMinutes: number;
  readonly title: string;
  readonly now: Date;
}

export function calendarFile(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Care Journeys//Appointments//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utc(event.now)}`,
    `DTSTART:${utc(event.start)}`,
    `DURATION:PT${Math.round(event.durationMinutes)}M`,
    `SUMMARY:${escapeText(event.title)}`,
    // not the clinic's name: it could say what the clinic treats
    `DESCRIPTION:${escapeText('With your care team. The details are on the secure page from your email.')}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  // RFC 5545: CRLF line ends, lines folded at 75 octets
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

function utc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    if (Buffer.byteLength(current + char, 'utf8') > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
