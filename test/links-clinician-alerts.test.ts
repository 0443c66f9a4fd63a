import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import type { Intake } from '../functions/domain/schemas/index.ts';
import { renderEmail, type EmailKind } from '../functions/email/templates.ts';
import { placeOnHold } from '../functions/journey/holds/clinical-hold.ts';
import { enrolPatient } from '../functions/journey/steps/enrol-patient.ts';
import { recordSessionOutcome } from '../functions/journey/sessions/record-session-outcome.ts';
import { recordRefillOutcome } from '../functions/journey/refills/refill-outcomes.ts';
import { alertClinician, alertStepKey } from '../functions/links/clinician-alert.ts';
import { readStep } from '../functions/links/step-store.ts';
import { useClockSource, useSystemClock } from '../functions/platform/clock.ts';
import { handler as requestAction } from '../functions/request-action/handler.ts';
import { handler as screening } from '../functions/screening/handler.ts';
import { commitChange } from '../functions/store/audited-change.ts';
import type { StoreWrite } from '../functions/store/store-writes.ts';
import { queryPatientPartition } from '../functions/store/read-items.ts';
import { keys, PATIENT_SK_PREFIX } from '../functions/store/table-design.ts';
import { createLocalStepFunctions, type LocalStepFunctions } from '../local/sfn/index.ts';
import { startSesLocal, type SentEmail, type SesLocal } from '../local/services/ses-local.ts';
import { fillPlaceholders, readDefinitionTemplate } from '../statemachines/definitions.ts';
import { aPatient, anIntake, twoClinicianClinic } from './support/domain-fixtures.ts';
import { startTestTable, type TestTable } from './support/dynamodb.ts';
import { phiIn } from './support/journey-driver.ts';
import { TestLambdas } from './support/sfn-test-lambdas.ts';
import { intakeFields, type FormFields } from './support/link-http.ts';
import { callLinkPage, type LinkPath, type PageResponse } from './support/link-page-call.ts';
import { DAY_SECONDS as DAY } from '../functions/domain/durations.ts';

/**
 * Clinician alerts carry a link: the email says only "one of your patients", so the link's page must say
 * which patient and what happened. Real handlers on DynamoDB Local, the SES emulator and the local Step
 * Functions engine (a hold ends a real waiting workflow step), with the engine's virtual clock.
 */

const START = new Date('2026-05-04T13:00:00.000Z');
const CLINICIAN = 'sam.lee@clinic.test';
const clinic = twoClinicianClinic;

let table: TestTable;
let ses: SesLocal;
let engine: LocalStepFunctions;
let machineArn: string;
const schedulePlans = new Map<string, Record<string, unknown>>();
const restoreEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  [table, ses] = await Promise.all([startTestTable(), startSesLocal({ port: 0 })]);
  const lambdas = new TestLambdas();
  lambdas.register('schedule', async (payload) => {
    const plan = schedulePlans.get((payload as { stepKey: string }).stepKey);
    if (plan === undefined) throw new Error('no plan for this step');
    return plan;
  });
  lambdas.register('record-progress', async () => ({ recorded: true }));
  lambdas.register('request-action', async (payload) => requestAction(payload, {} as Context));
  engine = await createLocalStepFunctions({ dbPath: ':memory:', lambdas, startTime: START });
  lambdas.clock = () => engine.now();
  const sfn = await engine.listen(0);
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_SFN: sfn.url,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    TABLE_NAME: table.tableName,
    APP_BASE_URL: 'http://127.0.0.1:3999',
    CLINIC_CONFIG: JSON.stringify(clinic),
  };
  for (const [name, value] of Object.entries(env)) {
    restoreEnv[name] = process.env[name];
    process.env[name] = value;
  }
  useClockSource(() => engine.now());
  const definition = fillPlaceholders(readDefinitionTemplate('person-action'), {
    ScheduleFunctionArn: 'schedule',
    RequestActionFunctionArn: 'request-action',
    RecordProgressFunctionArn: 'record-progress',
  });
  machineArn = (
    (await engine.call('CreateStateMachine', {
      name: 'person-action',
      definition,
      roleArn: 'arn:aws:iam::123456789012:role/test',
    })) as { stateMachineArn: string }
  ).stateMachineArn;
}, 120_000);

