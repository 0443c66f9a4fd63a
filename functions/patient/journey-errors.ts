/**
 * The journey's errors, as values with names: Step Functions uses the `name` as the task's Error (the
 * ASL catches `PatientOnHold`), the staff API maps them to HTTP statuses.
 */

/** A dosing step, reminder or refill met a clinical hold and did nothing (fails closed). */
export class PatientOnHold extends Error {
  override readonly name = 'PatientOnHold';
  readonly patientId: string;
  constructor(patientId: string, what: string) {
    super(`patient ${patientId} is on clinical hold: ${what} was not done`);
    this.patientId = patientId;
  }
}

/**
 * The cause a waiting step is failed with when a hold ends it. Always these words, never the hold's own
 * reason: a task's failure cause is kept in execution history and the workflow logs, and a hold's reason
 * can describe the adverse event.
 */
export const HOLD_STOP_CAUSE = 'the patient was placed on clinical hold';

/** No profile or journey is stored for the patient. */
export class PatientNotFound extends Error {
  override readonly name = 'PatientNotFound';
  readonly patientId: string;
  constructor(patientId: string) {
    super(`no patient ${patientId}`);
    this.patientId = patientId;
  }
}

/** A step needs data that is not stored yet (e.g. the session count before a plan is approved). */
export class JourneyDataMissing extends Error {
  override readonly name = 'JourneyDataMissing';
}

/** A fill would break the refill rules checked again when it is recorded (interval, caps, telehealth cut-off). */
export class RefillNotAllowed extends Error {
  override readonly name = 'RefillNotAllowed';
}

/** A stored item does not match its schema: fail closed, a fill or a hold that cannot be read must not count as absent. */
export class StoredItemInvalid extends Error {
  override readonly name = 'StoredItemInvalid';
}

/** The same key (or patient id) was used for a different patient: nothing is written. */
export class EnrolmentConflict extends Error {
  override readonly name = 'EnrolmentConflict';
}

/** No clinician with this id in the clinic's config. */
export class UnknownClinician extends Error {
  override readonly name = 'UnknownClinician';
}

/** The step is closed for a reason other than a hold (e.g. it expired); a reminder cannot re-arm it. */
export class StepNotWaiting extends Error {
  override readonly name = 'StepNotWaiting';
}

/** The person the link is for cannot be reached (no profile, no such clinician). */
export class RecipientUnknown extends Error {
  override readonly name = 'RecipientUnknown';
}
