import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as recordProgress } from '../functions/record-progress/handler.ts';
import { handler as refillGate } from '../functions/refill-gate/handler.ts';
import { handler as schedule } from '../functions/schedule/handler.ts';
import { handler as screening } from '../functions/screening/handler.ts';
import { handler as sendReminder } from '../functions/send-reminder/handler.ts';
import { placeOnHold } from '../functions/journey/holds/clinical-hold.ts';
import { enrolPatient } from '../functions/journey/steps/enrol-patient.ts';
import { updateJourney } from '../functions/journey/steps/update-journey.ts';
import { loadPatientContext } from '../functions/patient/patient-context.ts';
import { phaseMoveAllowed } from '../functions/journey/steps/set-phase.ts';
import type { Intake } from '../functions/domain/schemas/index.ts';
import { useClockSource, useSystemClock } from '../functions/platform/clock.ts';
import { commitChange } from '../functions/store/audited-change.ts';
import type { StoreWrite } from '../functions/store/store-writes.ts';
import { getItem, queryPatientPartition } from '../functions/store/read-items.ts';
import { keys, PATIENT_SK_PREFIX } from '../functions/store/table-design.ts';
import { createLocalStepFunctions, type LocalStepFunctions } from '../local/sfn/index.ts';
import { startSesLocal, type SesLocal } from '../local/services/ses-local.ts';
import { aPatient, anIntake, aTreatmentPlan, twoClinicianClinic } from './support/domain-fixtures.ts';
import { startTestTable, type TestTable } from './support/dynamodb.ts';
import { DAY_MS as DAY } from '../functions/domain/durations.ts';

/**
 * The workflow's functions through their handlers, on DynamoDB Local and the SES emulator (and, for the
 * hold ending a wait, a real local Step Functions engine): exactly-once reminders and fills, the refill
 * gate's rules through the store, and every dosing step, reminder and refill failing closed on hold.
 */

const clinic = twoClinicianClinic;

const T0 = Date.parse('2026-07-01T15:00:00.000Z');
let clockMs = T0;
const at = (ms: number) => new Date(ms).toISOString();

let table: TestTable;
let ses: SesLocal;
let engine: LocalStepFunctions;
const context = {} as Context;
const invoke = (fn: (event: unknown, context: Context) => Promise<unknown>, event: unknown) => fn(event, context);

beforeAll(async () => {
  [table, ses] = await Promise.all([startTestTable(), startSesLocal()]);
  engine = await createLocalStepFunctions({
    dbPath: ':memory:',
    startTime: new Date(T0),
    lambdas: {
      resolve: (name) => (name.endsWith('record-progress') ? (payload) => invoke(recordProgress, payload) : undefined),
    },
  });
  const sfn = await engine.listen(0);
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    APP_BASE_URL: 'http://127.0.0.1:9',
    CLINIC_CONFIG: JSON.stringify(clinic),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    AWS_ENDPOINT_URL_SFN: sfn.url,
  });
  useClockSource(() => new Date(clockMs));
}, 60_000);

afterAll(async () => {
  useSystemClock();
  await engine?.close();
  await ses?.stop();
  await table?.stop();
});

let patients = 0;
async function aPatientEnrolled(): Promise<{ patientId: string; journeyId: string; email: string }> {
  patients += 1;
  const { id: _id, ...details } = aPatient({ assignedClinicianId: 'dr-lee', email: `patient-${patients}@mail.test` });
  const enrolment = await enrolPatient({
    details,
    patientId: `patient-${patients}`,
    actor: { type: 'staff', id: 'test' },
  });
  return { ...enrolment, email: details.email };
}

async function seed(patientId: string, writes: StoreWrite[]): Promise<void> {
  await commitChange(table.client, table.tableName, {
    writes,
    audit: { patientId, actor: { type: 'system', id: 'test' }, action: 'test.seed', reason: 'seeded by the test' },
  });
}

