import { html, join, type Html } from './html.ts';
import {
  messagesOf,
  numberOf,
  radioGroup,
  yesNoField,
  yesNoOf,
  type FormState,
  type FormValues,
} from './form-fields.ts';
import { englishInstruments, type Instrument, type InstrumentText, type Messages } from './messages-en.ts';

/**
 * The instruments the intake, assessments and refills ask, in the form's language when the catalogue
 * holds the instrument's official translation, else in English: a validated questionnaire is never
 * translated by us (functions/pages/messages-es.ts). An English instrument on a page in another language
 * is marked `lang="en"` (so a screen reader reads it as English) under a note in the page's language.
 */
interface Shown {
  readonly text: InstrumentText;
  /** the `lang` attribute and the note when the instrument is not in the page's language */
  readonly original: boolean;
}

function instrument(m: Messages, name: Instrument): Shown {
  const own = m.instruments[name];
  return own === undefined
    ? { text: englishInstruments[name], original: m.htmlLang !== 'en' }
    : { text: own, original: false };
}

/**
 * The fieldset of one instrument: the legend in the page's language, the items as `instrument` gives them,
 * then `after` (our own question that follows the items, in the page's language).
 */
function instrumentFieldset(m: Messages, legend: string, shown: Shown, content: Html, after: Html = html``): Html {
  const note = shown.original ? html`<p class="hint">${m.questionnaires.originalLanguageNote}</p>` : '';
  const instruction = shown.text.instruction === undefined ? '' : html`<p class="hint">${shown.text.instruction}</p>`;
  return html`<fieldset><legend>${legend}</legend>${note}${shown.original ? html`<div lang="en">${instruction}${content}</div>` : html`${instruction}${content}`}${after}</fieldset>`;
}

/**
 * How an error names question `index` of a questionnaire: several questionnaires on one page each have a
 * question 1, so the questionnaire is said first ("Anxiety questionnaire, question 1 (Trouble relaxing)").
 */
export function questionName(m: Messages, questionnaire: string, index: number, item: string): string {
  return m.questionnaires.question(questionnaire, index + 1, item.replace(/[?.]$/, ''));
}

function optionsOf(text: InstrumentText, index: number): { value: string; label: string }[] {
  const options = text.options ?? [];
  const list = (Array.isArray(options[0]) ? options[index] : options) as readonly string[] | undefined;
  return (list ?? []).map((label, value) => ({ value: String(value), label }));
}

function frequencyItems(
  form: FormState,
  prefix: string,
  name: Instrument,
  legend: string,
  questionnaire: string,
): Html {
  const m = messagesOf(form);
  const shown = instrument(m, name);
  return instrumentFieldset(
    m,
    legend,
    shown,
    join(
      shown.text.items.map((item, index) =>
        radioGroup(
          form,
          `${prefix}.items[${index}]`,
          `${index + 1}. ${item}`,
          optionsOf(shown.text, index),
          undefined,
          questionName(m, questionnaire, index, item),
        ),
      ),
    ),
  );
}

export function gad7Fields(form: FormState, prefix = 'gad7'): Html {
  const q = messagesOf(form).questionnaires;
  return frequencyItems(form, prefix, 'gad7', q.gad7Legend, q.gad7Name);
}

export function phq9Fields(form: FormState, prefix = 'phq9'): Html {
  const q = messagesOf(form).questionnaires;
  return frequencyItems(form, prefix, 'phq9', q.phq9Legend, q.phq9Name);
}

export function auditCFields(form: FormState): Html {
  const q = messagesOf(form).questionnaires;
  return frequencyItems(form, 'auditC', 'auditC', q.auditCLegend, q.auditCName);
}

/** The C-SSRS screener's six questions (its field names in the published order) and the date of the last behaviour. */
const cssrsFields = [
  'wishToBeDead',
  'suicidalThoughts',
  'thoughtsOfMethod',
  'intentToAct',
  'planWithIntent',
  'suicidalBehaviour',
] as const;

export function cssrsQuestions(form: FormState, dateField: (label: string) => Html): Html {
  const m = messagesOf(form);
  const shown = instrument(m, 'cssrs');
  const items = join(
    shown.text.items.map((item, index) =>
      yesNoField(
        form,
        `cssrs.${cssrsFields[index] ?? index}`,
        `${index + 1}. ${item}`,
        undefined,
        questionName(m, m.questionnaires.cssrsName, index, item),
      ),
    ),
  );
  return instrumentFieldset(
    m,
    m.questionnaires.cssrsLegend,
    shown,
    items,
    dateField(m.questionnaires.cssrsBehaviourLastOn),
  );
}

export function dast10Fields(form: FormState): Html {
  const m = messagesOf(form);
  const shown = instrument(m, 'dast10');
  return instrumentFieldset(
    m,
    m.questionnaires.dast10Legend,
    shown,
    join(
      shown.text.items.map((item, index) =>
        yesNoField(
          form,
          `dast10.answers[${index}]`,
          `${index + 1}. ${item}`,
          undefined,
          questionName(m, m.questionnaires.dast10Name, index, item),
        ),
      ),
    ),
  );
}

export function itemsOf(values: FormValues, prefix: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => numberOf(values, `${prefix}.items[${index}]`));
}

export function yesNosOf(values: FormValues, prefix: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => yesNoOf(values, `${prefix}[${index}]`));
}

export function bladderFields(form: FormState, prefix: string): Html {
  const q = messagesOf(form).questionnaires;
  return html`<fieldset><legend>${q.bladderLegend}</legend>
${yesNoField(form, `${prefix}.frequency`, q.bladder.frequency)}
${yesNoField(form, `${prefix}.urgency`, q.bladder.urgency)}
${yesNoField(form, `${prefix}.painOnUrination`, q.bladder.painOnUrination)}
${yesNoField(form, `${prefix}.bloodInUrine`, q.bladder.bloodInUrine)}</fieldset>`;
}

export function bladderOf(values: FormValues, prefix: string): Record<string, unknown> {
  return {
    frequency: yesNoOf(values, `${prefix}.frequency`),
    urgency: yesNoOf(values, `${prefix}.urgency`),
    painOnUrination: yesNoOf(values, `${prefix}.painOnUrination`),
    bloodInUrine: yesNoOf(values, `${prefix}.bloodInUrine`),
  };
}