afterAll(async () => {
  useSystemClock();
  await engine?.close();
  await ses?.stop();
  await table?.stop();
  for (const [name, value] of Object.entries(restoreEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

let patients = 0;
async function aPatientEnrolled(
  timeZone = 'America/New_York',
): Promise<{ patientId: string; journeyId: string; email: string; lastName: string }> {
  patients += 1;
  const { id: _id, ...details } = aPatient({
    firstName: 'Jamie',
    lastName: 'Quixotewright',
    timeZone,
    assignedClinicianId: 'dr-lee',
    email: `patient-${patients}@mail.test`,
  });
  const enrolment = await enrolPatient({
    details,
    patientId: `alert-patient-${patients}`,
    actor: { type: 'staff', id: 'test' },
  });
  return {
    patientId: enrolment.patientId,
    journeyId: enrolment.journeyId,
    email: details.email,
    lastName: details.lastName,
  };
}

async function withImminentRisk(patientId: string, journeyId: string): Promise<void> {
  const intake: Intake = anIntake();
  const risky: Intake = { ...intake, cssrs: { ...intake.cssrs, suicidalThoughts: true, intentToAct: true } };
  await commitChange(table.client, table.tableName, {
    writes: [{ kind: 'create', key: keys.intake(patientId, journeyId), itemType: 'INTAKE', attributes: { ...risky } }],
    audit: { patientId, actor: { type: 'system', id: 'test' }, action: 'test.seed', reason: 'seeded by the test' },
  });
}

/** Starts a person-action execution (the workflow's waiting step) and lets it send its first email. */
async function waitingStep(
  patientId: string,
  journeyId: string,
  purpose: string,
  person: { kind: 'patient' | 'clinician'; id: string },
  stepKey = `${purpose}-${patientId}`,
): Promise<string> {
  schedulePlans.set(stepKey, {
    person,
    firstWaitSeconds: 3 * DAY,
    reminderWaitSeconds: 0,
    escalationWaitSeconds: 0,
    expiresAt: new Date(engine.now().getTime() + 3 * DAY * 1000).toISOString(),
  });
  const { executionArn } = (await engine.call('StartExecution', {
    stateMachineArn: machineArn,
    name: `${journeyId}-${stepKey}`,
    input: JSON.stringify({ patientId, journeyId, purpose, stepKey }),
  })) as { executionArn: string };
  await engine.settle();
  return executionArn;
}

async function emailCount(address: string): Promise<number> {
  return (await ses.listEmails()).filter((email) => email.to.includes(address)).length;
}

async function emailsSince(address: string, count: number): Promise<SentEmail[]> {
  return (await ses.listEmails()).filter((email) => email.to.includes(address)).slice(count);
}

const linkPattern = /\/([pc])\/([A-Za-z0-9_-]{43})/g;
/** The audience path each token was emailed under (`/p/` patients, `/c/` clinicians), so `open` calls that audience's function. */
const pathOfToken = new Map<string, LinkPath>();

function linksIn(email: SentEmail | undefined): string[] {
  const found = [...(email?.text ?? '').matchAll(linkPattern), ...(email?.html ?? '').matchAll(linkPattern)];
  for (const [, path, token] of found) pathOfToken.set(token as string, path as LinkPath);
  return [...new Set(found.map((m) => m[2] as string))];
}

function onlyLinkIn(email: SentEmail | undefined): string {
  const links = linksIn(email);
  expect(links).toHaveLength(1);
  expect([...(email?.text ?? '').matchAll(linkPattern)]).toHaveLength(1);
  return links[0] as string;
}

function open(method: 'GET' | 'POST', token: string, form?: FormFields): Promise<PageResponse> {
  return callLinkPage(method, pathOfToken.get(token) ?? 'c', token, form);
}

/** The visible text of a page, so assertions read like what the clinician reads. */
function textOf(body: string): string {
  return body
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('clinician alerts carry a link to who and what', () => {
  it('imminent risk at screening: one urgent email with exactly one link and no PHI; its page names the patient and the reason', async () => {
    const { patientId, journeyId, lastName } = await aPatientEnrolled();
    await withImminentRisk(patientId, journeyId);
    const before = await emailCount(CLINICIAN);

    const answer = await screening({ patientId, journeyId }, {} as Context);

    expect(answer).toMatchObject({ outcome: 'INELIGIBLE', urgentAlert: true });
    const sent = await emailsSince(CLINICIAN, before);
    expect(sent).toHaveLength(1);
    const email = sent[0];
    expect(email?.subject).toBe('Urgent: please review today');
    expect(phiIn(email as SentEmail, lastName)).toEqual([]);
    expect(`${email?.subject} ${email?.text} ${email?.html}`).not.toMatch(/Jamie|suicid|C-SSRS|screen/i);
    expect(email?.text).toContain('This link is personal');

    const page = await open('GET', onlyLinkIn(email));
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const text = textOf(page.body);
    expect(text).toContain('Jamie Quixotewright');
    expect(text).toContain('Urgent: please review today');
    expect(text).toContain('C-SSRS screener indicates imminent suicide risk');
    expect(text).toMatch(
      /Raised (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d{1,2}, 2026, \d{1,2}:\d{2} [AP]M E[DS]T/,
    );
  });

  it('a retried caller sends no second email: the alert is created once, whoever retries', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await withImminentRisk(patientId, journeyId);
    const before = await emailCount(CLINICIAN);

    await screening({ patientId, journeyId }, {} as Context);
    await screening({ patientId, journeyId }, {} as Context);
    const direct = await alertClinician({
      patientId,
      journeyId,
      clinicianId: 'dr-lee',
      urgency: 'urgent',
      alertKey: 'screening-round-001-urgent',
      message: 'a retry with other words',
    });

    expect(direct.outcome).toBe('already-sent');
    expect(await emailsSince(CLINICIAN, before)).toHaveLength(1);
    const step = await readStep(table.client, table.tableName, {
      patientId,
      journeyId,
      stepKey: alertStepKey('screening-round-001-urgent'),
    });
    expect(step?.alert?.message).toContain('C-SSRS');
    expect(step?.taskToken).toBeUndefined();
    const markers = await queryPatientPartition(table.client, table.tableName, patientId, {
      skPrefix: PATIENT_SK_PREFIX.reminderSent,
    });
    expect(markers.map((m) => m['reminderKey'])).toEqual(['screening-round-001-urgent']);
  });

  it('the alert page is view-only: a POST records nothing and the link keeps working', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    const before = await emailCount(CLINICIAN);
    await alertClinician({
      patientId,
      journeyId,
      clinicianId: 'dr-lee',
      urgency: 'notice',
      alertKey: 'view-only-check',
      message: 'Something to read',
    });
    const token = onlyLinkIn((await emailsSince(CLINICIAN, before))[0]);

    const posted = await open('POST', token, { purpose: 'notice', decision: 'APPROVED' });

    expect(posted.statusCode).toBe(409);
    expect(textOf(posted.body)).toContain('This page is for information only');
    expect(
      (
        await readStep(table.client, table.tableName, {
          patientId,
          journeyId,
          stepKey: alertStepKey('view-only-check'),
        })
      )?.status,
    ).toBe('pending');
    expect((await open('GET', token)).statusCode).toBe(200);
  });

  it("a clinical hold ends the waiting workflow step but not an alert's link; the hold's own alert names the adverse event", async () => {
    const { patientId, journeyId, lastName } = await aPatientEnrolled();
    await withImminentRisk(patientId, journeyId);
    let mark = await emailCount(CLINICIAN);
    await screening({ patientId, journeyId }, {} as Context);
    const screeningAlert = onlyLinkIn((await emailsSince(CLINICIAN, mark))[0]);
    mark = await emailCount(CLINICIAN);
    const executionArn = await waitingStep(patientId, journeyId, 'consult-evaluation', {
      kind: 'clinician',
      id: 'dr-lee',
    });
    const stepLink = onlyLinkIn((await emailsSince(CLINICIAN, mark))[0]);
    mark = await emailCount(CLINICIAN);

    const hold = {
      patientId,
      reason: 'severe side effect',
      adverseEvent: {
        kind: 'severe-side-effect' as const,
        reportedBy: 'staff' as const,
        description: 'fainted twice after the session',
      },
      actor: { type: 'staff' as const, id: 'test' },
      adverseEventId: 'ae-fainted',
    };
    await placeOnHold(hold);
    await engine.settle();

    const described = (await engine.call('DescribeExecution', { executionArn })) as { output?: string };
    expect(JSON.parse(described.output ?? '{}')).toEqual({ decision: 'ON_HOLD' });
    expect((await open('GET', stepLink)).statusCode).toBe(409);
    const stillOpen = await open('GET', screeningAlert);
    expect(stillOpen.statusCode).toBe(200);
    expect(textOf(stillOpen.body)).toContain('C-SSRS screener indicates imminent suicide risk');

    const holdEmails = await emailsSince(CLINICIAN, mark);
    expect(holdEmails).toHaveLength(1);
    expect(holdEmails[0]?.subject).toBe('Urgent: please review today');
    expect(phiIn(holdEmails[0] as SentEmail, lastName)).toEqual([]);
    expect(`${holdEmails[0]?.text} ${holdEmails[0]?.html}`).not.toMatch(/faint|side effect|hold/i);
    const holdPage = await open('GET', onlyLinkIn(holdEmails[0]));
    expect(holdPage.statusCode).toBe(200);
    expect(textOf(holdPage.body)).toContain('Jamie Quixotewright');
    expect(textOf(holdPage.body)).toContain(
      'Clinical hold: severe side effect, reported by the clinic: fainted twice after the session',
    );

    // a retried report of the same event alerts nobody twice
    await placeOnHold(hold);
    expect(await emailsSince(CLINICIAN, mark)).toHaveLength(1);
  });

  it('a postponed session and a refused refill send notices whose pages say what happened; a declined refill tells the patient without a link', async () => {
    const { patientId, email: patientEmail, lastName } = await aPatientEnrolled();
    const mark = await emailCount(CLINICIAN);
    const patientMark = await emailCount(patientEmail);

    await recordSessionOutcome({
      patientId,
      sessionNumber: 1,
      attempt: 1,
      outcome: 'postponed',
      actor: { type: 'system', id: 'test' },
    });
    await recordRefillOutcome({
      patientId,
      cycle: 2,
      event: 'refill-refused',
      retryable: false,
      actor: { type: 'system', id: 'test' },
    });
    await recordRefillOutcome({
      patientId,
      cycle: 2,
      event: 'refill-not-approved',
      actor: { type: 'system', id: 'test' },
    });

    const notices = await emailsSince(CLINICIAN, mark);
    expect(notices.map((e) => e.subject)).toEqual([
      'A patient step needs your attention',
      'A patient step needs your attention',
    ]);
    const pages = await Promise.all(
      notices.map(async (notice) => {
        expect(phiIn(notice, lastName)).toEqual([]);
        const page = await open('GET', onlyLinkIn(notice));
        expect(page.statusCode).toBe(200);
        return textOf(page.body);
      }),
    );
    expect(pages[0]).toContain('Jamie Quixotewright');
    expect(pages[0]).toContain('Session 1 (attempt 1) was postponed.');
    expect(pages[1]).toContain(
      'Refill cycle 2: the refill gate refused the request; refills end until the clinician reviews.',
    );
    for (const page of pages) expect(page).toContain('For your attention');

    const toPatient = await emailsSince(patientEmail, patientMark);
    expect(toPatient.map((e) => e.subject)).toEqual(['Please get in touch with us']);
    expect(linksIn(toPatient[0])).toEqual([]);
    expect(toPatient[0]?.text).not.toMatch(/secure page|This link is personal/);
  });

  it("an alert's link stays open for the protocol's alert period, then answers 410", async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    const before = await emailCount(CLINICIAN);
    await alertClinician({
      patientId,
      journeyId,
      clinicianId: 'dr-lee',
      urgency: 'notice',
      alertKey: 'expiry-check',
      message: 'Read me within the week',
    });
    const token = onlyLinkIn((await emailsSince(CLINICIAN, before))[0]);
    const validSeconds = defaultProtocol.alerts.linkValidHours * 3600;

    await engine.advanceClock({ advanceSeconds: validSeconds - 60 });
    expect((await open('GET', token)).statusCode).toBe(200);
    await engine.advanceClock({ advanceSeconds: 120 });
    expect((await open('GET', token)).statusCode).toBe(410);
  });
});

describe('the "already decided" page', () => {
  it("shows a patient the time in their own zone, not the clinic's", async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled('America/Los_Angeles');
    const mark = await emailCount(email);
    await waitingStep(patientId, journeyId, 'intake', { kind: 'patient', id: patientId });
    const token = onlyLinkIn((await emailsSince(email, mark))[0]);
    expect((await open('POST', token, intakeFields())).statusCode).toBe(200);

    const again = await open('GET', token);

    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toMatch(
      /already decided by you at [A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, 2026, \d{1,2}:\d{2} [AP]M P[DS]T/,
    );
  });
});

describe('email wording', () => {
  const kinds: EmailKind[] = [
    'patient-form',
    'patient-form-reminder',
    'clinician-decision',
    'clinician-decision-reminder',
    'clinician-decision-escalated',
    'clinician-notice',
    'clinician-step-overdue-urgent',
    'clinician-urgent',
    'recovery-reminder',
    'consult-reminder',
    'session-prep-reminder',
    'refill-window-reminder',
    'please-contact-clinic',
  ];

  it.each(kinds)('%s without a link mentions no secure page and no personal link', (kind) => {
    const email = renderEmail(kind, { firstName: 'Jamie', when: 'Mon, May 4, 2026, 9:00 AM EDT' });
    for (const part of [email.text, email.html]) {
      expect(part).not.toMatch(/secure page/i);
      expect(part).not.toMatch(/This link is personal/);
    }
  });

  it.each(kinds)('%s with a link carries it once and says it is personal', (kind) => {
    const link = `http://127.0.0.1:3999/c/${'a'.repeat(43)}`;
    const email = renderEmail(kind, { link });
    expect(email.text.split(link)).toHaveLength(2);
    expect(email.text).toContain('This link is personal; please do not forward this email.');
    expect(email.html).toContain('This link is personal; please do not forward this email.');
  });
});

/** Seeds what the patient's own pages compare with: the intake (and a planned session, for a check-in). */
async function withIntake(
  patientId: string,
  journeyId: string,
  change: (intake: Intake) => void = () => {},
  session?: { plannedStart: string },
): Promise<void> {
  const intake = anIntake();
  change(intake);
  const writes: StoreWrite[] = [
    { kind: 'create', key: keys.intake(patientId, journeyId), itemType: 'INTAKE', attributes: { ...intake } },
  ];
  if (session !== undefined) {
    writes.push({
      kind: 'create',
      key: keys.session(patientId, 1),
      itemType: 'SESSION',
      attributes: {
        number: 1,
        plannedStart: session.plannedStart,
        status: 'planned',
        checkInRef: null,
        journalRef: null,
        attempt: 1,
      },
    });
  }
  await commitChange(table.client, table.tableName, {
    writes,
    audit: { patientId, actor: { type: 'system', id: 'test' }, action: 'test.seed', reason: 'seeded by the test' },
  });
}

async function outputOf(executionArn: string): Promise<Record<string, unknown>> {
  await engine.settle();
  const described = (await engine.call('DescribeExecution', { executionArn })) as { output?: string };
  return JSON.parse(described.output ?? '{}') as Record<string, unknown>;
}

function assessmentFields(
  phq9: readonly number[],
  gad7: readonly number[],
  bladder: Partial<Record<'frequency' | 'urgency' | 'painOnUrination' | 'bloodInUrine', boolean>> = {},
): FormFields {
  const fields: Record<string, string> = { purpose: 'assessment' };
  phq9.forEach((v, i) => (fields[`phq9.items[${i}]`] = String(v)));
  gad7.forEach((v, i) => (fields[`gad7.items[${i}]`] = String(v)));
  for (const name of ['frequency', 'urgency', 'painOnUrination', 'bloodInUrine'] as const)
    fields[`bladderCheck.${name}`] = bladder[name] === true ? 'yes' : 'no';
  return fields;
}

function checkInFields(readings: readonly string[], extra: Record<string, string> = {}): FormFields {
  const fields: Record<string, string> = {
    purpose: 'check-in',
    monitorPresent: 'yes',
    fastingHours: '6',
    lastAlcoholOrCannabisHoursAgo: '',
    lastBenzodiazepineHoursAgo: '',
    stimulantOrOpioidToday: 'no',
    heldMedicationsConfirmed: 'yes',
    noDrivingAcknowledged: 'yes',
    pregnantPlannedOrBreastfeeding: 'no',
    ...extra,
  };
  readings.forEach((reading, i) => {
    const [systolic, diastolic] = reading.split('/');
    fields[`bpReadings[${i}].systolic`] = systolic ?? '';
    fields[`bpReadings[${i}].diastolic`] = diastolic ?? '';
  });
  return fields;
}

describe('one triage for every questionnaire: the answers reach the clinician, and the patient sees crisis resources at once', () => {
  it('an intake with PHQ-9 item 9 above 0: crisis resources on the page, a same-day alert whose page says why, and nothing of it in the workflow', async () => {
    const { patientId, journeyId, email, lastName } = await aPatientEnrolled();
    const mark = await emailCount(email);
    const executionArn = await waitingStep(patientId, journeyId, 'intake', { kind: 'patient', id: patientId });
    const token = onlyLinkIn((await emailsSince(email, mark))[0]);
    const before = await emailCount(CLINICIAN);

    const page = await open('POST', token, { ...intakeFields(), 'phq9.items[8]': '1' });

    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Call or text 988 (the 988 Suicide & Crisis Lifeline)');
    expect(textOf(page.body)).toContain('call 911');
    const alerts = await emailsSince(CLINICIAN, before);
    expect(alerts.map((e) => e.subject)).toEqual(['Urgent: please review today']);
    expect(phiIn(alerts[0] as SentEmail, lastName)).toEqual([]);
    const alertPage = textOf((await open('GET', onlyLinkIn(alerts[0]))).body);
    expect(alertPage).toContain('Jamie Quixotewright');
    expect(alertPage).toContain(
      'PHQ-9 item 9 (thoughts of death or self-harm) answered 1: please contact the patient today',
    );
    expect(alertPage).toContain(`protocol ${defaultProtocol.version}`);
    // workflow data carries no health information: the decision word, and the flag that an alert was called
    // for (the workflow makes sure it is sent; the message stays in the table)
    expect(await outputOf(executionArn)).toEqual({ decision: 'SUBMITTED', alertCalledFor: true });
  });

  it('an intake with no risk answer: a plain thank-you and no alert', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    const mark = await emailCount(email);
    await waitingStep(patientId, journeyId, 'intake', { kind: 'patient', id: patientId });
    const token = onlyLinkIn((await emailsSince(email, mark))[0]);
    const before = await emailCount(CLINICIAN);

    const page = await open('POST', token, intakeFields());

    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('988');
    expect(await emailsSince(CLINICIAN, before)).toEqual([]);
  });

  it('an assessment with a 5-point PHQ-9 rise and a new urinary symptom: a review notice that names both, and no crisis resources', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    await withIntake(patientId, journeyId); // PHQ-9 12, GAD-7 11, no urinary symptoms
    const mark = await emailCount(email);
    await waitingStep(
      patientId,
      journeyId,
      'assessment',
      { kind: 'patient', id: patientId },
      'session-2-a1-assessment',
    );
    const token = onlyLinkIn((await emailsSince(email, mark))[0]);
    const before = await emailCount(CLINICIAN);

    const page = await open(
      'POST',
      token,
      assessmentFields([3, 3, 3, 3, 2, 2, 1, 0, 0], [3, 3, 2, 1, 1, 1, 0], { urgency: true }),
    );

    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('988');
    const alerts = await emailsSince(CLINICIAN, before);
    expect(alerts.map((e) => e.subject)).toEqual(['A patient step needs your attention']);
    const alertPage = textOf((await open('GET', onlyLinkIn(alerts[0]))).body);
    expect(alertPage).toContain('PHQ-9 rose from 12 to 17 (review from a rise of 5)');
    expect(alertPage).toContain('new urinary symptoms: sudden urges to pass urine');
  });

  it('an assessment 4 points worse, with symptoms already known: nobody is alerted', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    await withIntake(patientId, journeyId, (intake) => intake.medicalHistory.conditions.push('urinary-symptoms'));
    const mark = await emailCount(email);
    await waitingStep(
      patientId,
      journeyId,
      'assessment',
      { kind: 'patient', id: patientId },
      'session-2-a1-assessment',
    );
    const token = onlyLinkIn((await emailsSince(email, mark))[0]);
    const before = await emailCount(CLINICIAN);

    expect(
      (
        await open(
          'POST',
          token,
          assessmentFields([3, 3, 3, 3, 2, 2, 0, 0, 0], [3, 3, 2, 1, 1, 1, 0], { frequency: true }),
        )
      ).statusCode,
    ).toBe(200);

    expect(await emailsSince(CLINICIAN, before)).toEqual([]);
  });
});

