import { createHash } from 'node:crypto';
import type { LinkPerson } from '../domain/schemas/link.ts';
import { sendEmail } from '../email/send-email.ts';
import { renderEmail, type EmailKind } from '../email/templates.ts';
import { clinicianById } from '../journey/care-team.ts';
import { journeyStore } from '../journey/journey-store.ts';
import { now } from '../platform/clock.ts';
import { logger } from '../platform/logger.ts';
import { commitChange, type AuditActor, type StoreWrite } from '../store/audited-change.ts';
import { AlreadyExistsError } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';
import { newLink } from './new-link.ts';
import type { StepAlert } from './step-store.ts';

export interface ClinicianAlert {
  readonly patientId: string;
  readonly journeyId: string;
  readonly clinicianId: string;
  readonly urgency: StepAlert['urgency'];
  /**
   * The exactly-once key: the same alert always has the same key (e.g. `screening-round-001-urgent`), so
   * a retried caller finds it and sends nothing. Best as letters, digits, ".", "-" and "_" (at most 100);
   * any other key is replaced by its hash, so an alert is never refused for its key.
   */
  readonly alertKey: string;
  /** what the clinician reads on the alert's page, never in the email: who is behind the link, and what happened */
  readonly message: string;
  /** who raised it, for the audit trail (default: the system) */
  readonly actor?: AuditActor;
  /** why, for the audit trail (default: the message) */
  readonly reason?: string;
}

export type ClinicianAlertResult = { readonly outcome: 'sent'; readonly stepKey: string; readonly messageId: string } | { readonly outcome: 'already-sent'; readonly stepKey: string };

const alertKeyPattern = /^[A-Za-z0-9_.-]{1,100}$/;
const HOUR_MS = 3_600_000;

/** The key the alert is stored under: the caller's own when it fits in a step key, its hash otherwise. */
export function storedAlertKey(alertKey: string): string {
  return alertKeyPattern.test(alertKey) ? alertKey : `h-${createHash('sha256').update(alertKey, 'utf8').digest('hex')}`;
}

export function alertStepKey(alertKey: string): string {
  return `alert-${storedAlertKey(alertKey)}`;
}

/**
 * Tells a clinician that one of their patients needs them, through the same door as every decision: an
 * email with a neutral sentence and a one-time view link (purpose `notice`) to a page that names the
 * patient and says what happened. An email alone could not say which patient without carrying PHI.
 *
 * ONE transaction creates the alert's STEP (view-only: no task token, never decided, not ended by a hold,
 * since a hold is often the very thing the clinician must hear about), its LINK, and the REMINDER_SENT
 * marker every once-only email leaves (the staff API's journey view lists them). Each is created only if
 * absent, so a retried caller changes nothing and sends no second email. If SES refuses the email, the
 * three are removed (audited) so the retry sends it; as with functions/journey/send-once.ts, a crash
 * between the write and SES's answer leaves the alert recorded but unsent (at most once).
 */
export async function alertClinician(alert: ClinicianAlert): Promise<ClinicianAlertResult> {
  const { client, tableName, clinic, protocol, environment } = journeyStore();
  const clinician = clinicianById(clinic, alert.clinicianId);
  const person: LinkPerson = { kind: 'clinician', id: clinician.id };
  const alertKey = storedAlertKey(alert.alertKey);
  const stepKey = alertStepKey(alertKey);
  const at = now();
  const expiresAt = new Date(at.getTime() + protocol.alerts.linkValidHours * HOUR_MS).toISOString();
  const emailKind: EmailKind = alert.urgency === 'urgent' ? 'clinician-urgent' : 'clinician-notice';
  const link = newLink({ purpose: 'notice', person, patientId: alert.patientId, journeyId: alert.journeyId, stepKey, stepRound: 1, expiresAt }, environment.appBaseUrl);
  const details = { journeyId: alert.journeyId, stepKey, urgency: alert.urgency, clinicianId: clinician.id, reminderKey: alertKey, emailKind, recipient: 'clinician' };
  const actor = alert.actor ?? { type: 'system', id: 'clinician-alert' };

  const stepAlert: StepAlert = { urgency: alert.urgency, message: alert.message, raisedAt: at.toISOString() };
  const writes: StoreWrite[] = [
    {
      kind: 'create',
      key: keys.step(alert.patientId, alert.journeyId, stepKey),
      label: 'alert step',
      itemType: 'STEP',
      attributes: {
        patientId: alert.patientId,
        journeyId: alert.journeyId,
        stepKey,
        purpose: 'notice',
        person,
        status: 'pending',
        round: 1,
        stage: 'first',
        expiresAt,
        notified: ['1:first'],
        linkHashes: [link.tokenHash],
        armedAt: at.toISOString(),
        alert: stepAlert,
      },
    },
    link.write,
    {
      kind: 'create',
      key: keys.reminderSent(alert.patientId, alertKey),
      label: 'reminder marker',
      itemType: 'REMINDER_SENT',
      attributes: { reminderKey: alertKey, emailKind, recipient: 'clinician' },
    },
  ];
  try {
    await commitChange(client, tableName, { writes, audit: { patientId: alert.patientId, actor, action: `email.${emailKind}`, reason: alert.reason ?? alert.message, details } });
  } catch (error) {
    if (error instanceof AlreadyExistsError) return { outcome: 'already-sent', stepKey };
    throw error;
  }

  try {
    const { messageId } = await sendEmail({ from: clinic.senderEmail, to: clinician.email, email: renderEmail(emailKind, { link: link.url }), configurationSet: environment.sesConfigurationSet });
    logger.info('clinician alert sent', { urgency: alert.urgency });
    return { outcome: 'sent', stepKey, messageId };
  } catch (error) {
    logger.warn('clinician alert not sent; it is removed so a retry sends it', { urgency: alert.urgency, errorName: (error as Error).name });
    await commitChange(client, tableName, {
      writes: writes.map((write) => ({ kind: 'delete', key: write.key, label: write.label ?? 'alert item', expectedVersion: 1 })),
      audit: {
        patientId: alert.patientId,
        actor,
        action: 'email.send-failed',
        reason: `the email service refused or could not be reached (${(error as Error).name}); a retry will send the alert`,
        details,
      },
    });
    throw error;
  }
}
