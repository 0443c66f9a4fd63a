/**
 * The log line a workflow task writes when a clinical hold stops it. Lambda counts the task's
 * `PatientOnHold` as a function error (the ASL needs an error to Catch), so the stack turns this line
 * into a metric and subtracts it from the function's errors: a hold is the safety rule working and must
 * not page the ops team, while every other error still does.
 */
export const holdStopLog = {
  message: 'task stopped by a clinical hold',
  /** the structured field naming the function, the metric's dimension */
  functionIdField: 'functionId',
} as const;
