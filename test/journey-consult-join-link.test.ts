import { describe, expect, it } from 'vitest';
import { formatInZone } from '../functions/pages/format-time.ts';
import { phiIn, useJourneyDriver } from './support/journey-driver.ts';
import { linksIn } from './support/local-clinic.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../functions/domain/durations.ts';

/**
 * The consult's join link: recorded with the booking (https only), never put in an email, and shown on
 * the patient's own page behind each consult reminder's link, with the time in the patient's zone.
 */
const local = useJourneyDriver();

describe('the video consult join link', () => {
  it('a booking with a join link that is not https is refused with 400 naming joinUrl, and nothing is booked', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient();
    const consultAt = new Date(d.now().getTime() + 3 * DAY).toISOString();
    for (const joinUrl of ['http://video.example.org/room/42', 'javascript:alert(1)', 'video.example.org/room/42']) {
      const refused = await d.staff('POST', `/staff/patients/${patient.patientId}/consult`, { consultAt, joinUrl });
      expect([joinUrl, refused.status, JSON.stringify(refused.json).includes('joinUrl')]).toEqual([joinUrl, 400, true]);
    }
    expect((await d.journeyOf(patient.patientId)).journey['consultAt'] ?? null).toBe(null);
  });

  it('reaches the patient behind the consult reminder: the email names no link to the call, the page shows it and the time in their zone', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient({ timeZone: 'America/Los_Angeles' });
    // the consult is booked once the intake is in
    expect((await d.submitIntake(await d.latestLinkFor(patient.email, 'intake'))).status).toBe(200);
    const consultAt = new Date(d.now().getTime() + 3 * DAY);
    const joinUrl = 'https://video.example.org/room/8f2c-41';
    expect(
      (
        await d.staff('POST', `/staff/patients/${patient.patientId}/consult`, {
          consultAt: consultAt.toISOString(),
          joinUrl,
        })
      ).status,
    ).toBe(200);
    const mark = await d.mark();
    await d.advanceTo(new Date(consultAt.getTime() - 24 * HOUR));
    const reminders = (await d.emailsSince(mark)).filter(
      (email) => email.to.includes(patient.email) && email.subject === 'Your appointment is coming up',
    );
    expect(reminders).toHaveLength(1);
    const reminder = reminders[0] as (typeof reminders)[number];
    expect(`${reminder.text ?? ''}${reminder.html ?? ''}`).not.toContain('video.example.org');
    expect(reminder.text).toContain('The secure page below has the way to join the call.');
    expect(phiIn(reminder, patient.lastName)).toEqual([]);
    const [url] = linksIn(d.clinic, reminder);
    const page = await d.openLink(url as string);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<a class="join" href="${joinUrl}" rel="noopener noreferrer">Join the video call</a>`);
    expect(page.html).toContain(formatInZone(consultAt, 'America/Los_Angeles'));

    // the same page offers the appointment as a calendar file, neutral and in UTC
    const calendar = await fetch(`${url as string}?calendar`);
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(calendar.headers.get('cache-control')).toBe('no-store');
    const ics = await calendar.text();
    expect(ics).toContain(
      `DTSTART:${consultAt
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')}\r\n`,
    );
    expect(ics).toContain('SUMMARY:Video appointment with your care team\r\n');
    expect(phiIn({ ...reminder, subject: '', text: ics, html: '' }, patient.lastName)).toEqual([]);
    expect(ics).not.toContain('video.example.org');
  });
});
