import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeStepByStaff, endPendingStepsForHold } from '../functions/links/pending-steps.ts';
import { readStep } from '../functions/links/step-store.ts';
import { useClockSource, useSystemClock } from '../functions/platform/clock.ts';
import { handler as requestAction } from '../functions/request-action/handler.ts';
import { keys } from '../functions/store/table-design.ts';
import { createLocalStepFunctions, type LocalStepFunctions } from '../local/sfn/index.ts';
import { startSesLocal, type SentEmail, type SesLocal } from '../local/services/ses-local.ts';
import { fillPlaceholders, readDefinitionTemplate } from '../statemachines/definitions.ts';
import { startTestTable, type TestTable } from './support/dynamodb.ts';
import { TestLambdas } from './support/sfn-test-lambdas.ts';
import { intakeFields, withoutLinkTokens, type FormFields } from './support/link-http.ts';
import { callLinkPage, type LinkPath, type PageResponse } from './support/link-page-call.ts';
import { DAY_SECONDS as DAY } from '../functions/domain/durations.ts';

const START = new Date('2026-05-04T13:00:00.000Z');
const clinic = {
  clinicName: 'Test Clinic',
  senderEmail: 'care@example.org',
  defaultTimeZone: 'America/New_York',
  opsAlertEmail: 'ops@example.org',
  clinicians: [
    { id: 'dr-rivera', name: 'Dr. Ana Rivera', email: 'ana.rivera@example.org', backupId: 'dr-chen' },
    { id: 'dr-chen', name: 'Dr. Wei Chen', email: 'wei.chen@example.org', backupId: 'dr-rivera' },
  ],
};
const forbidden = [
  'ketamine',
  'esketamine',
  'dose',
  'mg',
  'depression',
  'anxiety',
  'psychiatric',
  'psychiatry',
  'therapy',
  'treatment',
  'prescription',
  'medication',
  'drug',
  'mental',
];

let table: TestTable;
let ses: SesLocal;
let engine: LocalStepFunctions;
let proxy: Server;
let machineArn: string;
const sfnCalls: string[] = [];
const schedulePlans = new Map<string, Record<string, unknown>>();
const restoreEnv: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    restoreEnv[name] = process.env[name];
    process.env[name] = value;
  }
}

