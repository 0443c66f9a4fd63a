import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useClockSource, useSystemClock } from '../functions/platform/clock.ts';
import {
  commitChange,
  commitOne,
  MAX_TRANSACTION_ITEMS,
  type AuditEventInput,
  type AuditRecord,
} from '../functions/store/audited-change.ts';
import type { StoreWrite } from '../functions/store/store-writes.ts';
import type { DynamoRequestRecord } from '../functions/store/dynamo-client.ts';
import {
  IDEMPOTENCY_RECORD_LABEL,
  rememberedResult,
  rememberResultWrite,
} from '../functions/store/idempotency-record.ts';
import { getItem, queryPatientPartition } from '../functions/store/read-items.ts';
import {
  AlreadyExists,
  ConcurrentUpdate,
  ConditionFailed,
  IdempotencyMismatch,
  InvalidTransaction,
  ItemNotFound,
} from '../functions/store/store-errors.ts';
import { INDEXES, keys, PATIENT_SK_PREFIX, TTL_ATTRIBUTE } from '../functions/store/table-design.ts';
import { createTableIfMissing } from '../local/services/create-table.ts';
import { startTestTable, type TestTable } from './support/dynamodb.ts';

let table: TestTable;
let clockMs = Date.parse('2026-02-01T09:00:00.000Z');
let patientCount = 0;

beforeAll(async () => {
  table = await startTestTable();
  // The virtual clock the handlers share; each change below happens one second after the last.
  useClockSource(() => new Date(clockMs));
});

afterAll(async () => {
  useSystemClock();
  await table?.stop();
});

beforeEach(() => {
  clockMs += 1_000;
});

function newPatient(): string {
  patientCount += 1;
  return `patient-${patientCount}`;
}

function auditFor(patientId: string, action: string, reason = 'test'): AuditEventInput {
  return { patientId, actor: { type: 'staff', id: 'staff-7' }, action, reason };
}

async function enrol(patientId: string): Promise<void> {
  await commitOne(
    table.client,
    table.tableName,
    {
      kind: 'create',
      key: keys.journey(patientId),
      label: 'journey',
      itemType: 'JOURNEY',
      attributes: { phase: 'INTAKE', status: 'ACTIVE', onHold: false },
    },
    auditFor(patientId, 'journey.enrolled', 'referred by the clinic'),
  );
}

function auditTrail(patientId: string): Promise<AuditRecord[]> {
  return queryPatientPartition(table.client, table.tableName, patientId, {
    skPrefix: PATIENT_SK_PREFIX.audit,
  }) as Promise<unknown> as Promise<AuditRecord[]>;
}