const create = (
  key: { PK: string; SK: string },
  itemType: 'TREATMENT_PLAN' | 'FILL' | 'EVALUATION' | 'ASSESSMENT' | 'INTAKE',
  attributes: Record<string, unknown>,
): StoreWrite => ({ kind: 'create', key, itemType, attributes });

/** An approved plan issued on `issuedOn`, the initial fill at `firstFillAt`, an in-person evaluation then, and a PDMP check now. */
async function inMaintenance(
  options: { issuedOn?: string; fillsAt?: number[]; evaluationModality?: 'in-person' | 'telehealth' } = {},
) {
  const patient = await aPatientEnrolled();
  const fillsAt = options.fillsAt ?? [T0];
  await seed(patient.patientId, [
    create(keys.treatmentPlan(patient.patientId, 'treatment-plan-1'), 'TREATMENT_PLAN', {
      ...aTreatmentPlan(),
      prescriptionIssuedOn: options.issuedOn ?? '2026-07-01',
      approvedBy: 'dr-lee',
      approvedAt: at(fillsAt[0] as number),
    }),
    create(keys.evaluation(patient.patientId, 'consult-evaluation'), 'EVALUATION', {
      clinicianId: 'dr-lee',
      notes: '',
      modality: options.evaluationModality ?? 'in-person',
      evaluatedAt: at(fillsAt[0] as number),
    }),
    ...fillsAt.map((filledAt, cycle) =>
      create(keys.fill(patient.patientId, cycle), 'FILL', {
        cycle,
        fillNumber: cycle + 1,
        filledAt: at(filledAt),
        daysOfSupply: 30,
        lostOrStolenReplacement: false,
        pdmpCheckedAt: null,
      }),
    ),
  ]);
  return patient;
}

async function refillRequested(patientId: string, cycle: number, options: { lostOrStolen?: boolean } = {}) {
  const stepKey = `refill-${cycle}-request-1`;
  await seed(patientId, [
    create(keys.assessment(patientId, stepKey), 'ASSESSMENT', {
      gad7: { items: [1, 1, 0, 0, 0, 0, 0] },
      phq9: { items: [1, 1, 0, 0, 0, 0, 0, 0, 0] },
      bladderCheck: { frequency: false, urgency: false, painOnUrination: false, bloodInUrine: false },
      takenAt: at(clockMs),
      stepKey,
      lostOrStolenReplacement: options.lostOrStolen ?? false,
    }),
  ]);
  await updateJourney(patientId, () => ({
    set: { pdmpCheckedAt: at(clockMs) },
    audit: { patientId, actor: { type: 'staff', id: 'test' }, action: 'journey.pdmp-check-recorded', reason: 'test' },
  }));
}

const emailsTo = async (address: string) => (await ses.listEmails()).filter((email) => email.to.includes(address));
const ref = (patient: { patientId: string; journeyId: string }) => ({
  patientId: patient.patientId,
  journeyId: patient.journeyId,
});
const fillsOf = async (patientId: string) =>
  queryPatientPartition(table.client, table.tableName, patientId, { skPrefix: PATIENT_SK_PREFIX.fill });

describe('reminders', () => {
  it('sends a reminder once however often the step is retried', async () => {
    clockMs = T0;
    const { patientId, journeyId, email } = await aPatientEnrolled();
    const event = { patientId, journeyId, reminderKey: 'refill-1-open', kind: 'refill-window' };

    const first = await invoke(sendReminder, event);
    const retry = await invoke(sendReminder, event);

    expect(first).toEqual({ sent: true });
    expect(retry).toEqual({ sent: false });
    const sent = await emailsTo(email);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe('Time for your monthly check-in');
  });

  it('sends a reminder once when two invocations race', async () => {
    const { patientId, journeyId, email } = await aPatientEnrolled();
    const event = { patientId, journeyId, reminderKey: 'session-1-a1-prep', kind: 'session-prep' };

    const answers = await Promise.all([invoke(sendReminder, event), invoke(sendReminder, event)]);

    expect(answers).toContainEqual({ sent: true });
    expect(answers).toContainEqual({ sent: false });
    expect(await emailsTo(email)).toHaveLength(1);
  });
});