beforeAll(async () => {
  table = await startTestTable();
  ses = await startSesLocal({ port: 0 });
  const lambdas = new TestLambdas();
  // The protocol's schedule is another helper's; here each test says who acts and when things time out.
  lambdas.register('schedule', async (payload) => {
    const p = payload as { stepKey: string };
    const plan = schedulePlans.get(p.stepKey);
    if (plan === undefined) throw new Error(`no plan for ${p.stepKey}`);
    return plan;
  });
  lambdas.register('record-progress', async () => ({ recorded: true }));
  lambdas.register('request-action', async (payload) => requestAction(payload, {} as Context));
  engine = await createLocalStepFunctions({ dbPath: ':memory:', lambdas, startTime: START });
  lambdas.clock = () => engine.now();
  const sfn = await engine.listen(0);
  // counts every Step Functions call the functions make, so "exactly one SendTaskSuccess" is measured
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sfnCalls.push(String(req.headers['x-amz-target'] ?? ''));
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length'),
      ) as Record<string, string>;
      void fetch(`${sfn.url}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        body: Buffer.concat(chunks),
      }).then(async (answer) => {
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.0',
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  setEnv({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    TABLE_NAME: table.tableName,
    APP_BASE_URL: 'http://127.0.0.1:3999',
    CLINIC_CONFIG: JSON.stringify(clinic),
  });
  useClockSource(() => engine.now());
  const definition = fillPlaceholders(readDefinitionTemplate('person-action'), {
    ScheduleFunctionArn: 'schedule',
    RequestActionFunctionArn: 'request-action',
    RecordProgressFunctionArn: 'record-progress',
  });
  const created = (await engine.call('CreateStateMachine', {
    name: 'person-action',
    definition,
    roleArn: 'arn:aws:iam::123456789012:role/test',
  })) as { stateMachineArn: string };
  machineArn = created.stateMachineArn;
}, 120_000);

afterAll(async () => {
  useSystemClock();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await engine.close();
  await ses.stop();
  await table.stop();
  for (const [name, value] of Object.entries(restoreEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function seedPatient(
  patientId: string,
  options: { onHold?: boolean; sessions?: { number: number; plannedStart: string }[] } = {},
): Promise<void> {
  const put = (item: Record<string, unknown>) =>
    table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
  const at = engine.now().toISOString();
  await put({
    ...keys.profile(patientId),
    itemType: 'PROFILE',
    version: 1,
    id: patientId,
    firstName: 'Jamie',
    lastName: 'Quixotewright',
    dateOfBirth: '1990-02-03',
    sexAtBirth: 'female',
    timeZone: 'America/Chicago',
    email: `${patientId}@example.net`,
    assignedClinicianId: 'dr-rivera',
  });
  await put({
    ...keys.journey(patientId),
    itemType: 'JOURNEY',
    version: 1,
    id: `j-${patientId}`,
    patientId,
    phase: 'intake',
    status: options.onHold ? 'on-hold' : 'active',
    onHold: options.onHold ?? false,
    hold: options.onHold ? { since: at, reason: 'test hold', adverseEventId: 'ae-1' } : null,
    enrolledAt: at,
  });
  for (const session of options.sessions ?? []) {
    await put({
      ...keys.session(patientId, session.number),
      itemType: 'SESSION',
      version: 1,
      number: session.number,
      plannedStart: session.plannedStart,
      status: 'planned',
      checkInRef: null,
      journalRef: null,
      attempt: 1,
    });
  }
}

interface Started {
  executionArn: string;
  patientId: string;
  journeyId: string;
  stepKey: string;
}

async function startStep(
  patientId: string,
  purpose: string,
  stepKey: string,
  plan: Partial<Record<string, unknown>>,
): Promise<Started> {
  const personKind = ['intake', 'check-in', 'journal', 'assessment', 'refill-request'].includes(purpose)
    ? 'patient'
    : 'clinician';
  schedulePlans.set(stepKey, {
    person: personKind === 'patient' ? { kind: 'patient', id: patientId } : { kind: 'clinician', id: 'dr-rivera' },
    firstWaitSeconds: 3 * DAY,
    reminderWaitSeconds: 0,
    escalationWaitSeconds: 0,
    expiresAt: new Date(engine.now().getTime() + 3 * DAY * 1000).toISOString(),
    ...plan,
  });
  const journeyId = `j-${patientId}`;
  const { executionArn } = (await engine.call('StartExecution', {
    stateMachineArn: machineArn,
    name: `${journeyId}-${stepKey}`,
    input: JSON.stringify({ patientId, journeyId, purpose, stepKey }),
  })) as { executionArn: string };
  await engine.settle();
  return { executionArn, patientId, journeyId, stepKey };
}

async function emailsTo(address: string): Promise<SentEmail[]> {
  return (await ses.listEmails()).filter((email) => email.to.includes(address));
}

/** The audience path each token was emailed under (`/p/` patients, `/c/` clinicians), so `open` calls that audience's function. */
const pathOfToken = new Map<string, LinkPath>();

function tokenIn(email: SentEmail | undefined): string {
  const match = /\/([pc])\/([A-Za-z0-9_-]{43})/.exec(email?.text ?? '');
  if (match?.[2] === undefined) throw new Error('no link in the email');
  pathOfToken.set(match[2], match[1] as LinkPath);
  return match[2];
}

/** Opens a link through the function of the audience it was emailed to, or of `path` when given. */
function open(
  method: 'GET' | 'POST',
  token: string,
  form?: FormFields,
  path: LinkPath = pathOfToken.get(token) ?? 'c',
): Promise<PageResponse> {
  return callLinkPage(method, path, token, form);
}

async function tableItems(options: { withoutRateCounters?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await table.client.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }));
  return Items.filter((item) => !(options.withoutRateCounters && item['itemType'] === 'LINK_RATE')).sort((a, b) =>
    `${String(a['PK'])}${String(a['SK'])}`.localeCompare(`${String(b['PK'])}${String(b['SK'])}`),
  );
}

async function execution(arn: string): Promise<{ status: string; output?: Record<string, unknown> }> {
  await engine.settle();
  const described = (await engine.call('DescribeExecution', { executionArn: arn })) as {
    status: string;
    output?: string;
  };
  return {
    status: described.status,
    ...(described.output ? { output: JSON.parse(described.output) as Record<string, unknown> } : {}),
  };
}

async function auditActions(patientId: string, action: string): Promise<number> {
  return (await tableItems()).filter(
    (item) => item['PK'] === `PATIENT#${patientId}` && item['itemType'] === 'AUDIT' && item['action'] === action,
  ).length;
}

