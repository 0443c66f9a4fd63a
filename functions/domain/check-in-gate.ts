import type { DecisionReason, Protocol } from './protocol.ts';
import type { CheckIn } from './schemas/check-in.ts';
import type { BloodPressureReading } from './schemas/common.ts';
import type { ClinicalHold } from './schemas/journey.ts';
import type { Session } from './schemas/session.ts';
import type { HoldSignal } from './triage.ts';
import { HOUR_MS } from './durations.ts';

/**
 * The pre-session check-in gate: may this dose be taken now?
 *
 * Outcomes, strongest first (the decision is the strongest outcome any finding asks for, and every
 * finding is listed):
 * - EMERGENCY: a reading at or above the crisis threshold with a crisis symptom (AHA: signs of organ
 *   damage), or an emergency symptom at any reading. It wins over everything, even a check-in sent outside
 *   its window: a patient who reports chest pain is told to seek care whenever they report it.
 * - RECHECK: a reading at or above the crisis threshold without symptoms, and no reading after rest yet.
 *   Nothing is recorded: the page asks the patient to rest the protocol's minutes and measure again. A
 *   recheck still at the crisis threshold postpones the session and the clinician is contacted the same
 *   day (the answer rule raises the alert); one below it still postpones (the first reading counts).
 * - REFUSED: the check-in cannot count, whatever the patient's state: outside the window, the session is
 *   not waiting for a check-in, the patient is on clinical hold, the previous session's journal is
 *   missing, or the previous session was too recent. These are about the schedule, not about how the
 *   patient is today, so offering "the same session tomorrow" would be wrong; the journey decides.
 * - POSTPONED: the patient is not ready today but may well be tomorrow (no adult monitor, not fasted,
 *   pregnant, planning to be or breastfeeding (for the clinician to review),
 *   recent alcohol/cannabis/benzodiazepine, a stimulant or opioid today, held medications not held,
 *   too few readings, a reading at or above the postpone threshold, a red-flag symptom the clinic does
 *   not treat as an emergency, no-driving not acknowledged). A new time is offered and the clinician told.
 * - CLEARED: nothing stands in the way.
 *
 * Values are judged as reported at check-in, not projected to the planned start: the patient may still
 * eat or drink in between, and the gate should not count hours that have not happened yet. The window
 * is judged at `now` (the server's clock when the check-in arrives), never at the form's own
 * `submittedAt`, which a stale or replayed form could carry.
 */

export type CheckInOutcome = 'CLEARED' | 'POSTPONED' | 'RECHECK' | 'EMERGENCY' | 'REFUSED';

export type CheckInReasonCode =
  | 'ALL_CHECKS_PASSED'
  | 'BEFORE_WINDOW'
  | 'AFTER_WINDOW'
  | 'SESSION_NOT_AWAITING_CHECK_IN'
  | 'ON_CLINICAL_HOLD'
  | 'PREVIOUS_JOURNAL_MISSING'
  | 'TOO_SOON_AFTER_PREVIOUS_SESSION'
  | 'NO_ADULT_MONITOR'
  | 'NOT_FASTED'
  | 'RECENT_ALCOHOL_OR_CANNABIS'
  | 'RECENT_BENZODIAZEPINE'
  | 'STIMULANT_OR_OPIOID_TODAY'
  | 'HELD_MEDICATIONS_NOT_CONFIRMED'
  | 'TOO_FEW_BP_READINGS'
  | 'BP_AT_OR_ABOVE_POSTPONE'
  | 'BP_CRISIS_WITH_SYMPTOMS'
  | 'BP_CRISIS_RECHECK_NEEDED'
  | 'BP_CRISIS_PERSISTENT'
  | 'PREGNANCY_POSSIBLE'
  | 'EMERGENCY_SYMPTOM'
  | 'RED_FLAG_SYMPTOM'
  | 'NO_DRIVING_NOT_ACKNOWLEDGED';

export type CheckInReason = DecisionReason<CheckInReasonCode>;

/** What the gate needs to know about the session before this one (if any). */
export type PreviousSession = Pick<Session, 'number' | 'plannedStart' | 'status' | 'journalRef'>;

