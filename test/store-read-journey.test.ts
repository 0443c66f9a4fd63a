import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClockSource, useSystemClock } from '../functions/platform/clock.ts';
import { commitChange, commitOne, type AuditEventInput } from '../functions/store/audited-change.ts';
import type { StoreWrite } from '../functions/store/store-writes.ts';
import type { DynamoRequestRecord } from '../functions/store/dynamo-client.ts';
import { listJourneysByStatus, listPendingLinksForPerson } from '../functions/store/list-by-index.ts';
import { readJourney } from '../functions/store/read-journey.ts';
import {
  journeyStatusIndexKeys,
  keys,
  pendingLinkIndexKeys,
  type ItemKey,
  type ItemType,
} from '../functions/store/table-design.ts';
import { startTestTable, type TestTable } from './support/dynamodb.ts';
import { hashLinkToken } from '../functions/links/link-token.ts';

let table: TestTable;
let clockMs = Date.parse('2026-03-02T08:00:00.000Z');

beforeAll(async () => {
  table = await startTestTable();
  useClockSource(() => new Date((clockMs += 1_000)));
});

afterAll(async () => {
  useSystemClock();
  await table?.stop();
});

const staff = (patientId: string, action: string): AuditEventInput => ({
  patientId,
  actor: { type: 'staff', id: 'staff-1' },
  action,
  reason: 'seeded by the test',
});

const create = (key: ItemKey, itemType: ItemType, attributes = {}) =>
  ({ kind: 'create', key, itemType, attributes }) satisfies StoreWrite;

/** Seeds one item of every patient-partition type, the way handlers would: one audited change each. */
async function seedWholeJourney(patientId: string): Promise<number> {
  const linkHash = hashLinkToken(`token-of-${patientId}`);
  const changes: StoreWrite[][] = [
    [
      create(keys.profile(patientId), 'PROFILE', { timeZone: 'America/Denver' }),
      create(keys.journey(patientId), 'JOURNEY', {
        phase: 'INDUCTION',
        status: 'ACTIVE',
        onHold: false,
        ...journeyStatusIndexKeys('ACTIVE', 'INDUCTION', patientId),
      }),
    ],
    [create(keys.evaluation(patientId, 'ev-1'), 'EVALUATION')],
    [create(keys.screening(patientId, 'sc-1'), 'SCREENING', { outcome: 'ELIGIBLE' })],
    [create(keys.treatmentPlan(patientId, 'plan-1'), 'TREATMENT_PLAN', { doseMg: 300 })],
    [create(keys.session(patientId, 1), 'SESSION'), create(keys.session(patientId, 2), 'SESSION')],
    [create(keys.checkIn(patientId, 1, 'ci-1'), 'CHECK_IN')],
    [create(keys.journalEntry(patientId, 1), 'JOURNAL_ENTRY')],
    [create(keys.sideEffectReport(patientId, 'se-1'), 'SIDE_EFFECT_REPORT')],
    [create(keys.adverseEvent(patientId, 'ae-1'), 'ADVERSE_EVENT')],
    [create(keys.fill(patientId, 0), 'FILL', { days: 30 })],
    [create(keys.assessment(patientId, 'as-1'), 'ASSESSMENT')],
    [create(keys.reminderSent(patientId, 'session-1-prep'), 'REMINDER_SENT')],
    [
      create(keys.link(linkHash), 'LINK', {
        purpose: 'journal',
        status: 'PENDING',
        ...pendingLinkIndexKeys(patientId, '2026-03-05T08:00:00Z', linkHash),
      }),
      create(keys.step(patientId, 'j-1', 'session-1-a1-journal'), 'STEP', {
        purpose: 'journal',
        status: 'pending',
        linkHashes: [linkHash],
      }),
    ],
  ];
  for (const writes of changes) {
    const first = writes[0];
    const action = `seeded ${first?.kind === 'create' ? first.itemType : 'nothing'}`;
    await commitChange(table.client, table.tableName, { writes, audit: staff(patientId, action) });
  }
  return changes.length;
}