describe('a change is all or nothing', () => {
  it('lets exactly one of two concurrent conflicting updates of a journey win; the loser gets ConcurrentUpdate', async () => {
    const patientId = newPatient();
    await enrol(patientId);
    // Two clients, as two Lambda invocations would be, both having read version 1.
    const [first, second] = [table.newClient(), table.newClient()];
    const moveTo = (client: typeof first, phase: string) =>
      commitOne(
        client,
        table.tableName,
        { kind: 'update', key: keys.journey(patientId), label: 'journey', expectedVersion: 1, set: { phase } },
        auditFor(patientId, `journey.moved-to-${phase}`),
      );

    const outcomes = await Promise.allSettled([moveTo(first, 'SCREENING'), moveTo(second, 'ELIGIBILITY')]);

    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]).toBeInstanceOf(ConcurrentUpdate);
    expect((losers[0] as ConcurrentUpdate).write.label).toBe('journey');

    const journey = await getItem(table.client, table.tableName, keys.journey(patientId));
    const moves = (await auditTrail(patientId)).filter((event) => event.action.startsWith('journey.moved-to-'));
    expect(journey?.version).toBe(2);
    expect(moves).toHaveLength(1);
    expect(moves[0]?.action).toBe(`journey.moved-to-${String(journey?.phase)}`);
  });

  it('writes nothing, not the first write nor the audit event, when the second write fails its condition', async () => {
    const patientId = newPatient();
    await enrol(patientId);
    const before = await auditTrail(patientId);

    const attempt = commitChange(table.client, table.tableName, {
      writes: [
        {
          kind: 'create',
          key: keys.fill(patientId, 1),
          label: 'fill',
          itemType: 'FILL',
          attributes: { days: 30 },
        },
        {
          kind: 'update',
          key: keys.journey(patientId),
          label: 'journey',
          expectedVersion: 7,
          set: { lastFillCycle: 1 },
        },
      ],
      audit: auditFor(patientId, 'fill.recorded'),
    });

    const error = await attempt.then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(ConcurrentUpdate);
    expect((error as ConcurrentUpdate).write.index).toBe(1);
    expect((error as ConcurrentUpdate).actualVersion).toBe(1);
    expect(await getItem(table.client, table.tableName, keys.fill(patientId, 1))).toBeUndefined();
    expect(await auditTrail(patientId)).toEqual(before);
    expect((await getItem(table.client, table.tableName, keys.journey(patientId)))?.version).toBe(1);
  });

  it('refuses to create an item that exists with AlreadyExists and writes nothing', async () => {
    const patientId = newPatient();
    const marker: StoreWrite = {
      kind: 'create',
      key: keys.reminderSent(patientId, 'consult-24h'),
      label: 'reminder marker',
      itemType: 'REMINDER_SENT',
      attributes: { channel: 'email' },
    };
    await commitOne(table.client, table.tableName, marker, auditFor(patientId, 'reminder.sent'));
    const stored = await getItem(table.client, table.tableName, marker.key);

    const again = commitOne(table.client, table.tableName, marker, auditFor(patientId, 'reminder.sent'));

    await expect(again).rejects.toThrow(AlreadyExists);
    await expect(again).rejects.toMatchObject({ write: { label: 'reminder marker', index: 0 } });
    expect(await getItem(table.client, table.tableName, marker.key)).toEqual(stored);
    expect((await auditTrail(patientId)).map((event) => event.action)).toEqual(['reminder.sent']);
  });

  it('fails an update of a missing item with ItemNotFound', async () => {
    const patientId = newPatient();
    const attempt = commitOne(
      table.client,
      table.tableName,
      { kind: 'update', key: keys.journey(patientId), expectedVersion: 1, set: { phase: 'SCREENING' } },
      auditFor(patientId, 'journey.moved'),
    );
    await expect(attempt).rejects.toThrow(ItemNotFound);
    expect(await auditTrail(patientId)).toEqual([]);
  });

  it('names the business rule that stopped a change with ConditionFailed', async () => {
    const patientId = newPatient();
    await enrol(patientId);
    await commitOne(
      table.client,
      table.tableName,
      { kind: 'update', key: keys.journey(patientId), expectedVersion: 1, set: { onHold: true, status: 'ON_HOLD' } },
      auditFor(patientId, 'journey.hold-placed', 'severe side effect reported'),
    );

    const dose = commitChange(table.client, table.tableName, {
      writes: [
        {
          kind: 'check',
          key: keys.journey(patientId),
          label: 'journey',
          condition: {
            name: 'patient is not on clinical hold',
            expression: '#onHold = :false',
            names: { '#onHold': 'onHold' },
            values: { ':false': false },
          },
        },
        { kind: 'create', key: keys.session(patientId, 1), itemType: 'SESSION', attributes: { status: 'CLEARED' } },
      ],
      audit: auditFor(patientId, 'session.cleared'),
    });

    await expect(dose).rejects.toThrow(ConditionFailed);
    await expect(dose).rejects.toMatchObject({ conditionName: 'patient is not on clinical hold' });
    expect(await getItem(table.client, table.tableName, keys.session(patientId, 1))).toBeUndefined();
  });

  it('refuses a change of more than 100 items before sending anything to DynamoDB', async () => {
    const patientId = newPatient();
    const sent: DynamoRequestRecord[] = [];
    const client = table.newClient((record) => sent.push(record));
    const writes: StoreWrite[] = Array.from({ length: MAX_TRANSACTION_ITEMS }, (_, i) => ({
      kind: 'create',
      key: keys.reminderSent(patientId, `r${i}`),
      itemType: 'REMINDER_SENT',
      attributes: {},
    }));

    const attempt = commitChange(client, table.tableName, { writes, audit: auditFor(patientId, 'reminders.sent') });

    await expect(attempt).rejects.toThrow(InvalidTransaction);
    await expect(attempt).rejects.toThrow(/at most 100 items.*got 101/);
    expect(sent).toEqual([]);
  });

  it('applies a retried transaction with the same clientRequestToken once', async () => {
    const patientId = newPatient();
    await enrol(patientId);
    const change = {
      writes: [
        { kind: 'update', key: keys.journey(patientId), expectedVersion: 1, set: { phase: 'SCREENING' } },
      ] satisfies StoreWrite[],
      audit: auditFor(patientId, 'journey.moved-to-SCREENING'),
    };
    const token = `${patientId}-record-progress-screening`;

    await commitChange(table.client, table.tableName, change, { clientRequestToken: token });
    const replay = await commitChange(table.client, table.tableName, change, { clientRequestToken: token });

    expect(replay.versions).toEqual([2]);
    expect((await getItem(table.client, table.tableName, keys.journey(patientId)))?.version).toBe(2);
    const moves = (await auditTrail(patientId)).filter((event) => event.action === 'journey.moved-to-SCREENING');
    expect(moves).toHaveLength(1);

    // Without the token, the same change is a new change and its stale version is caught.
    await expect(commitChange(table.client, table.tableName, change)).rejects.toThrow(ConcurrentUpdate);
  });

  it('refuses a clientRequestToken reused for a different change', async () => {
    const patientId = newPatient();
    await enrol(patientId);
    const token = `${patientId}-once`;
    const move = (phase: string) => ({
      writes: [
        { kind: 'update', key: keys.journey(patientId), expectedVersion: 1, set: { phase } },
      ] satisfies StoreWrite[],
      audit: auditFor(patientId, 'journey.moved'),
    });
    await commitChange(table.client, table.tableName, move('SCREENING'), { clientRequestToken: token });
    await expect(
      commitChange(table.client, table.tableName, move('ELIGIBILITY'), { clientRequestToken: token }),
    ).rejects.toThrow(IdempotencyMismatch);
  });
});