export interface CheckInContext {
  previousSession?: PreviousSession | null;
  hold?: ClinicalHold | null;
  /** the patient can become pregnant (intake), so the check-in asks about pregnancy */
  asksPregnancy?: boolean;
}

export interface CheckInDecision {
  outcome: CheckInOutcome;
  /** every finding; for CLEARED the single ALL_CHECKS_PASSED */
  reasons: CheckInReason[];
  /** only for POSTPONED: the earliest start at which today's blockers will have passed */
  suggestedStart: Date | null;
  /** the findings must open an adverse event and put the patient on hold */
  holdSignal: HoldSignal | null;
  protocolVersion: string;
  decidedAt: Date;
}

const rank: Record<CheckInOutcome, number> = { CLEARED: 0, POSTPONED: 1, RECHECK: 2, REFUSED: 3, EMERGENCY: 4 };

export function evaluateCheckIn(
  checkIn: CheckIn,
  session: Pick<Session, 'number' | 'plannedStart' | 'status'>,
  protocol: Protocol,
  now: Date,
  context: CheckInContext = {},
): CheckInDecision {
  const rules = protocol.checkIn;
  const plannedStart = new Date(session.plannedStart);
  const findings: { outcome: Exclude<CheckInOutcome, 'CLEARED'>; reason: CheckInReason }[] = [];
  const find = (outcome: Exclude<CheckInOutcome, 'CLEARED'>, code: CheckInReasonCode, message: string) =>
    findings.push({ outcome, reason: { code, message } });

  // Emergency first in the list, so the patient-facing page can lead with it.
  const crisis = rules.bpCrisisAtOrAbove;
  const firstCrisis = checkIn.bpReadings.filter((reading) => atOrAbove(reading, crisis));
  const recheck = checkIn.bpRecheck;
  const recheckCrisis = recheck !== undefined && atOrAbove(recheck, crisis);
  const crisisSymptoms = checkIn.redFlagSymptoms.filter((symptom) => rules.bpCrisisSymptoms.includes(symptom));
  const crisisReadings = [...firstCrisis, ...(recheckCrisis ? [recheck] : [])].map(format).join(', ');
  if (crisisReadings !== '' && crisisSymptoms.length > 0) {
    find(
      'EMERGENCY',
      'BP_CRISIS_WITH_SYMPTOMS',
      `blood pressure ${crisisReadings} is at or above ${format(crisis)} with ${crisisSymptoms.join(', ')}`,
    );
  } else if (recheckCrisis) {
    find(
      'POSTPONED',
      'BP_CRISIS_PERSISTENT',
      `blood pressure still ${format(recheck)} after ${rules.bpRecheckAfterMinutes} minutes' rest (at or above ${format(crisis)}): the clinician contacts the patient today`,
    );
  } else if (firstCrisis.length > 0 && recheck === undefined) {
    find(
      'RECHECK',
      'BP_CRISIS_RECHECK_NEEDED',
      `blood pressure ${crisisReadings} is at or above ${format(crisis)}: rest ${rules.bpRecheckAfterMinutes} minutes and measure again`,
    );
  }
  const emergencySymptoms = checkIn.redFlagSymptoms.filter((symptom) => rules.emergencySymptoms.includes(symptom));
  if (emergencySymptoms.length > 0) find('EMERGENCY', 'EMERGENCY_SYMPTOM', `reported ${emergencySymptoms.join(', ')}`);

  const opensAt = new Date(plannedStart.getTime() - rules.opensHoursBefore * HOUR_MS);
  const closesAt = new Date(plannedStart.getTime() + rules.closesHoursAfter * HOUR_MS);
  if (now < opensAt)
    find(
      'REFUSED',
      'BEFORE_WINDOW',
      `the check-in opens at ${opensAt.toISOString()}, ${rules.opensHoursBefore} h before the planned start`,
    );
  if (now > closesAt)
    find(
      'REFUSED',
      'AFTER_WINDOW',
      `the check-in closed at ${closesAt.toISOString()}, ${rules.closesHoursAfter} h after the planned start`,
    );
  if (session.status !== 'planned')
    find(
      'REFUSED',
      'SESSION_NOT_AWAITING_CHECK_IN',
      `session ${session.number} is ${session.status}, not waiting for a check-in`,
    );
  if (context.hold)
    find(
      'REFUSED',
      'ON_CLINICAL_HOLD',
      `the patient is on clinical hold since ${context.hold.since}: ${context.hold.reason}`,
    );
  const previous = context.previousSession ?? null;
  if (previous !== null) {
    if (protocol.journal.blocksNextSession && previous.status === 'completed' && previous.journalRef === null) {
      find('REFUSED', 'PREVIOUS_JOURNAL_MISSING', `the journal for session ${previous.number} has not been written`);
    }
    const earliest = new Date(
      new Date(previous.plannedStart).getTime() + protocol.induction.minimumHoursBetweenSessions * HOUR_MS,
    );
    if (plannedStart < earliest) {
      find(
        'REFUSED',
        'TOO_SOON_AFTER_PREVIOUS_SESSION',
        `sessions must be at least ${protocol.induction.minimumHoursBetweenSessions} h apart; the earliest start is ${earliest.toISOString()}`,
      );
    }
  }

  if (!checkIn.monitorPresent) find('POSTPONED', 'NO_ADULT_MONITOR', 'no adult monitor is present for the session');
  if (context.asksPregnancy === true && checkIn.pregnantPlannedOrBreastfeeding === true) {
    find(
      'POSTPONED',
      'PREGNANCY_POSSIBLE',
      'pregnant now, planning to become pregnant, or breastfeeding: no dose until the clinician reviews',
    );
  }
  if (checkIn.fastingHours < rules.minimumFastingHours) {
    find(
      'POSTPONED',
      'NOT_FASTED',
      `fasted ${checkIn.fastingHours} h; at least ${rules.minimumFastingHours} h are needed`,
    );
  }
  const alcohol = checkIn.lastAlcoholOrCannabisHoursAgo;
  if (alcohol !== null && alcohol < rules.alcoholOrCannabisFreeHours) {
    find(
      'POSTPONED',
      'RECENT_ALCOHOL_OR_CANNABIS',
      `alcohol or cannabis ${alcohol} h ago; none is allowed within ${rules.alcoholOrCannabisFreeHours} h`,
    );
  }
  const benzodiazepine = checkIn.lastBenzodiazepineHoursAgo;
  if (benzodiazepine !== null && benzodiazepine < rules.benzodiazepineFreeHours) {
    find(
      'POSTPONED',
      'RECENT_BENZODIAZEPINE',
      `a benzodiazepine ${benzodiazepine} h ago; none is allowed within ${rules.benzodiazepineFreeHours} h`,
    );
  }
  if (checkIn.stimulantOrOpioidToday)
    find('POSTPONED', 'STIMULANT_OR_OPIOID_TODAY', 'a stimulant or opioid was taken today');
  if (!checkIn.heldMedicationsConfirmed)
    find(
      'POSTPONED',
      'HELD_MEDICATIONS_NOT_CONFIRMED',
      'the medications the plan says to hold were not confirmed as held',
    );
  if (checkIn.bpReadings.length < rules.requiredBpReadings) {
    find(
      'POSTPONED',
      'TOO_FEW_BP_READINGS',
      `${checkIn.bpReadings.length} blood pressure reading(s); ${rules.requiredBpReadings} are needed`,
    );
  }
  // a crisis reading counts here too: a dose never follows one the same day, whatever the recheck says
  const highReadings = [...checkIn.bpReadings, ...(recheck === undefined ? [] : [recheck])].filter((reading) =>
    atOrAbove(reading, rules.postponeAtOrAbove),
  );
  if (highReadings.length > 0) {
    find(
      'POSTPONED',
      'BP_AT_OR_ABOVE_POSTPONE',
      `blood pressure ${highReadings.map(format).join(', ')} is at or above ${format(rules.postponeAtOrAbove)}`,
    );
  }
  const otherRedFlags = checkIn.redFlagSymptoms.filter((symptom) => !rules.emergencySymptoms.includes(symptom));
  if (otherRedFlags.length > 0) find('POSTPONED', 'RED_FLAG_SYMPTOM', `reported ${otherRedFlags.join(', ')}`);
  if (!checkIn.noDrivingAcknowledged)
    find('POSTPONED', 'NO_DRIVING_NOT_ACKNOWLEDGED', 'not driving until the next morning was not acknowledged');

  const outcome = findings.reduce<CheckInOutcome>(
    (strongest, f) => (rank[f.outcome] > rank[strongest] ? f.outcome : strongest),
    'CLEARED',
  );
  const reasons: CheckInReason[] =
    outcome === 'CLEARED'
      ? [{ code: 'ALL_CHECKS_PASSED', message: `every check-in rule of protocol ${protocol.version} passed` }]
      : findings.map((f) => f.reason);

  return {
    outcome,
    reasons,
    suggestedStart: outcome === 'POSTPONED' ? suggestStart(checkIn, plannedStart, protocol, now, previous) : null,
    holdSignal: holdSignalFor(outcome, reasons),
    protocolVersion: protocol.version,
    decidedAt: now,
  };
}

