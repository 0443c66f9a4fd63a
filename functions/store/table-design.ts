/**
 * # The single table: every key of Care Journeys, in one place
 *
 * One DynamoDB table holds everything. A newcomer should be able to answer "where does X live and how
 * do I read it?" from this comment alone, and every key string in the code base is built by the
 * functions below (never by hand elsewhere), so the design here is the design in production.
 *
 * The table's name comes from the environment variable `TABLE_NAME`, read (once, validated) by
 * `functionEnvironment()` in functions/platform/environment.ts.
 *
 * ## Attributes every item carries
 * | attribute  | meaning                                                                        |
 * |------------|--------------------------------------------------------------------------------|
 * | `PK`, `SK` | the primary key (strings, built below)                                         |
 * | `itemType` | one of {@link ITEM_TYPES}; how readers tell items of one partition apart       |
 * | `version`  | 1 on create, +1 on every update; the optimistic lock of every conditional write |
 * | `createdAt`, `updatedAt` | ISO-8601 instants from `now()` (functions/platform/clock.ts)     |
 *
 * ## Item types
 * Patient-partitioned items share `PK = PATIENT#<patientId>`, so a patient's whole journey and its
 * audit trail come back from ONE Query (the read the console and the staff API make most).
 *
 * | item type           | PK                      | SK                                   | notes |
 * |---------------------|-------------------------|--------------------------------------|-------|
 * | PROFILE             | PATIENT#<patientId>     | PROFILE                              | contact, time zone |
 * | JOURNEY             | PATIENT#<patientId>     | JOURNEY                              | phase, status, hold flag; GSI2 keys |
 * | EVALUATION          | PATIENT#<patientId>     | EVALUATION#<evaluationId>            | clinician's evaluation |
 * | SCREENING           | PATIENT#<patientId>     | SCREENING#<screeningId>              | result, reasons, protocol version |
 * | TREATMENT_PLAN      | PATIENT#<patientId>     | PLAN#<planId>                        | a dose change is a new plan |
 * | SESSION             | PATIENT#<patientId>     | SESSION#<nnn>                        | by number, zero-padded (001) |
 * | CHECK_IN            | PATIENT#<patientId>     | CHECKIN#<nnn>#<checkInId>            | a postponed session may have several |
 * | JOURNAL_ENTRY       | PATIENT#<patientId>     | JOURNAL#<nnn>                        | one per session: the create condition makes it so |
 * | SIDE_EFFECT_REPORT  | PATIENT#<patientId>     | SIDE_EFFECT#<reportId>               | |
 * | ADVERSE_EVENT       | PATIENT#<patientId>     | ADVERSE_EVENT#<adverseEventId>       | |
 * | FILL                | PATIENT#<patientId>     | FILL#<nnnn>                          | by refill cycle (0000 = first fill); created once |
 * | ASSESSMENT          | PATIENT#<patientId>     | ASSESSMENT#<assessmentId>            | GAD-7, PHQ-9... at a point of the journey |
 * | REMINDER_SENT       | PATIENT#<patientId>     | REMINDER#<reminderKey>               | once-only email marker: `unconfirmed` before SES, `sent` + message id after |
 * | STEP                | PATIENT#<patientId>     | STEP#<journeyId>#<stepKey>           | one waiting workflow step: its CURRENT task token, status, round, decision, the hashes of its links |
 * | INTAKE              | PATIENT#<patientId>     | INTAKE#<journeyId>                   | the intake questionnaires as submitted; created once |
 * | AWAIT               | PATIENT#<patientId>     | AWAIT#<sha256(taskToken)>            | a `.waitForTaskToken` wait until a time (record-progress `await`): its task token, `until`, status; TTL |
 * | AUDIT               | PATIENT#<patientId>     | AUDIT#<ISO instant>#<eventId>        | sorts by time (events of one millisecond by id); written in the change's own transaction |
 * | LINK                | LINK#<sha256(token)>    | LINK                                 | the link itself: names its step (journeyId, stepKey, stepRound); GSI1 keys while pending; TTL |
 * | LINK_RATE           | LINK_RATE#<sha256(token)> | MINUTE#<YYYY-MM-DDTHH:MM>          | POST counter of one link in one minute; TTL; not audited (no state of the journey) |
 * | IDEMPOTENCY         | IDEMPOTENCY#<key>       | IDEMPOTENCY                          | a handler's remembered result for retries; TTL |
 *
 * Ids are chosen by the caller and must not contain `#` (the builders refuse them), which is what makes
 * keys of different item types unable to collide. Prefer ids derived from the workflow step (e.g. the
 * execution name) over random ones, so a retried handler addresses the same item and its create
 * condition turns the retry into a no-op instead of a duplicate.
 *
 * ## Waiting steps and their links
 * A step may have several links (the first email, the reminder, the backup clinician, the notice to the
 * clinician); each LINK names its step. Deciding is ONE conditional update of the STEP (status = pending
 * AND version = read), in one transaction with the links' status, the answer's own items and the audit
 * event, so the first POST on any link of the step wins.
 *
 * ## Interruptible waits
 * An AWAIT is registered in one transaction with a ConditionCheck "not on hold" on the JOURNEY, and a hold
 * is one conditional write on the same JOURNEY followed by a strongly consistent Query of AWAIT#: so a wait
 * is either refused (on hold already) or found and ended by the hold, never missed.
 *
 * ## Global secondary indexes (both sparse: only items that carry the attributes appear)
 * | index | PK attribute / pattern         | SK attribute / pattern             | who carries it |
 * |-------|--------------------------------|------------------------------------|----------------|
 * | GSI1 "pending links by person" | `GSI1PK` = PERSON#<personId> | `GSI1SK` = LINK#<expiresAt ISO>#<tokenHash> | a LINK while it is pending; the decision REMOVEs both attributes |
 * | GSI2 "journeys by status"      | `GSI2PK` = JOURNEY_STATUS#<status> | `GSI2SK` = PHASE#<phase>#<patientId> | every JOURNEY; rewritten when status or phase changes |
 *
 * A clinic has hundreds, not millions, of journeys, so one GSI2 partition per status stays far below
 * DynamoDB's per-partition limits.
 *
 * ## TTL
 * {@link TTL_ATTRIBUTE} (epoch seconds) on LINK, LINK_RATE, AWAIT and IDEMPOTENCY items. DynamoDB deletes expired items
 * lazily (within days), so readers must still compare the link's own `expiresAt` with `now()`: TTL is
 * housekeeping, never the expiry check.
 *
 * ## Access patterns (no Scan on any request path)
 * | access pattern                                     | operation |
 * |----------------------------------------------------|-----------|
 * | a patient's whole journey + audit trail (console, staff API "read a journey") | Query PK = PATIENT#p (one request; paginated past 1 MB) |
 * | one item (journey before a change, a session, the profile) | GetItem (PK, SK), strongly consistent |
 * | a patient's items of one type (all fills, all sessions, audit trail) | Query PK = PATIENT#p AND begins_with(SK, <prefix>) |
 * | the last fill / a session by number                | GetItem with the number, or Query FILL# descending, Limit 1 |
 * | open a link from its token                         | GetItem PK = LINK#sha256(token), SK = LINK |
 * | the step behind a link                             | GetItem LINK, then GetItem STEP (strongly consistent) |
 * | decide a step once, from any of its links          | TransactWriteItems: Update STEP (status = pending, version) + its LINKs + the answer's items + AUDIT |
 * | one step by journey and key (staff API)            | GetItem STEP |
 * | a patient's pending steps (end them on a hold)     | Query PK = PATIENT#p AND begins_with(SK, STEP#), filter status |
 * | a patient's waits (end them on a hold)             | Query PK = PATIENT#p AND begins_with(SK, AWAIT#), strongly consistent |
 * | a clinician's / person's pending links             | Query GSI1 PK = PERSON#id (ordered by expiry) |
 * | journeys by status, optionally by phase (console)  | Query GSI2 PK = JOURNEY_STATUS#s [AND begins_with(SK, PHASE#x#)] |
 * | put a patient on hold                              | TransactWriteItems: Update JOURNEY (onHold = true) + AUDIT |
 * | gate a dosing step on "not on hold"                | ConditionCheck on JOURNEY inside the step's own transaction |
 * | send a reminder once, at least once                | TransactWriteItems: create REMINDER_SENT (attribute_not_exists) + AUDIT; after SES: Update it `sent` + AUDIT |
 * | record a fill exactly once                         | TransactWriteItems: create FILL#cycle + Update JOURNEY + AUDIT |
 * | limit POSTs to one link                            | Update LINK_RATE#hash / MINUTE#m (ADD a count, condition below the limit) |
 * | handler retry with the same input                  | GetItem / conditional Put on IDEMPOTENCY#key |
 */

