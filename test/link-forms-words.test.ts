import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import { clinicianStepNames, renderEmail } from '../functions/email/templates.ts';
import { calendarFile } from '../functions/pages/calendar-file.ts';
import { personMessage } from '../functions/pages/field-messages.ts';
import { isFormContentType, parseFormBody } from '../functions/pages/form-body.ts';
import { valueOf } from '../functions/pages/form-fields.ts';
import { dateOfBirthProblems } from '../functions/staff-api/date-of-birth.ts';
import { forbiddenEmailWords, phiIn } from './support/journey-driver.ts';

describe('a posted form is read strictly', () => {
  it('field names Object.prototype has (constructor, __proto__, toString, hasOwnProperty) are ordinary fields', () => {
    const body = parseFormBody('constructor=a&__proto__=b&toString=c&hasOwnProperty=d&hasOwnProperty=e');
    expect(body.ok).toBe(true);
    expect(['constructor', '__proto__', 'toString', 'hasOwnProperty'].map((name) => body.values[name])).toEqual([
      ['a'],
      ['b'],
      ['c'],
      ['d', 'e'],
    ]);
    expect(Object.getPrototypeOf(body.values)).toBe(null);
    expect(valueOf(parseFormBody('x=1').values, 'constructor')).toBeUndefined();
  });

  it('decodes UTF-8 and "+" as a browser encodes them', () => {
    const body = parseFormBody(new URLSearchParams({ 'journal.text': 'café + crème, 5 mg?' }).toString());
    expect(body.ok && body.values['journal.text']).toEqual(['café + crème, 5 mg?']);
  });

  it.each([
    ['a Latin-1 byte (%E9)', 'note=caf%E9', 'note'],
    ['a truncated sequence (%C3)', 'a=1&note=caf%C3', 'note'],
    ['an invalid byte in a name', 'n%FFte=x', '(form)'],
    ['a U+FFFD already in the text (decoded lossily on the way)', 'note=caf\uFFFD', 'note'],
  ])('refuses %s and names the field', (_what, body, field) => {
    const parsed = parseFormBody(body);
    expect(parsed.ok === false && parsed.field).toBe(field);
  });

  it('refuses base64-delivered bytes that are not UTF-8', () => {
    const parsed = parseFormBody(Buffer.concat([Buffer.from('note=caf'), Buffer.from([0xe9])]));
    expect(parsed.ok === false && parsed.field).toBe('(form)');
  });

  it.each([
    ['application/x-www-form-urlencoded', true],
    ['application/x-www-form-urlencoded; charset=UTF-8', true],
    ['Application/X-WWW-Form-Urlencoded', true],
    ['text/plain', false],
    ['multipart/form-data; boundary=x', false],
    ['application/json', false],
    [undefined, false],
  ])('content type %s is a form: %s', (type, form) => {
    expect(isFormContentType(type)).toBe(form);
  });
});

describe('error messages in the words of the page', () => {
  it.each([
    [
      { label: 'Anxiety questionnaire, question 1 (Feeling nervous, anxious or on edge)', kind: 'choice' as const },
      'gad7.items[0]',
      'gad7.items[0]: expected a whole number from 0 to 3',
      'Anxiety questionnaire, question 1 (Feeling nervous, anxious or on edge): choose one answer',
    ],
    [
      { label: 'Is passing urine painful?', kind: 'choice' as const },
      'bladderCheck.painOnUrination',
      'bladderCheck.painOnUrination: expected yes or no (true or false)',
      'Is passing urine painful? Choose one answer.',
    ],
    [
      { label: 'How many hours since you last ate?', kind: 'number' as const, min: 0 },
      'fastingHours',
      'fastingHours: is required (expected number)',
      'How many hours since you last ate? Enter a number of 0 or more.',
    ],
    [
      { label: 'Note (optional)', kind: 'text' as const, value: 'x'.repeat(5_001) },
      'note',
      'note: expected at most 5,000 characters',
      'Note (optional): shorten this to at most 5,000 characters (it has 5,001). Nothing was saved, and your text is kept below',
    ],
    [
      { label: 'Override reason', kind: 'text' as const },
      'overrideReason',
      'overrideReason: write why approving is acceptable',
      'Override reason: write why approving is acceptable',
    ],
  ])('%# says the question and what to do', (field, name, message, expected) => {
    expect(personMessage(field, { field: name, message })).toBe(expected);
  });
});

describe("clinicians' email subjects", () => {
  const dueBy = 'Thu, May 7, 2026, 9:00 AM EDT';
  it('name the kind of step and its deadline, at each stage', () => {
    const step = { name: clinicianStepNames['eligibility'] as string, dueBy };
    expect(renderEmail('clinician-decision', { link: 'https://x/c/t', step }).subject).toBe(
      `Eligibility decision due by ${dueBy}`,
    );
    expect(renderEmail('clinician-decision-reminder', { link: 'https://x/c/t', step }).subject).toBe(
      `Reminder: eligibility decision due by ${dueBy}`,
    );
    expect(renderEmail('clinician-decision-escalated', { link: 'https://x/c/t', step }).subject).toBe(
      `Passed to you: eligibility decision due by ${dueBy}`,
    );
    expect(renderEmail('clinician-decision', { link: 'https://x/c/t' }).subject).toBe('A decision is waiting for you');
  });

  it.each(Object.entries(clinicianStepNames))('the %s step is named without PHI ("%s")', (_purpose, name) => {
    for (const kind of ['clinician-decision', 'clinician-decision-reminder', 'clinician-decision-escalated'] as const) {
      const email = renderEmail(kind, { link: 'https://x/c/t', step: { name, dueBy } });
      expect(
        phiIn({ ...email, to: [], cc: [], bcc: [], from: 'c@example.org' } as unknown as Parameters<typeof phiIn>[0]),
      ).toEqual([]);
      expect(forbiddenEmailWords.some((word) => new RegExp(`\\b${word}\\b`, 'i').test(email.subject))).toBe(false);
    }
  });
});

describe('a date of birth at enrolment', () => {
  const today = '2026-05-04';
  it.each([
    ['today', '2026-05-04', []],
    ['tomorrow', '2026-05-05', ['dateOfBirth']],
    ['2999-04-12', '2999-04-12', ['dateOfBirth']],
    ['the day before a 111th birthday (aged 110, the plausible maximum)', '1915-05-05', []],
    ['a 111th birthday today', '1915-05-04', ['dateOfBirth']],
  ])('%s gives problems with %j', (_what, dateOfBirth, fields) => {
    expect(dateOfBirthProblems(dateOfBirth, today, defaultProtocol).map((p) => p.field)).toEqual(fields);
  });
});

describe('an appointment as a calendar file', () => {
  it('is an RFC 5545 event in UTC with CRLF line ends, a neutral title and escaped text', () => {
    const ics = calendarFile({
      uid: 'j1-consult@care-journeys',
      start: new Date('2026-05-06T15:00:00.000Z'),
      durationMinutes: 45,
      title: 'Video appointment, with; your care team',
      now: new Date('2026-05-04T13:00:00.000Z'),
    });
    expect(ics.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Care Journeys//Appointments//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:j1-consult@care-journeys',
      'DTSTAMP:20260504T130000Z',
      'DTSTART:20260506T150000Z',
      'DURATION:PT45M',
      'SUMMARY:Video appointment\\, with\\; your care team',
      'DESCRIPTION:With your care team. The details are on the secure page from yo',
      ' ur email.',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});
