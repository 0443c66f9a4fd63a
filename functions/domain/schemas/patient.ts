import * as z from 'zod/mini';
import { calendarDate, clinicianId, id, shortText, timeZone } from './common.ts';

/** Sex assigned at birth decides the AUDIT-C threshold; anything but 'male' gets the lower one. */
export const sexesAtBirth = ['female', 'male', 'intersex'] as const;

/** The languages patients' emails and pages are written in; clinicians read English whatever this is. */
export const preferredLanguages = ['en', 'es'] as const;

export const patientSchema = z.strictObject({
  id,
  firstName: shortText(100),
  lastName: shortText(100),
  dateOfBirth: calendarDate,
  sexAtBirth: z.enum(sexesAtBirth, { error: `expected one of ${sexesAtBirth.join(', ')}` }),
  /** reminders, quiet hours and age are all reckoned in this zone */
  timeZone,
  email: z.email({ error: 'expected an email address such as name@example.com' }),
  phone: z.optional(
    z
      .string({ error: 'expected a phone number (text)' })
      .check(z.regex(/^\+[1-9]\d{6,14}$/, 'expected a phone number in international form, such as +15551234567')),
  ),
  assignedClinicianId: clinicianId,
  /** chosen at enrolment; absent (a profile from before it was asked) reads as English */
  preferredLanguage: z.optional(
    z.enum(preferredLanguages, { error: `expected one of ${preferredLanguages.join(', ')} (English or Spanish)` }),
  ),
});

export type Patient = z.infer<typeof patientSchema>;
export type SexAtBirth = (typeof sexesAtBirth)[number];
export type PreferredLanguage = (typeof preferredLanguages)[number];