/** Whether a reading reaches a threshold: systolic OR diastolic at or above its limit. */
export function atOrAbove(reading: BloodPressureReading, threshold: BloodPressureReading): boolean {
  return reading.systolic >= threshold.systolic || reading.diastolic >= threshold.diastolic;
}

/**
 * The planned start moved on in whole postpone steps (so the time of day is kept) until the
 * abstinence intervals reported today have run out and the session is far enough from the previous one.
 */
function suggestStart(
  checkIn: CheckIn,
  plannedStart: Date,
  protocol: Protocol,
  now: Date,
  previous: PreviousSession | null,
): Date {
  const rules = protocol.checkIn;
  const notBefore: number[] = [now.getTime()];
  if (checkIn.lastAlcoholOrCannabisHoursAgo !== null) {
    notBefore.push(
      now.getTime() + (rules.alcoholOrCannabisFreeHours - checkIn.lastAlcoholOrCannabisHoursAgo) * HOUR_MS,
    );
  }
  if (checkIn.lastBenzodiazepineHoursAgo !== null) {
    notBefore.push(now.getTime() + (rules.benzodiazepineFreeHours - checkIn.lastBenzodiazepineHoursAgo) * HOUR_MS);
  }
  if (previous !== null)
    notBefore.push(
      new Date(previous.plannedStart).getTime() + protocol.induction.minimumHoursBetweenSessions * HOUR_MS,
    );
  const earliest = Math.max(...notBefore);
  const step = rules.postponeStepHours * HOUR_MS;
  let steps = Math.max(1, Math.ceil((earliest - plannedStart.getTime()) / step));
  // a suggestion must lie in the future, even with a short step offered at the end of the window
  if (plannedStart.getTime() + steps * step <= now.getTime()) steps += 1;
  return new Date(plannedStart.getTime() + steps * step);
}

function holdSignalFor(outcome: CheckInOutcome, reasons: CheckInReason[]): HoldSignal | null {
  const described = (codes: CheckInReasonCode[]) =>
    reasons
      .filter((r) => codes.includes(r.code))
      .map((r) => r.message)
      .join('; ');
  if (outcome === 'EMERGENCY') {
    return {
      kind: 'red-flag-at-check-in',
      description: `emergency at check-in: ${described(['BP_CRISIS_WITH_SYMPTOMS', 'EMERGENCY_SYMPTOM', 'NO_ADULT_MONITOR'])}`,
    };
  }
  // DESIGN: a missing monitor puts the patient on hold. Only a check-in that counts says so: one sent
  // before the window opens (or otherwise refused) may be followed by a proper one once the monitor arrives.
  if (outcome === 'POSTPONED' && reasons.some((r) => r.code === 'NO_ADULT_MONITOR'))
    return { kind: 'missing-monitor', description: described(['NO_ADULT_MONITOR']) };
  return null;
}

function format(reading: BloodPressureReading): string {
  return `${reading.systolic}/${reading.diastolic}`;
}
