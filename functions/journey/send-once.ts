import { sendEmail } from '../email/send-email.ts';
import { renderEmail, type EmailKind, type EmailVariables } from '../email/templates.ts';
import { logger } from '../platform/logger.ts';
import { commitChange, commitOne, type AuditActor, type StoreWrite } from '../store/audited-change.ts';
import { AlreadyExistsError } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';
import { failClosedOnHold, notOnHoldCheck } from './hold-check.ts';
import { journeyStore } from './journey-store.ts';

export interface OneEmail {
  readonly patientId: string;
  /** the exactly-once key: the same email for the same step always has the same key */
  readonly markerKey: string;
  readonly to: string;
  /** who receives it, for the audit trail (never the address itself) */
  readonly recipient: 'patient' | 'clinician' | 'backup-clinician';
  readonly kind: EmailKind;
  readonly variables: EmailVariables;
  readonly actor: AuditActor;
  readonly action: string;
  readonly reason: string;
  /** reminders fail closed on a hold (PatientOnHold); alerts to the clinician must go whatever happens */
  readonly failClosedOnHold: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type SendOnceResult = { readonly sent: true; readonly messageId: string } | { readonly sent: false; readonly reason: 'already-sent' };

/**
 * Sends an email at most once per marker key, and - a failed send being undone - exactly once in all but
 * one window:
 *
 * 1. one transaction creates the REMINDER_SENT marker (attribute_not_exists), its audit event and, for a
 *    reminder, a ConditionCheck "not on hold" on the journey; a retry finds the marker and sends nothing;
 * 2. SES sends; if SES refuses or cannot be reached, the marker is deleted (audited), so the retry sends.
 *
 * The remaining window is a crash (or a lost SES answer followed by a timeout) between the marker and
 * SES's acceptance: the marker stays and the email is not sent again, i.e. at most once. We chose it over
 * "at least once" because a duplicate reminder is noise while a lost one is caught by the next step of
 * the flow (the link's own reminder, the clinician's escalation); the audit trail shows the marker
 * without the message id for an operator to see.
 */
export async function sendOnce(email: OneEmail): Promise<SendOnceResult> {
  const { client, tableName, environment } = journeyStore();
  const marker = keys.reminderSent(email.patientId, email.markerKey);
  const writes: StoreWrite[] = [
    ...(email.failClosedOnHold ? [notOnHoldCheck(email.patientId)] : []),
    {
      kind: 'create',
      key: marker,
      label: 'reminder marker',
      itemType: 'REMINDER_SENT',
      attributes: { reminderKey: email.markerKey, emailKind: email.kind, recipient: email.recipient },
    },
  ];
  try {
    await failClosedOnHold(email.patientId, `the email ${email.markerKey}`, () =>
      commitChange(client, tableName, {
        writes,
        audit: {
          patientId: email.patientId,
          actor: email.actor,
          action: email.action,
          reason: email.reason,
          details: { ...email.details, reminderKey: email.markerKey, emailKind: email.kind, recipient: email.recipient },
        },
      }),
    );
  } catch (error) {
    if (error instanceof AlreadyExistsError) return { sent: false, reason: 'already-sent' };
    throw error;
  }

  try {
    const { messageId } = await sendEmail({
      from: environment.clinic.senderEmail,
      to: email.to,
      email: renderEmail(email.kind, email.variables),
      configurationSet: environment.sesConfigurationSet,
    });
    return { sent: true, messageId };
  } catch (error) {
    logger.warn('email not sent; its marker is removed so a retry sends it', { reminderKey: email.markerKey, errorName: (error as Error).name });
    await commitOne(
      client,
      tableName,
      { kind: 'delete', key: marker, label: 'reminder marker', expectedVersion: 1 },
      {
        patientId: email.patientId,
        actor: email.actor,
        action: 'email.send-failed',
        reason: `the email service refused or could not be reached (${(error as Error).name}); a retry will send it`,
        details: { reminderKey: email.markerKey, emailKind: email.kind },
      },
    );
    throw error;
  }
}
