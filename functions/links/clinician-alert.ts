import { createHash } from 'node:crypto';
import { HOUR_MS } from '../domain/durations.ts';
import type { LinkPerson } from '../domain/schemas/link.ts';
import type { EmailKind } from '../email/templates.ts';
import { clinicianById } from '../patient/care-team.ts';
import { functionContext } from '../platform/function-context.ts';
import { sendOnce } from '../email/send-once.ts';
import { now } from '../platform/clock.ts';
import { logger } from '../platform/logger.ts';
import type { AuditActor } from '../store/audited-change.ts';
import type { StepAlert } from './step-store.ts';
import { againViewOnlyLink, firstViewOnlyLink } from './view-only-link.ts';

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

export type ClinicianAlertResult =
  | { readonly outcome: 'sent'; readonly stepKey: string; readonly messageId: string }
  | { readonly outcome: 'already-sent'; readonly stepKey: string };

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
 * The alert's view-only STEP (functions/links/view-only-link.ts: not ended by a hold, since a hold is
 * often the very thing the clinician must hear about), its LINK and the REMINDER_SENT marker are created
 * in one transaction, and the email is sent once and at least once (sendOnce): a retry that finds the
 * alert unconfirmed sends it again with a new link to the same step.
 */
export async function alertClinician(alert: ClinicianAlert): Promise<ClinicianAlertResult> {
  const { client, tableName, clinic, protocol, environment } = functionContext();
  const clinician = clinicianById(clinic, alert.clinicianId);
  const person: LinkPerson = { kind: 'clinician', id: clinician.id };
  const alertKey = storedAlertKey(alert.alertKey);
  const stepKey = alertStepKey(alertKey);
  const at = now();
  const expiresAt = new Date(at.getTime() + protocol.alerts.linkValidHours * HOUR_MS).toISOString();
  const emailKind: EmailKind = alert.urgency === 'urgent' ? 'clinician-urgent' : 'clinician-notice';
  const request = {
    patientId: alert.patientId,
    journeyId: alert.journeyId,
    stepKey,
    purpose: 'notice',
    person,
    expiresAt,
    alert: { urgency: alert.urgency, message: alert.message, raisedAt: at.toISOString() },
  } as const;
  const sent = await sendOnce({
    patientId: alert.patientId,
    markerKey: alertKey,
    to: clinician.email,
    recipient: 'clinician',
    kind: emailKind,
    variables: {},
    actor: alert.actor ?? { type: 'system', id: 'clinician-alert' },
    action: `email.${emailKind}`,
    reason: alert.reason ?? alert.message,
    details: { journeyId: alert.journeyId, stepKey, urgency: alert.urgency, clinicianId: clinician.id },
    viewLink: {
      first: () => firstViewOnlyLink(request, environment.appBaseUrl, at),
      again: () => againViewOnlyLink(client, tableName, request, environment.appBaseUrl),
    },
  });
  if (!sent.sent) return { outcome: 'already-sent', stepKey };
  logger.info('clinician alert sent', { urgency: alert.urgency });
  return { outcome: 'sent', stepKey, messageId: sent.messageId };
}