export const TABLE_KEY = { partitionKey: 'PK', sortKey: 'SK' } as const;

export const INDEXES = {
  /** GSI1: a person's (clinician's or patient's) pending links, soonest expiry first */
  pendingLinksByPerson: { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  /** GSI2: journeys by status, then phase, for the console */
  journeysByStatus: { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
} as const;

/** Epoch seconds; DynamoDB TTL deletes the item some time after it passes. */
export const TTL_ATTRIBUTE = 'expiresAtEpochSeconds';

/** The environment variable that names the table (validated in functions/platform/environment.ts). */
export const TABLE_NAME_ENV = 'TABLE_NAME';

export const ITEM_TYPES = [
  'PROFILE',
  'JOURNEY',
  'EVALUATION',
  'SCREENING',
  'TREATMENT_PLAN',
  'SESSION',
  'CHECK_IN',
  'JOURNAL_ENTRY',
  'SIDE_EFFECT_REPORT',
  'ADVERSE_EVENT',
  'FILL',
  'ASSESSMENT',
  'REMINDER_SENT',
  'STEP',
  'INTAKE',
  'AWAIT',
  'AUDIT',
  'LINK',
  'LINK_RATE',
  'IDEMPOTENCY',
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** The attributes that make up an item's primary key. */
export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

/**
 * Sort-key prefixes of the patient partition, for `queryPatientPartition(..., { skPrefix })`.
 * Each ends in `#` (or is a whole literal), so no prefix matches another type's keys.
 */
export const PATIENT_SK_PREFIX = {
  evaluation: 'EVALUATION#',
  screening: 'SCREENING#',
  treatmentPlan: 'PLAN#',
  session: 'SESSION#',
  checkIn: 'CHECKIN#',
  journalEntry: 'JOURNAL#',
  sideEffectReport: 'SIDE_EFFECT#',
  adverseEvent: 'ADVERSE_EVENT#',
  fill: 'FILL#',
  assessment: 'ASSESSMENT#',
  reminderSent: 'REMINDER#',
  step: 'STEP#',
  intake: 'INTAKE#',
  await: 'AWAIT#',
  audit: 'AUDIT#',
} as const;

const PATIENT_PK_PREFIX = 'PATIENT#';
const SESSION_DIGITS = 3;
const FILL_DIGITS = 4;

export class InvalidKeyPart extends Error {
  override readonly name = 'InvalidKeyPart';
}

function part(label: string, value: string): string {
  if (value.length === 0) throw new InvalidKeyPart(`${label} must not be empty`);
  if (value.includes('#')) throw new InvalidKeyPart(`${label} must not contain "#": ${JSON.stringify(value)}`);
  return value;
}

function numbered(label: string, value: number, digits: number): string {
  const max = 10 ** digits - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidKeyPart(`${label} must be an integer from 0 to ${max}, got ${value}`);
  }
  return String(value).padStart(digits, '0');
}

function isoInstant(label: string, value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new InvalidKeyPart(`${label} must be a valid instant`);
  // toISOString is fixed-width for years 0-9999, so the strings sort in time order.
  return date.toISOString();
}

function tokenHashPart(tokenHash: string): string {
  if (!/^[0-9a-f]{64}$/.test(tokenHash)) {
    throw new InvalidKeyPart('tokenHash must be the lowercase hex SHA-256 of the link token');
  }
  return tokenHash;
}

function patientPk(patientId: string): string {
  return PATIENT_PK_PREFIX + part('patientId', patientId);
}

/** Primary keys of every item type. The only place key strings are made. */
export const keys = {
  profile: (patientId: string): ItemKey => ({ PK: patientPk(patientId), SK: 'PROFILE' }),
  journey: (patientId: string): ItemKey => ({ PK: patientPk(patientId), SK: 'JOURNEY' }),
  evaluation: (patientId: string, evaluationId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.evaluation + part('evaluationId', evaluationId),
  }),
  screening: (patientId: string, screeningId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.screening + part('screeningId', screeningId),
  }),
  treatmentPlan: (patientId: string, planId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.treatmentPlan + part('planId', planId),
  }),
  session: (patientId: string, sessionNumber: number): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.session + numbered('sessionNumber', sessionNumber, SESSION_DIGITS),
  }),
  checkIn: (patientId: string, sessionNumber: number, checkInId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: `${PATIENT_SK_PREFIX.checkIn}${numbered('sessionNumber', sessionNumber, SESSION_DIGITS)}#${part('checkInId', checkInId)}`,
  }),
  journalEntry: (patientId: string, sessionNumber: number): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.journalEntry + numbered('sessionNumber', sessionNumber, SESSION_DIGITS),
  }),
  sideEffectReport: (patientId: string, reportId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.sideEffectReport + part('reportId', reportId),
  }),
  adverseEvent: (patientId: string, adverseEventId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.adverseEvent + part('adverseEventId', adverseEventId),
  }),
  fill: (patientId: string, refillCycle: number): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.fill + numbered('refillCycle', refillCycle, FILL_DIGITS),
  }),
  assessment: (patientId: string, assessmentId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.assessment + part('assessmentId', assessmentId),
  }),
  reminderSent: (patientId: string, reminderKey: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.reminderSent + part('reminderKey', reminderKey),
  }),
  /** one waiting workflow step (see "Waiting steps and their links" above) */
  step: (patientId: string, journeyId: string, stepKey: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: `${PATIENT_SK_PREFIX.step}${part('journeyId', journeyId)}#${part('stepKey', stepKey)}`,
  }),
  /** the intake questionnaires as the patient submitted them, one per journey */
  intake: (patientId: string, journeyId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.intake + part('journeyId', journeyId),
  }),
  /** one interruptible wait; awaitId is the SHA-256 (hex) of its task token (see "Interruptible waits" above) */
  await: (patientId: string, awaitId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: PATIENT_SK_PREFIX.await + part('awaitId', awaitId),
  }),
  audit: (patientId: string, at: Date | string, eventId: string): ItemKey => ({
    PK: patientPk(patientId),
    SK: `${PATIENT_SK_PREFIX.audit}${isoInstant('at', at)}#${part('eventId', eventId)}`,
  }),
  link: (tokenHash: string): ItemKey => ({ PK: `LINK#${tokenHashPart(tokenHash)}`, SK: 'LINK' }),
  /** POSTs to one link within one minute (UTC, "YYYY-MM-DDTHH:MM"), for the per-link rate limit */
  linkRate: (tokenHash: string, minute: string): ItemKey => ({
    PK: `LINK_RATE#${tokenHashPart(tokenHash)}`,
    SK: `MINUTE#${part('minute', minute)}`,
  }),
  idempotency: (idempotencyKey: string): ItemKey => ({
    PK: `IDEMPOTENCY#${part('idempotencyKey', idempotencyKey)}`,
    SK: 'IDEMPOTENCY',
  }),
} as const;

