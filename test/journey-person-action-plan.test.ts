import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import { planPersonAction } from '../functions/journey/steps/plan-person-action.ts';
import { parseClinicConfig } from '../functions/platform/clinic-config.ts';
import exampleConfig from '../clinic.config.example.json' with { type: 'json' };
import { DAY_SECONDS as DAY } from '../functions/domain/durations.ts';

const clinic = parseClinicConfig(exampleConfig);
// the refill window opens (and the request is asked) on a weekday afternoon in the patient's zone
const windowOpens = new Date('2026-03-10T18:00:00Z');
const input = {
  purpose: 'refill-request',
  patientId: 'p-1',
  patientTimeZone: 'America/New_York',
  assignedClinicianId: 'dr-rivera',
  consultAt: null,
} as const;

describe('how long a refill request stays open', () => {
  const plan = planPersonAction(input, clinic, defaultProtocol, windowOpens);
  const { windowOpensDaysBeforeDue, requestOpenDaysAfterDue } = defaultProtocol.refill;

  it('outlives the day the fill falls due by the protocol grace, so a patient who waits for it keeps the refill', () => {
    const expires = (Date.parse(plan.expiresAt) - windowOpens.getTime()) / 1000;
    expect(expires).toBe((windowOpensDaysBeforeDue + requestOpenDaysAfterDue) * DAY);
    expect(expires).toBeGreaterThan(windowOpensDaysBeforeDue * DAY);
  });

  it("tells the patient's clinician on the due day when nothing came, and never earlier", () => {
    expect(plan.escalationPerson).toEqual({ kind: 'clinician', id: 'dr-rivera' });
    expect(plan.firstWaitSeconds + plan.reminderWaitSeconds).toBe(windowOpensDaysBeforeDue * DAY);
    expect(plan.firstWaitSeconds + plan.reminderWaitSeconds + plan.escalationWaitSeconds).toBe(
      (windowOpensDaysBeforeDue + requestOpenDaysAfterDue) * DAY,
    );
  });

  it('records the protocol version it planned with', () => {
    expect(plan.protocolVersion).toBe(defaultProtocol.version);
  });
});
