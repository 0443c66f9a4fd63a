import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOnHold } from '../functions/journey/holds/clinical-hold.ts';
import { enrolPatient } from '../functions/journey/steps/enrol-patient.ts';
import { PatientOnHold } from '../functions/patient/journey-errors.ts';
import { sendReminder } from '../functions/journey/steps/send-reminder.ts';
import { alertClinician } from '../functions/links/clinician-alert.ts';
import { getItem, queryPatientPartition } from '../functions/store/read-items.ts';
import { keys, PATIENT_SK_PREFIX } from '../functions/store/table-design.ts';
import { startSesLocal, type SentEmail, type SesLocal } from '../local/services/ses-local.ts';
import { aPatient, twoClinicianClinic } from './support/domain-fixtures.ts';
import { startTestTable, type TestTable } from './support/dynamodb.ts';
import { callLinkPage } from './support/link-page-call.ts';

/**
 * Once-only emails are delivered at least once: an attempt that dies between deciding to send and SES
 * accepting the email (here: SES unreachable, or the confirmation lost) leaves the marker unconfirmed,
 * and the retry sends. Real DynamoDB Local and the SES emulator, stopped and started on its own port.
 */

const CLINICIAN = 'sam.lee@clinic.test';
const clinic = twoClinicianClinic;
const actor = { type: 'system', id: 'test' } as const;

let table: TestTable;
let ses: SesLocal;
let sesPort: number;
const restoreEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  [table, ses] = await Promise.all([startTestTable(), startSesLocal({ port: 0 })]);
  sesPort = ses.port;
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // the SDK's own retries against a stopped SES, kept short
    AWS_MAX_ATTEMPTS: '2',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    TABLE_NAME: table.tableName,
    APP_BASE_URL: 'http://127.0.0.1:3999',
    CLINIC_CONFIG: JSON.stringify(clinic),
  };
  for (const [name, value] of Object.entries(env)) {
    restoreEnv[name] = process.env[name];
    process.env[name] = value;
  }
}, 120_000);

