import { createHash } from 'node:crypto';
import type { LinkPerson } from '../domain/schemas/link.ts';
import { sendEmail } from '../email/send-email.ts';
import { renderEmail, type EmailKind } from '../email/templates.ts';
import { clinicianById } from '../journey/care-team.ts';
import { journeyStore } from '../journey/journey-store.ts';
import { now } from '../platform/clock.ts';
import { logger } from '../platform/logger.ts';
import { confirmDelivery, lostToAnotherAttempt, newMarkerWrite, retryMarkerWrite, unconfirmedMarker } from '../journey/email-marker.ts';
import { commitChange, type AuditActor, type StoreWrite } from '../store/audited-change.ts';
import { AlreadyExistsError } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';
import { newLink } from './new-link.ts';
import { readStep, type StepAlert } from './step-store.ts';
import { HOUR_MS } from '../domain/durations.ts';

export interface ClinicianAlert {
  readonly patientId: string;
  readonly journeyId: string;
  readonly clinicianId: string;
  readonly urgency: StepAlert['urgency'];
  /**
   * The once-only key: the same alert always has the same key (e.g. `screening-round-001-urgent`), so
   * a retried caller finds it and sends nothing once it was confirmed sent. Best as letters, digits, ".", "-" and "_" (at most 100);
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
 * marker every once-only email leaves (the staff API's journey view lists them), `unconfirmed` until SES
 * accepts the email (functions/journey/email-marker.ts). A retried caller that finds the alert confirmed
 * sends nothing; one that finds it unconfirmed (the earlier attempt died, or SES refused) sends it again
 * with a new link to the same step, since only the email ever held the first link's token: an alert is
 * delivered at least once.
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
    newMarkerWrite(alert.patientId, { markerKey: alertKey, emailKind, recipient: 'clinician' }),
  ];
  let url = link.url;
  try {
    await commitChange(client, tableName, { writes, audit: { patientId: alert.patientId, actor, action: `email.${emailKind}`, reason: alert.reason ?? alert.message, details } });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const again = await sendAgainLink(alert.patientId, alert.journeyId, alertKey, person, environment.appBaseUrl, actor, details);
    if (again === undefined) return { outcome: 'already-sent', stepKey };
    url = again;
  }

  let messageId: string;
  try {
    ({ messageId } = await sendEmail({ from: clinic.senderEmail, to: clinician.email, email: renderEmail(emailKind, { link: url }), configurationSet: environment.sesConfigurationSet }));
  } catch (error) {
    logger.warn('clinician alert not sent; it stays unconfirmed so a retry sends it', { urgency: alert.urgency, errorName: (error as Error).name });
    throw error;
  }
  logger.info('clinician alert sent', { urgency: alert.urgency });
  await confirmDelivery(client, tableName, { patientId: alert.patientId, markerKey: alertKey, messageId, actor, details });
  return { outcome: 'sent', stepKey, messageId };
}

/**
 * For an alert whose email was never confirmed: a new link to its step, created with one more attempt on
 * the marker. Undefined when the alert was confirmed, or another attempt is sending it right now.
 */
async function sendAgainLink(
  patientId: string,
  journeyId: string,
  alertKey: string,
  person: LinkPerson,
  appBaseUrl: string,
  actor: AuditActor,
  details: Readonly<Record<string, unknown>>,
): Promise<string | undefined> {
  const { client, tableName } = journeyStore();
  const marker = await unconfirmedMarker(client, tableName, patientId, alertKey);
  const stepKey = alertStepKey(alertKey);
  const step = marker === undefined ? undefined : await readStep(client, tableName, { patientId, journeyId, stepKey });
  if (marker === undefined || step === undefined) return undefined;
  const link = newLink({ purpose: 'notice', person, patientId, journeyId, stepKey, stepRound: step.round, expiresAt: step.expiresAt }, appBaseUrl);
  try {
    await commitChange(client, tableName, {
      writes: [
        retryMarkerWrite(marker),
        { kind: 'update', key: keys.step(patientId, journeyId, stepKey), label: 'alert step', set: { linkHashes: [...step.linkHashes, link.tokenHash] }, expectedVersion: step.version },
        link.write,
      ],
      audit: { patientId, actor, action: 'email.send-again', reason: 'an earlier attempt was not confirmed as sent; sending again with a new link', details },
    });
  } catch (error) {
    if (lostToAnotherAttempt(error)) return undefined;
    throw error;
  }
  return link.url;
}
