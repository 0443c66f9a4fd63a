import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../functions/staff-api/handler.ts';
import { useClockSource, useSystemClock } from '../functions/platform/clock.ts';
import { getItem, queryPatientPartition } from '../functions/store/read-items.ts';
import { keys } from '../functions/store/table-design.ts';
import { createLocalStepFunctions, type LocalStepFunctions } from '../local/sfn/index.ts';
import { startSesLocal, type SesLocal } from '../local/services/ses-local.ts';
import { startTestTable, type TestTable } from './support/dynamodb.ts';

/**
 * The staff API through its handler, as API Gateway (payload 2.0) calls it, on DynamoDB Local, the SES
 * emulator and a local Step Functions engine whose "journey" only waits.
 */

const clinic = {
  clinicName: 'Test Clinic',
  senderEmail: 'care@clinic.test',
  defaultTimeZone: 'America/New_York',
  opsAlertEmail: 'ops@clinic.test',
  clinicians: [{ id: 'dr-lee', name: 'Dr. Sam Lee', email: 'sam.lee@clinic.test' }],
};

let table: TestTable;
let ses: SesLocal;
let engine: LocalStepFunctions;
let journeyArn: string;

beforeAll(async () => {
  [table, ses] = await Promise.all([startTestTable(), startSesLocal()]);
  const start = new Date('2026-05-04T14:00:00.000Z');
  engine = await createLocalStepFunctions({
    dbPath: ':memory:',
    startTime: start,
    lambdas: { resolve: () => undefined },
  });
  const sfn = await engine.listen(0);
  const created = (await engine.call('CreateStateMachine', {
    name: 'journey',
    roleArn: 'arn:aws:iam::123456789012:role/test',
    definition: JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Enrolled',
      States: { Enrolled: { Type: 'Wait', Seconds: 86_400, End: true } },
    }),
  })) as { stateMachineArn: string };
  journeyArn = created.stateMachineArn;
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    APP_BASE_URL: 'http://127.0.0.1:9',
    CLINIC_CONFIG: JSON.stringify(clinic),
    JOURNEY_STATE_MACHINE_ARN: journeyArn,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    AWS_ENDPOINT_URL_SFN: sfn.url,
  });
  useClockSource(() => start);
}, 60_000);