describe('blood pressure at the crisis threshold at check-in', () => {
  async function checkInLink(
    change: (intake: Intake) => void = () => {},
  ): Promise<{ token: string; executionArn: string; patientId: string; journeyId: string }> {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    await withIntake(patientId, journeyId, change, {
      plannedStart: new Date(engine.now().getTime() + 3600_000).toISOString(),
    });
    const mark = await emailCount(email);
    const executionArn = await waitingStep(
      patientId,
      journeyId,
      'check-in',
      { kind: 'patient', id: patientId },
      'session-1-a1-check-in',
    );
    return { token: onlyLinkIn((await emailsSince(email, mark))[0]), executionArn, patientId, journeyId };
  }

  it('without symptoms asks for a recheck after 5 minutes and records nothing; still high, the dose is withheld and the clinician alerted today', async () => {
    const { token, executionArn, patientId, journeyId } = await checkInLink();
    const before = await emailCount(CLINICIAN);

    const first = await open('POST', token, checkInFields(['182/100', '176/98']));

    expect(first.statusCode).toBe(400);
    expect(textOf(first.body)).toContain('Do not take your dose. Sit quietly for 5 minutes, measure again');
    expect(
      (await readStep(table.client, table.tableName, { patientId, journeyId, stepKey: 'session-1-a1-check-in' }))
        ?.status,
    ).toBe('pending');
    expect(await emailsSince(CLINICIAN, before)).toEqual([]);

    const recheck = await open(
      'POST',
      token,
      checkInFields(['182/100', '176/98'], { 'bpRecheck.systolic': '181', 'bpRecheck.diastolic': '95' }),
    );

    expect(recheck.statusCode).toBe(200);
    expect(textOf(recheck.body)).toContain(
      "Do not take today's dose. Your blood pressure is still very high, so your care team will contact you today.",
    );
    const output = await outputOf(executionArn);
    expect(output['decision']).toBe('POSTPONED');
    expect(output['reasons']).toEqual(expect.arrayContaining(['BP_CRISIS_PERSISTENT']));
    const alerts = await emailsSince(CLINICIAN, before);
    expect(alerts.map((e) => e.subject)).toEqual(['Urgent: please review today']);
    expect(textOf((await open('GET', onlyLinkIn(alerts[0]))).body)).toContain(
      "blood pressure still 181/95 after 5 minutes' rest (at or above 180/120)",
    );
  });

  it('with a crisis symptom is an emergency at once, with no recheck', async () => {
    const { token, executionArn } = await checkInLink();

    const page = await open('POST', token, { ...checkInFields(['170/121', '118/80']), redFlagSymptoms: 'back-pain' });

    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Please go to emergency care now');
    expect((await outputOf(executionArn))['decision']).toBe('EMERGENCY');
  });
});

