/**
 * The links' errors, as values with names: the staff API maps them to HTTP statuses by class
 * (functions/staff-api/handler.ts), Step Functions sees the `name` as the task's Error.
 */

/** The staff API may not decide this kind of step (it is decided on the clinician's own page). */
export class StaffMayNotDecide extends Error {
  override readonly name = 'StaffMayNotDecide';
}
