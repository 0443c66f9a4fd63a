/**
 * The platform's errors, as values with names: a bad clinic config stops synth and the local runtime with
 * a sentence; a task input that does not match its schema fails the task under this name.
 */

/** A task's input does not match its function's schema (functions/platform/workflow-handler.ts). */
export class InvalidTaskInput extends Error {
  override readonly name = 'InvalidTaskInput';
}

/** The clinic's config does not match its schema; the message names each bad field. */
export class InvalidClinicConfig extends Error {
  override readonly name = 'InvalidClinicConfig';
}
