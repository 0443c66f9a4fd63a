import type { FieldError } from './schemas/field-errors.ts';

/**
 * Errors the domain core raises, as values with names. The edges map them: a handler to an HTTP status,
 * a workflow task to an ASL error name (the `name`), never by comparing message strings. Every area's
 * errors module (domain-errors, store-errors, journey-errors, link-errors, platform-errors) names its
 * errors for what happened, without an `Error` suffix: `TreatmentPlanRejected`, `ConcurrentUpdate`.
 */
export abstract class DomainError extends Error {
  abstract override readonly name: string;
  /** stable, machine-readable; safe to show and to log (never carries PHI) */
  abstract readonly code: string;
}

/** Input did not match its schema; `errors` say which field and what was expected (a 400). */
export class ValidationFailed extends DomainError {
  override readonly name = 'ValidationFailed';
  readonly code = 'VALIDATION_FAILED';
  readonly errors: readonly FieldError[];

  constructor(errors: readonly FieldError[], what = 'input') {
    super(`${what} is invalid: ${errors.map((error) => error.message).join('; ')}`);
    this.errors = errors;
  }
}

/** A treatment plan breaks the protocol's limits and cannot be approved as it stands (a 422). */
export class TreatmentPlanRejected extends DomainError {
  override readonly name = 'TreatmentPlanRejected';
  readonly code = 'TREATMENT_PLAN_REJECTED';
  readonly errors: readonly FieldError[];

  constructor(errors: readonly FieldError[]) {
    super(`the treatment plan breaks the protocol: ${errors.map((error) => error.message).join('; ')}`);
    this.errors = errors;
  }
}

/** A follow-up score compared with a baseline of another instrument (GAD-7 against PHQ-9). */
export class MismatchedInstruments extends DomainError {
  override readonly name = 'MismatchedInstruments';
  readonly code = 'MISMATCHED_INSTRUMENTS';
}

/** Not an IANA time zone this runtime knows. */
export class InvalidTimeZone extends DomainError {
  override readonly name = 'InvalidTimeZone';
  readonly code = 'INVALID_TIME_ZONE';
}

/** A reminder kind the timing rules do not know. */
export class UnknownReminderKind extends DomainError {
  override readonly name = 'UnknownReminderKind';
  readonly code = 'UNKNOWN_REMINDER_KIND';
}

/** A protocol, or a clinic's overrides of it, that breaks the protocol schema or is not signed. */
export class InvalidProtocol extends Error {
  override readonly name = 'InvalidProtocol';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