describe('fills', () => {
  it('records a fill once when the step is retried, and the retry answers the same fill', async () => {
    clockMs = T0 + 28 * DAY;
    const { patientId, journeyId } = await inMaintenance();

    const first = await invoke(recordProgress, { event: 'fill', patientId, journeyId, cycle: 1 });
    clockMs += 60_000;
    const retry = await invoke(recordProgress, { event: 'fill', patientId, journeyId, cycle: 1 });

    expect(first).toMatchObject({ cycle: 1, fillNumber: 2, filledAt: at(T0 + 28 * DAY), alreadyRecorded: false });
    expect(retry).toMatchObject({ cycle: 1, fillNumber: 2, filledAt: at(T0 + 28 * DAY), alreadyRecorded: true });
    expect(await fillsOf(patientId)).toHaveLength(2);
  });

  it('records a fill once when two requests race', async () => {
    clockMs = T0 + 29 * DAY;
    const { patientId, journeyId } = await inMaintenance();

    const answers = (await Promise.all([
      invoke(recordProgress, { event: 'fill', patientId, journeyId, cycle: 1 }),
      invoke(recordProgress, { event: 'fill', patientId, journeyId, cycle: 1 }),
    ])) as { filledAt: string; alreadyRecorded: boolean }[];

    expect(answers.map((a) => a.alreadyRecorded).sort()).toEqual([false, true]);
    expect(answers[0]?.filledAt).toBe(answers[1]?.filledAt);
    expect(await fillsOf(patientId)).toHaveLength(2);
  });

  it('refuses a fill closer than the protocol interval to the previous one, even past the gate', async () => {
    clockMs = T0 + 20 * DAY;
    const { patientId, journeyId } = await inMaintenance();

    await expect(invoke(recordProgress, { event: 'fill', patientId, journeyId, cycle: 1 })).rejects.toMatchObject({
      name: 'ConditionFailed',
    });
    expect(await fillsOf(patientId)).toHaveLength(1);
  });

  it('refuses a fill after the telehealth prescribing cut-off without an in-person evaluation, though the gate passed the request before it', async () => {
    // the protocol's cut-off is 2026-12-31: the request passed the gate on the 31st, the clinician approved on 1 January
    const firstFill = Date.parse('2026-12-01T15:00:00.000Z');
    clockMs = Date.parse('2027-01-01T15:00:00.000Z');
    const telehealthOnly = await inMaintenance({
      issuedOn: '2026-11-20',
      fillsAt: [firstFill],
      evaluationModality: 'telehealth',
    });
    const seenInPerson = await inMaintenance({ issuedOn: '2026-11-20', fillsAt: [firstFill] });

    await expect(invoke(recordProgress, { event: 'fill', ...ref(telehealthOnly), cycle: 1 })).rejects.toMatchObject({
      name: 'RefillNotAllowed',
      message: expect.stringMatching(/in-person evaluation/),
    });
    await expect(invoke(recordProgress, { event: 'fill', ...ref(seenInPerson), cycle: 1 })).resolves.toMatchObject({
      cycle: 1,
      alreadyRecorded: false,
    });
    expect(await fillsOf(telehealthOnly.patientId)).toHaveLength(1);
    expect(await fillsOf(seenInPerson.patientId)).toHaveLength(2);
  });

  it('tells the clinician that the fill was refused at recording and why, not that the gate refused the request', async () => {
    clockMs = Date.parse('2027-01-01T15:00:00.000Z');
    const patient = await inMaintenance({
      issuedOn: '2026-11-20',
      fillsAt: [Date.parse('2026-12-01T15:00:00.000Z')],
      evaluationModality: 'telehealth',
    });
    await expect(invoke(recordProgress, { event: 'fill', ...ref(patient), cycle: 1 })).rejects.toMatchObject({
      name: 'RefillNotAllowed',
    });

    await invoke(recordProgress, {
      event: 'refill-refused',
      ...ref(patient),
      cycle: 1,
      retryable: false,
      atFill: true,
    });

    const stored = JSON.stringify(await queryPatientPartition(table.client, table.tableName, patient.patientId));
    expect(stored).toContain(
      'Refill cycle 1: the clinician approved the refill, but the fill was refused at recording; refills end until the clinician reviews. The fill was refused because refill 1 cannot be filled: prescribing by telehealth alone ended on 2026-12-31',
    );
    expect(stored).not.toContain('the refill gate refused');
  });
});

