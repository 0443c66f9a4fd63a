import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashLinkToken } from '../functions/links/link-token.ts';
import { POSTS_PER_LINK_PER_MINUTE } from '../functions/links/rate-limit.ts';
import { formatInZone } from '../functions/pages/format-time.ts';
import { keys } from '../functions/store/table-design.ts';
import type { SentEmail } from '../local/services/ses-local.ts';
import { advanceClockOverHttp, emailsTo, linksIn, sfnClientFor, useLocalClinic } from './support/local-clinic.ts';
import {
  getLink,
  headLink,
  intakeFields,
  linkPageHeaderProblems,
  postLink,
  tokenOf,
  withToken,
  type FormFields,
  type LinkAnswer,
} from './support/link-http.ts';

/**
 * The attacks on an emailed link, made the way an attacker (or a mail scanner) would: over HTTP against
 * the whole clinic running locally. Each test enrols its own patient through the staff API; the journey's
 * first step emails the patient the intake link, a real link whose step waits on a real task token.
 */
const local = useLocalClinic();

let documentClient: DynamoDBDocumentClient | undefined;
function table(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: local.clinic.urls.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  return documentClient;
}
afterAll(() => documentClient?.destroy());

/**
 * Every Step Functions call the clinic's functions make goes through this proxy to the engine, unchanged,
 * so "one SendTaskSuccess" is counted on the wire: the execution history alone cannot show a second call
 * that the engine refused. The functions' SDK client reads AWS_ENDPOINT_URL_SFN when it is first used,
 * which is after this hook (the proxy's own test below proves it is in the path).
 */
const sfnActions: string[] = [];
let sfnProxy: Server | undefined;
let engineEndpoint: string | undefined;
beforeAll(async () => {
  engineEndpoint = process.env['AWS_ENDPOINT_URL_SFN'];
  const target = engineEndpoint;
  if (target === undefined) throw new Error('the local clinic did not set AWS_ENDPOINT_URL_SFN');
  sfnProxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      sfnActions.push(String(req.headers['x-amz-target'] ?? ''));
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length'),
      ) as Record<string, string>;
      fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/x-amz-json-1.0',
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch((error: unknown) => res.destroy(error as Error));
    });
  });
  const proxy = sfnProxy;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  process.env['AWS_ENDPOINT_URL_SFN'] = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (engineEndpoint !== undefined) process.env['AWS_ENDPOINT_URL_SFN'] = engineEndpoint;
  const proxy = sfnProxy;
  if (proxy !== undefined) await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

/** SendTaskSuccess calls the functions made from this mark on. */
function sendTaskSuccessCallsSince(mark: number): number {
  return sfnActions.slice(mark).filter((action) => action.endsWith('.SendTaskSuccess')).length;
}

const clinicianEmail = 'ana.rivera@example.org';

interface EnrolledPatient {
  readonly patientId: string;
  readonly journeyId: string;
  readonly email: string;
  readonly timeZone: string;
  /** the link of the intake email */
  readonly intakeUrl: string;
}

let enrolled = 0;

