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
