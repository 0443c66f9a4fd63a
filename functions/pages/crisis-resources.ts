import { html, type Html } from './html.ts';
import { en, type Messages } from './messages-en.ts';

/**
 * Shown at once on the page a patient submitted when an answer speaks of thoughts of death or self-harm:
 * the minimum a person needs right now, in their language. It holds no PHI and is the same for everyone.
 */
export function crisisResources(m: Messages = en): Html {
  const c = m.crisis;
  return html`<div class="urgent" role="alert"><p>${c.intro}</p>
<ul><li>${c.lifelineBefore} <strong>988</strong> ${c.lifelineAfter}</li>
<li>${c.emergencyBefore} <strong>911</strong> ${c.emergencyAfter}</li></ul>
<p>${c.answersGo}</p></div>`;
}