async function enrolPatient(options: { timeZone?: string } = {}): Promise<EnrolledPatient> {
  const { clinic } = local;
  enrolled += 1;
  const patientId = `p-attack-${enrolled}`;
  const email = `${patientId}@example.net`;
  const timeZone = options.timeZone ?? 'America/Chicago';
  const response = await fetch(`${clinic.urls.app}/staff/patients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      patientId,
      firstName: 'Jamie',
      lastName: 'Quixotewright',
      dateOfBirth: '1990-02-03',
      sexAtBirth: 'female',
      timeZone,
      email,
      assignedClinicianId: 'dr-rivera',
    }),
  });
  expect(response.status).toBe(201);
  const { journeyId } = (await response.json()) as { journeyId: string };
  await clinic.settle();
  const emails = await emailsTo(clinic, email);
  expect(emails).toHaveLength(1);
  const links = linksIn(clinic, emails[0] as SentEmail);
  expect(links).toHaveLength(1);
  return { patientId, journeyId, email, timeZone, intakeUrl: links[0] as string };
}

/** Every item of the table, read consistently, by primary key. */
async function tableSnapshot(): Promise<Map<string, Record<string, unknown>>> {
  await local.clinic.settle();
  const items = new Map<string, Record<string, unknown>>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table().send(
      new ScanCommand({ TableName: local.clinic.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) items.set(`${String(item['PK'])} | ${String(item['SK'])}`, item);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** The keys of the items created, changed or deleted between two snapshots. */
function changedKeys(
  before: Map<string, Record<string, unknown>>,
  after: Map<string, Record<string, unknown>>,
): string[] {
  const changed: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key))) changed.push(key);
  }
  return changed.sort();
}

/**
 * A POST to a known link is counted against its per-minute limit before anything else is looked at (so
 * a script cannot hammer a link it already used), and that counter is the only item it may touch.
 */
function withoutRateCounterOf(url: string, changed: readonly string[]): string[] {
  const counter = `LINK_RATE#${hashLinkToken(tokenOf(url))} | `;
  return changed.filter((key) => !key.startsWith(counter));
}

async function linkItem(url: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await table().send(
    new GetCommand({
      TableName: local.clinic.tableName,
      Key: keys.link(hashLinkToken(tokenOf(url))),
      ConsistentRead: true,
    }),
  );
  return Item;
}

async function intakeStep(patient: EnrolledPatient): Promise<Record<string, unknown> | undefined> {
  const { Item } = await table().send(
    new GetCommand({
      TableName: local.clinic.tableName,
      Key: keys.step(patient.patientId, patient.journeyId, 'intake'),
      ConsistentRead: true,
    }),
  );
  return Item;
}

async function auditEvents(patientId: string, action: string): Promise<Record<string, unknown>[]> {
  const items = [...(await tableSnapshot()).values()];
  return items.filter(
    (item) => item['PK'] === `PATIENT#${patientId}` && item['itemType'] === 'AUDIT' && item['action'] === action,
  );
}

/** The person-action execution of one step of the patient's journey, first round (journey.asl.json names it `<journeyId>-<step>-<hold round>`). */
async function stepExecutionArn(patient: EnrolledPatient, step: string): Promise<string> {
  const machine = local.clinic.stateMachines.find((m) => m.id === 'person-action');
  if (machine === undefined) throw new Error('the person-action state machine is not deployed');
  const { executions = [] } = await sfnClientFor(local.clinic).send(
    new ListExecutionsCommand({ stateMachineArn: machine.arn }),
  );
  const found = executions.find((execution) => execution.name === `${patient.journeyId}-${step}-1`);
  if (found?.executionArn === undefined) throw new Error(`no ${step} execution for ${patient.journeyId}`);
  return found.executionArn;
}

const intakeExecutionArn = (patient: EnrolledPatient): Promise<string> => stepExecutionArn(patient, 'intake');

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const sfn = sfnClientFor(local.clinic);
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/** How many times the link's waiting task was completed: each SendTaskSuccess that landed is one TaskSucceeded. */
function callbacksDelivered(events: readonly HistoryEvent[]): number {
  return events.filter(
    (event) =>
      event.type === 'TaskSucceeded' && event.taskSucceededEventDetails?.resource === 'invoke.waitForTaskToken',
  ).length;
}

async function executionStatus(executionArn: string): Promise<string | undefined> {
  return (await sfnClientFor(local.clinic).send(new DescribeExecutionCommand({ executionArn }))).status;
}

/** A form of another purpose, sent to the intake link: a patient "approving" their own eligibility. */
const eligibilityApproval: FormFields = {
  purpose: 'eligibility',
  decision: 'APPROVED',
  overrideReason: 'none',
  note: 'approved',
};
/** The check-in form of a session, which the intake link does not ask for. */
const checkInForm: FormFields = {
  purpose: 'check-in',
  monitorPresent: 'yes',
  'bp[0].systolic': '120',
  'bp[0].diastolic': '80',
};

/** What an attack must leave as it found: every item of the table, the execution's history, and no SendTaskSuccess. */
interface Observation {
  readonly executionArn: string;
  readonly table: Map<string, Record<string, unknown>>;
  readonly history: HistoryEvent[];
  readonly sfnMark: number;
}

async function observe(executionArn: string): Promise<Observation> {
  return {
    executionArn,
    table: await tableSnapshot(),
    history: await history(executionArn),
    sfnMark: sfnActions.length,
  };
}

/** `rateCounterOf`: a POST to a known link may bump that link's per-minute counter, and nothing else. */
async function expectNothingChangedSince(before: Observation, options: { rateCounterOf?: string } = {}): Promise<void> {
  const changed = changedKeys(before.table, await tableSnapshot());
  expect(options.rateCounterOf === undefined ? changed : withoutRateCounterOf(options.rateCounterOf, changed)).toEqual(
    [],
  );
  expect(await history(before.executionArn)).toEqual(before.history);
  expect(sendTaskSuccessCallsSince(before.sfnMark)).toBe(0);
}

function expectPageHeaders(answer: LinkAnswer): void {
  expect(linkPageHeaderProblems(answer.headers)).toEqual([]);
}

describe('opening a link (GET)', () => {
  it('opening the link ten times (and HEAD) changes nothing, and one POST then decides and the journey moves on', async () => {
    const patient = await enrolPatient();
    const executionArn = await intakeExecutionArn(patient);
    const before = await observe(executionArn);
    const clinicianEmailsBefore = (await emailsTo(local.clinic, clinicianEmail)).length;

    for (let i = 0; i < 10; i++) {
      const page = await getLink(patient.intakeUrl);
      expect(page.status).toBe(200);
      expectPageHeaders(page);
    }
    // HEAD is not a route of the HTTP API (only GET and POST are): whatever answers it, it must change nothing
    const head = await headLink(patient.intakeUrl);
    expect(head.status).not.toBe(200);

    await expectNothingChangedSince(before);
    expect(callbacksDelivered(before.history)).toBe(0);
    expect(await executionStatus(executionArn)).toBe('RUNNING');

    const done = await postLink(patient.intakeUrl, intakeFields());
    expect(done.status).toBe(200);
    expectPageHeaders(done);
    await local.clinic.settle();

    expect(callbacksDelivered(await history(executionArn))).toBe(1);
    // also proves the counting proxy is in the functions' path
    expect(sendTaskSuccessCallsSince(before.sfnMark)).toBe(1);
    expect(await executionStatus(executionArn)).toBe('SUCCEEDED');
    // the same comparison sees the decision: the step, the link and the intake all changed
    const stepKey = keys.step(patient.patientId, patient.journeyId, 'intake');
    const linkKey = keys.link(hashLinkToken(tokenOf(patient.intakeUrl)));
    expect(changedKeys(before.table, await tableSnapshot())).toEqual(
      expect.arrayContaining([`${stepKey.PK} | ${stepKey.SK}`, `${linkKey.PK} | ${linkKey.SK}`]),
    );
    expect(await intakeStep(patient)).toMatchObject({
      status: 'decided',
      decision: { decision: 'SUBMITTED', decidedBy: { kind: 'patient', id: patient.patientId }, via: 'link' },
    });
    // the next step of the journey: the clinician is asked to book the consult for THIS patient
    const newClinicianEmails = (await emailsTo(local.clinic, clinicianEmail)).slice(clinicianEmailsBefore);
    const nextLinks = await Promise.all(
      newClinicianEmails.flatMap((email) => linksIn(local.clinic, email)).map(linkItem),
    );
    expect(nextLinks).toContainEqual(
      expect.objectContaining({ patientId: patient.patientId, purpose: 'consult-booking', status: 'pending' }),
    );
  });
});

describe('links that must not work', () => {
  it('a tampered, unknown, truncated or garbage token gets the 404 page and changes nothing', async () => {
    const patient = await enrolPatient();
    const executionArn = await intakeExecutionArn(patient);
    const token = tokenOf(patient.intakeUrl);
    const swapped = token[0] === 'A' ? 'B' : 'A';
    const wrongTokens = {
      tampered: `${swapped}${token.slice(1)}`,
      unknown: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
      truncated: token.slice(0, 42),
      lengthened: `${token}A`,
      padded: `${token}=`,
      garbage: 'not-a-link-token',
      script: '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      long: 'A'.repeat(2000),
    };
    expect(wrongTokens.tampered).toHaveLength(43);
    expect(wrongTokens.unknown).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const before = await observe(executionArn);

    for (const [kind, wrong] of Object.entries(wrongTokens)) {
      const url = withToken(patient.intakeUrl, wrong);
      for (const answer of [await getLink(url), await postLink(url, intakeFields())]) {
        expect({ kind, status: answer.status }).toEqual({ kind, status: 404 });
        expectPageHeaders(answer);
        expect(answer.body).toContain('Link not found');
      }
    }

    await expectNothingChangedSince(before);
    expect(await executionStatus(executionArn)).toBe('RUNNING');
    // the real link was not disturbed by the attempts around it
    expect((await getLink(patient.intakeUrl)).status).toBe(200);
  });

  it('an expired link (virtual clock moved past its expiry over HTTP) gets the 410 page and changes nothing', async () => {
    const patient = await enrolPatient();
    const executionArn = await intakeExecutionArn(patient);
    const expiresAt = String((await linkItem(patient.intakeUrl))?.['expiresAt']);
    expect(Date.parse(expiresAt)).toBeGreaterThan(local.clinic.now().getTime());

    expect(
      (await advanceClockOverHttp(local.clinic, { to: new Date(Date.parse(expiresAt) - 60_000).toISOString() })).status,
    ).toBe(200);
    expect((await getLink(patient.intakeUrl)).status).toBe(200);
    expect(
      (await advanceClockOverHttp(local.clinic, { to: new Date(Date.parse(expiresAt) + 1_000).toISOString() })).status,
    ).toBe(200);
    const before = await observe(executionArn);

    const opened = await getLink(patient.intakeUrl);
    const posted = await postLink(patient.intakeUrl, intakeFields());

    for (const answer of [opened, posted]) {
      expect(answer.status).toBe(410);
      expectPageHeaders(answer);
      expect(answer.body).toContain('expired');
    }
    await expectNothingChangedSince(before, { rateCounterOf: patient.intakeUrl });
    expect(callbacksDelivered(before.history)).toBe(0);
    expect(await intakeStep(patient)).not.toHaveProperty('decision');
  });

  it('a replayed POST gets the 409 page saying who decided and when, and changes nothing', async () => {
    // in the clinic's own zone, so the time the 409 page shows has one right spelling
    const patient = await enrolPatient({ timeZone: local.clinic.clinic.defaultTimeZone });
    const executionArn = await intakeExecutionArn(patient);
    expect((await postLink(patient.intakeUrl, intakeFields())).status).toBe(200);
    const decidedAt = String(
      ((await intakeStep(patient))?.['decision'] as { decidedAt?: string } | undefined)?.decidedAt,
    );
    await advanceClockOverHttp(local.clinic, { advanceSeconds: 600 });
    const before = await observe(executionArn);
    expect(callbacksDelivered(before.history)).toBe(1);

    const replays = [
      await postLink(patient.intakeUrl, intakeFields()),
      await postLink(patient.intakeUrl, intakeFields()),
      await getLink(patient.intakeUrl),
    ];

    for (const replay of replays) {
      expect(replay.status).toBe(409);
      expectPageHeaders(replay);
      expect(replay.body).toContain(`already decided by you at ${formatInZone(decidedAt, patient.timeZone)}`);
    }
    await expectNothingChangedSince(before, { rateCounterOf: patient.intakeUrl });
    expect(await auditEvents(patient.patientId, 'step.decided')).toHaveLength(1);
  });

  it("a clinician's link whose step the clinic already decided through the staff API gets the 409 page naming clinic staff", async () => {
    const patient = await enrolPatient();
    const clinicianEmailsBefore = (await emailsTo(local.clinic, clinicianEmail)).length;
    expect((await postLink(patient.intakeUrl, intakeFields())).status).toBe(200);
    await local.clinic.settle();
    const bookingUrl = (await emailsTo(local.clinic, clinicianEmail))
      .slice(clinicianEmailsBefore)
      .flatMap((email) => linksIn(local.clinic, email))
      .at(-1);
    if (bookingUrl === undefined) throw new Error('the clinician was not asked to book the consult');
    expect(await linkItem(bookingUrl)).toMatchObject({ patientId: patient.patientId, purpose: 'consult-booking' });
    const consultAt = new Date(local.clinic.now().getTime() + 2 * 24 * 3600_000).toISOString();
    const booked = await fetch(`${local.clinic.urls.app}/staff/patients/${patient.patientId}/consult`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consultAt }),
    });
    expect(booked.status).toBe(200);
    const executionArn = await stepExecutionArn(patient, 'consult-booking');
    const before = await observe(executionArn);

    const opened = await getLink(bookingUrl);
    const posted = await postLink(bookingUrl, {
      purpose: 'consult-booking',
      decision: 'BOOKED',
      consultAt: consultAt.slice(0, 16),
    });

    for (const answer of [opened, posted]) {
      expect(answer.status).toBe(409);
      expectPageHeaders(answer);
      expect(answer.body).toContain('already decided by clinic staff at');
    }
    await expectNothingChangedSince(before, { rateCounterOf: bookingUrl });
  });

  it('a form of another purpose posted to the link is refused and changes nothing', async () => {
    const patient = await enrolPatient();
    const executionArn = await intakeExecutionArn(patient);
    const before = await observe(executionArn);

    const { purpose: _intake, ...withoutPurpose } = intakeFields();
    for (const form of [
      eligibilityApproval,
      checkInForm,
      { ...intakeFields(), purpose: 'hold-decision' },
      withoutPurpose,
    ]) {
      const refused = await postLink(patient.intakeUrl, form);
      expect(refused.status).toBe(400);
      expectPageHeaders(refused);
      expect(refused.body).toContain('does not match this link');
    }

    await expectNothingChangedSince(before, { rateCounterOf: patient.intakeUrl });
    expect(await executionStatus(executionArn)).toBe('RUNNING');
    expect(await intakeStep(patient)).toMatchObject({ status: 'pending' });
  });
});

