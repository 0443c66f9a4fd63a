/**
 * The one notion of "now" every handler and rule uses.
 *
 * On AWS it is the system clock. The local runtime replaces the source with its virtual clock, so a
 * handler that asks "is this link expired?" agrees with the Step Functions engine that just fired a
 * six-week Wait in a millisecond. Never call `new Date()` or `Date.now()` for a decision: call `now()`.
 */
export type ClockSource = () => Date;

const systemClock: ClockSource = () => new Date();
let source: ClockSource = systemClock;

export function now(): Date {
  return source();
}

export function useClockSource(next: ClockSource): void {
  source = next;
}

export function useSystemClock(): void {
  source = systemClock;
}
