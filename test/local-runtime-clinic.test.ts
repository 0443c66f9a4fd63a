import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { now as functionsNow } from '../functions/platform/clock.ts';
import { keys, pendingLinkIndexKeys } from '../functions/store/table-design.ts';
import { availableStateMachineIds } from '../local/runtime/deploy-state-machines.ts';
import { localFunctionArn, localRoleArn, localStateMachineName } from '../local/runtime/local-aws-identity.ts';
import type { LocalUsage } from '../local/runtime/local-usage.ts';
import type { SentEmail } from '../local/services/ses-local.ts';
import {
  advanceClockOverHttp,
  emailsTo,
  linksIn,
  sesClientFor,
  sfnClientFor,
  testStartTime,
  useLocalClinic,
} from './support/local-clinic.ts';

const local = useLocalClinic();

async function clockNow(): Promise<string> {
  const response = await fetch(`${local.clinic.urls.app}/_local/clock`);
  return ((await response.json()) as { now: string }).now;
}

async function usage(): Promise<LocalUsage> {
  const response = await fetch(`${local.clinic.urls.app}/_local/usage`);
  expect(response.status).toBe(200);
  return (await response.json()) as LocalUsage;
}

const waitADay = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Wait a day',
  States: {
    'Wait a day': { Type: 'Wait', Seconds: 86_400, Next: 'Note the time' },
    'Note the time': { Type: 'Pass', Output: { at: '{% $now() %}' }, End: true },
  },
});

async function startWaitADay(name: string): Promise<string> {
  const sfn = sfnClientFor(local.clinic);
  const machine = await sfn.send(
    new CreateStateMachineCommand({ name: 'test-wait-a-day', definition: waitADay, roleArn: localRoleArn }),
  );
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, name, input: '{}' }),
  );
  await local.clinic.settle();
  return started.executionArn as string;
}

describe('the virtual clock endpoints', () => {
  it('GET /_local/clock answers the virtual time, which the functions read too', async () => {
    const now = await clockNow();
    expect(new Date(now).getTime()).toBeGreaterThanOrEqual(testStartTime.getTime());
    expect(functionsNow().toISOString()).toBe(now);
  });

  it('POST {"advanceSeconds"} moves the clock forward by that much and answers the new time', async () => {
    const before = new Date(await clockNow());
    const moved = await advanceClockOverHttp(local.clinic, { advanceSeconds: 3600 });
    expect(moved.status).toBe(200);
    const expected = new Date(before.getTime() + 3600_000).toISOString();
    expect(moved.json).toEqual({ now: expected });
    expect(await clockNow()).toBe(expected);
  });

  it('POST {"to"} moves the clock to that instant', async () => {
    const target = new Date(new Date(await clockNow()).getTime() + 2 * 86_400_000).toISOString();
    const moved = await advanceClockOverHttp(local.clinic, { to: target });
    expect(moved).toEqual({ status: 200, json: { now: target } });
  });

  it('refuses to move the clock backward with a 400 and leaves it where it was', async () => {
    const before = await clockNow();
    const earlier = new Date(new Date(before).getTime() - 60_000).toISOString();
    const refused = await advanceClockOverHttp(local.clinic, { to: earlier });
    expect(refused.status).toBe(400);
    expect((refused.json as { message: string }).message).toMatch(/never goes backward/);
    const negative = await advanceClockOverHttp(local.clinic, { advanceSeconds: -5 });
    expect(negative.status).toBe(400);
    expect(await clockNow()).toBe(before);
  });

  it.each([
    ['not JSON', 'advance please', /not valid JSON/],
    ['an unknown field', { advanceSeconds: 10, speed: 2 }, /unexpected field/],
    ['a string number of seconds', { advanceSeconds: '3600' }, /number of seconds/],
    ['a date that is not ISO 8601', { to: 'next tuesday' }, /ISO 8601/],
    ['neither field', {}, /advanceSeconds.*to/],
    ['both fields', { advanceSeconds: 1, to: '2030-01-01T00:00:00Z' }, /either/],
  ])('answers 400 with a readable message to a body with %s', async (_what, body, message) => {
    const refused = await advanceClockOverHttp(local.clinic, body);
    expect(refused.status).toBe(400);
    expect((refused.json as { message: string }).message).toMatch(message);
  });

  it('returns only once the timers that fell due have fired and the execution settled', async () => {
    const executionArn = await startWaitADay('clock-settles');
    const sfn = sfnClientFor(local.clinic);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    const startedAt = new Date(await clockNow());
    await advanceClockOverHttp(local.clinic, { advanceSeconds: 86_400 });
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '{}')).toEqual({
      at: new Date(startedAt.getTime() + 86_400_000).toISOString(),
    });
  });
});

