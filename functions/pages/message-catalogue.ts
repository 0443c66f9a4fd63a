import type { PreferredLanguage } from '../domain/schemas/patient.ts';
import { en, type Messages } from './messages-en.ts';
import { es } from './messages-es.ts';

/**
 * The one message catalogue of what patients read (pages, emails, error messages, crisis resources), by
 * the patient's preferred language. Clinician pages and emails are English and do not use it.
 */
export const catalogue: Readonly<Record<PreferredLanguage, Messages>> = { en, es };

export function messagesFor(language: PreferredLanguage | undefined): Messages {
  return catalogue[language ?? 'en'];
}

/** A patient's language: the one recorded at enrolment, English for a profile from before it was asked. */
export function languageOf(
  patient: { readonly preferredLanguage?: PreferredLanguage | undefined } | undefined,
): PreferredLanguage {
  return patient?.preferredLanguage ?? 'en';
}
