import type { Protocol } from '../../domain/protocol.ts';
import { dueAt } from '../../domain/reminder-timing.ts';
import type { StoredFill } from '../../patient/stored-records.ts';
import { DAY_MS } from '../../domain/durations.ts';

export interface RefillWindow {
  readonly key: string;
  /** when the window opens with its reminder (moved out of the patient's quiet hours) */
  readonly opensAt: string;
  /** the earliest the refill may be filled: the protocol's interval after the last fill */
  readonly dueAt: string;
  readonly reasons: readonly string[];
  readonly protocolVersion: string;
}

export function planRefillWindow(
  input: { cycle: number; fills: readonly StoredFill[]; patientTimeZone: string },
  protocol: Protocol,
  now: Date,
): RefillWindow {
  const last = input.fills.reduce<number | undefined>(
    (latest, f) => Math.max(latest ?? 0, Date.parse(f.filledAt)),
    undefined,
  );
  const key = `refill-${input.cycle}`;
  if (last === undefined) {
    // the gate refuses a refill without a previous fill; open now so that refusal is seen at once
    return {
      key,
      opensAt: now.toISOString(),
      dueAt: now.toISOString(),
      reasons: ['no fill recorded: the window opens now'],
      protocolVersion: protocol.version,
    };
  }
  const opens = dueAt('refill-window-opens', new Date(last), input.patientTimeZone, protocol);
  return {
    key,
    opensAt: new Date(Math.max(opens.dueAt.getTime(), now.getTime())).toISOString(),
    dueAt: new Date(last + protocol.refill.minimumDaysSinceLastFill * DAY_MS).toISOString(),
    reasons: opens.reasons.map((r) => r.message),
    protocolVersion: protocol.version,
  };
}