afterAll(async () => {
  useSystemClock();
  await engine?.close();
  await ses?.stop();
  await table?.stop();
});

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function request(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const event = {
    version: '2.0',
    routeKey: 'ANY /staff/{proxy+}',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    pathParameters: { proxy: path.replace(/^\/staff\//, '') },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r',
      routeKey: 'ANY /staff/{proxy+}',
      stage: '$default',
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const result = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode ?? 0, body: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

const enrolment = (patientId: string, overrides: Record<string, unknown> = {}) => ({
  patientId,
  firstName: 'Alex',
  lastName: 'Rivera',
  dateOfBirth: '1990-04-02',
  sexAtBirth: 'female',
  timeZone: 'America/New_York',
  email: `${patientId}@mail.test`,
  assignedClinicianId: 'dr-lee',
  ...overrides,
});

const executions = async () =>
  ((await engine.call('ListExecutions', { stateMachineArn: journeyArn })) as { executions: { name: string }[] })
    .executions;

describe('enrolment', () => {
  it('refuses a malformed enrolment with 400 naming each field, and writes nothing', async () => {
    const before = (await executions()).length;

    const answer = await request(
      'POST',
      '/staff/patients',
      enrolment('bad-1', { email: 'not-an-email', ssn: '123', timeZone: undefined }),
    );

    expect(answer.status).toBe(400);
    const fields = (answer.body.fields as { field: string; message: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['email', 'ssn', 'timeZone']);
    expect(answer.body.error).toEqual(expect.any(String));
    expect(await getItem(table.client, table.tableName, keys.profile('bad-1'))).toBeUndefined();
    expect(await queryPatientPartition(table.client, table.tableName, 'bad-1')).toEqual([]);
    expect((await executions()).length).toBe(before);
  });

  it('refuses a clinician the clinic does not have, naming the field', async () => {
    const answer = await request('POST', '/staff/patients', enrolment('bad-2', { assignedClinicianId: 'dr-nobody' }));

    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual([expect.objectContaining({ field: 'assignedClinicianId' })]);
    expect(await queryPatientPartition(table.client, table.tableName, 'bad-2')).toEqual([]);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const answer = await request('POST', '/staff/patients', '{"firstName":');

    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual([expect.objectContaining({ field: '(body)' })]);
  });

  it('enrols once per Idempotency-Key: the retry answers the same patient and starts no second journey', async () => {
    const body = enrolment('keyed-1');
    const headers = { 'idempotency-key': 'enrol-keyed-1-attempt' };

    const first = await request('POST', '/staff/patients', body, headers);
    const retry = await request('POST', '/staff/patients', body, headers);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(first.body.executionName).toBe(`journey-${String(first.body.journeyId)}`);
    expect((await executions()).filter((e) => e.name === first.body.executionName)).toHaveLength(1);
  });

  it('refuses the same Idempotency-Key for a different patient with 409', async () => {
    const headers = { 'idempotency-key': 'enrol-keyed-2-attempt' };
    await request('POST', '/staff/patients', enrolment('keyed-2'), headers);

    const other = await request('POST', '/staff/patients', enrolment('keyed-3'), headers);

    expect(other.status).toBe(409);
    expect(await queryPatientPartition(table.client, table.tableName, 'keyed-3')).toEqual([]);
  });

  it('enrols once per client-chosen patient id, and refuses other details under that id with 409', async () => {
    const first = await request('POST', '/staff/patients', enrolment('chosen-1'));
    const again = await request('POST', '/staff/patients', enrolment('chosen-1'));
    const different = await request('POST', '/staff/patients', enrolment('chosen-1', { lastName: 'Someone-else' }));

    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 200, body: first.body });
    expect(different.status).toBe(409);
  });
});

describe('a patient', () => {
  it('reads the journey and its audit trail', async () => {
    await request('POST', '/staff/patients', enrolment('read-1'));

    const answer = await request('GET', '/staff/patients/read-1');

    expect(answer.status).toBe(200);
    expect(answer.body.journey).toMatchObject({
      patientId: 'read-1',
      phase: 'intake',
      status: 'active',
      onHold: false,
    });
    expect(answer.body.patient).toMatchObject({ id: 'read-1', firstName: 'Alex' });
    expect(answer.body.patient).not.toHaveProperty('PK');
    expect(answer.body.audit).toEqual([
      expect.objectContaining({ action: 'journey.enrolled', actor: { type: 'staff', id: 'local-staff' } }),
    ]);
  });

  it('answers 404 for a patient that does not exist', async () => {
    expect((await request('GET', '/staff/patients/nobody')).status).toBe(404);
    expect(
      (await request('POST', '/staff/patients/nobody/adverse-events', { kind: 'other', description: 'x' })).status,
    ).toBe(404);
  });

  it('puts the patient on hold for a reported adverse event, audited under the staff member', async () => {
    await request('POST', '/staff/patients', enrolment('held-1'));

    const answer = await request(
      'POST',
      '/staff/patients/held-1/adverse-events',
      { kind: 'severe-side-effect', description: 'fainted after the session' },
      { 'x-staff-id': 'nurse-ana' },
    );

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ alreadyOnHold: false, adverseEventId: expect.any(String) });
    const read = await request('GET', '/staff/patients/held-1');
    expect(read.body.journey).toMatchObject({ status: 'on-hold', onHold: true });
    expect(read.body.audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'journey.hold-placed', actor: { type: 'staff', id: 'nurse-ana' } }),
      ]),
    );
  });

  it('refuses an unknown adverse event kind with 400 naming the field, and places no hold', async () => {
    await request('POST', '/staff/patients', enrolment('held-2'));

    const answer = await request('POST', '/staff/patients/held-2/adverse-events', {
      kind: 'bad-mood',
      description: 'x',
    });

    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual([expect.objectContaining({ field: 'kind' })]);
    expect((await request('GET', '/staff/patients/held-2')).body.journey).toMatchObject({ onHold: false });
  });

  it('answers 409 for a consult when no consult booking is waiting, and 400 for a malformed time', async () => {
    await request('POST', '/staff/patients', enrolment('consult-1'));

    const malformed = await request('POST', '/staff/patients/consult-1/consult', { consultAt: 'next tuesday' });
    const notWaiting = await request('POST', '/staff/patients/consult-1/consult', {
      consultAt: '2026-05-10T15:00:00Z',
    });

    expect(malformed.status).toBe(400);
    expect(malformed.body.fields).toEqual([expect.objectContaining({ field: 'consultAt' })]);
    expect(notWaiting.status).toBe(409);
  });

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    expect((await request('GET', '/staff/nothing-here')).status).toBe(404);
    expect((await request('DELETE', '/staff/patients/read-1')).status).toBe(405);
  });
});
