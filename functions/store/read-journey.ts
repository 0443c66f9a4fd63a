import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from './audited-change.ts';
import { queryPatientPartition, type StoredItem } from './read-items.ts';

/** A patient's whole journey, grouped by item type; lists are in key order (sessions by number, audit by time). */
export interface JourneyRecord {
  readonly profile: StoredItem | undefined;
  readonly journey: StoredItem | undefined;
  readonly evaluations: StoredItem[];
  readonly screenings: StoredItem[];
  readonly treatmentPlans: StoredItem[];
  readonly sessions: StoredItem[];
  readonly checkIns: StoredItem[];
  readonly journalEntries: StoredItem[];
  readonly sideEffectReports: StoredItem[];
  readonly adverseEvents: StoredItem[];
  readonly fills: StoredItem[];
  readonly assessments: StoredItem[];
  readonly remindersSent: StoredItem[];
  /** the journey's waiting steps, decided or not (their links live in their own partitions) */
  readonly steps: StoredItem[];
  readonly audit: AuditRecord[];
}

/**
 * Reads everything of one patient with ONE Query over the patient's partition (more requests only if
 * the partition outgrows DynamoDB's 1 MB page, i.e. years of history).
 */
export async function readJourney(
  client: DynamoDBDocumentClient,
  tableName: string,
  patientId: string,
): Promise<JourneyRecord> {
  const record: JourneyRecord = {
    profile: undefined,
    journey: undefined,
    evaluations: [],
    screenings: [],
    treatmentPlans: [],
    sessions: [],
    checkIns: [],
    journalEntries: [],
    sideEffectReports: [],
    adverseEvents: [],
    fills: [],
    assessments: [],
    remindersSent: [],
    steps: [],
    audit: [],
  };
  const grouped: { -readonly [K in keyof JourneyRecord]: JourneyRecord[K] } = record;
  for (const item of await queryPatientPartition(client, tableName, patientId)) {
    switch (item.itemType) {
      case 'PROFILE':
        grouped.profile = item;
        break;
      case 'JOURNEY':
        grouped.journey = item;
        break;
      case 'EVALUATION':
        grouped.evaluations.push(item);
        break;
      case 'SCREENING':
        grouped.screenings.push(item);
        break;
      case 'TREATMENT_PLAN':
        grouped.treatmentPlans.push(item);
        break;
      case 'SESSION':
        grouped.sessions.push(item);
        break;
      case 'CHECK_IN':
        grouped.checkIns.push(item);
        break;
      case 'JOURNAL_ENTRY':
        grouped.journalEntries.push(item);
        break;
      case 'SIDE_EFFECT_REPORT':
        grouped.sideEffectReports.push(item);
        break;
      case 'ADVERSE_EVENT':
        grouped.adverseEvents.push(item);
        break;
      case 'FILL':
        grouped.fills.push(item);
        break;
      case 'ASSESSMENT':
        grouped.assessments.push(item);
        break;
      case 'REMINDER_SENT':
        grouped.remindersSent.push(item);
        break;
      case 'STEP':
        grouped.steps.push(item);
        break;
      case 'AUDIT':
        grouped.audit.push(item as unknown as AuditRecord);
        break;
      case 'LINK':
      case 'LINK_RATE':
      case 'IDEMPOTENCY':
        // These live in their own partitions; finding one here would mean a key built by hand.
        throw new Error(`item ${item.PK} / ${item.SK} of type ${item.itemType} is in a patient partition`);
    }
  }
  return record;
}
