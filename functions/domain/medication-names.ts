import type { InteractingMedicationClass, Protocol } from './protocol.ts';

/**
 * Matches what a patient types as a medication ("Xanax 0.5mg at night", "lisdexamfetamine (Vyvanse)")
 * against the protocol's table of generic and brand names. The patient's own filing is not trusted: a
 * benzodiazepine filed as "other" is still a benzodiazepine.
 *
 * A name is recognised only when every word of the entry is accounted for: a known name, or a word about
 * the dose (numbers, units, forms, timing). So "Tylenol PM" is not passed as Tylenol: "pm" is not a dose
 * word, and the entry goes to the clinician. An unrecognised entry is never passed silently.
 */

export interface MedicationMatch {
  /** interacting classes whose names appear in the entry */
  readonly classes: readonly InteractingMedicationClass[];
  /** every word is a known name or a dose word (an entry with an interacting name counts as recognised) */
  readonly recognised: boolean;
}

/** Words about how much and when, not what: they neither name a drug nor hide one. */
const doseWords = new Set([
  'mg',
  'mcg',
  'ug',
  'g',
  'ml',
  'iu',
  'unit',
  'units',
  'percent',
  'tab',
  'tabs',
  'tablet',
  'tablets',
  'cap',
  'caps',
  'capsule',
  'capsules',
  'pill',
  'pills',
  'patch',
  'spray',
  'liquid',
  'solution',
  'er',
  'xr',
  'sr',
  'cr',
  'la',
  'xl',
  'dr',
  'ir',
  'odt',
  'ec',
  'daily',
  'once',
  'twice',
  'a',
  'an',
  'day',
  'days',
  'week',
  'weekly',
  'per',
  'x',
  'times',
  'every',
  'each',
  'morning',
  'evening',
  'night',
  'nightly',
  'bedtime',
  'at',
  'in',
  'the',
  'as',
  'needed',
  'prn',
  'bid',
  'tid',
  'qid',
  'qd',
  'qhs',
  'and',
  'or',
]);

export function normaliseMedicationText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function matchMedication(typed: string, protocol: Protocol): MedicationMatch {
  const words = normaliseMedicationText(typed)
    .split(' ')
    .filter((word) => word !== '');
  const accounted = new Array<boolean>(words.length).fill(false);
  const found = (name: string): boolean => {
    const parts = name.split(' ');
    let any = false;
    for (let start = 0; start + parts.length <= words.length; start++) {
      if (parts.every((part, offset) => words[start + offset] === part)) {
        for (let offset = 0; offset < parts.length; offset++) accounted[start + offset] = true;
        any = true;
      }
    }
    return any;
  };

  const classes: InteractingMedicationClass[] = [];
  for (const [medicationClass, names] of Object.entries(protocol.medications.interacting) as [
    InteractingMedicationClass,
    string[],
  ][]) {
    // every name is tried (not only the first hit), so each word of the entry is accounted for
    const hits = names.filter(found);
    if (hits.length > 0) classes.push(medicationClass);
  }
  protocol.medications.recognisedNonInteracting.forEach(found);
  words.forEach((word, index) => {
    if (doseWords.has(word) || /^\d+$/.test(word)) accounted[index] = true;
  });
  const recognised = words.length > 0 && (classes.length > 0 || accounted.every(Boolean));
  return { classes, recognised };
}