describe('the state machines', () => {
  it('creates every state machine of statemachines/ on the local Step Functions service', async () => {
    const listed = await sfnClientFor(local.clinic).send(new ListStateMachinesCommand({}));
    const names = (listed.stateMachines ?? []).map((m) => m.name);
    const expected = availableStateMachineIds().map(localStateMachineName);
    expect(expected.length).toBeGreaterThan(0);
    for (const name of expected) expect(names).toContain(name);
  });
});

describe('functions called by a workflow', () => {
  it("runs the catalogue function's handler in-process for a lambda:invoke task, and counts the invocation", async () => {
    const sfn = sfnClientFor(local.clinic);
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Ask for an action',
      States: {
        'Ask for an action': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: localFunctionArn('request-action'), Payload: { probe: 'not a valid request' } },
          End: true,
        },
      },
    });
    const machine = await sfn.send(
      new CreateStateMachineCommand({ name: 'test-invoke', definition, roleArn: localRoleArn }),
    );
    const before = (await usage()).lambda.byFunction['request-action']?.invocations ?? 0;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{}' }),
    );
    await local.clinic.settle();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(['SUCCEEDED', 'FAILED']).toContain(described.status);
    expect((await usage()).lambda.byFunction['request-action']?.invocations).toBeGreaterThan(before);
  });
});

describe('email', () => {
  it('reads back an email sent through the SES API', async () => {
    await sesClientFor(local.clinic).send(
      new SendEmailCommand({
        Source: 'care@example.org',
        Destination: { ToAddresses: ['ana.rivera@example.org'] },
        Message: {
          Subject: { Data: 'A decision is waiting for you' },
          Body: { Text: { Data: 'Open the link to decide.' } },
        },
      }),
    );
    const emails = await local.clinic.listEmails();
    const sent = emails.find((email) => email.subject === 'A decision is waiting for you');
    expect(sent).toMatchObject({
      from: 'care@example.org',
      to: ['ana.rivera@example.org'],
      text: 'Open the link to decide.',
    });
    expect(sent?.date).toBeInstanceOf(Date);
  });

  it('finds the link pages an email points to', async () => {
    const link = `${local.clinic.urls.app}/p/tok_EN-abc123`;
    await sesClientFor(local.clinic).send(
      new SendEmailCommand({
        Source: 'care@example.org',
        Destination: { ToAddresses: ['patient-links@example.org'] },
        Message: {
          Subject: { Data: 'Your check-in is open' },
          Body: { Text: { Data: `Open ${link} today.` }, Html: { Data: `<a href="${link}">Open</a>` } },
        },
      }),
    );
    const [email] = await emailsTo(local.clinic, 'patient-links@example.org');
    expect(email).toBeDefined();
    expect(linksIn(local.clinic, email as SentEmail)).toEqual([link]);
  });
});

describe('GET /_local/usage', () => {
  it('answers every counter and an estimated cost', async () => {
    const report = await usage();
    expect(report).toMatchObject({
      at: expect.any(String),
      stepFunctions: {
        total: {
          stateTransitions: expect.any(Number),
          lambdaInvocations: expect.any(Number),
          lambdaDurationMs: expect.any(Number),
        },
      },
      lambda: { total: { invocations: expect.any(Number), gbSeconds: expect.any(Number) } },
      dynamodb: { readRequestUnits: expect.any(Number), writeRequestUnits: expect.any(Number) },
      ses: { messages: expect.any(Number), recipients: expect.any(Number) },
      http: { requests: expect.any(Number) },
      estimatedCost: { totalUsd: expect.any(Number), region: 'us-east-1', pricesAsOf: expect.any(String) },
    });
    expect(report.estimatedCost.lines.map((line) => line.service)).toHaveLength(7);
  });

  it('counts state transitions, HTTP requests, capacity units and emails as they happen', async () => {
    const before = await usage();
    await startWaitADay('usage-moves');
    await advanceClockOverHttp(local.clinic, { advanceSeconds: 86_400 });
    await fetch(`${local.clinic.urls.app}/no-such-route`);
    // a handler's DynamoDB traffic goes through AWS_ENDPOINT_URL_DYNAMODB, as this client's does
    const dynamodb = new DynamoDBClient({ region: 'us-east-1' });
    await dynamodb.send(
      new PutItemCommand({ TableName: local.clinic.tableName, Item: { PK: { S: 'TEST#usage' }, SK: { S: 'TEST' } } }),
    );
    dynamodb.destroy();
    await sesClientFor(local.clinic).send(
      new SendEmailCommand({
        Source: 'care@example.org',
        // one recipient: aws-ses-v2-local's v1 SendEmail keeps only the first address of a list
        Destination: { ToAddresses: ['wei.chen@example.org'] },
        Message: { Subject: { Data: 'Counted' }, Body: { Text: { Data: '.' } } },
      }),
    );
    const after = await usage();
    expect(after.stepFunctions.total.stateTransitions).toBeGreaterThan(before.stepFunctions.total.stateTransitions);
    expect(after.http.requests).toBe(before.http.requests + 1);
    expect(after.dynamodb.writeRequestUnits).toBeGreaterThan(before.dynamodb.writeRequestUnits);
    expect(after.ses.messages).toBe(before.ses.messages + 1);
    expect(after.ses.recipients).toBe(before.ses.recipients + 1);
    expect(after.estimatedCost.totalUsd).toBeGreaterThan(before.estimatedCost.totalUsd);
  });
});