function expectSecurityHeaders(response: { headers: Record<string, string> }): void {
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-robots-tag']).toContain('noindex');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  const csp = response.headers['content-security-policy'] ?? '';
  for (const directive of ["default-src 'none'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
    expect(csp).toContain(directive);
  expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain('unsafe');
}

const futureLocal = (days: number) => new Date(engine.now().getTime() + days * DAY * 1000).toISOString().slice(0, 16);

describe('emailed links', () => {
  it('a GET opened ten times changes nothing, then one POST decides the step and the workflow moves on', async () => {
    await seedPatient('p-get');
    const started = await startStep('p-get', 'consult-booking', 'consult-booking', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    const before = await tableItems();
    for (let i = 0; i < 10; i++) {
      const page = await open('GET', token);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Book the video consult');
      expectSecurityHeaders(page);
    }
    expect(await tableItems()).toEqual(before);
    expect((await execution(started.executionArn)).status).toBe('RUNNING');

    const decided = await open('POST', token, {
      purpose: 'consult-booking',
      consultAt: futureLocal(5),
      decision: 'BOOKED',
    });
    expect(decided.statusCode).toBe(200);
    expectSecurityHeaders(decided);
    const result = await execution(started.executionArn);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output?.['decision']).toBe('BOOKED');
    expect(typeof result.output?.['consultAt']).toBe('string');
    expect(await auditActions('p-get', 'step.decided')).toBe(1);

    // a replay, a second tab, a double click: refused with who decided and when, nothing recorded
    const replay = await open('POST', token, {
      purpose: 'consult-booking',
      consultAt: futureLocal(6),
      decision: 'BOOKED',
    });
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toContain('already decided by you');
    expectSecurityHeaders(replay);
    expect((await open('GET', token)).statusCode).toBe(409);
    expect(await auditActions('p-get', 'step.decided')).toBe(1);
  });

  it('two concurrent POSTs make exactly one decision, one SendTaskSuccess and one audit event', async () => {
    await seedPatient('p-race');
    const started = await startStep('p-race', 'eligibility', 'eligibility', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    // no screening stored: decline needs none, and both tabs decline
    const callsBefore = sfnCalls.filter((t) => t.endsWith('SendTaskSuccess')).length;
    const [a, b] = await Promise.all([
      open('POST', token, { purpose: 'eligibility', decision: 'DECLINED' }),
      open('POST', token, { purpose: 'eligibility', decision: 'DECLINED' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(sfnCalls.filter((t) => t.endsWith('SendTaskSuccess')).length - callsBefore).toBe(1);
    expect(await auditActions('p-race', 'step.decided')).toBe(1);
    expect((await execution(started.executionArn)).output?.['decision']).toBe('DECLINED');
  });

  it("a link opened under the other audience's path gets the 404 page and writes nothing", async () => {
    await seedPatient('p-audience');
    await startStep('p-audience', 'consult-evaluation', 'consult-evaluation', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    expect(pathOfToken.get(token)).toBe('c');
    const before = await tableItems();
    for (const method of ['GET', 'POST'] as const) {
      const page = await open(
        method,
        token,
        method === 'POST'
          ? { purpose: 'consult-evaluation', modality: 'telehealth', notes: 'n', decision: 'EVALUATED' }
          : undefined,
        'p',
      );
      expect(page.statusCode).toBe(404);
      expectSecurityHeaders(page);
    }
    expect(await tableItems()).toEqual(before);
    expect((await open('GET', token)).statusCode).toBe(200);
  });

  it('a tampered, unknown or malformed token gets the 404 page', async () => {
    await seedPatient('p-404');
    await startStep('p-404', 'consult-evaluation', 'consult-evaluation', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const before = await tableItems();
    for (const bad of [tampered, 'x'.repeat(43), 'short', `${token}x`]) {
      for (const method of ['GET', 'POST'] as const) {
        const page = await open(
          method,
          bad,
          method === 'POST' ? { purpose: 'consult-evaluation', modality: 'telehealth', notes: 'n' } : undefined,
        );
        expect(page.statusCode).toBe(404);
        expectSecurityHeaders(page);
      }
    }
    expect(await tableItems()).toEqual(before);
    expect((await open('GET', token)).statusCode).toBe(200);
  });

  it('a form for another purpose is refused and changes nothing', async () => {
    const patientId = 'p-purpose';
    await seedPatient(patientId);
    const started = await startStep(patientId, 'consult-evaluation', 'consult-evaluation', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    const before = await tableItems({ withoutRateCounters: true });
    const refused = await open('POST', token, { purpose: 'eligibility', decision: 'APPROVED' });
    expect(refused.statusCode).toBe(400);
    expectSecurityHeaders(refused);
    expect(await tableItems({ withoutRateCounters: true })).toEqual(before);
    expect((await execution(started.executionArn)).status).toBe('RUNNING');
  });

  it('a bad form comes back with the message next to the field and the answers kept; nothing is written', async () => {
    const patientId = 'p-badform';
    await seedPatient(patientId);
    const started = await startStep(patientId, 'consult-evaluation', 'consult-evaluation', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    const before = await tableItems({ withoutRateCounters: true });
    const page = await open('POST', token, {
      purpose: 'consult-evaluation',
      notes: 'Reviewed history <carefully>',
      decision: 'EVALUATED',
    });
    expect(page.statusCode).toBe(400);
    expectSecurityHeaders(page);
    expect(page.body).toMatch(
      /<p class="error" id="f-modality-error">How was the consult held\? Choose one answer\.<\/p>/,
    );
    expect(page.body).toContain('>Reviewed history &lt;carefully&gt;</textarea>');
    expect(await tableItems({ withoutRateCounters: true })).toEqual(before);
    expect((await execution(started.executionArn)).status).toBe('RUNNING');

    const fixed = await open('POST', token, {
      purpose: 'consult-evaluation',
      notes: 'Reviewed history',
      modality: 'telehealth',
      decision: 'EVALUATED',
    });
    expect(fixed.statusCode).toBe(200);
    expect((await execution(started.executionArn)).output).toMatchObject({
      decision: 'EVALUATED',
      modality: 'telehealth',
    });
  });

  it('an expired link gets the 410 page, for GET and POST, and records nothing', async () => {
    const patientId = 'p-expired';
    await seedPatient(patientId);
    const started = await startStep(patientId, 'consult-evaluation', 'consult-evaluation', {
      expiresAt: new Date(engine.now().getTime() + 3600_000).toISOString(),
      firstWaitSeconds: 30 * DAY,
    });
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    await engine.advanceClock({ advanceSeconds: 2 * 3600 });
    const before = await tableItems({ withoutRateCounters: true });
    expect((await open('GET', token)).statusCode).toBe(410);
    const late = await open('POST', token, {
      purpose: 'consult-evaluation',
      notes: 'late',
      modality: 'telehealth',
      decision: 'EVALUATED',
    });
    expect(late.statusCode).toBe(410);
    expectSecurityHeaders(late);
    expect(await tableItems({ withoutRateCounters: true })).toEqual(before);
    expect((await execution(started.executionArn)).status).toBe('RUNNING');
  });

  it("a reminder re-arms the same step: the first email's link still decides it, and a retried invocation sends no second email", async () => {
    const patientId = 'p-remind';
    await seedPatient(patientId);
    const started = await startStep(patientId, 'intake', 'intake', {
      firstWaitSeconds: 60,
      reminderWaitSeconds: 3 * DAY,
      expiresAt: new Date(engine.now().getTime() + 4 * DAY * 1000).toISOString(),
    });
    const address = `${patientId}@example.net`;
    const first = tokenIn((await emailsTo(address))[0]);
    await engine.advanceClock({ advanceSeconds: 61 });
    await engine.settle();
    const emails = await emailsTo(address);
    expect(emails).toHaveLength(2);
    expect(emails[1]?.subject).toContain('Reminder');

    // Lambda retries the reminder invocation with the same token: no second reminder goes out
    const step = await readStep(table.client, table.tableName, {
      patientId,
      journeyId: started.journeyId,
      stepKey: 'intake',
    });
    expect(step?.stage).toBe('reminder');
    const plan = schedulePlans.get('intake');
    await requestAction(
      {
        stage: 'reminder',
        request: { patientId, journeyId: started.journeyId, purpose: 'intake', stepKey: 'intake' },
        plan,
        taskToken: step?.taskToken,
      },
      {} as Context,
    );
    expect(await emailsTo(address)).toHaveLength(2);

    const form = intakeFields();
    const done = await open('POST', first, form);
    expect(done.statusCode, done.body).toBe(200);
    expect((await execution(started.executionArn)).output).toEqual({ decision: 'SUBMITTED' });
    const second = tokenIn(emails[1]);
    expect((await open('GET', second)).statusCode).toBe(409);
  });

  it('a late retry of the first request for a step that has since expired does not reopen it or email a new link', async () => {
    const patientId = 'p-late-first';
    await seedPatient(patientId);
    const started = await startStep(patientId, 'intake', 'intake', {});
    const address = `${patientId}@example.net`;
    expect(await emailsTo(address)).toHaveLength(1);
    const stepRef = { patientId, journeyId: started.journeyId, stepKey: 'intake' };
    const armed = await readStep(table.client, table.tableName, stepRef);
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.step(patientId, started.journeyId, 'intake'),
        UpdateExpression: 'SET #s = :expired',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':expired': 'expired' },
      }),
    );

    const plan = schedulePlans.get('intake');
    const retry = requestAction(
      {
        stage: 'first',
        request: { patientId, journeyId: started.journeyId, purpose: 'intake', stepKey: 'intake' },
        plan,
        taskToken: armed?.taskToken,
      },
      {} as Context,
    );

    await expect(retry).rejects.toMatchObject({ name: 'StepNotWaiting' });
    expect(await emailsTo(address)).toHaveLength(1);
    expect(await readStep(table.client, table.tableName, stepRef)).toMatchObject({
      status: 'expired',
      round: armed?.round,
    });
  });

  it('a clinical hold ends the pending step at once: the workflow gets ON_HOLD and the link says the step was stopped', async () => {
    const patientId = 'p-hold';
    await seedPatient(patientId);
    const started = await startStep(patientId, 'consult-evaluation', 'consult-evaluation', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    expect(await endPendingStepsForHold(patientId, 'severe side effect reported')).toEqual({ ended: 1 });
    expect((await execution(started.executionArn)).output).toEqual({ decision: 'ON_HOLD' });
    const page = await open('GET', token);
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('This step was stopped; your clinic will be in touch.');
    expect(await endPendingStepsForHold(patientId, 'again')).toEqual({ ended: 0 });
  });

  it('fails closed: no link is sent for a patient on hold, and the workflow gets ON_HOLD', async () => {
    const patientId = 'p-onhold';
    await seedPatient(patientId, { onHold: true });
    const started = await startStep(patientId, 'assessment', 'session-2-a1-assessment', {});
    expect((await execution(started.executionArn)).output).toEqual({ decision: 'ON_HOLD' });
    expect(await emailsTo(`${patientId}@example.net`)).toHaveLength(0);
  });

  it('the staff API decides the same step once; a later POST on the link sees it was decided by clinic staff', async () => {
    const patientId = 'p-staff';
    await seedPatient(patientId);
    const started = await startStep(patientId, 'consult-booking', 'consult-booking', {});
    const token = tokenIn((await emailsTo('ana.rivera@example.org')).at(-1));
    const consultAt = new Date(engine.now().getTime() + 5 * DAY * 1000).toISOString();
    const actor = { type: 'staff' as const, id: 'front-desk' };
    expect(
      await completeStepByStaff({
        patientId,
        purpose: 'consult-booking',
        decision: 'BOOKED',
        details: { consultAt },
        actor,
      }),
    ).toEqual({ outcome: 'delivered' });
    expect(
      await completeStepByStaff({
        patientId,
        purpose: 'consult-booking',
        decision: 'BOOKED',
        details: { consultAt },
        actor,
      }),
    ).toEqual({ outcome: 'already-decided' });
    expect((await execution(started.executionArn)).output).toEqual({ decision: 'BOOKED', consultAt });
    const late = await open('POST', token, {
      purpose: 'consult-booking',
      consultAt: futureLocal(6),
      decision: 'BOOKED',
    });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('already decided by clinic staff');
  });

  it('a check-in with a blood pressure over the limit postpones the session and shows the new time', async () => {
    const patientId = 'p-checkin';
    const plannedStart = new Date(engine.now().getTime() + 3600_000).toISOString();
    await seedPatient(patientId, { sessions: [{ number: 1, plannedStart }] });
    const started = await startStep(patientId, 'check-in', 'session-1-a1-check-in', {});
    const token = tokenIn((await emailsTo(`${patientId}@example.net`)).at(-1));
    const page = await open('POST', token, {
      purpose: 'check-in',
      monitorPresent: 'yes',
      fastingHours: '6',
      lastAlcoholOrCannabisHoursAgo: '',
      lastBenzodiazepineHoursAgo: '',
      stimulantOrOpioidToday: 'no',
      heldMedicationsConfirmed: 'yes',
      'bpReadings[0].systolic': '150',
      'bpReadings[0].diastolic': '92',
      'bpReadings[1].systolic': '148',
      'bpReadings[1].diastolic': '91',
      noDrivingAcknowledged: 'yes',
      // no intake is on record, so the page asks about pregnancy (functions/links/answers/patient-answers.ts)
      pregnantPlannedOrBreastfeeding: 'no',
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body.replace(/&#39;/g, "'")).toContain("Today's session is postponed");
    expect(page.body).toContain('The earliest new time is');
    const output = (await execution(started.executionArn)).output;
    expect(output?.['decision']).toBe('POSTPONED');
    expect(output?.['reasons']).toContain('BP_AT_OR_ABOVE_POSTPONE');
  });

  it('the loser of two concurrent check-in POSTs gets the 409 already-decided page, never a refusal caused by the winner', async () => {
    const clearingCheckIn = {
      purpose: 'check-in',
      monitorPresent: 'yes',
      fastingHours: '6',
      lastAlcoholOrCannabisHoursAgo: '',
      lastBenzodiazepineHoursAgo: '',
      stimulantOrOpioidToday: 'no',
      heldMedicationsConfirmed: 'yes',
      'bpReadings[0].systolic': '120',
      'bpReadings[0].diastolic': '80',
      'bpReadings[1].systolic': '118',
      'bpReadings[1].diastolic': '79',
      noDrivingAcknowledged: 'yes',
      pregnantPlannedOrBreastfeeding: 'no',
    };
    // the race is decided by timing: several pairs give the losing POST every chance to read the step
    // before the winner's write and the session after it
    for (let pair = 1; pair <= 6; pair++) {
      const patientId = `p-double-check-in-${pair}`;
      await seedPatient(patientId, {
        sessions: [{ number: 1, plannedStart: new Date(engine.now().getTime() + 3600_000).toISOString() }],
      });
      await startStep(patientId, 'check-in', 'session-1-a1-check-in', {});
      const token = tokenIn((await emailsTo(`${patientId}@example.net`)).at(-1));
      const answers = await Promise.all([open('POST', token, clearingCheckIn), open('POST', token, clearingCheckIn)]);
      expect(answers.map((a) => a.statusCode).sort(), answers.map((a) => a.body).join('\n')).toEqual([200, 409]);
    }
  });

  it('emails carry a neutral sentence and the link: no last name and no clinical word', async () => {
    const emails = await ses.listEmails();
    expect(emails.length).toBeGreaterThan(5);
    for (const email of emails) {
      const text = `${email.subject}\n${email.text ?? ''}\n${email.html ?? ''}`;
      expect(text).not.toContain('Quixotewright');
      for (const word of forbidden)
        expect(withoutLinkTokens(text).toLowerCase(), `"${word}" in "${email.subject}"`).not.toMatch(
          new RegExp(`\\b${word}\\b`),
        );
      expect(text).toMatch(/\/[pc]\/[A-Za-z0-9_-]{43}/);
    }
    expect(emails.some((email) => (email.text ?? '').startsWith('Hello Jamie,'))).toBe(true);
  });
});