describe('deciding once', () => {
  it('two concurrent POSTs make exactly one decision, one SendTaskSuccess and one audit event', async () => {
    const patient = await enrolPatient();
    const executionArn = await intakeExecutionArn(patient);
    const sfnMark = sfnActions.length;

    const answers = await Promise.all([
      postLink(patient.intakeUrl, intakeFields()),
      postLink(patient.intakeUrl, intakeFields()),
    ]);
    await local.clinic.settle();

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    for (const answer of answers) expectPageHeaders(answer);
    const events = await history(executionArn);
    expect(sendTaskSuccessCallsSince(sfnMark)).toBe(1);
    expect(callbacksDelivered(events)).toBe(1);
    expect(await executionStatus(executionArn)).toBe('SUCCEEDED');
    expect(await auditEvents(patient.patientId, 'step.decided')).toHaveLength(1);
    const intakes = [...(await tableSnapshot()).values()].filter(
      (item) => item['PK'] === `PATIENT#${patient.patientId}` && item['itemType'] === 'INTAKE',
    );
    expect(intakes).toHaveLength(1);
    expect(await linkItem(patient.intakeUrl)).toMatchObject({ status: 'used' });
  });

  it(`more than ${POSTS_PER_LINK_PER_MINUTE} POSTs to one link in a minute get 429, and nothing is decided`, async () => {
    const patient = await enrolPatient();
    const executionArn = await intakeExecutionArn(patient);
    const { 'gad7.items[0]': _missing, ...incomplete } = intakeFields();
    for (let i = 0; i < POSTS_PER_LINK_PER_MINUTE; i++)
      expect((await postLink(patient.intakeUrl, incomplete)).status).toBe(400);
    const before = await observe(executionArn);

    const limited = await postLink(patient.intakeUrl, intakeFields());

    expect(limited.status).toBe(429);
    expectPageHeaders(limited);
    // refused before it is counted: the counter of this minute stays at the limit
    await expectNothingChangedSince(before);
    expect(await executionStatus(executionArn)).toBe('RUNNING');
    expect(await intakeStep(patient)).toMatchObject({ status: 'pending' });
    // reading is never limited, and the next minute the same answers go through
    expect((await getLink(patient.intakeUrl)).status).toBe(200);
    await advanceClockOverHttp(local.clinic, { advanceSeconds: 60 });
    expect((await postLink(patient.intakeUrl, intakeFields())).status).toBe(200);
    await local.clinic.settle();
    expect(callbacksDelivered(await history(executionArn))).toBe(1);
  });
});

