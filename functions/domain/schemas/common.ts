import * as z from 'zod/mini';

/**
 * Building blocks shared by every schema. Messages start with "expected" so `fieldErrors` keeps them
 * as written and only prefixes the field.
 */

export const id = z
  .string({ error: 'expected an id (text)' })
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an id of 1-64 letters, digits, "-" or "_"'));

/** Same shape as the clinic config's clinician ids, so a plan's approver can be looked up there. */
export const clinicianId = z
  .string({ error: 'expected a clinician id (text)' })
  .check(z.regex(/^[a-z0-9-]{2,40}$/, 'expected a clinician id of 2-40 lowercase letters, digits and dashes'));

/** An instant, always with its offset, so no reader has to guess the zone it was written in. */
export const instant = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 date-time with a time zone offset, such as 2026-05-01T09:00:00Z',
});

export const calendarDate = z.iso.date({ error: 'expected a calendar date as YYYY-MM-DD' });

export const timeZone = z.string({ error: 'expected an IANA time zone (text)' }).check(
  z.refine((zone) => {
    if (zone.length === 0) return false;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as "America/New_York"'),
);

export const shortText = (max: number) =>
  z
    .string({ error: 'expected text' })
    .check(
      z.trim(),
      z.minLength(1, 'expected text that is not empty'),
      z.maxLength(max, `expected at most ${max} characters`),
    );

export const freeText = (max: number) =>
  z.string({ error: 'expected text' }).check(z.maxLength(max, `expected at most ${max} characters`));

export const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .check(
      z.int(`expected a whole number from ${min} to ${max}`),
      z.gte(min, `expected a whole number from ${min} to ${max}`),
      z.lte(max, `expected a whole number from ${min} to ${max}`),
    );

/** hours or days: finite, not negative */
export const nonNegativeAmount = (unit: string, max: number) =>
  z
    .number({ error: `expected a number of ${unit}` })
    .check(z.gte(0, `expected a number of ${unit} that is 0 or more`), z.lte(max, `expected at most ${max} ${unit}`));

export const yesNo = z.boolean({ error: 'expected yes or no (true or false)' });

/** One blood pressure reading in mmHg; bounds only catch typing slips, the rules judge the values. */
export const bloodPressureReading = z
  .strictObject({
    systolic: wholeNumber(50, 300),
    diastolic: wholeNumber(20, 200),
  })
  .check(
    z.refine((reading) => reading.diastolic < reading.systolic, {
      message: 'expected the diastolic (lower) number to be below the systolic (upper) number',
      path: ['diastolic'],
    }),
  );

export type BloodPressureReading = z.infer<typeof bloodPressureReading>;
