import type { FieldError } from '../domain/schemas/field-errors.ts';
import { html, join, type Html } from './html.ts';

/** A posted form: every value of every name, as the browser sent them. */
export type FormValues = Readonly<Record<string, readonly string[]>>;

/** What a form is rendered with: the person's answers (kept after an error) and the problems found. */
export interface FormState {
  readonly values: FormValues;
  readonly errors: readonly FieldError[];
}

export const emptyForm: FormState = { values: {}, errors: [] };

export function parseFormBody(body: string): FormValues {
  const values: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) (values[name] ??= []).push(value);
  return values;
}

export function valueOf(values: FormValues, name: string): string | undefined {
  return values[name]?.[0];
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

function wrap(form: FormState, name: string, label: Html | string, control: Html, hint?: string): Html {
  const error = errorFor(form, name);
  const id = fieldId(name);
  return html`<div class="field${error ? ' invalid' : ''}">
<label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
${error ? html`<p class="error" id="${id}-error">${error.message}</p>` : ''}${control}</div>`;
}

function describedBy(form: FormState, name: string, hint?: string): string {
  const id = fieldId(name);
  return [hint ? `${id}-hint` : '', errorFor(form, name) ? `${id}-error` : ''].filter((v) => v !== '').join(' ');
}

export function numberField(form: FormState, name: string, label: string, options: { min?: number; max?: number; step?: string; hint?: string } = {}): Html {
  const id = fieldId(name);
  const control = html`<input type="number" id="${id}" name="${name}" inputmode="decimal" value="${valueOf(form.values, name) ?? ''}"${options.min === undefined ? '' : html` min="${options.min}"`}${options.max === undefined ? '' : html` max="${options.max}"`} step="${options.step ?? 'any'}" aria-describedby="${describedBy(form, name, options.hint)}">`;
  return wrap(form, name, label, control, options.hint);
}

export function textField(form: FormState, name: string, label: string, options: { hint?: string; type?: 'text' | 'datetime-local' | 'date' } = {}): Html {
  const id = fieldId(name);
  const control = html`<input type="${options.type ?? 'text'}" id="${id}" name="${name}" value="${valueOf(form.values, name) ?? ''}" aria-describedby="${describedBy(form, name, options.hint)}">`;
  return wrap(form, name, label, control, options.hint);
}

export function textArea(form: FormState, name: string, label: string, options: { hint?: string } = {}): Html {
  const id = fieldId(name);
  const control = html`<textarea id="${id}" name="${name}" aria-describedby="${describedBy(form, name, options.hint)}">${valueOf(form.values, name) ?? ''}</textarea>`;
  return wrap(form, name, label, control, options.hint);
}

/** Radio buttons in a fieldset: the legend labels the group, each option has its own label. */
export function radioGroup(form: FormState, name: string, legend: string, options: readonly { value: string; label: string }[], hint?: string): Html {
  const error = errorFor(form, name);
  const chosen = valueOf(form.values, name);
  const id = fieldId(name);
  return html`<fieldset class="field${error ? ' invalid' : ''}" id="${id}"><legend>${legend}</legend>${hint ? html`<p class="hint">${hint}</p>` : ''}
${error ? html`<p class="error" id="${id}-error">${error.message}</p>` : ''}${join(
    options.map(
      (option, index) =>
        html`<label class="choice" for="${id}-${index}"><input type="radio" id="${id}-${index}" name="${name}" value="${option.value}"${chosen === option.value ? ' checked' : ''}>${option.label}</label>`,
    ),
  )}</fieldset>`;
}

export function yesNoField(form: FormState, name: string, question: string, hint?: string): Html {
  return radioGroup(form, name, question, [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
  ], hint);
}

export function checkboxGroup(form: FormState, name: string, legend: string, options: readonly { value: string; label: string }[], hint?: string): Html {
  const error = errorFor(form, name);
  const chosen = new Set(form.values[name] ?? []);
  const id = fieldId(name);
  return html`<fieldset class="field${error ? ' invalid' : ''}" id="${id}"><legend>${legend}</legend>${hint ? html`<p class="hint">${hint}</p>` : ''}
${error ? html`<p class="error" id="${id}-error">${error.message}</p>` : ''}${join(
    options.map(
      (option, index) =>
        html`<label class="choice" for="${id}-${index}"><input type="checkbox" id="${id}-${index}" name="${name}" value="${option.value}"${chosen.has(option.value) ? ' checked' : ''}>${option.label}</label>`,
    ),
  )}</fieldset>`;
}

export function selectField(form: FormState, name: string, label: string, options: readonly { value: string; label: string }[]): Html {
  const id = fieldId(name);
  const chosen = valueOf(form.values, name);
  const control = html`<select id="${id}" name="${name}" aria-describedby="${describedBy(form, name)}"><option value="">Choose…</option>${join(
    options.map((option) => html`<option value="${option.value}"${chosen === option.value ? ' selected' : ''}>${option.label}</option>`),
  )}</select>`;
  return wrap(form, name, label, control);
}

/** Every problem, listed at the top, each linking to its field, so a screen reader hears them first. */
export function errorSummary(form: FormState): Html {
  if (form.errors.length === 0) return html``;
  return html`<div class="summary" role="alert"><p class="error">Please correct the following:</p><ul>${join(
    form.errors.map((error) => html`<li><a href="#${fieldId(error.field)}">${error.message}</a></li>`),
  )}</ul></div>`;
}

/** The form shell: posts to the page's own address; the hidden purpose lets the server refuse a form for another step. */
export function form(purpose: string, state: FormState, content: Html, buttons: Html): Html {
  return html`${errorSummary(state)}<form method="post" novalidate><input type="hidden" name="purpose" value="${purpose}">${content}<div class="buttons">${buttons}</div></form>`;
}

export function submitButton(label: string, decision?: string, secondary = false): Html {
  return html`<button type="submit"${decision === undefined ? '' : html` name="decision" value="${decision}"`}${secondary ? html` class="secondary"` : ''}>${label}</button>`;
}
