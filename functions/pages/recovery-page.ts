import { recoverySymptoms, type RecoverySymptom } from '../domain/schemas/recovery-check.ts';
import { recoveryAnswer } from '../links/answers/recovery-answer.ts';
import { redFlagSymptomLabels, sideEffectLabels } from './answer-labels.ts';
import { crisisResources } from './crisis-resources.ts';
import { checkboxGroup, form, radioGroup, submitButton, valueOf } from './form-fields.ts';
import { html } from './html.ts';
import type { PurposePage } from './page-view.ts';

/**
 * At the end of the session hour: the adult who stayed may leave only once the patient has recovered.
 * Symptoms go to the same triage words as the journal's; the journal itself follows.
 */
const labels: Readonly<Record<string, string>> = { ...redFlagSymptomLabels, ...sideEffectLabels };
const labelOf = (symptom: RecoverySymptom): string => labels[symptom] ?? symptom;

export const recoveryPage: PurposePage = {
  title: 'How are you now?',
  rule: recoveryAnswer,
  render: (_view, state) =>
    form(
      'recovery',
      state,
      html`<p>Your session hour is over. Please answer before the adult who is with you leaves.</p>
${radioGroup(state, 'recoveredNow', 'Have you recovered (awake, steady on your feet and thinking clearly)?', [
  { value: 'yes', label: 'Yes: I have recovered, and the adult with me may leave' },
  { value: 'no', label: 'Not yet: the adult with me will stay' },
])}
${checkboxGroup(state, 'symptoms', 'Do you have any of these right now?', recoverySymptoms.map((s) => ({ value: s, label: labelOf(s) })), 'Tick all that apply; leave empty if none.')}`,
      submitButton('Send'),
    ),
  answerFrom: (values) => {
    const recovered = valueOf(values, 'recoveredNow');
    return { recoveredNow: recovered === 'yes' ? true : recovered === 'no' ? false : recovered, symptoms: [...(values['symptoms'] ?? [])] };
  },
  done: (_view, decision, output, pageOnly) => {
    const crisis = pageOnly?.crisisResources === true ? crisisResources() : html``;
    if (output['holdCalledFor'] === true) {
      return html`${crisis}<p class="urgent" role="alert">Please do not take another dose. If you feel unwell now, call 911 or go to the nearest emergency department. Keep the adult who is with you there.</p><p>Your care team has been told and will contact you.</p>`;
    }
    if (decision === 'RECOVERED' && pageOnly?.crisisResources !== true) {
      return html`<p class="notice" role="status">Thank you. The adult with you may leave. Please do not drive until tomorrow morning.</p><p>Your journal form comes next.</p>`;
    }
    return html`${crisis}<p class="notice" role="status">Please keep the adult who is with you there until you feel fully recovered.</p><p>Your care team has been told and will contact you today. If you feel worse, call 911.</p>`;
  },
};
