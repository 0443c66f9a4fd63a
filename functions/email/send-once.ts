import { sendEmail } from './send-email.ts';
import { renderEmail, type EmailKind, type EmailVariables } from './templates.ts';
import { logger } from '../platform/logger.ts';
import type { EmailedLink } from '../links/view-only-link.ts';
import { commitChange, type AuditActor } from '../store/audited-change.ts';
import type { CheckWrite } from '../store/store-writes.ts';
import { AlreadyExists } from '../store/store-errors.ts';
import {
  confirmDelivery,
  lostToAnotherAttempt,
  newMarkerWrite,
  retryMarkerWrite,
  unconfirmedMarker,
} from './email-marker.ts';
import { failClosedOnHold } from '../patient/hold-check.ts';
import { functionContext } from '../platform/function-context.ts';

export interface OneEmail {
  readonly patientId: string;
  /** the once-only key: the same email for the same step always has the same key */
  readonly markerKey: string;
  readonly to: string;
  /** who receives it, for the audit trail (never the address itself) */
  readonly recipient: 'patient' | 'clinician' | 'backup-clinician';
  readonly kind: EmailKind;
  readonly variables: EmailVariables;
  readonly actor: AuditActor;
  readonly action: string;
  readonly reason: string;
  /**
   * A reminder fails closed on a hold (PatientOnHold): it passes its "not on hold" check, which joins the
   * marker's transaction. Alerts to the clinician must go whatever happens and pass none. (Passed in rather
   * than built here, so a function that never sends a reminder never sends a condition check either.)
   */
  readonly unlessOnHold?: CheckWrite;
  readonly details?: Readonly<Record<string, unknown>>;
  /**
   * An email that carries a view-only link (functions/links/view-only-link.ts): the first attempt's link
   * and step join the marker's transaction; a retry of an unconfirmed email gets a fresh link to the same
   * step, since only the lost email ever held the first token.
   */
  readonly viewLink?: { first(): EmailedLink; again(): Promise<EmailedLink | undefined> };
}

export type SendOnceResult =
  { readonly sent: true; readonly messageId: string } | { readonly sent: false; readonly reason: 'already-sent' };

/**
 * Sends an email once per marker key, and at least once (functions/email/email-marker.ts):
 *
 * 1. one transaction creates the marker `unconfirmed`, its audit event and, for a reminder, a
 *    ConditionCheck "not on hold" on the journey;
 * 2. SES sends, and the marker turns `sent` with the message id (audited).
 *
 * A retry that finds the marker `sent` sends nothing. One that finds it `unconfirmed` (the earlier attempt
 * died, or SES refused or could not be reached) counts an attempt - in a transaction that checks the hold
 * again for a reminder - and sends.
 */
export async function sendOnce(email: OneEmail): Promise<SendOnceResult> {
  const { client, tableName, environment } = functionContext();
  const details = { ...email.details, reminderKey: email.markerKey, emailKind: email.kind, recipient: email.recipient };
  const holdCheck = email.unlessOnHold === undefined ? [] : [email.unlessOnHold];
  const what = `the email ${email.markerKey}`;
  let link = email.viewLink?.first();
  try {
    await failClosedOnHold(email.patientId, what, () =>
      commitChange(client, tableName, {
        writes: [
          ...holdCheck,
          newMarkerWrite(email.patientId, {
            markerKey: email.markerKey,
            emailKind: email.kind,
            recipient: email.recipient,
          }),
          ...(link?.writes ?? []),
        ],
        audit: { patientId: email.patientId, actor: email.actor, action: email.action, reason: email.reason, details },
      }),
    );
  } catch (error) {
    if (!(error instanceof AlreadyExists)) throw error;
    const unconfirmed = await unconfirmedMarker(client, tableName, email.patientId, email.markerKey);
    if (unconfirmed === undefined) return { sent: false, reason: 'already-sent' };
    link = await email.viewLink?.again();
    try {
      await failClosedOnHold(email.patientId, what, () =>
        commitChange(client, tableName, {
          writes: [...holdCheck, retryMarkerWrite(unconfirmed), ...(link?.writes ?? [])],
          audit: {
            patientId: email.patientId,
            actor: email.actor,
            action: 'email.send-again',
            reason: `an earlier attempt was not confirmed as sent; sending again${link === undefined ? '' : ' with a new link'}`,
            details,
          },
        }),
      );
    } catch (retryError) {
      if (lostToAnotherAttempt(retryError)) return { sent: false, reason: 'already-sent' };
      throw retryError;
    }
  }

  let messageId: string;
  try {
    ({ messageId } = await sendEmail({
      from: environment.clinic.senderEmail,
      to: email.to,
      email: renderEmail(email.kind, link === undefined ? email.variables : { ...email.variables, link: link.url }),
      configurationSet: environment.sesConfigurationSet,
    }));
  } catch (error) {
    logger.warn('email not sent; its marker stays unconfirmed so a retry sends it', {
      reminderKey: email.markerKey,
      errorName: (error as Error).name,
    });
    throw error;
  }
  await confirmDelivery(client, tableName, {
    patientId: email.patientId,
    markerKey: email.markerKey,
    messageId,
    actor: email.actor,
    details,
  });
  return { sent: true, messageId };
}
