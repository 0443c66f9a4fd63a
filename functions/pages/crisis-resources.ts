import { html, type Html } from './html.ts';

/**
 * Shown at once on the page a patient submitted when an answer speaks of thoughts of death or self-harm:
 * the minimum a person needs right now. It holds no PHI and is the same for everyone.
 */
export function crisisResources(): Html {
  return html`<div class="urgent" role="alert"><p>If you are thinking about harming yourself, you do not have to wait for us.</p>
<ul><li>Call or text <strong>988</strong> (the 988 Suicide &amp; Crisis Lifeline), any time, day or night, or chat at 988lifeline.org.</li>
<li>If you are in danger now, call <strong>911</strong> or go to the nearest emergency department.</li></ul>
<p>Your answers go to your care team.</p></div>`;
}