describe('what every link page and link carries', () => {
  it('every link page (200, 400, 404, 409, 410, 429) says no-store, no-referrer, noindex and a strict CSP', async () => {
    const patient = await enrolPatient();
    const expiring = await enrolPatient();
    const seen: LinkAnswer[] = [];
    seen.push(await getLink(patient.intakeUrl));
    seen.push(await postLink(patient.intakeUrl, { ...intakeFields(), 'vitals.restingBp[0].systolic': 'high' }));
    seen.push(await postLink(patient.intakeUrl, eligibilityApproval));
    seen.push(await getLink(withToken(patient.intakeUrl, `${tokenOf(patient.intakeUrl).slice(0, 42)}`)));
    seen.push(await postLink(patient.intakeUrl, intakeFields()));
    seen.push(await postLink(patient.intakeUrl, intakeFields()));
    for (let i = seen.length; i < POSTS_PER_LINK_PER_MINUTE + 3; i++)
      seen.push(await postLink(patient.intakeUrl, intakeFields()));
    const expiresAt = String((await linkItem(expiring.intakeUrl))?.['expiresAt']);
    await advanceClockOverHttp(local.clinic, { to: new Date(Date.parse(expiresAt) + 1_000).toISOString() });
    seen.push(await getLink(expiring.intakeUrl));

    expect(new Set(seen.map((answer) => answer.status))).toEqual(new Set([200, 400, 404, 409, 410, 429]));
    for (const answer of seen)
      expect({ status: answer.status, problems: linkPageHeaderProblems(answer.headers) }).toEqual({
        status: answer.status,
        problems: [],
      });
  });

  it('a link is /p/ (patients) or /c/ (clinicians) and a 43-character token, nothing else: no patient id, journey id, name or query in any emailed URL', async () => {
    const patient = await enrolPatient();
    await postLink(patient.intakeUrl, intakeFields());
    await local.clinic.settle();
    const emails = await local.clinic.listEmails();
    expect(emails.length).toBeGreaterThan(1);

    const urls = emails.flatMap((email) => urlsIn(email));
    expect(urls.length).toBeGreaterThanOrEqual(emails.length);
    const appOrigin = new URL(local.clinic.urls.app).origin;
    for (const url of urls) {
      const parsed = new URL(url);
      expect(parsed.origin).toBe(appOrigin);
      expect(parsed.pathname).toMatch(/^\/[pc]\/[A-Za-z0-9_-]{43}$/);
      expect(parsed.search).toBe('');
      expect(parsed.hash).toBe('');
      expect(url).not.toMatch(/p-attack-|j-[0-9a-f]{6,}|jamie|quixotewright|example\.net/i);
    }
    // the page's form posts back to the link itself, adding nothing to the URL
    const page = await getLink((await enrolPatient()).intakeUrl);
    const forms = page.body.match(/<form\b[^>]*>/g) ?? [];
    expect(forms.length).toBeGreaterThan(0);
    for (const form of forms) expect(form).not.toMatch(/\baction=/);
  });
});

/** Every URL an email carries, in its text and its HTML links. */
function urlsIn(email: SentEmail): string[] {
  const inText = (email.text ?? '').match(/https?:\/\/[^\s"'<>]+/g) ?? [];
  const inHtml = [...(email.html ?? '').matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/g)].map((m) =>
    (m[1] ?? '').replaceAll('&amp;', '&'),
  );
  return [...inText, ...inHtml];
}
