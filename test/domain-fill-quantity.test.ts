import { describe, expect, it } from 'vitest';
import { fillQuantity } from '../functions/domain/fill-quantity.ts';
import { defaultProtocol, type Protocol } from '../functions/domain/protocol.ts';
import type { TreatmentPlan } from '../functions/domain/schemas/index.ts';
import { validateTreatmentPlan } from '../functions/domain/treatment-plan.ts';
import { NOW, aTreatmentPlan } from './support/domain-fixtures.ts';
import { DAY_MS } from '../functions/domain/durations.ts';

const protocol = defaultProtocol;
const plan = (maintenanceIntervalDays: number, daysOfSupply = 30, doseMg = 300) => ({
  maintenanceIntervalDays,
  daysOfSupply,
  doseMg,
});
const record = {
  prescriberId: 'dr-lee',
  timeZone: 'America/New_York',
  weightKg: 70,
  firstPlan: false,
  pdmpCheckedAt: new Date(NOW.getTime() - DAY_MS).toISOString(),
  evaluations: [{ modality: 'telehealth' as const, clinicianId: 'dr-lee' }],
};

function problemsWith(change: Partial<TreatmentPlan>, rules: Protocol = protocol): string[] {
  const result = validateTreatmentPlan({ ...aTreatmentPlan(), ...change }, rules, NOW, record);
  return result.ok ? [] : result.errors.filter((e) => e.field === 'maintenanceIntervalDays').map((e) => e.message);
}

describe('what one refill supplies: a dose every maintenanceIntervalDays for the supply period, never above the cap', () => {
  it.each<[string, ReturnType<typeof plan>, number, number]>([
    ['weekly for 30 days: 4 doses (the cap)', plan(7), 4, 1_200],
    ['every 10 days for 30 days: 3 doses', plan(10), 3, 900],
    ['every 14 days for 30 days: 2 doses', plan(14), 2, 600],
    ['every 15 days for 30 days: 2 doses (the edge)', plan(15), 2, 600],
    ['every 16 days for 30 days: 1 dose', plan(16), 1, 300],
    ['every 28 days for 30 days: 1 dose', plan(28), 1, 300],
    ['every 28 days for 27 days: none', plan(28, 27), 0, 0],
    ['supply days above the protocol count only to its 30: weekly for "60" days is 4 doses', plan(7, 60), 4, 1_200],
  ])('%s', (_name, input, doses, totalMg) => {
    const supply = fillQuantity(input, protocol);
    expect([supply.doses, supply.totalMg]).toEqual([doses, totalMg]);
    expect(supply.cappedFrom).toBeNull();
  });

  it('cuts to the protocol cap, and says so, when the protocol is tighter than the plan', () => {
    const tighter: Protocol = { ...protocol, maintenance: { ...protocol.maintenance, maxDosesPerFill: 3 } };
    const supply = fillQuantity(plan(7), tighter);
    expect(supply).toMatchObject({ doses: 3, totalMg: 900, cappedFrom: 4 });
    expect(supply.reasons.join('; ')).toContain('capped at 3 doses per fill (maintenance.maxDosesPerFill)');
  });
});

describe('plan approval checks the maintenance cadence', () => {
  it.each<[string, number, number, string[]]>([
    ['every 7 days (the minimum) is allowed', 7, 30, []],
    ['every 28 days (the maximum) is allowed', 28, 30, []],
    [
      'every 6 days is too often',
      6,
      30,
      ["maintenanceIntervalDays: expected every 7 to 28 days, the protocol's maintenance range (got 6)"],
    ],
    [
      'every 29 days is too far apart',
      29,
      30,
      ["maintenanceIntervalDays: expected every 7 to 28 days, the protocol's maintenance range (got 29)"],
    ],
    [
      'every 28 days with 21 days of supply has no dose in a fill',
      28,
      21,
      ['maintenanceIntervalDays: expected a dose at least once in the 21 days of a fill (got every 28 days)'],
    ],
  ])('%s', (_name, maintenanceIntervalDays, daysOfSupply, messages) => {
    expect(problemsWith({ maintenanceIntervalDays, daysOfSupply })).toEqual(messages);
  });

  it('refuses a cadence that would put more doses in a fill than the protocol allows', () => {
    const tighter: Protocol = { ...protocol, maintenance: { ...protocol.maintenance, maxDosesPerFill: 3 } };
    expect(problemsWith({ maintenanceIntervalDays: 7 }, tighter)).toEqual([
      "maintenanceIntervalDays: a dose every 7 days for 30 days is 4 doses per fill, above the protocol's cap of 3",
    ]);
  });

  it('needs the cadence: a plan without it is refused with a field error', () => {
    const { maintenanceIntervalDays: _omitted, ...withoutCadence } = aTreatmentPlan();
    const result = validateTreatmentPlan(withoutCadence, protocol, NOW, record);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toContain('maintenanceIntervalDays');
  });
});