describe('the app port', () => {
  it('answers 404 Not Found, as API Gateway does, to a path no route serves', async () => {
    const response = await fetch(`${local.clinic.urls.app}/l`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });
});

describe('the console', () => {
  it('renders the clock, executions with their states, pending links, emails and the cost', async () => {
    await startWaitADay('shown-on-console');
    const response = await fetch(`${local.clinic.urls.app}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const page = await response.text();
    for (const heading of [
      'Virtual clock',
      'Estimated AWS cost so far',
      'Executions',
      'Pending links',
      'Emails',
      'Services',
    ]) {
      expect(page).toContain(heading);
    }
    expect(page).toContain('shown-on-console');
    expect(page).toContain('Wait a day');
    expect(page).toContain(`href="${local.clinic.urls.sesViewer}"`);
    expect(page).not.toMatch(/<script/i);
  });

  it('lists the pending links with who must act, on what, and when the link expires', async () => {
    const tokenHash = 'b'.repeat(64);
    const expiresAt = new Date(local.clinic.now().getTime() + 72 * 3600_000);
    const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    await dynamodb.send(
      new PutCommand({
        TableName: local.clinic.tableName,
        Item: {
          ...keys.link(tokenHash),
          ...pendingLinkIndexKeys('dr-rivera', expiresAt, tokenHash),
          itemType: 'LINK',
          tokenHash,
          purpose: 'eligibility',
          person: { kind: 'clinician', id: 'dr-rivera' },
          patientId: 'patient-0042',
          stepKey: 'eligibility-1',
          status: 'pending',
          createdAt: local.clinic.now().toISOString(),
          expiresAt: expiresAt.toISOString(),
        },
      }),
    );
    dynamodb.destroy();
    const page = await (await fetch(`${local.clinic.urls.app}/`)).text();
    const row = /<tr><td>Dr\. Ana Rivera<\/td>.*?<\/tr>/s.exec(page)?.[0] ?? '';
    expect(row).toContain('eligibility (approved / declined)');
    expect(row).toContain('patient-0042');
    expect(row).toContain('in 3 d');
  });

  it('moves the clock from its buttons and comes back to the page', async () => {
    const before = new Date(await clockNow());
    const response = await fetch(`${local.clinic.urls.app}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'advanceSeconds=604800',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(new Date(await clockNow()).getTime()).toBe(before.getTime() + 604_800_000);
  });

  it('refuses a clock move posted from another site', async () => {
    const before = await clockNow();
    const response = await fetch(`${local.clinic.urls.app}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://elsewhere.example' },
      body: 'advanceSeconds=3600',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect(await clockNow()).toBe(before);
  });
});

function childPids(): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  } catch {
    return []; // ps exits 1 when there is no such process
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('stopping', () => {
  it('stops every service and leaves no child process behind', async () => {
    const children = childPids();
    expect(children.length).toBeGreaterThan(0); // DynamoDB Local's JVM
    await local.clinic.stop();
    for (const pid of children) expect(isAlive(pid)).toBe(false);
    expect(childPids().filter(isAlive)).toEqual([]);
    for (const url of [
      local.clinic.urls.app,
      local.clinic.urls.sfn,
      local.clinic.urls.dynamodb,
      local.clinic.urls.ses,
    ]) {
      expect(await refusesConnections(url)).toBe(true);
    }
  });
});
