import type { JourneyRecord } from '../store/read-journey.ts';
import type { StoredItem } from '../store/read-items.ts';

const storeAttributes = new Set([
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'expiresAtEpochSeconds',
  'itemType',
]);

/** Strips the store's key attributes: the API speaks of patients and journeys, not of table keys. */
function clean(item: StoredItem | undefined): Record<string, unknown> | undefined {
  if (item === undefined) return undefined;
  return Object.fromEntries(Object.entries(item).filter(([name]) => !storeAttributes.has(name)));
}

/**
 * A patient's journey as the staff API shows it: the record of one Query, without table keys and
 * without links (their pointers are for the link pages, and the audit trail already says who decided).
 */
export function journeyView(record: JourneyRecord): Record<string, unknown> {
  const list = (items: readonly StoredItem[]) => items.map((item) => clean(item));
  return {
    patient: clean(record.profile),
    journey: clean(record.journey),
    evaluations: list(record.evaluations),
    screenings: list(record.screenings),
    treatmentPlans: list(record.treatmentPlans),
    sessions: list(record.sessions),
    checkIns: list(record.checkIns),
    journalEntries: list(record.journalEntries),
    sideEffectReports: list(record.sideEffectReports),
    adverseEvents: list(record.adverseEvents),
    fills: list(record.fills),
    assessments: list(record.assessments),
    remindersSent: list(record.remindersSent),
    audit: record.audit.map((event) => clean(event as unknown as StoredItem)),
  };
}
