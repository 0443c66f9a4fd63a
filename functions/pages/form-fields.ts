import type { FieldError } from '../domain/schemas/field-errors.ts';
import type { PreferredLanguage } from '../domain/schemas/patient.ts';
import { messagesFor } from './message-catalogue.ts';
import type { Messages } from './messages-en.ts';
import { formMessage, personMessage, type FieldDescription, type FieldKind } from './field-messages.ts';
import { html, join, type Html } from './html.ts';

/**
 * A posted form: every value of every name, as the browser sent them. Built without a prototype
 * (functions/pages/form-body.ts), so any name a form posts is only ever a field.
 */
export type FormValues = Readonly<Record<string, readonly string[]>>;

/** What a form is rendered with: the person's answers (kept after an error) and the problems found. */
export interface FormState {
  readonly values: FormValues;
  readonly errors: readonly FieldError[];
  /**
   * Each field as the page names it, recorded as the fields render (before the form around them), so
   * the error summary at the top says the question in the page's words, never the internal name.
   */
  readonly fields?: Map<string, FieldDescription>;
  /** the language of the form's chrome (Yes/No, instructions, the error summary); English when absent */
  readonly language?: PreferredLanguage;
}

export const emptyForm: FormState = {
  values: Object.freeze(Object.create(null) as Record<string, readonly string[]>),
  errors: [],
};

/** An empty form whose chrome is in the person's language. */
export function emptyFormIn(language: PreferredLanguage): FormState {
  return { ...emptyForm, language };
}

/** A form sent back with its answers and what is wrong with them. */
export function formWithErrors(
  values: FormValues,
  errors: readonly FieldError[],
  language?: PreferredLanguage,
): FormState {
  return { values, errors, fields: new Map(), ...(language === undefined ? {} : { language }) };
}

/** The catalogue of the form's language. */
export function messagesOf(form: FormState): Messages {
  return messagesFor(form.language);
}

export function valueOf(values: FormValues, name: string): string | undefined {
  // own fields only: FormValues from elsewhere (tests) may be plain objects
  return Object.hasOwn(values, name) ? values[name]?.[0] : undefined;
}

/** Every value sent under a name (checkboxes), own fields only. */
export function valuesOf(values: FormValues, name: string): readonly string[] {
  return Object.hasOwn(values, name) ? (values[name] ?? []) : [];
}

