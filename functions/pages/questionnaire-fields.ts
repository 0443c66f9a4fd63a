import { html, join, type Html } from './html.ts';
import { numberOf, radioGroup, yesNoField, yesNoOf, type FormState, type FormValues } from './form-fields.ts';

/** Published item wording (short form) of the instruments the intake, assessments and refills ask. */
const frequency = [
  { value: '0', label: 'Not at all' },
  { value: '1', label: 'Several days' },
  { value: '2', label: 'More than half the days' },
  { value: '3', label: 'Nearly every day' },
];

export const gad7Items = [
  'Feeling nervous, anxious or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid as if something awful might happen',
];

export const phq9Items = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself, or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading or watching television',
  'Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless',
  'Thoughts that you would be better off dead, or of hurting yourself in some way',
];

export const auditCItems: readonly { question: string; options: readonly string[] }[] = [
  { question: 'How often do you have a drink containing alcohol?', options: ['Never', 'Monthly or less', '2-4 times a month', '2-3 times a week', '4 or more times a week'] },
  { question: 'How many standard drinks do you have on a typical day when you are drinking?', options: ['1 or 2', '3 or 4', '5 or 6', '7 to 9', '10 or more'] },
  { question: 'How often do you have six or more drinks on one occasion?', options: ['Never', 'Less than monthly', 'Monthly', 'Weekly', 'Daily or almost daily'] },
];

export const dast10Items = [
  'Have you used drugs other than those required for medical reasons?',
  'Do you use more than one drug at a time?',
  'Are you always able to stop using drugs when you want to?',
  'Have you had "blackouts" or "flashbacks" as a result of drug use?',
  'Do you ever feel bad or guilty about your drug use?',
  'Does your spouse (or parents) ever complain about your involvement with drugs?',
  'Have you neglected your family because of your use of drugs?',
  'Have you engaged in illegal activities in order to obtain drugs?',
  'Have you ever experienced withdrawal symptoms when you stopped taking drugs?',
  'Have you had medical problems as a result of your drug use?',
];

/**
 * How an error names question `index` of a questionnaire: several questionnaires on one page each have a
 * question 1, so the questionnaire is said first ("Anxiety questionnaire, question 1 (Trouble relaxing)").
 */
export function questionName(questionnaire: string, index: number, item: string): string {
  return `${questionnaire}, question ${index + 1} (${item.replace(/[?.]$/, '')})`;
}

function itemsFieldset(form: FormState, prefix: string, legend: string, questionnaire: string, items: readonly string[]): Html {
  return html`<fieldset><legend>${legend}</legend><p class="hint">Over the last 2 weeks, how often have you been bothered by the following?</p>${join(
    items.map((item, index) => radioGroup(form, `${prefix}.items[${index}]`, `${index + 1}. ${item}`, frequency, undefined, questionName(questionnaire, index, item))),
  )}</fieldset>`;
}

export function gad7Fields(form: FormState, prefix = 'gad7'): Html {
  return itemsFieldset(form, prefix, 'How you have been feeling (GAD-7)', 'Anxiety questionnaire', gad7Items);
}

export function phq9Fields(form: FormState, prefix = 'phq9'): Html {
  return itemsFieldset(form, prefix, 'Your mood (PHQ-9)', 'Mood questionnaire', phq9Items);
}

export function auditCFields(form: FormState): Html {
  return html`<fieldset><legend>Alcohol (AUDIT-C)</legend>${join(
    auditCItems.map((item, index) =>
      radioGroup(form, `auditC.items[${index}]`, `${index + 1}. ${item.question}`, item.options.map((label, value) => ({ value: String(value), label })), undefined, questionName('Alcohol questions', index, item.question)),
    ),
  )}</fieldset>`;
}

export function dast10Fields(form: FormState): Html {
  return html`<fieldset><legend>Drug use in the past 12 months (DAST-10)</legend>${join(
    dast10Items.map((item, index) => yesNoField(form, `dast10.answers[${index}]`, `${index + 1}. ${item}`, undefined, questionName('Drug use questions', index, item))),
  )}</fieldset>`;
}

export function itemsOf(values: FormValues, prefix: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => numberOf(values, `${prefix}.items[${index}]`));
}

export function yesNosOf(values: FormValues, prefix: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => yesNoOf(values, `${prefix}[${index}]`));
}

export function bladderFields(form: FormState, prefix: string): Html {
  return html`<fieldset><legend>Bladder check (since your last check)</legend>
${yesNoField(form, `${prefix}.frequency`, 'Do you need to pass urine more often than usual?')}
${yesNoField(form, `${prefix}.urgency`, 'Do you have sudden urges to pass urine?')}
${yesNoField(form, `${prefix}.painOnUrination`, 'Is passing urine painful?')}
${yesNoField(form, `${prefix}.bloodInUrine`, 'Have you seen blood in your urine?')}</fieldset>`;
}

export function bladderOf(values: FormValues, prefix: string): Record<string, unknown> {
  return {
    frequency: yesNoOf(values, `${prefix}.frequency`),
    urgency: yesNoOf(values, `${prefix}.urgency`),
    painOnUrination: yesNoOf(values, `${prefix}.painOnUrination`),
    bloodInUrine: yesNoOf(values, `${prefix}.bloodInUrine`),
  };
}