describe('the refill gate through the store', () => {
  it('refuses a refill 27 days after the last fill and says when it is allowed', async () => {
    clockMs = T0 + 27 * DAY;
    const { patientId, journeyId } = await inMaintenance();
    await refillRequested(patientId, 1);

    const answer = await invoke(refillGate, { patientId, journeyId, cycle: 1 });

    expect(answer).toMatchObject({
      decision: 'REFUSED',
      retryable: true,
      allowedFrom: at(T0 + 28 * DAY),
      protocolVersion: expect.any(String),
    });
    expect(answer).toMatchObject({ reasons: ['TOO_EARLY'] });
  });

  it('lets a refill through to the clinician 28 days after the last fill, and records the decision with its reasons', async () => {
    clockMs = T0 + 28 * DAY;
    const { patientId, journeyId } = await inMaintenance();
    await refillRequested(patientId, 1);

    const answer = await invoke(refillGate, { patientId, journeyId, cycle: 1 });

    expect(answer).toMatchObject({ decision: 'APPROVABLE', reasons: ['ALL_RULES_PASSED'] });
    const audit = await queryPatientPartition(table.client, table.tableName, patientId, {
      skPrefix: PATIENT_SK_PREFIX.audit,
    });
    const decided = audit.find((event) => event.action === 'refill.gate-decided');
    expect(decided).toMatchObject({
      protocolVersion: expect.any(String),
      reason: expect.stringContaining('APPROVABLE'),
    });
  });

  it('refuses a 6th refill for good', async () => {
    const fillsAt = [0, 1, 2, 3, 4, 5].map((n) => T0 + n * 30 * DAY);
    clockMs = (fillsAt.at(-1) as number) + 30 * DAY;
    const { patientId, journeyId } = await inMaintenance({ issuedOn: '2026-12-01', fillsAt });
    await refillRequested(patientId, 6);

    const answer = await invoke(refillGate, { patientId, journeyId, cycle: 6 });

    expect(answer).toMatchObject({
      decision: 'REFUSED',
      retryable: false,
      reasons: expect.arrayContaining(['REFILLS_EXHAUSTED']),
    });
    expect(answer).not.toHaveProperty('allowedFrom');
  });

  it('refuses a refill more than 6 months after the prescription was issued', async () => {
    clockMs = T0 + 28 * DAY;
    const { patientId, journeyId } = await inMaintenance({ issuedOn: '2026-01-15' });
    await refillRequested(patientId, 1);

    const answer = await invoke(refillGate, { patientId, journeyId, cycle: 1 });

    expect(answer).toMatchObject({ decision: 'REFUSED', retryable: false, reasons: ['PRESCRIPTION_TOO_OLD'] });
  });

  it('never replaces lost medication early: it waits for the interval like any refill', async () => {
    clockMs = T0 + 10 * DAY;
    const { patientId, journeyId } = await inMaintenance();
    // the loss was reported and reviewed (its hold lifted) before the request
    await placeOnHold({
      patientId,
      reason: 'medication lost',
      adverseEvent: { kind: 'lost-or-stolen-medication', reportedBy: 'patient', description: 'lost on a trip' },
      actor: { type: 'patient', id: patientId },
    });
    await invoke(recordProgress, { event: 'hold-lifted', patientId, journeyId });
    clockMs = T0 + 20 * DAY;
    await refillRequested(patientId, 1, { lostOrStolen: true });

    const answer = await invoke(refillGate, { patientId, journeyId, cycle: 1 });

    expect(answer).toMatchObject({ decision: 'REFUSED', allowedFrom: at(T0 + 28 * DAY) });
    expect([...(answer as { reasons: string[] }).reasons].sort()).toEqual(['LOST_OR_STOLEN_NEVER_EARLY', 'TOO_EARLY']);
  });

  it('puts the patient on hold when lost medication is first reported with a refill request', async () => {
    clockMs = T0 + 20 * DAY;
    const { patientId, journeyId } = await inMaintenance();
    await refillRequested(patientId, 1, { lostOrStolen: true });

    await expect(invoke(refillGate, { patientId, journeyId, cycle: 1 })).rejects.toMatchObject({
      name: 'PatientOnHold',
    });
    const journey = await getItem(table.client, table.tableName, keys.journey(patientId));
    expect(journey).toMatchObject({ onHold: true, status: 'on-hold' });
  });
});