describe('pregnancy at each check-in', () => {
  it('is asked of a patient who can become pregnant, and "yes" postpones the session for the clinician', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    await withIntake(patientId, journeyId, (intake) => (intake.pregnancy = 'no'), {
      plannedStart: new Date(engine.now().getTime() + 3600_000).toISOString(),
    });
    const mark = await emailCount(email);
    const executionArn = await waitingStep(
      patientId,
      journeyId,
      'check-in',
      { kind: 'patient', id: patientId },
      'session-1-a1-check-in',
    );
    const token = onlyLinkIn((await emailsSince(email, mark))[0]);
    expect((await open('GET', token)).body).toContain('name="pregnantPlannedOrBreastfeeding"');

    const unanswered = await open('POST', token, {
      ...checkInFields(['120/80', '118/78']),
      pregnantPlannedOrBreastfeeding: '',
    });
    expect(unanswered.statusCode).toBe(400);
    const page = await open(
      'POST',
      token,
      checkInFields(['120/80', '118/78'], { pregnantPlannedOrBreastfeeding: 'yes' }),
    );

    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain("Today's session is postponed");
    const output = await outputOf(executionArn);
    expect(output['decision']).toBe('POSTPONED');
    expect(output['reasons']).toEqual(['PREGNANCY_POSSIBLE']);
  });

  it('is not asked of a patient who said at intake they cannot become pregnant', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    await withIntake(patientId, journeyId, (intake) => (intake.pregnancy = 'cannot-become-pregnant'), {
      plannedStart: new Date(engine.now().getTime() + 3600_000).toISOString(),
    });
    const mark = await emailCount(email);
    await waitingStep(patientId, journeyId, 'check-in', { kind: 'patient', id: patientId }, 'session-1-a1-check-in');
    const token = onlyLinkIn((await emailsSince(email, mark))[0]);

    expect((await open('GET', token)).body).not.toContain('pregnantPlannedOrBreastfeeding');
    const fields = checkInFields(['120/80', '118/78']);
    delete (fields as Record<string, string>)['pregnantPlannedOrBreastfeeding'];
    expect((await open('POST', token, fields)).statusCode).toBe(200);
  });
});
