import { recoverySymptoms, type RecoverySymptom } from '../domain/schemas/recovery-check.ts';
import { recoveryAnswer } from '../links/answers/recovery-answer.ts';
import { crisisResources } from './crisis-resources.ts';
import { checkboxGroup, form, messagesOf, radioGroup, submitButton, valueOf } from './form-fields.ts';
import { html } from './html.ts';
import { messagesFor } from './message-catalogue.ts';
import { en, type Messages } from './messages-en.ts';
import type { PurposePage } from './page-view.ts';

/**
 * At the end of the session hour: the adult who stayed may leave only once the patient has recovered.
 * Symptoms go to the same triage words as the journal's; the journal itself follows.
 */
function labelOf(m: Messages, symptom: RecoverySymptom): string {
  const labels: Readonly<Record<string, string>> = { ...m.labels.redFlags, ...m.labels.sideEffects };
  return labels[symptom] ?? symptom;
}

export const recoveryPage: PurposePage = {
  title: en.titles.recovery,
  titleKey: 'recovery',
  rule: recoveryAnswer,
  render: (_view, state) => {
    const m = messagesOf(state);
    const t = m.recovery;
    return form(
      'recovery',
      state,
      html`<p>${t.intro}</p>
${radioGroup(state, 'recoveredNow', t.question, [
  { value: 'yes', label: t.yes },
  { value: 'no', label: t.notYet },
])}
${checkboxGroup(
  state,
  'symptoms',
  m.form.anyOfTheseNow,
  recoverySymptoms.map((s) => ({ value: s, label: labelOf(m, s) })),
  m.form.tickAll,
)}`,
      submitButton(t.submit),
    );
  },
  answerFrom: (values) => {
    const recovered = valueOf(values, 'recoveredNow');
    return {
      recoveredNow: recovered === 'yes' ? true : recovered === 'no' ? false : recovered,
      symptoms: [...(values['symptoms'] ?? [])],
    };
  },
  done: (view, decision, output, pageOnly) => {
    const m = messagesFor(view.language);
    const t = m.recovery;
    const crisis = pageOnly?.crisisResources === true ? crisisResources(m) : html``;
    if (output['holdCalledFor'] === true) {
      return html`${crisis}<p class="urgent" role="alert">${t.hold}</p><p>${t.careTeamWillContact}</p>`;
    }
    if (decision === 'RECOVERED' && pageOnly?.crisisResources !== true) {
      return html`<p class="notice" role="status">${t.recovered}</p><p>${t.journalNext}</p>`;
    }
    return html`${crisis}<p class="notice" role="status">${t.keepAdult}</p><p>${t.careTeamToday}</p>`;
  },
};