describe('a clinical hold', () => {
  it('fails every dosing step, reminder and refill closed, and writes nothing for them', async () => {
    clockMs = T0 + 28 * DAY;
    const { patientId, journeyId, email } = await inMaintenance();
    await refillRequested(patientId, 1);
    await placeOnHold({
      patientId,
      reason: 'severe side effect',
      adverseEvent: { kind: 'severe-side-effect', reportedBy: 'staff', description: 'fainted' },
      actor: { type: 'staff', id: 'test' },
    });

    const steps = [
      () => invoke(sendReminder, { patientId, journeyId, reminderKey: 'refill-1-open', kind: 'refill-window' }),
      () => invoke(recordProgress, { event: 'fill', patientId, journeyId, cycle: 1 }),
      () => invoke(refillGate, { patientId, journeyId, cycle: 1 }),
      () => invoke(schedule, { what: 'session', patientId, journeyId, sessionNumber: 1, attempt: 1 }),
      () => invoke(schedule, { what: 'refill-window', patientId, journeyId, cycle: 1 }),
      () =>
        invoke(recordProgress, {
          event: 'await',
          patientId,
          journeyId,
          until: at(clockMs + DAY),
          taskToken: 'token-of-a-wait',
        }),
    ];
    for (const step of steps) await expect(step()).rejects.toMatchObject({ name: 'PatientOnHold' });

    expect(await fillsOf(patientId)).toHaveLength(1);
    expect(
      await queryPatientPartition(table.client, table.tableName, patientId, {
        skPrefix: PATIENT_SK_PREFIX.reminderSent,
      }),
    ).toHaveLength(1); // the clinician's urgent email
    expect(await emailsTo(email)).toHaveLength(0);
    expect(await emailsTo('sam.lee@clinic.test')).toEqual(
      expect.arrayContaining([expect.objectContaining({ subject: 'Urgent: please review today' })]),
    );
  });

  it('does not overwrite an existing hold, and records the second adverse event', async () => {
    const { patientId } = await aPatientEnrolled();
    const report = (description: string) =>
      placeOnHold({
        patientId,
        reason: description,
        adverseEvent: { kind: 'other', reportedBy: 'staff', description },
        actor: { type: 'staff', id: 'test' },
      });

    const first = await report('first');
    const second = await report('second');

    expect(first.alreadyOnHold).toBe(false);
    expect(second.alreadyOnHold).toBe(true);
    const journey = await getItem(table.client, table.tableName, keys.journey(patientId));
    expect(journey?.hold).toMatchObject({ adverseEventId: first.adverseEventId });
    expect(
      await queryPatientPartition(table.client, table.tableName, patientId, {
        skPrefix: PATIENT_SK_PREFIX.adverseEvent,
      }),
    ).toHaveLength(2);
  });

  it('ends a registered wait at once on the real Step Functions engine', async () => {
    clockMs = T0;
    const { patientId, journeyId } = await aPatientEnrolled();
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Wait until the day before',
      States: {
        'Wait until the day before': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: {
            FunctionName: 'care-journeys-record-progress',
            Payload: {
              event: 'await',
              patientId,
              journeyId,
              until: at(T0 + 7 * DAY),
              taskToken: '{% $states.context.Task.Token %}',
            },
          },
          TimeoutSeconds: 7 * 24 * 3600,
          Catch: [
            { ErrorEquals: ['PatientOnHold'], Next: 'Clinician decides after the hold' },
            { ErrorEquals: ['States.Timeout'], Next: 'Waited' },
          ],
          Next: 'Waited',
        },
        'Clinician decides after the hold': { Type: 'Pass', Output: { ended: 'by the hold' }, End: true },
        Waited: { Type: 'Pass', Output: { ended: 'by the time' }, End: true },
      },
    };
    const { stateMachineArn } = (await engine.call('CreateStateMachine', {
      name: 'hold-ends-wait',
      roleArn: 'arn:aws:iam::123456789012:role/test',
      definition: JSON.stringify(definition),
    })) as { stateMachineArn: string };
    const { executionArn } = (await engine.call('StartExecution', {
      stateMachineArn,
      name: `wait-${patientId}`,
      input: '{}',
    })) as { executionArn: string };
    await engine.settle();
    expect(await engine.call('DescribeExecution', { executionArn })).toMatchObject({ status: 'RUNNING' });

    await placeOnHold({
      patientId,
      reason: 'red flag at check-in',
      adverseEvent: { kind: 'red-flag-at-check-in', reportedBy: 'system', description: 'chest pain' },
      actor: { type: 'system', id: 'test' },
    });
    await engine.settle();

    const described = (await engine.call('DescribeExecution', { executionArn })) as { status: string; output: string };
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output)).toEqual({ ended: 'by the hold' });
  });
});