describe('reading a journey', () => {
  it("reads a patient's whole journey, every item type and the audit trail, with one Query", async () => {
    const changeCount = await seedWholeJourney('p-whole');
    await seedWholeJourney('p-neighbour');
    const requests: DynamoRequestRecord[] = [];
    const client = table.newClient((record) => requests.push(record));

    const journey = await readJourney(client, table.tableName, 'p-whole');

    expect(requests.map((r) => r.commandName)).toEqual(['QueryCommand']);
    expect(requests[0]?.consumedCapacity[0]?.CapacityUnits).toBeGreaterThan(0);
    expect(journey.profile).toMatchObject({ timeZone: 'America/Denver' });
    expect(journey.journey).toMatchObject({ phase: 'INDUCTION', onHold: false, version: 1 });
    const lists = {
      evaluations: journey.evaluations,
      screenings: journey.screenings,
      treatmentPlans: journey.treatmentPlans,
      checkIns: journey.checkIns,
      journalEntries: journey.journalEntries,
      sideEffectReports: journey.sideEffectReports,
      adverseEvents: journey.adverseEvents,
      fills: journey.fills,
      assessments: journey.assessments,
      remindersSent: journey.remindersSent,
      steps: journey.steps,
    };
    for (const [group, items] of Object.entries(lists)) expect(items, group).toHaveLength(1);
    expect(journey.sessions.map((s) => s.SK)).toEqual(['SESSION#001', 'SESSION#002']);
    expect(journey.audit).toHaveLength(changeCount);
    expect(journey.audit.map((event) => event.action)[0]).toBe('seeded PROFILE');
    const everyPk = [
      journey.profile,
      journey.journey,
      ...Object.values(lists).flat(),
      ...journey.sessions,
      ...journey.audit,
    ].map((item) => item?.PK);
    expect(new Set(everyPk)).toEqual(new Set(['PATIENT#p-whole']));
  });

  it('returns an empty journey for a patient the clinic does not know', async () => {
    const journey = await readJourney(table.client, table.tableName, 'p-unknown');
    expect(journey.journey).toBeUndefined();
    expect(journey.audit).toEqual([]);
  });
});

describe('lists for the console', () => {
  it("lists a person's pending links, and a decided link leaves the list", async () => {
    const personId = 'clin-list';
    const patientId = 'p-links';
    const hashes = ['a', 'b'].map((t) => hashLinkToken(`${personId}-${t}`));
    for (const [i, hash] of hashes.entries()) {
      await commitOne(
        table.client,
        table.tableName,
        create(keys.link(hash), 'LINK', {
          purpose: 'refill-approval',
          status: 'PENDING',
          ...pendingLinkIndexKeys(personId, `2026-03-1${i}T00:00:00Z`, hash),
        }),
        staff(patientId, 'link.created'),
      );
    }
    const [first, second] = hashes as [string, string];

    expect((await listPendingLinksForPerson(table.client, table.tableName, personId)).map((l) => l.PK)).toEqual([
      `LINK#${first}`,
      `LINK#${second}`,
    ]);

    await commitOne(
      table.client,
      table.tableName,
      {
        kind: 'update',
        key: keys.link(first),
        expectedVersion: 1,
        condition: {
          name: 'link is still pending',
          expression: '#status = :pending',
          names: { '#status': 'status' },
          values: { ':pending': 'PENDING' },
        },
        set: { status: 'APPROVED' },
        remove: ['GSI1PK', 'GSI1SK'],
      },
      { patientId, actor: { type: 'clinician', id: personId }, action: 'link.decided', reason: 'approved the refill' },
    );

    expect((await listPendingLinksForPerson(table.client, table.tableName, personId)).map((l) => l.PK)).toEqual([
      `LINK#${second}`,
    ]);
  });

  it('lists journeys by status, and narrows them to one phase', async () => {
    const status = 'LIST_TEST';
    for (const [patientId, phase] of [
      ['p-a', 'INTAKE'],
      ['p-b', 'MAINTENANCE'],
      ['p-c', 'INTAKE'],
    ] as const) {
      await commitOne(
        table.client,
        table.tableName,
        create(keys.journey(patientId), 'JOURNEY', {
          phase,
          status,
          ...journeyStatusIndexKeys(status, phase, patientId),
        }),
        staff(patientId, 'journey.enrolled'),
      );
    }

    const all = await listJourneysByStatus(table.client, table.tableName, status);
    const intake = await listJourneysByStatus(table.client, table.tableName, status, { phase: 'INTAKE' });

    expect(all.map((j) => j.PK)).toEqual(['PATIENT#p-a', 'PATIENT#p-c', 'PATIENT#p-b']);
    expect(intake.map((j) => j.PK)).toEqual(['PATIENT#p-a', 'PATIENT#p-c']);
  });
});
