import type { Protocol } from './protocol.ts';
import type { TreatmentPlan } from './schemas/treatment-plan.ts';

export interface FillQuantity {
  /** maintenance doses the fill supplies: one per the plan's interval within its days of supply, at most the protocol's cap */
  readonly doses: number;
  readonly doseMg: number;
  /** what the pharmacy dispenses: doses × the plan's dose */
  readonly totalMg: number;
  /** the doses the plan alone would give, when the protocol's cap cut them (null when it did not) */
  readonly cappedFrom: number | null;
  readonly reasons: readonly string[];
}

/**
 * What one fill supplies: a dose every `maintenanceIntervalDays` for the supply period (the fill's days,
 * themselves never above the protocol's), never more doses than `maintenance.maxDosesPerFill`. Plan approval
 * refuses a plan the cap would cut; the cap is applied here too, so a protocol tightened after the plan was
 * approved still holds at the next fill.
 */
export function fillQuantity(
  plan: Pick<TreatmentPlan, 'doseMg' | 'daysOfSupply' | 'maintenanceIntervalDays'>,
  protocol: Protocol,
): FillQuantity {
  const days = Math.min(plan.daysOfSupply, protocol.supply.maxDaysPerFill);
  const planned = Math.floor(days / plan.maintenanceIntervalDays);
  const cap = protocol.maintenance.maxDosesPerFill;
  const doses = Math.min(planned, cap);
  const reasons = [
    `a dose every ${plan.maintenanceIntervalDays} days for ${days} days: ${planned} dose(s) of ${plan.doseMg} mg`,
  ];
  if (planned > cap) reasons.push(`capped at ${cap} doses per fill (maintenance.maxDosesPerFill)`);
  return {
    doses,
    doseMg: plan.doseMg,
    totalMg: doses * plan.doseMg,
    cappedFrom: planned > cap ? planned : null,
    reasons,
  };
}
