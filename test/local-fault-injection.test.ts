import { GetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { describe, expect, it } from 'vitest';
import { runAsFunction } from '../local/runtime/function-credentials.ts';
import type { Fault, FaultRequest } from '../local/runtime/fault-injection.ts';
import { transientErrorRetrier } from '../statemachines/task-retry-policy.ts';
import { executionHistory } from './support/execution-history.ts';
import { useJourneyDriver, type EnrolledPatient } from './support/journey-driver.ts';
import { executionsOf } from './support/journey-executions.ts';
import { sfnClientFor } from './support/local-clinic.ts';

/**
 * The faults `POST /_local/faults` injects, each the way AWS produces it: the error name and status an SDK
 * client sees from DynamoDB and SES, the error a Step Functions task records when Lambda fails, for a number
 * of calls or for a span of the virtual clock. The calls go through the running local clinic's own doors
 * (the endpoints the functions' SDK clients use, the engine invoking a function), under a function's identity.
 */
const local = useJourneyDriver();

async function injectFault(
  request: FaultRequest | Record<string, unknown>,
): Promise<{ status: number; json: { id?: number; faults?: unknown[]; message?: string } }> {
  const response = await fetch(`${local.clinic.urls.app}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  return { status: response.status, json: (await response.json()) as { id?: number; faults?: unknown[] } };
}

async function armed(request: FaultRequest): Promise<void> {
  const answer = await injectFault(request);
  if (answer.status !== 201)
    throw new Error(`the fault was refused (${answer.status}): ${JSON.stringify(answer.json)}`);
}

async function clearFaults(): Promise<void> {
  await fetch(`${local.clinic.urls.app}/_local/faults`, { method: 'DELETE' });
}

interface CallOutcome {
  readonly ok: boolean;
  readonly name?: string;
  readonly status?: number | undefined;
}

async function outcome(call: () => Promise<unknown>): Promise<CallOutcome> {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      name: (error as Error).name,
      status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
    };
  }
}

// one attempt per call: the SDK's own retries would hide how many calls failed
const dynamodbCall = (functionId: string) => () =>
  runAsFunction(functionId, () =>
    new DynamoDBClient({ maxAttempts: 1 }).send(
      new GetItemCommand({
        TableName: local.clinic.tableName,
        Key: { PK: { S: 'PATIENT#nobody' }, SK: { S: 'PROFILE' } },
      }),
    ),
  );
const sesCall = (functionId: string) => () =>
  runAsFunction(functionId, () =>
    new SESClient({ maxAttempts: 1 }).send(
      new SendEmailCommand({
        Source: local.clinic.clinic.senderEmail,
        Destination: { ToAddresses: ['fault-probe@patients.example.net'] },
        Message: { Subject: { Data: 'probe' }, Body: { Text: { Data: 'probe' } } },
      }),
    ),
  );

const serviceFaults: {
  what: string;
  fault: Fault;
  call: (functionId: string) => () => Promise<unknown>;
  caller: string;
  other: string;
  expected: Omit<CallOutcome, 'ok'>;
}[] = [
  {
    what: 'DynamoDB throttles',
    fault: { service: 'dynamodb', kind: 'throttle' },
    call: dynamodbCall,
    caller: 'send-reminder',
    other: 'schedule',
    expected: { name: 'ThrottlingException', status: 400 },
  },
  {
    what: 'DynamoDB answers 5xx',
    fault: { service: 'dynamodb', kind: 'server-error' },
    call: dynamodbCall,
    caller: 'send-reminder',
    other: 'schedule',
    expected: { name: 'InternalServerError', status: 500 },
  },
  {
    what: 'SES refuses',
    fault: { service: 'ses', kind: 'refuse' },
    call: sesCall,
    caller: 'send-reminder',
    other: 'request-action',
    expected: { name: 'MessageRejected', status: 400 },
  },
  {
    what: 'SES throttles',
    fault: { service: 'ses', kind: 'throttle' },
    call: sesCall,
    caller: 'send-reminder',
    other: 'request-action',
    expected: { name: 'Throttling', status: 400 },
  },
];

describe('POST /_local/faults', () => {
  it('arms a fault and answers its id, GET lists what is armed, DELETE clears it; a body that is not a fault is refused', async () => {
    const answer = await injectFault({ fault: { service: 'ses', kind: 'throttle' }, calls: 3 });
    expect(answer.status).toBe(201);
    expect(typeof answer.json.id).toBe('number');
    const listed = (await (await fetch(`${local.clinic.urls.app}/_local/faults`)).json()) as {
      faults: { id: number; remainingCalls: number | null; until: string | null }[];
    };
    expect(listed.faults).toEqual([
      expect.objectContaining({
        id: answer.json.id,
        fault: { service: 'ses', kind: 'throttle' },
        remainingCalls: 3,
        until: null,
      }),
    ]);
    await clearFaults();
    expect(local.clinic.faults.list()).toEqual([]);

    expect((await injectFault({ fault: { service: 'lambda', kind: 'explode' } })).status).toBe(400);
    expect((await injectFault({ fault: { service: 's3', kind: 'throttle' } })).status).toBe(400);
    expect((await injectFault({ fault: { service: 'ses', kind: 'refuse' }, calls: 0 })).status).toBe(400);
    expect(local.clinic.faults.list()).toEqual([]);
  });
});

describe('DynamoDB and SES faults, as an SDK client sees them', () => {
  it.each(serviceFaults)(
    '$what for N calls: exactly N calls fail with AWS’s error, the next one goes through',
    async ({ fault, call, caller, expected }) => {
      await armed({ fault, calls: 2 });
      const outcomes = [await outcome(call(caller)), await outcome(call(caller)), await outcome(call(caller))];
      expect(outcomes).toEqual([{ ok: false, ...expected }, { ok: false, ...expected }, { ok: true }]);
    },
  );

  it.each(serviceFaults)(
    '$what for a span of the virtual clock: every call fails until the clock passes it',
    async ({ fault, call, caller, expected }) => {
      await armed({ fault, forSeconds: 60 });
      for (let i = 0; i < 5; i++) expect(await outcome(call(caller))).toEqual({ ok: false, ...expected });
      await local.clinic.advanceClock({ advanceSeconds: 59 });
      expect(await outcome(call(caller))).toEqual({ ok: false, ...expected });
      await local.clinic.advanceClock({ advanceSeconds: 1 });
      expect(await outcome(call(caller))).toEqual({ ok: true });
      expect(local.clinic.faults.list()).toEqual([]);
    },
  );

  it.each(serviceFaults)(
    '$what for one function only: another function’s calls go through and do not use the fault up',
    async ({ fault, call, caller, other, expected }) => {
      await armed({ fault: { ...fault, functionId: caller }, calls: 1 });
      expect(await outcome(call(other))).toEqual({ ok: true });
      expect(await outcome(call(caller))).toEqual({ ok: false, ...expected });
      expect(await outcome(call(caller))).toEqual({ ok: true });
    },
  );

  it('a DynamoDB fault for one operation leaves the others alone', async () => {
    await armed({ fault: { service: 'dynamodb', operation: 'TransactWriteItems', kind: 'throttle' }, calls: 1 });
    expect(await outcome(dynamodbCall('schedule'))).toEqual({ ok: true });
    expect(local.clinic.faults.list()).toHaveLength(1);
    await clearFaults();
  });
});

/** The errors the patient's executions recorded for failed task attempts, oldest first. */
async function taskErrors(patient: EnrolledPatient): Promise<string[]> {
  const sfn = sfnClientFor(local.clinic);
  const errors: { at: number; error: string }[] = [];
  for (const execution of await executionsOf(local.driver, patient)) {
    for (const { event } of await executionHistory(sfn, execution.executionArn)) {
      if (event.type === 'TaskFailed')
        errors.push({ at: event.timestamp?.getTime() ?? 0, error: event.taskFailedEventDetails?.error ?? '' });
    }
  }
  return errors.sort((a, b) => a.at - b.at).map((e) => e.error);
}

const lambdaFaults: { kind: 'throw' | 'timeout' | 'throttle'; error: string }[] = [
  { kind: 'throw', error: 'Error' },
  { kind: 'timeout', error: 'Sandbox.Timedout' },
  { kind: 'throttle', error: 'Lambda.TooManyRequestsException' },
];

describe('Lambda faults, as a Step Functions task meets them in a journey', () => {
  it.each(lambdaFaults)(
    'a function that fails ($kind) for 2 calls: the task records $error twice, retries, and the patient gets the intake email once',
    async ({ kind, error }) => {
      await armed({ fault: { service: 'lambda', functionId: 'request-action', kind }, calls: 2 });
      const patient = await local.driver.enrolPatient();
      // the first attempt failed at once; the retries wait on the virtual clock (2 s and up, jittered)
      expect(await taskErrors(patient)).toContain(error);
      await local.driver.advanceBy(10 * 60);
      expect(await taskErrors(patient)).toEqual([error, error]);
      expect(await local.driver.emailsTo(patient.email)).toHaveLength(1);
      expect((await local.driver.latestLinkFor(patient.email, 'intake')).status).toBe(200);
      expect(local.clinic.faults.list()).toEqual([]);
    },
  );

  it.each(lambdaFaults)(
    'a function that fails ($kind) for a span of the virtual clock: every attempt in it fails, the first after it succeeds',
    async ({ kind, error }) => {
      await armed({ fault: { service: 'lambda', functionId: 'request-action', kind }, forSeconds: 1 });
      const patient = await local.driver.enrolPatient();
      expect(await taskErrors(patient)).toContain(error);
      await local.driver.advanceBy(10 * 60);
      const errors = await taskErrors(patient);
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(new Set(errors)).toEqual(new Set([error]));
      expect(await local.driver.emailsTo(patient.email)).toHaveLength(1);
    },
  );

  it('a function whose answer is lost after it ran (a timeout at the last moment) is retried, and its email still goes once', async () => {
    await armed({
      fault: { service: 'lambda', functionId: 'request-action', kind: 'timeout', when: 'after' },
      calls: 1,
    });
    const patient = await local.driver.enrolPatient();
    await local.driver.advanceBy(10 * 60);
    expect(await taskErrors(patient)).toEqual(['Sandbox.Timedout']);
    expect(await local.driver.emailsTo(patient.email)).toHaveLength(1);
    expect((await local.driver.latestLinkFor(patient.email, 'intake')).status).toBe(200);
  });

  it('DynamoDB and SES failing a workflow function past its SDK’s own retries: the task fails, is retried, and the email goes once', async () => {
    // the SDK tries each call 3 times: 3 throttled GetItems, then SES refusing once, fail two attempts of the task
    await armed({ fault: { service: 'dynamodb', functionId: 'request-action', kind: 'throttle' }, calls: 3 });
    await armed({ fault: { service: 'ses', functionId: 'request-action', kind: 'throttle' }, calls: 3 });
    const patient = await local.driver.enrolPatient();
    await local.driver.advanceBy(10 * 60);
    const errors = await taskErrors(patient);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(await local.driver.emailsTo(patient.email)).toHaveLength(1);
    expect((await local.driver.latestLinkFor(patient.email, 'intake')).status).toBe(200);
    expect(local.clinic.faults.list()).toEqual([]);
  });
});

describe('a decision that arrives while a failed task is retried', () => {
  it('reaches the workflow once, through the retried task: the reminder that failed finds the intake decided and hands the decision on', async () => {
    const sfn = sfnClientFor(local.clinic);
    // the earlier tests' journeys would send their own reminders into the fault
    for (const machine of local.clinic.stateMachines) {
      const running = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: machine.arn, statusFilter: 'RUNNING', maxResults: 1000 }),
      );
      for (const execution of running.executions ?? [])
        await sfn.send(new StopExecutionCommand({ executionArn: execution.executionArn }));
    }
    await local.driver.settle();
    const patient = await local.driver.enrolPatient();
    const step = (await executionsOf(local.driver, patient)).find(
      (e) => e.stateMachine === 'person-action' && e.status === 'RUNNING',
    );
    const history = await executionHistory(sfn, step?.executionArn ?? '');
    const planned = history.find(
      ({ event, state }) => event.type === 'TaskSucceeded' && state === 'Plan reminders and expiry',
    )?.event.taskSucceededEventDetails?.output;
    const plan = (
      JSON.parse(planned ?? '{}') as { Payload?: { firstWaitSeconds?: number; reminderWaitSeconds?: number } }
    ).Payload;
    expect(plan?.reminderWaitSeconds, 'the intake is reminded once').toBeGreaterThan(0);
    const linkSentAt =
      history.find(({ event, state }) => event.type === 'TaskScheduled' && state === 'Send the link')?.event
        .timestamp ?? new Date(Number.NaN);

    // the first wait ends and the reminder's request-action fails: its retry waits a few seconds
    await armed({ fault: { service: 'lambda', functionId: 'request-action', kind: 'throw' }, calls: 2 });
    await local.driver.advanceTo(new Date(linkSentAt.getTime() + (plan?.firstWaitSeconds ?? 0) * 1000));
    const reminderFailed = (await executionHistory(sfn, step?.executionArn ?? '')).some(
      ({ event, state }) => event.type === 'TaskFailed' && state === 'Send a reminder',
    );
    expect(reminderFailed, 'the reminder’s first attempt failed').toBe(true);
    // meanwhile the patient answers on the link: the task it was made for is over, so the decision waits on the step
    expect((await local.driver.submitIntake(await local.driver.latestLinkFor(patient.email, 'intake'))).status).toBe(
      200,
    );
    await local.driver.advanceBy(60);
    await clearFaults();

    expect(local.clinic.access?.check.usedGrants()).toContain('function:request-action states:sendtasksuccess');
    const audit = (await local.driver.journeyOf(patient.patientId)).audit.filter(
      (event) => event.details?.['stepKey'] === 'intake',
    );
    expect(audit.filter((event) => event.action === 'step.decided')).toHaveLength(1);
    expect(audit.filter((event) => event.action === 'step.person-notified')).toHaveLength(1);
    expect(await local.driver.emailsTo(patient.email)).toHaveLength(1);
    expect((await executionsOf(local.driver, patient)).find((e) => e.executionArn === step?.executionArn)?.status).toBe(
      'SUCCEEDED',
    );
    expect((await local.driver.journeyOf(patient.patientId)).journey.phase).toBe('consult');
  });
});

describe('a permanent fault', () => {
  const inAlarm = async (): Promise<{ alarm: string; executions: string[] }[]> => {
    const answer = (await (await fetch(`${local.clinic.urls.app}/_local/alarms`)).json()) as {
      alarms: { alarm: string; state: string; executions: string[] }[];
    };
    // the failed-execution alarms (the executions earlier tests stopped may still hold an -aborted one up)
    return answer.alarms
      .filter((a) => a.state === 'ALARM' && a.alarm.endsWith('-failed'))
      .map(({ alarm, executions }) => ({ alarm, executions }));
  };

  it('a function that always fails ends its execution FAILED after the retries, and the journey with it; their -failed alarms go off and the console shows both', async () => {
    expect(await inAlarm()).toEqual([]);
    await armed({ fault: { service: 'lambda', functionId: 'request-action', kind: 'throw' }, forSeconds: 7 * 86400 });
    const patient = await local.driver.enrolPatient();
    // the retries are spread over at most half a minute (statemachines/task-retry-policy.ts)
    await local.driver.advanceBy(60);
    await clearFaults();

    const executions = await executionsOf(local.driver, patient);
    expect(executions.map((e) => `${e.stateMachine} ${String(e.status)}`).sort()).toEqual([
      'journey FAILED',
      'person-action FAILED',
    ]);
    const intake = executions.find((e) => e.stateMachine === 'person-action');
    const history = await executionHistory(sfnClientFor(local.clinic), intake?.executionArn ?? '');
    const attempts = history.filter(({ event }) => event.type === 'TaskFailed');
    expect(attempts.map(({ state }) => state)).toEqual(
      Array.from({ length: 1 + (transientErrorRetrier.MaxAttempts ?? 0) }, () => 'Send the link'),
    );
    expect(history.at(-1)?.event.executionFailedEventDetails?.error).toBe('Error');
    expect(await local.driver.emailsTo(patient.email)).toEqual([]);

    expect(await inAlarm()).toEqual([
      { alarm: 'journey-failed', executions: [executions.find((e) => e.stateMachine === 'journey')?.executionArn] },
      { alarm: 'person-action-failed', executions: [intake?.executionArn] },
    ]);
    const page = await (await fetch(`${local.clinic.urls.app}/`)).text();
    for (const execution of executions) {
      expect(page).toMatch(
        new RegExp(`<span class="badge FAILED">FAILED</span>\\s*<span class="name mono">${execution.name}</span>`),
      );
    }

    // an alarm watches one period: with no failure since, it is quiet again
    await local.driver.advanceBy(5 * 60);
    expect(await inAlarm()).toEqual([]);
  });
});