/** A step decided through its link, with what the decision called for (a hold, a clinician alert). */
function seedDecidedStep(
  patientId: string,
  journeyId: string,
  stepKey: string,
  purpose: string,
  calledFor: Record<string, unknown> = {},
) {
  return seed(patientId, [
    {
      kind: 'create',
      key: keys.step(patientId, journeyId, stepKey),
      itemType: 'STEP',
      attributes: {
        patientId,
        journeyId,
        stepKey,
        purpose,
        person: { kind: 'patient', id: patientId },
        status: 'decided',
        round: 1,
        decision: {
          decision: 'SUBMITTED',
          details: {},
          decidedBy: { kind: 'patient', id: patientId },
          decidedAt: '2026-05-05T12:00:00.000Z',
          via: 'link',
          ...calledFor,
        },
      },
    },
  ]);
}

describe('a hold an answer called for', () => {
  const severeHeadache = {
    kind: 'severe-side-effect',
    reportedBy: 'patient',
    description: 'headache: severe or worse is an adverse event',
  } as const;
  const urgentAlerts = async () =>
    (await emailsTo('sam.lee@clinic.test')).filter((email) => email.subject === 'Urgent: please review today');

  it("is placed by the workflow when the page could not, under the page's adverse event id, once", async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await seedDecidedStep(patientId, journeyId, 'session-1-journal', 'journal', { hold: severeHeadache });
    const alertsBefore = (await urgentAlerts()).length;

    const first = await invoke(recordProgress, {
      event: 'hold-called-for',
      patientId,
      journeyId,
      stepKey: 'session-1-journal',
    });
    const retry = await invoke(recordProgress, {
      event: 'hold-called-for',
      patientId,
      journeyId,
      stepKey: 'session-1-journal',
    });

    expect(first).toEqual({ holdCalledFor: true, adverseEventId: 'ae-session-1-journal' });
    expect(retry).toEqual(first);
    const context = await loadPatientContext(patientId);
    expect(context.journey).toMatchObject({ onHold: true, hold: { adverseEventId: 'ae-session-1-journal' } });
    expect(context.adverseEvents.map((event) => [event.id, event.kind, event.reportedBy])).toEqual([
      ['ae-session-1-journal', 'severe-side-effect', 'patient'],
    ]);
    expect((await urgentAlerts()).length - alertsBefore).toBe(1);
  });

  it('is not placed for a decision that called for none', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await seedDecidedStep(patientId, journeyId, 'session-1-journal', 'journal');

    expect(
      await invoke(recordProgress, { event: 'hold-called-for', patientId, journeyId, stepKey: 'session-1-journal' }),
    ).toEqual({ holdCalledFor: false });
    expect((await loadPatientContext(patientId)).journey.onHold).toBe(false);
  });
});