describe('the audit trail', () => {
  it('records who, what, when and why for every state change, in the same transaction', async () => {
    const patientId = newPatient();
    const enrolledAt = new Date(clockMs).toISOString();
    await enrol(patientId);
    clockMs += 60_000;
    const holdAt = new Date(clockMs).toISOString();
    await commitOne(
      table.client,
      table.tableName,
      {
        kind: 'update',
        key: keys.journey(patientId),
        label: 'journey',
        expectedVersion: 1,
        set: { onHold: true },
      },
      {
        patientId,
        actor: { type: 'clinician', id: 'clin-3' },
        action: 'journey.hold-placed',
        reason: 'blood pressure 182/112 at check-in',
        protocolVersion: '2026.1',
        details: { sessionNumber: 2 },
      },
    );
    clockMs += 60_000;
    const deletedAt = new Date(clockMs).toISOString();
    await commitOne(
      table.client,
      table.tableName,
      { kind: 'delete', key: keys.journey(patientId), expectedVersion: 2 },
      auditFor(patientId, 'journey.erased', 'entered for the wrong patient'),
    );

    const trail = await auditTrail(patientId);

    expect(trail.map((event) => [event.at, event.actor, event.action, event.reason])).toEqual([
      [enrolledAt, { type: 'staff', id: 'staff-7' }, 'journey.enrolled', 'referred by the clinic'],
      [holdAt, { type: 'clinician', id: 'clin-3' }, 'journey.hold-placed', 'blood pressure 182/112 at check-in'],
      [deletedAt, { type: 'staff', id: 'staff-7' }, 'journey.erased', 'entered for the wrong patient'],
    ]);
    expect(trail[1]).toMatchObject({
      protocolVersion: '2026.1',
      details: { sessionNumber: 2 },
      changes: [{ PK: `PATIENT#${patientId}`, SK: 'JOURNEY', kind: 'update', label: 'journey', version: 2 }],
    });
    expect(trail.map((event) => event.changes[0]?.kind)).toEqual(['create', 'update', 'delete']);
  });

  it('stamps the changed item and its audit event with the same instant from the shared clock', async () => {
    const patientId = newPatient();
    clockMs = Date.parse('2026-06-15T07:30:00.000Z');
    const result = await commitOne(
      table.client,
      table.tableName,
      { kind: 'create', key: keys.profile(patientId), itemType: 'PROFILE', attributes: { timeZone: 'Europe/Paris' } },
      auditFor(patientId, 'patient.registered'),
    );
    const profile = await getItem(table.client, table.tableName, keys.profile(patientId));
    expect(result.at).toBe('2026-06-15T07:30:00.000Z');
    expect(profile).toMatchObject({ createdAt: result.at, updatedAt: result.at, version: 1, itemType: 'PROFILE' });
    expect((await auditTrail(patientId))[0]?.at).toBe(result.at);
  });
});

describe('handler retries', () => {
  it("stores a handler's result with its change, so a retry finds the result instead of acting twice", async () => {
    const patientId = newPatient();
    const idempotencyKey = `${patientId}-fill-cycle-1`;
    const expiresAt = new Date(clockMs + 24 * 3_600_000);
    const recordFill = () =>
      commitChange(table.client, table.tableName, {
        writes: [
          rememberResultWrite(idempotencyKey, { fillCycle: 1, status: 'RECORDED' }, expiresAt),
          { kind: 'create', key: keys.fill(patientId, 1), itemType: 'FILL', attributes: { days: 30 } },
        ],
        audit: auditFor(patientId, 'fill.recorded'),
      });

    expect(await rememberedResult(table.client, table.tableName, idempotencyKey)).toEqual({ found: false });
    await recordFill();
    const retry = recordFill();

    await expect(retry).rejects.toThrow(AlreadyExists);
    await expect(retry).rejects.toMatchObject({ write: { label: IDEMPOTENCY_RECORD_LABEL } });
    expect(await rememberedResult(table.client, table.tableName, idempotencyKey)).toEqual({
      found: true,
      result: { fillCycle: 1, status: 'RECORDED' },
    });
    const record = await getItem(table.client, table.tableName, keys.idempotency(idempotencyKey));
    expect(record?.[TTL_ATTRIBUTE]).toBe(Math.ceil(expiresAt.getTime() / 1000));
  });
});

describe('the table', () => {
  it('is created from the key design with both indexes and TTL, and creating it again changes nothing', async () => {
    const control = new DynamoDBClient({
      endpoint: table.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await createTableIfMissing(control, table.tableName);
      const { Table } = await control.send(new DescribeTableCommand({ TableName: table.tableName }));
      const ttl = await control.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));

      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ]);
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        Object.values(INDEXES)
          .map((index) => index.indexName)
          .sort(),
      );
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: TTL_ATTRIBUTE });
    } finally {
      control.destroy();
    }
  });
});
