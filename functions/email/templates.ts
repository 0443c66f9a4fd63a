/**
 * Every email the system sends, in one place. An email is a neutral sentence and a link: no drug,
 * dose, diagnosis, clinic specialty or patient name beyond a first name (mailboxes are shared,
 * previewed on lock screens and scanned). Whatever a person needs to act is on the page behind the link.
 */
export type EmailKind =
  | 'patient-form'
  | 'patient-form-reminder'
  | 'recovery-reminder'
  | 'clinician-decision'
  | 'clinician-decision-reminder'
  | 'clinician-decision-escalated'
  | 'clinician-notice'
  | 'clinician-step-overdue-urgent'
  | 'clinician-urgent'
  | 'consult-reminder'
  | 'follow-up-reminder'
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

/** Only an email that carries a link may send its reader to "the secure page". */
const onThePage = (v: EmailVariables, withLink: string, without: string): string => (v.link ? withLink : without);

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
    lines: (v) => [`A decision is waiting for you.${onThePage(v, ' Please review it on the secure page.', '')}`],
  },
  'clinician-decision-reminder': {
    subject: 'Reminder: a decision is still waiting',
    lines: (v) => [`A decision is still waiting for you.${onThePage(v, ' Please review it on the secure page.', '')}`],
  },
  'clinician-decision-escalated': {
    subject: 'A decision has been passed to you',
    lines: (v) => [`A colleague's decision has gone unanswered and is now passed to you.${onThePage(v, ' Please review it on the secure page.', '')}`],
  },
  'clinician-notice': {
    subject: 'A patient step needs your attention',
    lines: (v) => [`A step in one of your patients' plans is overdue or needs your attention.${onThePage(v, ' The secure page says which patient and what happened.', ' Please contact the clinic for the details.')}`],
  },
  // an overdue step that cannot wait for tomorrow (a patient who has not confirmed they recovered after a session)
  'clinician-step-overdue-urgent': {
    subject: 'Urgent: a patient step is overdue',
    lines: (v) => [`A step in one of your patients' plans is overdue and needs your attention today.${onThePage(v, ' The secure page says which patient and what happened.', ' Please contact the clinic for the details.')}`],
  },
  'clinician-urgent': {
    subject: 'Urgent: please review today',
    lines: (v) => [`One of your patients needs your attention today.${onThePage(v, ' The secure page says which patient and what happened.', ' Please contact the clinic for the details.')}`],
  },
  'recovery-reminder': {
    subject: 'Please keep your companion with you',
    lines: (v) => [`Please ask the adult who is with you to stay until you have told us you feel recovered${onThePage(v, ' on the secure page below', '')}.`],
  },
  'consult-reminder': {
    subject: 'Your appointment is coming up',
    lines: (v) => [`A reminder that your video appointment is ${v.when ? `on ${v.when}` : 'coming up soon'}.`],
  },
  'follow-up-reminder': {
    subject: 'Your follow-up appointment is coming up',
    lines: (v) => [`A reminder that your follow-up appointment with your care team is ${v.when ? `on ${v.when}` : 'coming up soon'}.`],
  },
  'session-prep-reminder': {
    subject: 'Your appointment is tomorrow',
    // the link shows the care team's preparation notes; the check-in form comes by its own email shortly before
    lines: (v) => [
      `A reminder about your appointment ${v.when ? `on ${v.when}` : 'tomorrow'}.${onThePage(v, " Your care team's preparation notes are on the secure page below.", ' Please follow the preparation notes from your care team.')} A short check-in form will arrive by email shortly before the appointment.`,
    ],
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
  const link = variables.link;
  // the warning is about the link; an email without one has nothing personal to forward
  const personal = 'This link is personal; please do not forward this email.';
  const signature = 'Your care team';
  const text = [greeting, '', ...body, '', ...(link ? [`Open the secure page: ${link}`, '', personal, ''] : []), signature].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...body.map((line) => `<p>${escapeHtml(line)}</p>`),
    link ? `<p><a href="${escapeHtml(link)}">Open the secure page</a></p><p>${escapeHtml(personal)}</p>` : '',
    `<p>${signature}</p>`,
  ].join('');
  return { subject: template.subject, text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
