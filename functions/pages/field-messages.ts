import type { FieldError } from '../domain/schemas/field-errors.ts';
import { en, type Messages } from './messages-en.ts';

/**
 * What a person reads when an answer cannot be taken: the question in their words, then what to do
 * ("Anxiety questionnaire, question 1 (Feeling nervous, anxious or on edge): choose one answer"). The
 * rules and schemas name fields by their internal paths (`gad7.items[0]: expected a whole number from 0 to
 * 3`), which is right for the staff API and the audit; a page never shows those paths.
 */

/** How a field is answered, which decides the instruction for a missing or malformed answer. */
export type FieldKind = 'choice' | 'number' | 'text' | 'date' | 'datetime';

/** A rendered field, as a person knows it. */
export interface FieldDescription {
  /** the question or label, as the page shows it (or a longer name for the error summary) */
  readonly label: string;
  readonly kind: FieldKind;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  /** the answer as sent, to say how long an over-long text is */
  readonly value?: string | undefined;
}

/** The rule's own words, without the internal field name it starts with ("gad7.items[0]: ..."). */
export function detailOf(error: FieldError): string {
  const prefix = `${error.field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/**
 * The schemas' generic complaints: a missing answer or one of the wrong shape. These become the field
 * kind's instruction; anything else is a rule's own sentence ("an absolute contraindication cannot be
 * overridden") and is kept, since it says something the instruction cannot.
 */
const generic =
  /^(is required\b|expected (a |an )?(whole number|number|weight|yes or no|text|one of|boolean|string|calendar date|ISO 8601|valid|value of one)|expected (no less|no more|more|less) than\b)/;
/** A choice has one way to be wrong: no option (or one the page does not offer) was sent. */
const genericChoice = /^(is required\b|expected\b)/;
const tooLong = /^expected at most ([\d,]+) characters$/;

function instruction(field: FieldDescription, m: Messages): string {
  switch (field.kind) {
    case 'choice':
      return m.form.chooseOne;
    case 'number':
      if (field.min !== undefined && field.max !== undefined) return m.form.numberFromTo(field.min, field.max);
      if (field.min !== undefined) return m.form.numberAtLeast(field.min);
      return m.form.number;
    case 'date':
      return m.form.date;
    case 'datetime':
      return m.form.dateTime;
    case 'text':
      return m.form.text;
  }
}

/** The sentence for one error of one rendered field, in the catalogue's language (English by default). */
export function personMessage(field: FieldDescription, error: FieldError, m: Messages = en): string {
  const detail = personDetail(field, detailOf(error), m);
  // a question keeps its question mark, and the instruction is a sentence of its own
  return /[?.]$/.test(field.label) ? `${field.label} ${capitalise(detail)}.` : `${field.label}: ${detail}`;
}

function personDetail(field: FieldDescription, detail: string, m: Messages): string {
  const long = tooLong.exec(detail);
  if (long !== null) {
    const limit = Number((long[1] as string).replace(/,/g, ''));
    const length = field.value === undefined ? undefined : [...field.value].length;
    return m.form.tooLong(limit.toLocaleString(m.dateLocale), length?.toLocaleString(m.dateLocale));
  }
  if ((field.kind === 'choice' ? genericChoice : generic).test(detail)) return instruction(field, m);
  // a rule's own sentence is English (the rules speak the staff API's language): said in the page's
  // language when the catalogue has it, else the person is asked to check the answer, so the page never
  // mixes languages
  return m === en ? detail : (ruleSentence(detail, m) ?? `${m.form.checkThisAnswer}: ${instruction(field, m)}`);
}

/** A rule's English sentence in the catalogue's language, when the catalogue holds it (`rules`). */
function ruleSentence(detail: string, m: Messages): string | undefined {
  const key = (Object.keys(en.rules) as (keyof Messages['rules'])[]).find((k) => en.rules[k] === detail);
  return key === undefined ? undefined : m.rules[key];
}

/**
 * An error about something the page did not render as a field (the whole form, a hidden value): its own
 * sentence, with any internal name taken out, so a person still reads what happened.
 */
export function formMessage(error: FieldError, m: Messages = en): string {
  const detail = detailOf(error);
  if (m !== en)
    return capitalise(
      ruleSentence(detail, m) ?? (error.field === '(form)' ? m.form.formNotAccepted : m.form.unreadable),
    );
  if (error.field === '(form)') return capitalise(detail);
  return generic.test(detail) ? m.form.unreadable : capitalise(detail);
}

export function capitalise(text: string): string {
  return text.replace(/^./, (c) => c.toUpperCase());
}
