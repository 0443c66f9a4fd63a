import { describe, expect, it } from 'vitest';
import { es } from '../functions/pages/messages-es.ts';
import { useJourneyDriver } from './support/journey-driver.ts';
import { clinicianLinkFor, DAY, HOUR, later, mainText } from './support/journey-scenarios.ts';
import { englishIn, readable } from './support/language-leaks.ts';

/**
 * A patient who reads Spanish, through the doors people use on the local clinic: the staff API records the
 * language at enrolment, and every email and page the patient gets is Spanish (the questionnaires' items
 * excepted, kept in English until their official translations are added), while their clinician's
 * emails and pages stay English.
 */
const local = useJourneyDriver();

describe('a patient enrolled in Spanish', () => {
  it('gets Spanish emails and pages, errors and status pages included; the clinician gets English ones', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient({ preferredLanguage: 'es', firstName: 'Lucía' });
    expect((await d.journeyOf(patient.patientId)).patient['preferredLanguage']).toBe('es');

    const intake = await d.latestLinkFor(patient.email, 'intake');
    expect(intake.email.subject).toBe(es.email.formSubject);
    expect(intake.email.text).toMatch(
      /^Hola, Lucía:\n\nTiene un breve formulario pendiente; el enlace funciona hasta el .+\.\n\nAbrir la página segura: /,
    );
    expect(englishIn(`${intake.email.subject}\n${intake.email.text ?? ''}`)).toEqual([]);
    expect(intake.html).toContain('<html lang="es">');
    expect(intake.html).toContain(`<title>${es.titles.intake}</title>`);
    expect(englishIn(readable(intake.html))).toEqual([]);

    // a form sent with nothing answered comes back in Spanish, nothing recorded
    const empty = await d.submitForm(intake, []);
    expect(empty.status).toBe(400);
    expect(mainText(empty.html)).toContain('Hay un problema');
    expect(englishIn(readable(empty.html))).toEqual([]);

    const sent = await d.submitIntake(intake);
    expect(sent.status).toBe(200);
    expect(mainText(sent.html)).toContain(es.intake.thanks);
    // the used link: a Spanish status page
    const used = await d.openLink(intake.url);
    expect(used.status).toBe(409);
    expect(used.html).toContain(`<title>${es.status.alreadyDoneTitle}</title>`);
    expect(mainText(used.html)).toContain('Esto ya lo decidió usted el ');
    expect(englishIn(readable(used.html))).toEqual([]);

    // the clinician reads English about the same patient
    const booking = await clinicianLinkFor(d, patient, 'consult-booking');
    expect(booking.html).toContain('<html lang="en">');
    expect(booking.email.subject).toMatch(/^Consult booking due by /);
    expect(mainText(booking.html)).toContain('Book the video consult');

    // the consult reminder and its page, with the date in Spanish
    const consultAt = later(d.now(), 3 * DAY);
    expect(
      (
        await d.staff('POST', `/staff/patients/${patient.patientId}/consult`, {
          consultAt: consultAt.toISOString(),
          joinUrl: 'https://video.example.org/join/room-77',
        })
      ).status,
    ).toBe(200);
    await d.advanceTo(later(consultAt, -23 * HOUR));
    const consult = await d.latestLinkFor(patient.email, 'consult');
    expect(consult.email.subject).toBe(es.email.consultSubject);
    expect(consult.email.text).toContain('Le recordamos que su cita por video es el ');
    expect(consult.html).toContain('<html lang="es">');
    expect(mainText(consult.html)).toContain(es.consult.join);
    expect(mainText(consult.html)).toMatch(/Su cita por video es el [a-záéíóú]+, \d+ de [a-z]+ de 2026/);
    expect(englishIn(readable(consult.html))).toEqual([]);
  });

  it('a patient enrolled without a language is recorded as English; an unknown language is refused, naming the field, and nothing is written', async () => {
    const d = local.driver;
    const patient = await d.enrolPatient();
    expect((await d.journeyOf(patient.patientId)).patient['preferredLanguage']).toBe('en');
    expect((await d.latestLinkFor(patient.email, 'intake')).html).toContain('<html lang="en">');

    const refused = await d.staff('POST', '/staff/patients', {
      patientId: 'pt-language-fr',
      firstName: 'Jo',
      lastName: 'Doe',
      dateOfBirth: '1988-04-12',
      sexAtBirth: 'female',
      timeZone: 'America/Chicago',
      email: 'jo.doe@patients.example.net',
      assignedClinicianId: 'dr-rivera',
      preferredLanguage: 'fr',
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('preferredLanguage');
    expect((await d.staff('GET', '/staff/patients/pt-language-fr')).status).toBe(404);
  });
});
