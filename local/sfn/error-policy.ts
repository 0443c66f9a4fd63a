/** How a state's error meets its Retry and Catch lists (ASL "Error names", "Retrying after an error"). */
import type { Retrier } from './definition.ts';

/** Terminal errors no wildcard may retry or catch. */
const UNCATCHABLE_BY_WILDCARD = new Set(['States.Runtime', 'States.DataLimitExceeded']);

export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === 'States.ALL' && !UNCATCHABLE_BY_WILDCARD.has(error)) return true;
    // States.TaskFailed is a wildcard for every error but a timeout.
    if (name === 'States.TaskFailed' && error !== 'States.Timeout' && !UNCATCHABLE_BY_WILDCARD.has(error)) return true;
  }
  return false;
}

/** The delay before retry number `attempt` (0 for the first retry), in milliseconds. */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  let seconds = interval * rate ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

export function maxAttempts(retrier: Retrier): number {
  return retrier.MaxAttempts ?? 3;
}