/** The partition key of a patient, for queries over the whole partition. */
export function patientPartitionKey(patientId: string): string {
  return patientPk(patientId);
}

/** GSI1 attributes a pending LINK carries; remove both when the link is decided, used or expired. */
export function pendingLinkIndexKeys(
  personId: string,
  expiresAt: Date | string,
  tokenHash: string,
): { GSI1PK: string; GSI1SK: string } {
  return {
    GSI1PK: `PERSON#${part('personId', personId)}`,
    GSI1SK: `LINK#${isoInstant('expiresAt', expiresAt)}#${tokenHashPart(tokenHash)}`,
  };
}

/** GSI1 partition of one person, for listing their pending links. */
export function pendingLinksPartitionKey(personId: string): string {
  return `PERSON#${part('personId', personId)}`;
}

/** GSI2 attributes every JOURNEY carries; rewrite them whenever its status or phase changes. */
export function journeyStatusIndexKeys(
  status: string,
  phase: string,
  patientId: string,
): { GSI2PK: string; GSI2SK: string } {
  return {
    GSI2PK: journeysByStatusPartitionKey(status),
    GSI2SK: `${journeysInPhasePrefix(phase)}${part('patientId', patientId)}`,
  };
}

export function journeysByStatusPartitionKey(status: string): string {
  return `JOURNEY_STATUS#${part('status', status)}`;
}

/** GSI2 sort-key prefix that narrows journeys of one status to one phase. */
export function journeysInPhasePrefix(phase: string): string {
  return `PHASE#${part('phase', phase)}#`;
}

/** The TTL attribute's value for an expiry instant (DynamoDB wants whole epoch seconds). */
export function ttlEpochSeconds(expiresAt: Date): number {
  return Math.ceil(expiresAt.getTime() / 1000);
}