describe('a clinician alert an answer called for', () => {
  const urgentAlerts = async () =>
    (await emailsTo('sam.lee@clinic.test')).filter((email) => email.subject === 'Urgent: please review today');

  it('is sent by the workflow when the page could not, under the page’s key, once', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await seedDecidedStep(patientId, journeyId, 'session-2-a1-assessment', 'assessment', {
      alert: { urgency: 'urgent', message: 'PHQ-9 item 9 is 2 after session 2.', key: 'triage' },
    });
    const before = (await urgentAlerts()).length;

    const first = await invoke(recordProgress, {
      event: 'alert-called-for',
      patientId,
      journeyId,
      stepKey: 'session-2-a1-assessment',
    });
    const retry = await invoke(recordProgress, {
      event: 'alert-called-for',
      patientId,
      journeyId,
      stepKey: 'session-2-a1-assessment',
    });

    expect([first, retry]).toEqual([{ alertCalledFor: true }, { alertCalledFor: true }]);
    expect((await urgentAlerts()).length - before).toBe(1);
    const audit = (await loadPatientContext(patientId)).record.audit.filter(
      (e) => e.action === 'email.clinician-urgent',
    );
    expect(audit.map((e) => e.details?.['stepKey'])).toEqual(['alert-session-2-a1-assessment-triage']);
  });

  it('is not sent for a decision that called for none', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await seedDecidedStep(patientId, journeyId, 'session-2-a1-assessment', 'assessment');
    const before = (await urgentAlerts()).length;
    expect(
      await invoke(recordProgress, {
        event: 'alert-called-for',
        patientId,
        journeyId,
        stepKey: 'session-2-a1-assessment',
      }),
    ).toEqual({ alertCalledFor: false });
    expect((await urgentAlerts()).length).toBe(before);
  });
});

describe('screening', () => {
  it('alerts the clinician the same day for imminent risk, once, whatever the outcome', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    const intake: Intake = anIntake();
    const risky: Intake = { ...intake, cssrs: { ...intake.cssrs, suicidalThoughts: true, intentToAct: true } };
    await seed(patientId, [create(keys.intake(patientId, journeyId), 'INTAKE', { ...risky })]);
    const before = (await emailsTo('sam.lee@clinic.test')).length;

    const first = await invoke(screening, { patientId, journeyId });
    const retry = await invoke(screening, { patientId, journeyId });

    expect(first).toMatchObject({
      outcome: 'INELIGIBLE',
      urgentAlert: true,
      reasons: expect.arrayContaining(['cssrs-imminent-risk']),
    });
    expect(retry).toEqual(first);
    const alerts = (await emailsTo('sam.lee@clinic.test')).slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toBe('Urgent: please review today');
    expect(alerts[0]?.text).not.toMatch(/suicid|ketamine|C-SSRS/i);
  });

  it('stores an eligible screening with its reasons and protocol version, and sends no alert', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await seed(patientId, [create(keys.intake(patientId, journeyId), 'INTAKE', { ...anIntake() })]);
    const before = (await emailsTo('sam.lee@clinic.test')).length;

    const answer = await invoke(screening, { patientId, journeyId });

    expect(answer).toMatchObject({ outcome: 'ELIGIBLE', urgentAlert: false, protocolVersion: expect.any(String) });
    expect(await getItem(table.client, table.tableName, keys.screening(patientId, 'round-001'))).toMatchObject({
      outcome: 'ELIGIBLE',
    });
    expect((await emailsTo('sam.lee@clinic.test')).length).toBe(before);
  });
});

