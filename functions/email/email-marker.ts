import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailKind } from './templates.ts';
import { commitOne, type AuditActor } from '../store/audited-change.ts';
import type { CreateWrite, UpdateWrite } from '../store/store-writes.ts';
import { getItem, type StoredItem } from '../store/read-items.ts';
import { ConcurrentUpdate, ConditionFailed } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';

/**
 * The REMINDER_SENT marker every once-only email leaves, and how its delivery is confirmed.
 *
 * The marker is created `unconfirmed` in the transaction that decides to send, and turns `sent` (with
 * SES's message id) only once SES has accepted the email. An attempt that dies in between - a crash, a
 * timeout, SES refusing or unreachable - leaves it `unconfirmed`, and the next attempt sends again: every
 * email goes out at least once, and twice only when an attempt dies after SES accepted it but before the
 * confirmation was written (or two attempts overlap). A duplicate reminder is noise; a lost urgent alert
 * to a clinician is not, so this errs on the side of sending.
 */
export type MarkerDelivery = 'unconfirmed' | 'sent';

export interface MarkerFields {
  readonly markerKey: string;
  readonly emailKind: EmailKind;
  readonly recipient: 'patient' | 'clinician' | 'backup-clinician';
}

export function newMarkerWrite(patientId: string, fields: MarkerFields): CreateWrite {
  return {
    kind: 'create',
    key: keys.reminderSent(patientId, fields.markerKey),
    label: 'reminder marker',
    itemType: 'REMINDER_SENT',
    attributes: {
      reminderKey: fields.markerKey,
      emailKind: fields.emailKind,
      recipient: fields.recipient,
      delivery: 'unconfirmed' satisfies MarkerDelivery,
      attempts: 1,
    },
  };
}

/**
 * The marker of an earlier attempt that was never confirmed, or undefined when the email was sent.
 * Markers written before delivery was recorded have no `delivery` and count as sent: they were the
 * at-most-once kind, and sending them again now would surprise people.
 */
export async function unconfirmedMarker(
  client: DynamoDBDocumentClient,
  tableName: string,
  patientId: string,
  markerKey: string,
): Promise<StoredItem | undefined> {
  const marker = await getItem(client, tableName, keys.reminderSent(patientId, markerKey));
  return marker?.['delivery'] === ('unconfirmed' satisfies MarkerDelivery) ? marker : undefined;
}

const stillUnconfirmed = {
  name: 'the email is not confirmed as sent yet',
  expression: '#delivery = :unconfirmed',
  names: { '#delivery': 'delivery' },
  values: { ':unconfirmed': 'unconfirmed' },
};

/** Counts one more attempt on an unconfirmed marker, in the transaction that decides to send again. */
export function retryMarkerWrite(marker: StoredItem): UpdateWrite {
  return {
    kind: 'update',
    key: { PK: marker.PK, SK: marker.SK },
    label: 'reminder marker',
    set: { attempts: Number(marker['attempts'] ?? 1) + 1 },
    expectedVersion: marker.version,
    condition: stillUnconfirmed,
  };
}

/** Another attempt confirmed it, or counted itself, first: this one must not send. */
export function lostToAnotherAttempt(error: unknown): boolean {
  return (
    error instanceof ConcurrentUpdate ||
    (error instanceof ConditionFailed && error.conditionName === stillUnconfirmed.name)
  );
}

/** Records SES's acceptance on the marker (audited); a concurrent attempt that confirmed first is fine. */
export async function confirmDelivery(
  client: DynamoDBDocumentClient,
  tableName: string,
  confirmation: {
    patientId: string;
    markerKey: string;
    messageId: string;
    actor: AuditActor;
    details: Readonly<Record<string, unknown>>;
  },
): Promise<void> {
  try {
    await commitOne(
      client,
      tableName,
      {
        kind: 'update',
        key: keys.reminderSent(confirmation.patientId, confirmation.markerKey),
        label: 'reminder marker',
        set: { delivery: 'sent' satisfies MarkerDelivery, messageId: confirmation.messageId },
        condition: stillUnconfirmed,
      },
      {
        patientId: confirmation.patientId,
        actor: confirmation.actor,
        action: 'email.delivery-confirmed',
        reason: 'the email service accepted the email',
        details: { ...confirmation.details, reminderKey: confirmation.markerKey, messageId: confirmation.messageId },
      },
    );
  } catch (error) {
    if (error instanceof ConditionFailed && error.conditionName === stillUnconfirmed.name) return;
    throw error;
  }
}
