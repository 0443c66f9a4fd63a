import type { Protocol } from '../domain/protocol.ts';
import type { FieldError } from '../domain/schemas/field-errors.ts';
import { ageOn } from '../domain/screening.ts';

/**
 * A date of birth a person could have: not after today (in the patient's zone) and not giving an age over
 * the protocol's plausible maximum. The schema only checks the form (YYYY-MM-DD); `2999-04-12` or `1826-04-12`
 * would otherwise start a journey whose screening reasons about an age no patient has.
 */
export function dateOfBirthProblems(dateOfBirth: string, today: string, protocol: Protocol): FieldError[] {
  if (dateOfBirth > today)
    return [
      {
        field: 'dateOfBirth',
        message: `dateOfBirth: expected a date that is not in the future (today is ${today} in the patient's time zone)`,
      },
    ];
  const max = protocol.eligibility.maximumPlausibleAgeYears;
  if (ageOn(dateOfBirth, today) > max)
    return [
      { field: 'dateOfBirth', message: `dateOfBirth: expected an age of at most ${max} years; please check the year` },
    ];
  return [];
}
