/**
 * Every email the system sends, in one place. An email is a neutral sentence and a link: no drug,
 * dose, diagnosis, clinic specialty or patient name beyond a first name (mailboxes are shared,
 * previewed on lock screens and scanned). Whatever a person needs to act is on the page behind the link.
 */
export type EmailKind =
  | 'patient-form'
  | 'patient-form-reminder'
  | 'clinician-decision'
  | 'clinician-decision-reminder'
  | 'clinician-decision-escalated'
  | 'clinician-notice'
  | 'clinician-urgent'
  | 'consult-reminder'
  | 'session-prep-reminder'
  | 'refill-window-reminder'
  | 'please-contact-clinic';

export interface EmailVariables {
  /** the recipient's first name, the only name an email may carry */
  readonly firstName?: string | undefined;
  readonly link?: string | undefined;
  /** a time already formatted in the recipient's own time zone */
  readonly when?: string | undefined;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const templates: Record<EmailKind, { subject: string; lines: (v: EmailVariables) => string[] }> = {
  'patient-form': {
    subject: 'A short form is waiting for you',
    lines: (v) => [`There is a short form waiting for you${v.when ? `; the link works until ${v.when}` : ''}.`],
  },
  'patient-form-reminder': {
    subject: 'Reminder: a short form is waiting for you',
    lines: () => ['A friendly reminder: your form is still waiting for you.'],
  },
  'clinician-decision': {
    subject: 'A decision is waiting for you',
    lines: () => ['A decision is waiting for you. Please review it on the secure page.'],
  },
  'clinician-decision-reminder': {
    subject: 'Reminder: a decision is still waiting',
    lines: () => ['A decision is still waiting for you. Please review it on the secure page.'],
  },
  'clinician-decision-escalated': {
    subject: 'A decision has been passed to you',
    lines: () => ["A colleague's decision has gone unanswered and is now passed to you. Please review it on the secure page."],
  },
  'clinician-notice': {
    subject: 'A patient step needs your attention',
    lines: () => ['A step in one of your patients\' plans is overdue or needs your attention. Details are on the secure page.'],
  },
  'clinician-urgent': {
    subject: 'Urgent: please review today',
    lines: () => ['One of your patients needs your attention today. Details are on the secure page.'],
  },
  'consult-reminder': {
    subject: 'Your appointment is coming up',
    lines: (v) => [`A reminder that your video appointment is ${v.when ? `on ${v.when}` : 'coming up soon'}.`],
  },
  'session-prep-reminder': {
    subject: 'Your appointment is tomorrow',
    lines: (v) => [`A reminder about your appointment ${v.when ? `on ${v.when}` : 'tomorrow'}. Please read your preparation notes on the secure page.`],
  },
  'refill-window-reminder': {
    subject: 'Time for your monthly check-in',
    lines: () => ['It is time for your monthly check-in. A short form will follow shortly.'],
  },
  'please-contact-clinic': {
    subject: 'Please get in touch with us',
    lines: () => ['Thank you for your time with us. Please contact the clinic so we can talk about your next steps.'],
  },
};

export function renderEmail(kind: EmailKind, variables: EmailVariables): RenderedEmail {
  const template = templates[kind];
  const greeting = variables.firstName ? `Hello ${variables.firstName},` : 'Hello,';
  const body = template.lines(variables);
  const linkLine = variables.link ? [`Open the secure page: ${variables.link}`] : [];
  const closing = ['This link is personal; please do not forward this email.', '', 'Your care team'];
  const text = [greeting, '', ...body, '', ...linkLine, ...(linkLine.length ? [''] : []), ...closing].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...body.map((line) => `<p>${escapeHtml(line)}</p>`),
    variables.link ? `<p><a href="${escapeHtml(variables.link)}">Open the secure page</a></p>` : '',
    `<p>This link is personal; please do not forward this email.</p><p>Your care team</p>`,
  ].join('');
  return { subject: template.subject, text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
