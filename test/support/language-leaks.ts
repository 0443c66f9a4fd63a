import { en, englishInstruments } from '../../functions/pages/messages-en.ts';
import { es } from '../../functions/pages/messages-es.ts';

/**
 * Finding English where a Spanish-speaking patient reads: every English message of the catalogue that is
 * not also Spanish, looked for in a page's or an email's text, leaving out the questionnaires kept in
 * English on purpose (their items, options and instructions, also where an error quotes a question).
 */

/** The catalogue's strings (not its functions). */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** Every string a catalogue holds, with each function called on sample values and split around them. */
export function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') {
    const sample = String((value as (...args: unknown[]) => unknown)(7, 8, 'Ω'));
    return sample.split(/7|8|Ω/);
  }
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(textsOf);
  return [];
}

/** English the Spanish catalogue must never show: every English sentence or label that is not also Spanish. */
const spanishTexts = new Set(textsOf({ ...es, instruments: {} }).map((t) => t.trim()));
export const englishOnly = [...new Set(textsOf({ ...en, instruments: {} }).map((t) => t.trim()))].filter(
  (t) => t.length >= 6 && !spanishTexts.has(t) && !/^[\s\d\W]*$/.test(t),
);

/** The text a person reads: no tags, no attribute values, without the blocks marked `lang="en"` (the instruments kept in English on purpose). */
export function readable(body: string, keepEnglishBlocks = false): string {
  const withoutEnglish = keepEnglishBlocks ? body : body.replace(/<div lang="en">[\s\S]*?<\/div>/g, ' ');
  return withoutEnglish
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The English instruments' own words (items and options), which a Spanish page shows on purpose, also when an error quotes the question. */
const instrumentWords = Object.values(englishInstruments).flatMap((i) => [
  ...i.items.map((item) => item.replace(/[?.]$/, '')),
  ...(i.options ?? []).flat(),
  ...(i.instruction === undefined ? [] : [i.instruction]),
]);

export const withoutInstruments = (text: string): string =>
  instrumentWords.reduce((rest, words) => rest.split(words).join(' '), text);

export function englishIn(text: string): string[] {
  const ours = withoutInstruments(text);
  return englishOnly.filter((english) => ours.includes(english));
}
