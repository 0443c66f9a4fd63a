import type { Intake, Patient, TreatmentPlan } from '../../functions/domain/schemas/index.ts';

/**
 * Valid domain values for the rule and schema tests. Each test changes only what it is about, so a
 * failure points at that one thing. The intake is ELIGIBLE under the default protocol.
 */

/** `count` answers of at most `max` that add up to `total`, highest first. */
export function itemsSumming(count: number, total: number, max = 3): number[] {
  if (total > count * max) throw new RangeError(`${count} items of at most ${max} cannot sum to ${total}`);
  return Array.from({ length: count }, (_, index) => Math.max(0, Math.min(max, total - index * max)));
}

export const NOW = new Date('2026-06-15T16:00:00Z');

export function aPatient(overrides: Partial<Patient> = {}): Patient {
  return {
    id: 'patient-1',
    firstName: 'Alex',
    lastName: 'Rivera',
    dateOfBirth: '1990-04-02',
    sexAtBirth: 'female',
    timeZone: 'America/New_York',
    email: 'alex@example.com',
    assignedClinicianId: 'dr-lee',
    ...overrides,
  };
}

export function anIntake(): Intake {
  return {
    // PHQ-9 12 (moderate) with item 9 at 0; GAD-7 11 (moderate)
    gad7: { items: [3, 3, 2, 1, 1, 1, 0] },
    phq9: { items: [3, 3, 2, 2, 1, 1, 0, 0, 0] },
    cssrs: {
      wishToBeDead: false,
      suicidalThoughts: false,
      thoughtsOfMethod: false,
      intentToAct: false,
      planWithIntent: false,
      suicidalBehaviour: false,
      behaviourLastOn: null,
    },
    auditC: { items: [1, 1, 0] },
    dast10: { answers: [false, false, true, false, false, false, false, false, false, false] },
    medicalHistory: {
      conditions: [],
      priorTreatments: [{ name: 'sertraline', kind: 'medication' }],
      maniaOrHypomania: false,
    },
    currentMedications: { medications: [{ name: 'levothyroxine 50 mcg', class: 'other' }] },
    vitals: { restingBp: [{ systolic: 122, diastolic: 78 }], weightKg: 70, measuredAt: '2026-06-14T09:00:00-04:00' },
    pregnancy: 'no',
    submittedAt: '2026-06-14T09:05:00-04:00',
  };
}

/** Four sessions a week apart starting 2026-07-01 09:00 New York, follow-up a week after the last. */
export function aTreatmentPlan(): TreatmentPlan {
  return {
    doseMg: 300,
    route: 'sublingual',
    sessionCount: 4,
    intervalDays: 7,
    plannedSessionTimes: [
      '2026-07-01T13:00:00Z',
      '2026-07-08T13:00:00Z',
      '2026-07-15T13:00:00Z',
      '2026-07-22T13:00:00Z',
    ],
    monitoring: { adultMonitorRequired: true, bloodPressureBeforeEachSession: true, notes: '' },
    followUpAt: '2026-07-29T13:00:00Z',
    preparationGuidance:
      'Fast for four hours; arrange for an adult to stay with you; do not drive until the next morning.',
    prescriptionIssuedOn: '2026-06-20',
    refillsAllowed: 5,
    daysOfSupply: 30,
    maintenanceIntervalDays: 14,
  };
}

/**
 * A small clinic for tests that run the functions directly: two clinicians, each the other's backup.
 * Dr. Lee (sam.lee@clinic.test) is the one patients are assigned to.
 */
export const twoClinicianClinic = {
  clinicName: 'Test Clinic',
  senderEmail: 'care@clinic.test',
  defaultTimeZone: 'America/New_York',
  opsAlertEmail: 'ops@clinic.test',
  clinicians: [
    { id: 'dr-lee', name: 'Dr. Sam Lee', email: 'sam.lee@clinic.test', backupId: 'dr-kim' },
    { id: 'dr-kim', name: 'Dr. Jo Kim', email: 'jo.kim@clinic.test', backupId: 'dr-lee' },
  ],
};
