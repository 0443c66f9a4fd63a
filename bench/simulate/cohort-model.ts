import type { BloodPressure, IntakeAnswers } from '../../test/support/journey-driver.ts';
import { eligibleIntake } from '../../test/support/journey-driver.ts';
import { seededRandom, type Random } from './seeded-random.ts';

/**
 * How the synthetic patients and clinicians behave: every probability and delay in one place. The
 * values are a plausible clinic, not data: the screening mix follows the public eligibility pages and
 * at-home ketamine studies cited in ../shared/DESIGN.md (most referred patients are eligible, some need
 * a clinician's review, a few are excluded); blood pressures are drawn around a treated adult
 * population's mean so that the protocol's postpone threshold (140/90) catches roughly one check-in in
 * ten; the rest (missed check-ins, late journals, severe side effects, refill timing, clinicians'
 * response times) are round numbers chosen to exercise every branch of the journey each month.
 */
export const cohortModel = {
  screening: { eligible: 0.75, 'needs-review': 0.15, ineligible: 0.1 },
  /** a patient who never completes the intake: the journey closes before treatment */
  intakeAbandoned: 0.03,
  intakeDelayHours: [0.5, 36],
  consultDaysAfterIntake: [2, 6],
  /** seated readings before a session: mean and spread (mmHg) */
  checkInSystolic: { mean: 124, deviation: 10 },
  checkInDiastolic: { mean: 79, deviation: 7 },
  checkInMissed: 0.04,
  /** minutes after the check-in link (it opens 2 h before the start) */
  checkInDelayMinutes: [5, 100],
  recoveryDelayMinutes: [5, 90],
  journalLate: 0.1,
  journalDelayHours: [0.5, 8],
  journalLateDelayHours: [13, 40],
  sideEffect: { none: 0.8, mild: 0.14, moderate: 0.04, severe: 0.02 },
  assessmentDelayHours: [0.5, 20],
  /** refill requests after the window's link: early, on time, late (the link lasts 72 h) */
  refillTiming: { early: 0.4, 'on-time': 0.45, late: 0.15 },
  refillDelayHours: { early: [0.2, 3], 'on-time': [12, 48], late: [60, 80] },
  /** a clinician answers within minutes or hours, or lets the step reach its reminder (24 h) and backup (48 h) */
  clinicianLate: 0.2,
  clinicianQuickMinutes: [5, 240],
  clinicianLateHours: [25, 52],
  eligibilityApproved: 0.97,
  needsReviewOverridden: 0.75,
  followUp: { MAINTENANCE: 0.88, DISCHARGE: 0.12 },
  holdDecision: { RESUME: 0.7, DISCHARGE: 0.3 },
  missingJournal: { ASK_AGAIN: 0.85, DISCHARGE: 0.15 },
  missedCheckIns: { TRY_AGAIN: 0.85, DISCHARGE: 0.15 },
  refillApproved: 0.95,
  timeZones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'],
} as const;

export type Screening = keyof typeof cohortModel.screening;

export interface PatientProfile {
  readonly index: number;
  /** virtual ms after the simulation's start */
  readonly enrolAfterMs: number;
  readonly screening: Screening;
  readonly timeZone: string;
  readonly sexAtBirth: 'female' | 'male';
  readonly abandonsIntake: boolean;
}

/** The cohort itself: who enrols when, and with what screening, from the seed alone. */
export function drawCohort(seed: number, patients: number, months: number): PatientProfile[] {
  const periodMs = months * 30 * 86_400_000;
  return Array.from({ length: patients }, (_, index) => {
    const r = seededRandom(seed, index, 'profile');
    const screening = r.pick(cohortModel.screening);
    return {
      index,
      // spread over the period's first 90 %, so the last enrolled still get through intake
      enrolAfterMs: Math.floor(r.between(0, 0.9) * periodMs),
      screening,
      timeZone: cohortModel.timeZones[Math.floor(r.next() * cohortModel.timeZones.length)] as string,
      sexAtBirth: r.chance(0.6) ? 'female' : 'male',
      abandonsIntake: r.chance(cohortModel.intakeAbandoned),
    };
  });
}

/** The intake answers that give the profile's screening outcome. */
export function intakeFor(screening: Screening): Partial<IntakeAnswers> {
  switch (screening) {
    case 'eligible':
      return {};
    // PHQ-9 item 9 above 0 is a relative contraindication: the clinician reviews
    case 'needs-review':
      return { phq9: [...eligibleIntake.phq9.slice(0, 8), 1] };
    // a psychotic disorder (current or past) is an absolute exclusion
    case 'ineligible':
      return { conditions: ['psychotic-disorder'] };
  }
}

/** Per patient and kind of choice, a stream of draws (see seeded-random.ts). */
export function streamsFor(seed: number, index: number): (kind: string) => Random {
  const streams = new Map<string, Random>();
  return (kind) => {
    let stream = streams.get(kind);
    if (stream === undefined) {
      stream = seededRandom(seed, index, kind);
      streams.set(kind, stream);
    }
    return stream;
  };
}

export function drawBloodPressure(r: Random): BloodPressure {
  return {
    systolic: Math.round(r.normal(cohortModel.checkInSystolic.mean, cohortModel.checkInSystolic.deviation)),
    diastolic: Math.round(r.normal(cohortModel.checkInDiastolic.mean, cohortModel.checkInDiastolic.deviation)),
  };
}

export const hours = (range: readonly [number, number] | readonly number[], r: Random): number =>
  r.between(range[0] as number, range[1] as number) * 3_600_000;
export const minutes = (range: readonly [number, number] | readonly number[], r: Random): number =>
  r.between(range[0] as number, range[1] as number) * 60_000;
