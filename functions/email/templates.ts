import type { PreferredLanguage } from '../domain/schemas/patient.ts';
import { messagesFor } from '../pages/message-catalogue.ts';
import type { Messages } from '../pages/messages-en.ts';

/**
 * Every email the system sends, in one place. Patients' emails are written in their language from the
 * message catalogue (functions/pages/messages-en.ts and -es.ts); clinicians' are English, here. An email is a neutral sentence and a link: no drug,
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
  /**
   * A clinician's step, by the kind of step and its deadline (in the clinician's zone), so the inbox
   * says what is waiting and how soon: "Eligibility decision due by Thu, May 7, 9:00 AM EDT". The kind
   * comes from `clinicianStepNames`, which names no diagnosis, drug or dose.
   */
  readonly step?: { readonly name: string; readonly dueBy: string } | undefined;
  /** a patient's preferred language (English when absent); clinicians' emails are English */
  readonly language?: PreferredLanguage | undefined;
}

/**
 * What a clinician's email calls each kind of step: neutral words (a plan, a refill, a follow-up), never
 * the condition, the drug or the dose. Keyed by link purpose.
 */
export const clinicianStepNames: Readonly<Record<string, string>> = {
  'consult-booking': 'Consult booking',
  'consult-evaluation': 'Consult notes',
  eligibility: 'Eligibility decision',
  'treatment-plan': 'Plan approval',
  'journal-missing': 'Missing journal',
  'missed-check-ins': 'Missed check-ins',
  'first-dose-check-in': 'Check-in after the first session',
  'hold-decision': 'Decision after a pause in care',
  'follow-up-decision': 'Follow-up decision',
  'refill-approval': 'Refill approval',
};

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Only an email that carries a link may send its reader to "the secure page". */
const onThePage = (v: EmailVariables, withLink: string, without: string): string => (v.link ? withLink : without);

/** "Eligibility decision due by ..." when the step is known, else the general words. */
const stepSubject =
  (prefix: string, general: string) =>
  (v: EmailVariables): string =>
    v.step === undefined
      ? general
      : `${prefix}${prefix === '' ? v.step.name : lowerFirst(v.step.name)} due by ${v.step.dueBy}`;

const lowerFirst = (text: string): string => text.replace(/^./, (c) => c.toLowerCase());

type PatientEmailKind =
  | 'patient-form'
  | 'patient-form-reminder'
  | 'recovery-reminder'
  | 'consult-reminder'
  | 'follow-up-reminder'
  | 'session-prep-reminder'
  | 'refill-window-reminder'
  | 'please-contact-clinic';
type ClinicianEmailKind = Exclude<EmailKind, PatientEmailKind>;
type Template = { subject: string | ((v: EmailVariables) => string); lines: (v: EmailVariables) => string[] };

const clinicianTemplates: Record<ClinicianEmailKind, Template> = {
  'clinician-decision': {
    subject: stepSubject('', 'A decision is waiting for you'),
    lines: (v) => [
      `${v.step === undefined ? 'A decision is waiting for you.' : `${v.step.name} is waiting for you, due by ${v.step.dueBy}.`}${onThePage(v, ' Please review it on the secure page.', '')}`,
    ],
  },
  'clinician-decision-reminder': {
    subject: stepSubject('Reminder: ', 'Reminder: a decision is still waiting'),
    lines: (v) => [
      `${v.step === undefined ? 'A decision is still waiting for you.' : `${v.step.name} is still waiting for you, due by ${v.step.dueBy}.`}${onThePage(v, ' Please review it on the secure page.', '')}`,
    ],
  },
  'clinician-decision-escalated': {
    subject: stepSubject('Passed to you: ', 'A decision has been passed to you'),
    lines: (v) => [
      `A colleague's decision has gone unanswered and is now passed to you${v.step === undefined ? '' : ` (${lowerFirst(v.step.name)}, due by ${v.step.dueBy})`}.${onThePage(v, ' Please review it on the secure page.', '')}`,
    ],
  },
  'clinician-notice': {
    subject: 'A patient step needs your attention',
    lines: (v) => [
      `A step in one of your patients' plans is overdue or needs your attention.${onThePage(v, ' The secure page says which patient and what happened.', ' Please contact the clinic for the details.')}`,
    ],
  },
  // an overdue step that cannot wait for tomorrow (a patient who has not confirmed they recovered after a session)
  'clinician-step-overdue-urgent': {
    subject: 'Urgent: a patient step is overdue',
    lines: (v) => [
      `A step in one of your patients' plans is overdue and needs your attention today.${onThePage(v, ' The secure page says which patient and what happened.', ' Please contact the clinic for the details.')}`,
    ],
  },
  'clinician-urgent': {
    subject: 'Urgent: please review today',
    lines: (v) => [
      `One of your patients needs your attention today.${onThePage(v, ' The secure page says which patient and what happened.', ' Please contact the clinic for the details.')}`,
    ],
  },
};

/** A patient's emails, in the words of their language's catalogue. */
function patientTemplate(kind: PatientEmailKind, m: Messages): Template {
  const e = m.email;
  switch (kind) {
    case 'patient-form':
      return { subject: e.formSubject, lines: (v) => [e.form(v.when)] };
    case 'patient-form-reminder':
      return { subject: e.formReminderSubject, lines: () => [e.formReminder] };
    case 'recovery-reminder':
      return { subject: e.recoverySubject, lines: (v) => [e.recovery(Boolean(v.link))] };
    // the way to join is on the secure page, never in the email (a forwarded email would hand out the call)
    case 'consult-reminder':
      return { subject: e.consultSubject, lines: (v) => [e.consult(v.when, Boolean(v.link))] };
    case 'follow-up-reminder':
      return { subject: e.followUpSubject, lines: (v) => [e.followUp(v.when)] };
    // the link shows the care team's preparation notes; the check-in form comes by its own email shortly before
    case 'session-prep-reminder':
      return { subject: e.sessionPrepSubject, lines: (v) => [e.sessionPrep(v.when, Boolean(v.link))] };
    case 'refill-window-reminder':
      return { subject: e.refillWindowSubject, lines: () => [e.refillWindow] };
    case 'please-contact-clinic':
      return { subject: e.contactClinicSubject, lines: () => [e.contactClinic] };
  }
}

const isClinicianKind = (kind: EmailKind): kind is ClinicianEmailKind => Object.hasOwn(clinicianTemplates, kind);

export function renderEmail(kind: EmailKind, variables: EmailVariables): RenderedEmail {
  // clinicians read English; a patient reads their own language
  const m = messagesFor(isClinicianKind(kind) ? 'en' : variables.language);
  const template = isClinicianKind(kind) ? clinicianTemplates[kind] : patientTemplate(kind, m);
  const greeting = m.email.greeting(variables.firstName);
  const body = template.lines(variables);
  const link = variables.link;
  // the warning is about the link; an email without one has nothing personal to forward
  const personal = m.email.personal;
  const signature = m.email.signature;
  const text = [
    greeting,
    '',
    ...body,
    '',
    ...(link ? [`${m.email.openPage}: ${link}`, '', personal, ''] : []),
    signature,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...body.map((line) => `<p>${escapeHtml(line)}</p>`),
    link
      ? `<p><a href="${escapeHtml(link)}">${escapeHtml(m.email.openPage)}</a></p><p>${escapeHtml(personal)}</p>`
      : '',
    `<p>${escapeHtml(signature)}</p>`,
  ].join('');
  return { subject: typeof template.subject === 'string' ? template.subject : template.subject(variables), text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
