import { getItem } from '../store/read-items.ts';
import { readJourney, type JourneyRecord } from '../store/read-journey.ts';
import { keys, PATIENT_SK_PREFIX } from '../store/table-design.ts';
import { functionContext } from '../platform/function-context.ts';
import { PatientNotFound } from './journey-errors.ts';
import {
  idAfterPrefix,
  readStored,
  storedAdverseEvent,
  storedAssessment,
  storedEvaluation,
  storedFill,
  storedIntake,
  storedJournalEntry,
  storedJourney,
  storedPatient,
  storedPlan,
  storedScreening,
  storedSession,
  type JourneyState,
  type StoredAdverseEvent,
  type StoredAssessment,
  type StoredEvaluation,
  type StoredFill,
  type StoredIntake,
  type StoredJournalEntry,
  type StoredPatient,
  type StoredPlan,
  type StoredScreening,
  type StoredSession,
} from './stored-records.ts';

/** Everything a step or a page needs to know about one patient, typed with the domain's schemas. */
export interface PatientContext {
  readonly patient: StoredPatient;
  readonly journey: JourneyState;
  /** the latest approved treatment plan, if any */
  readonly plan: StoredPlan | undefined;
  readonly plans: readonly StoredPlan[];
  /** by number; `journalRef` is set when the session's journal entry is stored */
  readonly sessions: readonly StoredSession[];
  readonly journalEntries: readonly StoredJournalEntry[];
  /** in key order: cycle 0 (the initial fill) first */
  readonly fills: readonly StoredFill[];
  readonly evaluations: readonly StoredEvaluation[];
  /** oldest first; the last one is the current screening */
  readonly screenings: readonly StoredScreening[];
  /** every assessment after the intake, oldest first */
  readonly assessments: readonly StoredAssessment[];
  readonly adverseEvents: readonly StoredAdverseEvent[];
  /** present only when asked for with `{ withIntake: true }` */
  readonly intake: StoredIntake | undefined;
  /** the raw items, audit trail included */
  readonly record: JourneyRecord;
}

export interface LoadOptions {
  /** also read the intake questionnaires (one GetItem more; screening and follow-up need them) */
  readonly withIntake?: boolean;
}

/**
 * One Query over the patient's partition (readJourney), parsed into domain types. A missing profile or
 * journey is PatientNotFound; an item that does not match its schema is StoredItemInvalid.
 */
export async function loadPatientContext(patientId: string, options: LoadOptions = {}): Promise<PatientContext> {
  const { client, tableName } = functionContext();
  const record = await readJourney(client, tableName, patientId);
  if (record.profile === undefined || record.journey === undefined) throw new PatientNotFound(patientId);
  const patient = readStored(storedPatient, record.profile);
  const journey: JourneyState = { ...readStored(storedJourney, record.journey), version: record.journey.version };

  const journalEntries = record.journalEntries.map((item) => readStored(storedJournalEntry, item));
  const journaled = new Set(journalEntries.map((entry) => entry.sessionNumber));
  const sessions = record.sessions.map((item) => {
    const session = readStored(storedSession, item);
    return {
      ...session,
      journalRef: session.journalRef ?? (journaled.has(session.number) ? `journal-${session.number}` : null),
    };
  });
  const plans = record.treatmentPlans.map((item) =>
    readStored(storedPlan, item, { planId: idAfterPrefix(item, PATIENT_SK_PREFIX.treatmentPlan) }),
  );
  const approved = plans
    .filter((plan) => plan.approvedAt !== undefined)
    .sort((a, b) => Date.parse(a.approvedAt ?? '') - Date.parse(b.approvedAt ?? ''));

  let intake: StoredIntake | undefined;
  if (options.withIntake === true) {
    const item = await getItem(client, tableName, keys.intake(patientId, journey.id));
    // The intake page may keep the questionnaires under `intake` or flat on the item.
    if (item !== undefined)
      intake = readStored(
        storedIntake,
        item,
        typeof item.intake === 'object' && item.intake !== null ? (item.intake as Record<string, unknown>) : {},
      );
  }

  return {
    patient,
    journey,
    plan: approved.at(-1),
    plans,
    sessions,
    journalEntries,
    fills: record.fills.map((item) => readStored(storedFill, item)),
    evaluations: record.evaluations.map((item) => readStored(storedEvaluation, item)),
    screenings: record.screenings.map((item) =>
      readStored(storedScreening, item, { screeningId: idAfterPrefix(item, PATIENT_SK_PREFIX.screening) }),
    ),
    assessments: record.assessments.map((item) =>
      readStored(storedAssessment, item, { assessmentId: idAfterPrefix(item, PATIENT_SK_PREFIX.assessment) }),
    ),
    adverseEvents: record.adverseEvents.map((item) => readStored(storedAdverseEvent, item)),
    intake,
    record,
  };
}