/** '' is "not answered" (the schema says "required"); a non-number stays text so the schema names it. */
export function numberOf(values: FormValues, name: string): number | string | undefined {
  const raw = valueOf(values, name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  const number = Number(raw);
  return Number.isFinite(number) ? number : raw;
}

export function yesNoOf(values: FormValues, name: string): boolean | undefined {
  const raw = valueOf(values, name);
  return raw === 'yes' ? true : raw === 'no' ? false : undefined;
}

export function textOf(values: FormValues, name: string): string | undefined {
  const raw = valueOf(values, name);
  return raw === undefined ? undefined : raw;
}

function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function errorFor(form: FormState, name: string): FieldError | undefined {
  return form.errors.find((error) => error.field === name);
}

/** Records how the page names the field, and answers its error (if any) in those words. */
function describe(form: FormState, name: string, description: Omit<FieldDescription, 'value'>): string | undefined {
  const described: FieldDescription = { ...description, value: valueOf(form.values, name) };
  form.fields?.set(name, described);
  const error = errorFor(form, name);
  return error === undefined ? undefined : personMessage(described, error, messagesOf(form));
}

function wrap(
  form: FormState,
  name: string,
  label: string,
  kind: FieldKind,
  control: Html,
  options: { hint?: string | undefined; min?: number | undefined; max?: number | undefined } = {},
): Html {
  const message = describe(form, name, { label, kind, min: options.min, max: options.max });
  const id = fieldId(name);
  const hint = options.hint;
  return html`<div class="field${message ? ' invalid' : ''}">
<label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
${message ? html`<p class="error" id="${id}-error">${message}</p>` : ''}${control}</div>`;
}

function describedBy(form: FormState, name: string, hint?: string): string {
  const id = fieldId(name);
  return [hint ? `${id}-hint` : '', errorFor(form, name) ? `${id}-error` : ''].filter((v) => v !== '').join(' ');
}

export function numberField(
  form: FormState,
  name: string,
  label: string,
  options: { min?: number; max?: number; step?: string; hint?: string } = {},
): Html {
  const id = fieldId(name);
  const control = html`<input type="number" id="${id}" name="${name}" inputmode="decimal" value="${valueOf(form.values, name) ?? ''}"${options.min === undefined ? '' : html` min="${options.min}"`}${options.max === undefined ? '' : html` max="${options.max}"`} step="${options.step ?? 'any'}" aria-describedby="${describedBy(form, name, options.hint)}">`;
  return wrap(form, name, label, 'number', control, options);
}

const kindOfInput = { text: 'text', 'datetime-local': 'datetime', date: 'date' } as const;

export function textField(
  form: FormState,
  name: string,
  label: string,
  options: { hint?: string; type?: 'text' | 'datetime-local' | 'date' } = {},
): Html {
  const id = fieldId(name);
  const control = html`<input type="${options.type ?? 'text'}" id="${id}" name="${name}" value="${valueOf(form.values, name) ?? ''}" aria-describedby="${describedBy(form, name, options.hint)}">`;
  return wrap(form, name, label, kindOfInput[options.type ?? 'text'], control, options);
}

/** `maxLength`: said in the hint, so a long note is known to be too long before it is sent. */
export function textArea(
  form: FormState,
  name: string,
  label: string,
  options: { hint?: string; maxLength?: number } = {},
): Html {
  const id = fieldId(name);
  const limit =
    options.maxLength === undefined
      ? undefined
      : messagesOf(form).form.atMostCharacters(options.maxLength.toLocaleString(messagesOf(form).dateLocale));
  const hint = [options.hint, limit].filter((part) => part !== undefined).join(' ') || undefined;
  const control = html`<textarea id="${id}" name="${name}" aria-describedby="${describedBy(form, name, hint)}">${valueOf(form.values, name) ?? ''}</textarea>`;
  return wrap(form, name, label, 'text', control, { hint });
}

/**
 * Radio buttons in a fieldset: the legend labels the group, each option has its own label. `errorName`:
 * how an error names the question when the legend alone is ambiguous on the page ("Anxiety questionnaire,
 * question 1 (...)").
 */
export function radioGroup(
  form: FormState,
  name: string,
  legend: string,
  options: readonly { value: string; label: string }[],
  hint?: string,
  errorName?: string,
): Html {
  const message = describe(form, name, { label: errorName ?? legend, kind: 'choice' });
  const chosen = valueOf(form.values, name);
  const id = fieldId(name);
  return html`<fieldset class="field${message ? ' invalid' : ''}" id="${id}"><legend>${legend}</legend>${hint ? html`<p class="hint">${hint}</p>` : ''}
${message ? html`<p class="error" id="${id}-error">${message}</p>` : ''}${join(
    options.map(
      (option, index) =>
        html`<label class="choice" for="${id}-${index}"><input type="radio" id="${id}-${index}" name="${name}" value="${option.value}"${chosen === option.value ? ' checked' : ''}>${option.label}</label>`,
    ),
  )}</fieldset>`;
}

export function yesNoField(form: FormState, name: string, question: string, hint?: string, errorName?: string): Html {
  const m = messagesOf(form);
  return radioGroup(
    form,
    name,
    question,
    [
      { value: 'yes', label: m.form.yes },
      { value: 'no', label: m.form.no },
    ],
    hint,
    errorName,
  );
}

export function checkboxGroup(
  form: FormState,
  name: string,
  legend: string,
  options: readonly { value: string; label: string }[],
  hint?: string,
): Html {
  const message = describe(form, name, { label: legend, kind: 'choice' });
  const chosen = new Set(valuesOf(form.values, name));
  const id = fieldId(name);
  return html`<fieldset class="field${message ? ' invalid' : ''}" id="${id}"><legend>${legend}</legend>${hint ? html`<p class="hint">${hint}</p>` : ''}
${message ? html`<p class="error" id="${id}-error">${message}</p>` : ''}${join(
    options.map(
      (option, index) =>
        html`<label class="choice" for="${id}-${index}"><input type="checkbox" id="${id}-${index}" name="${name}" value="${option.value}"${chosen.has(option.value) ? ' checked' : ''}>${option.label}</label>`,
    ),
  )}</fieldset>`;
}

export function selectField(
  form: FormState,
  name: string,
  label: string,
  options: readonly { value: string; label: string }[],
): Html {
  const id = fieldId(name);
  const chosen = valueOf(form.values, name);
  const control = html`<select id="${id}" name="${name}" aria-describedby="${describedBy(form, name)}"><option value="">${messagesOf(form).form.choose}</option>${join(
    options.map(
      (option) =>
        html`<option value="${option.value}"${chosen === option.value ? ' selected' : ''}>${option.label}</option>`,
    ),
  )}</select>`;
  return wrap(form, name, label, 'choice', control);
}

/**
 * Every problem, listed at the top, each linking to its field, so a screen reader hears them first (the
 * GOV.UK Design System's error summary). Called after the fields rendered, so each is named as the page
 * names it; a problem with no field on the page (the whole form) is said without a link.
 */
export function errorSummary(form: FormState): Html {
  if (form.errors.length === 0) return html``;
  const m = messagesOf(form);
  return html`<div class="summary" role="alert" tabindex="-1"><h2 class="error">${m.form.problemHeading}</h2><ul>${join(
    form.errors.map((error) => {
      const field = form.fields?.get(error.field);
      return field === undefined
        ? html`<li>${formMessage(error, m)}</li>`
        : html`<li><a href="#${fieldId(error.field)}">${personMessage(field, error, m)}</a></li>`;
    }),
  )}</ul></div>`;
}

/** The form shell: posts to the page's own address; the hidden purpose lets the server refuse a form for another step. */
export function form(purpose: string, state: FormState, content: Html, buttons: Html): Html {
  return html`${errorSummary(state)}<form method="post" novalidate><input type="hidden" name="purpose" value="${purpose}">${content}<div class="buttons">${buttons}</div></form>`;
}

export function submitButton(label: string, decision?: string, secondary = false): Html {
  return html`<button type="submit"${decision === undefined ? '' : html` name="decision" value="${decision}"`}${secondary ? html` class="secondary"` : ''}>${label}</button>`;
}