afterAll(async () => {
  await ses?.stop();
  await table?.stop();
  for (const [name, value] of Object.entries(restoreEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Runs `work` while SES cannot be reached, then brings SES back on the same port (its emails kept). */
async function whileSesIsDown<T>(work: () => Promise<T>): Promise<PromiseSettledResult<T>> {
  await ses.stop();
  try {
    const [settled] = await Promise.allSettled([work()]);
    return settled as PromiseSettledResult<T>;
  } finally {
    ses = await startSesLocal({ port: sesPort });
  }
}

let patients = 0;
async function aPatientEnrolled(): Promise<{ patientId: string; journeyId: string; email: string }> {
  patients += 1;
  const { id: _id, ...details } = aPatient({ assignedClinicianId: 'dr-lee', email: `delivery-${patients}@mail.test` });
  const enrolment = await enrolPatient({
    details,
    patientId: `delivery-patient-${patients}`,
    actor: { type: 'staff', id: 'test' },
  });
  return { patientId: enrolment.patientId, journeyId: enrolment.journeyId, email: details.email };
}

async function emailsTo(address: string): Promise<SentEmail[]> {
  return (await ses.listEmails()).filter((email) => email.to.includes(address));
}

async function marker(patientId: string, key: string): Promise<Record<string, unknown> | undefined> {
  return getItem(table.client, table.tableName, keys.reminderSent(patientId, key));
}

async function auditActions(patientId: string): Promise<unknown[]> {
  return (
    await queryPatientPartition(table.client, table.tableName, patientId, { skPrefix: PATIENT_SK_PREFIX.audit })
  ).map((item) => item['action']);
}

/** What a crash after SES accepted the email but before the confirmation was written leaves behind. */
async function loseConfirmation(patientId: string, key: string): Promise<void> {
  await table.client.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.reminderSent(patientId, key),
      UpdateExpression: 'SET #delivery = :unconfirmed REMOVE messageId',
      ExpressionAttributeNames: { '#delivery': 'delivery' },
      ExpressionAttributeValues: { ':unconfirmed': 'unconfirmed' },
    }),
  );
}

describe('a reminder', () => {
  it('that SES never accepted is sent by the retry, once, and its marker records the message id', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    const reminder = { patientId, journeyId, reminderKey: 'session-1-prep', kind: 'session-prep', actor } as const;

    const failed = await whileSesIsDown(() => sendReminder(reminder));
    expect(failed.status).toBe('rejected');
    expect(await marker(patientId, 'session-1-prep')).toMatchObject({ delivery: 'unconfirmed' });
    expect(await emailsTo(email)).toHaveLength(0);

    expect(await sendReminder(reminder)).toEqual({ sent: true });
    expect(await sendReminder(reminder)).toEqual({ sent: false });

    expect(await emailsTo(email)).toHaveLength(1);
    expect(await marker(patientId, 'session-1-prep')).toMatchObject({
      delivery: 'sent',
      messageId: expect.any(String),
      attempts: 2,
    });
    expect(await auditActions(patientId)).toEqual(
      expect.arrayContaining(['reminder.session-prep', 'email.send-again', 'email.delivery-confirmed']),
    );
  });

  it('whose confirmation was lost is sent again: at least once, never lost', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    const reminder = { patientId, journeyId, reminderKey: 'session-2-prep', kind: 'session-prep', actor } as const;
    await sendReminder(reminder);
    await loseConfirmation(patientId, 'session-2-prep');

    expect(await sendReminder(reminder)).toEqual({ sent: true });

    expect(await emailsTo(email)).toHaveLength(2);
    expect(await marker(patientId, 'session-2-prep')).toMatchObject({ delivery: 'sent' });
  });

  it('that was never confirmed is not sent once the patient is on hold: the retry fails closed', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    const reminder = { patientId, journeyId, reminderKey: 'session-3-prep', kind: 'session-prep', actor } as const;
    await whileSesIsDown(() => sendReminder(reminder));
    await placeOnHold({
      patientId,
      reason: 'severe side effect reported',
      adverseEvent: { kind: 'severe-side-effect', reportedBy: 'patient', description: 'fainting' },
      actor,
      adverseEventId: 'ae-delivery-test',
    });

    await expect(sendReminder(reminder)).rejects.toBeInstanceOf(PatientOnHold);

    expect(await emailsTo(email)).toHaveLength(0);
    expect(await marker(patientId, 'session-3-prep')).toMatchObject({ delivery: 'unconfirmed', attempts: 1 });
  });
});

describe('an urgent clinician alert', () => {
  it('that SES never accepted is sent by the retry with a link that opens the alert', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    const alert = {
      patientId,
      journeyId,
      clinicianId: 'dr-lee',
      urgency: 'urgent',
      alertKey: 'delivery-urgent',
      message: 'Imminent risk reported at intake',
    } as const;
    const before = (await emailsTo(CLINICIAN)).length;

    const failed = await whileSesIsDown(() => alertClinician(alert));
    expect(failed.status).toBe('rejected');
    expect(await alertClinician(alert)).toMatchObject({ outcome: 'sent' });
    expect(await alertClinician(alert)).toMatchObject({ outcome: 'already-sent' });

    const sent = (await emailsTo(CLINICIAN)).slice(before);
    expect(sent).toHaveLength(1);
    const token = /\/c\/([A-Za-z0-9_-]{43})/.exec(sent[0]?.text ?? '')?.[1] ?? '';
    const page = await callLinkPage('GET', 'c', token);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Imminent risk reported at intake');
  });

  it('whose confirmation was lost is sent again with a new working link', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    const alert = {
      patientId,
      journeyId,
      clinicianId: 'dr-lee',
      urgency: 'urgent',
      alertKey: 'delivery-lost',
      message: 'Chest pain reported at check-in',
    } as const;
    const before = (await emailsTo(CLINICIAN)).length;
    await alertClinician(alert);
    await loseConfirmation(patientId, 'delivery-lost');

    expect(await alertClinician(alert)).toMatchObject({ outcome: 'sent' });

    const tokens = (await emailsTo(CLINICIAN))
      .slice(before)
      .map((email) => /\/c\/([A-Za-z0-9_-]{43})/.exec(email.text ?? '')?.[1] ?? '');
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) expect((await callLinkPage('GET', 'c', token)).statusCode).toBe(200);
  });
});