describe('journey phases', () => {
  const phaseOf = async (patientId: string) => (await loadPatientContext(patientId)).journey.phase;
  const auditActionsOf = async (patientId: string) =>
    (await queryPatientPartition(table.client, table.tableName, patientId, { skPrefix: PATIENT_SK_PREFIX.audit })).map(
      (item) => item['action'],
    );

  it('a late retry of the move to the treatment plan does not take a journey in induction back, and changes nothing', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await updateJourney(patientId, () => ({
      set: { phase: 'induction' },
      audit: { patientId, actor: { type: 'staff', id: 'test' }, action: 'test.seed', reason: 'test' },
    }));
    const auditBefore = await auditActionsOf(patientId);

    const late = await invoke(recordProgress, {
      event: 'phase',
      patientId,
      journeyId,
      phase: 'treatment-plan',
      from: 'eligibility',
    });
    const lateWithoutFrom = await invoke(recordProgress, {
      event: 'phase',
      patientId,
      journeyId,
      phase: 'treatment-plan',
    });

    expect(late).toMatchObject({ ignored: expect.stringMatching(/induction/) });
    expect(lateWithoutFrom).toMatchObject({ ignored: expect.stringMatching(/induction/) });
    expect(await phaseOf(patientId)).toBe('induction');
    expect(await auditActionsOf(patientId)).toEqual(auditBefore);
  });

  it('a new plan after induction returns to the treatment plan when the workflow names the phase it leaves', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await updateJourney(patientId, () => ({
      set: { phase: 'induction' },
      audit: { patientId, actor: { type: 'staff', id: 'test' }, action: 'test.seed', reason: 'test' },
    }));

    await invoke(recordProgress, { event: 'phase', patientId, journeyId, phase: 'treatment-plan', from: 'induction' });

    expect(await phaseOf(patientId)).toBe('treatment-plan');
  });

  it('a late duplicate of the follow-up move does not take the journey back from where it went next, and changes nothing', async () => {
    for (const movedOnTo of ['maintenance', 'treatment-plan'] as const) {
      const { patientId, journeyId } = await aPatientEnrolled();
      await updateJourney(patientId, () => ({
        set: { phase: movedOnTo },
        audit: { patientId, actor: { type: 'staff', id: 'test' }, action: 'test.seed', reason: 'test' },
      }));
      const auditBefore = await auditActionsOf(patientId);

      const late = await invoke(recordProgress, { event: 'follow-up', patientId, journeyId, from: 'induction' });

      expect(late).toMatchObject({ ignored: expect.stringContaining(movedOnTo) });
      expect(await phaseOf(patientId)).toBe(movedOnTo);
      expect(await auditActionsOf(patientId)).toEqual(auditBefore);
    }
  });

  it('the follow-up move from induction stores the response with its audit event, once', async () => {
    const { patientId, journeyId } = await aPatientEnrolled();
    await updateJourney(patientId, () => ({
      set: { phase: 'induction' },
      audit: { patientId, actor: { type: 'staff', id: 'test' }, action: 'test.seed', reason: 'test' },
    }));

    const first = await invoke(recordProgress, { event: 'follow-up', patientId, journeyId, from: 'induction' });
    const retry = await invoke(recordProgress, { event: 'follow-up', patientId, journeyId, from: 'induction' });

    expect(first).not.toHaveProperty('ignored');
    expect(retry).toEqual(first);
    expect(await phaseOf(patientId)).toBe('follow-up');
    expect((await auditActionsOf(patientId)).filter((action) => action === 'journey.follow-up-response')).toHaveLength(
      1,
    );
  });

  it('phases move forward, a closed journey never moves, and discharge closes from any open phase', () => {
    expect(phaseMoveAllowed('eligibility', 'treatment-plan')).toBe(true);
    expect(phaseMoveAllowed('induction', 'treatment-plan')).toBe(false);
    expect(phaseMoveAllowed('eligibility', 'screening', 'eligibility')).toBe(true);
    expect(phaseMoveAllowed('treatment-plan', 'screening', 'eligibility')).toBe(false);
    expect(phaseMoveAllowed('follow-up', 'discharged', 'induction')).toBe(true);
    expect(phaseMoveAllowed('discharged', 'maintenance')).toBe(false);
  });
});
