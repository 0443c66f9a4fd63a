import { addCalendarMonths, localDate } from './local-time.ts';
import type { DecisionReason, Protocol } from './protocol.ts';
import type { AdverseEvent } from './schemas/adverse-event.ts';
import type { Assessment } from './schemas/assessment.ts';
import type { Evaluation } from './schemas/evaluation.ts';
import type { Fill } from './schemas/fill.ts';
import type { ClinicalHold } from './schemas/journey.ts';
import type { Session } from './schemas/session.ts';
import type { TreatmentPlan } from './schemas/treatment-plan.ts';
import { inPersonEvaluationMissing, pdmpCheckMissing } from './prescribing.ts';
import { scorePhq9 } from './scoring.ts';
import type { HoldSignal } from './triage.ts';
import { DAY_MS } from './durations.ts';

/**
 * The refill gate: may this refill request go to the clinician?
 *
 * Every rule of the protocol's refill row is checked and every failure listed, so the patient and the
 * clinician see the whole picture at once rather than one refusal after another. APPROVABLE never means
 * approved: the clinician approves every refill.
 *
 * Intervals are elapsed time (28 days is 28 x 24 h, also across a daylight-saving change: at worst the
 * patient waits an hour longer, never a fill an hour early). Calendar rules (months from the date of
 * issue, the telehealth cut-off date) are reckoned on the patient's own calendar.
 */

export type RefillOutcome = 'APPROVABLE' | 'REFUSED';

export type RefillReasonCode =
  | 'ALL_RULES_PASSED'
  | 'NO_PREVIOUS_FILL'
  | 'TOO_EARLY'
  | 'LOST_OR_STOLEN_NEVER_EARLY'
  | 'LOST_OR_STOLEN_NEEDS_REVIEW'
  | 'REFILLS_EXHAUSTED'
  | 'PRESCRIPTION_TOO_OLD'
  | 'ASSESSMENT_NOT_RECENT'
  | 'BLADDER_CHECK_NOT_RECENT'
  | 'BLOOD_IN_URINE'
  | 'PDMP_CHECK_NOT_RECENT'
  | 'ON_CLINICAL_HOLD'
  | 'OPEN_ADVERSE_EVENT'
  | 'JOURNAL_MISSING'
  | 'CLINICIAN_CHECK_IN_NEEDED'
  | 'IN_PERSON_EVALUATION_NEEDED';

export type RefillReason = DecisionReason<RefillReasonCode>;

export type ClinicianNoteCode = 'BLADDER_SYMPTOMS' | 'PHQ9_ITEM9_POSITIVE' | 'LOST_OR_STOLEN_REPLACEMENT';

export interface RefillRequest {
  /** the patient says this refill replaces lost or stolen medication */
  lostOrStolenReplacement: boolean;
  /** the fresh assessment (with its bladder check) sent with the request; null when none was sent */
  assessment: Pick<Assessment, 'takenAt' | 'bladderCheck' | 'phq9'> | null;
}

export interface RefillHistory {
  /** the patient's time zone: months from issue and the telehealth cut-off date are reckoned in it */
  timeZone: string;
  /** `approvedBy` is the prescriber: after the telehealth cut-off, their in-person evaluation counts */
  prescription: Pick<TreatmentPlan, 'prescriptionIssuedOn' | 'refillsAllowed' | 'approvedBy'>;
  /** every fill of this prescription, the initial one (number 1) included */
  fills: readonly Pick<Fill, 'fillNumber' | 'filledAt'>[];
  /** the latest prescription drug monitoring program check recorded for the patient */
  pdmpCheckedAt: string | null;
  hold: ClinicalHold | null;
  adverseEvents: readonly Pick<AdverseEvent, 'id' | 'kind' | 'status' | 'reportedAt'>[];
  sessions: readonly Pick<Session, 'number' | 'plannedStart' | 'status' | 'journalRef'>[];
  evaluations: readonly Pick<Evaluation, 'modality' | 'evaluatedAt' | 'clinicianId'>[];
}

export interface RefillDecision {
  outcome: RefillOutcome;
  /** every failed rule; for APPROVABLE the single ALL_RULES_PASSED */
  reasons: RefillReason[];
  /** things the approving clinician must see, whatever the outcome */
  forClinician: DecisionReason<ClinicianNoteCode>[];
  holdSignal: HoldSignal | null;
  /** the refill this request is for (1 = the first refill after the initial fill) */
  refillNumber: number;
  /** the fill number to record if approved; the store's key for recording the fill exactly once */
  nextFillNumber: number;
  protocolVersion: string;
  decidedAt: Date;
}

/**
 * The last day (YYYY-MM-DD, the patient's calendar) a prescription issued on `issuedOn` may be refilled:
 * the protocol's months from the date of issue. The gate refuses a request after it, and the fill itself
 * checks it again, since the clinician may approve a refill the gate passed days later.
 */
export function lastRefillDay(issuedOn: string, protocol: Protocol): string {
  return addCalendarMonths(issuedOn, protocol.refill.maxMonthsFromPrescription);
}

export { inPersonEvaluationMissing } from './prescribing.ts';

/**
 * The number the next refill would have: refills count recorded fills (the first fill of the prescription
 * is not a refill), never cycles, so a cycle that ended without a fill, or a restarted one, uses none up.
 */
export function nextRefillNumber(fills: readonly unknown[]): number {
  return Math.max(0, fills.length - 1) + 1;
}

export function evaluateRefill(
  request: RefillRequest,
  history: RefillHistory,
  protocol: Protocol,
  now: Date,
): RefillDecision {
  const rules = protocol.refill;
  const reasons: RefillReason[] = [];
  const forClinician: DecisionReason<ClinicianNoteCode>[] = [];
  const fail = (code: RefillReasonCode, message: string) => reasons.push({ code, message });
  const daysAgo = (iso: string) => (now.getTime() - new Date(iso).getTime()) / DAY_MS;
  const days = (value: number) => {
    const hours = Math.floor(value * 24 + 1e-9);
    return `${Math.floor(hours / 24)} day(s)${hours % 24 === 0 ? '' : ` ${hours % 24} h`}`;
  };
  const today = localDate(now, history.timeZone);

  // Interval since the last fill; a lost or stolen supply does not bring the date forward.
  const lastFill = latest(history.fills.map((f) => f.filledAt));
  if (lastFill === null) {
    fail('NO_PREVIOUS_FILL', 'there is no previous fill to refill');
  } else {
    const since = daysAgo(lastFill);
    if (since < rules.minimumDaysSinceLastFill) {
      const dueAt = new Date(new Date(lastFill).getTime() + rules.minimumDaysSinceLastFill * DAY_MS);
      fail(
        'TOO_EARLY',
        `${days(since)} since the last fill; a refill needs ${rules.minimumDaysSinceLastFill} days (from ${dueAt.toISOString()})`,
      );
      if (request.lostOrStolenReplacement) {
        fail(
          'LOST_OR_STOLEN_NEVER_EARLY',
          `lost or stolen medication is never replaced before the ${rules.minimumDaysSinceLastFill}-day interval`,
        );
      }
    }
  }

  // Lost or stolen medication is an adverse event (DESIGN: it puts the patient on hold); once one has
  // been reported since the last fill, the clinician has it in hand and the request can go ahead.
  let holdSignal: HoldSignal | null = null;
  if (request.lostOrStolenReplacement) {
    forClinician.push({
      code: 'LOST_OR_STOLEN_REPLACEMENT',
      message: 'this refill replaces lost or stolen medication',
    });
    const reported = history.adverseEvents.some(
      (e) => e.kind === 'lost-or-stolen-medication' && (lastFill === null || notBefore(e.reportedAt, lastFill)),
    );
    if (!reported) {
      holdSignal = {
        kind: 'lost-or-stolen-medication',
        description: 'the patient reports lost or stolen medication with a refill request',
      };
      fail(
        'LOST_OR_STOLEN_NEEDS_REVIEW',
        'lost or stolen medication is an adverse event: the clinician reviews it before any replacement',
      );
    }
  }

  const refillNumber = nextRefillNumber(history.fills);
  const allowed = Math.min(rules.maxRefills, history.prescription.refillsAllowed);
  if (refillNumber > allowed) {
    const limit =
      allowed === rules.maxRefills
        ? `the protocol allows ${rules.maxRefills}`
        : `the prescription allows ${history.prescription.refillsAllowed}`;
    fail('REFILLS_EXHAUSTED', `this would be refill ${refillNumber}; ${limit}`);
  }

  const lastValidDay = lastRefillDay(history.prescription.prescriptionIssuedOn, protocol);
  if (today > lastValidDay) {
    fail(
      'PRESCRIPTION_TOO_OLD',
      `the prescription of ${history.prescription.prescriptionIssuedOn} could be refilled until ${lastValidDay} (${rules.maxMonthsFromPrescription} months)`,
    );
  }

  const assessment = request.assessment;
  const assessedDaysAgo = assessment === null ? null : daysAgo(assessment.takenAt);
  if (assessedDaysAgo === null || assessedDaysAgo > rules.assessmentWithinDays) {
    fail(
      'ASSESSMENT_NOT_RECENT',
      `the assessments must be taken within ${rules.assessmentWithinDays} days of the request${assessment === null ? '; none was sent' : ` (taken ${assessment.takenAt})`}`,
    );
  }
  if (assessedDaysAgo === null || assessedDaysAgo > rules.bladderCheckWithinDays) {
    fail(
      'BLADDER_CHECK_NOT_RECENT',
      `the bladder check must be done within ${rules.bladderCheckWithinDays} days of the request`,
    );
  }
  if (assessment !== null) {
    const bladder = assessment.bladderCheck;
    // Blood in the urine is on the protocol's always-adverse list (possible ketamine cystitis).
    if (bladder.bloodInUrine && protocol.triage.alwaysAdverseEventSymptoms.includes('blood-in-urine')) {
      fail('BLOOD_IN_URINE', 'the bladder check reports blood in the urine: an adverse event for the clinician');
      holdSignal ??= { kind: 'severe-side-effect', description: 'blood in the urine reported with a refill request' };
    }
    const symptoms = (['frequency', 'urgency', 'painOnUrination'] as const).filter((s) => bladder[s]);
    if (symptoms.length > 0)
      forClinician.push({ code: 'BLADDER_SYMPTOMS', message: `bladder check: ${symptoms.join(', ')}` });
    const { item9 } = scorePhq9(assessment.phq9, protocol);
    if (item9 > protocol.eligibility.phq9Item9ReviewAbove) {
      forClinician.push({
        code: 'PHQ9_ITEM9_POSITIVE',
        message: `PHQ-9 item 9 (thoughts of death or self-harm) scored ${item9}`,
      });
    }
  }

  const pdmp = pdmpCheckMissing(history.pdmpCheckedAt, now, protocol);
  if (pdmp !== null) fail('PDMP_CHECK_NOT_RECENT', pdmp);

  if (history.hold !== null)
    fail('ON_CLINICAL_HOLD', `the patient is on clinical hold since ${history.hold.since}: ${history.hold.reason}`);
  const open = history.adverseEvents.filter((e) => e.status === 'open');
  if (open.length > 0)
    fail('OPEN_ADVERSE_EVENT', `open adverse event(s): ${open.map((e) => `${e.kind} (${e.id})`).join(', ')}`);

  const completed = history.sessions.filter((s) => s.status === 'completed');
  const withoutJournal = completed.filter(
    (s) => (lastFill === null || notBefore(s.plannedStart, lastFill)) && s.journalRef === null,
  );
  if (withoutJournal.length > 0) {
    fail(
      'JOURNAL_MISSING',
      `no journal for session(s) ${withoutJournal.map((s) => s.number).join(', ')} since the last fill`,
    );
  }

  // A session or a clinician's evaluation both count as contact.
  const lastContact = latest([
    ...completed.map((s) => s.plannedStart),
    ...history.evaluations.map((e) => e.evaluatedAt),
  ]);
  const limit = rules.clinicianCheckInAfterDaysWithoutSession;
  if (lastContact === null || daysAgo(lastContact) > limit) {
    fail(
      'CLINICIAN_CHECK_IN_NEEDED',
      `more than ${limit} days without a session or a clinician check-in${lastContact === null ? '' : ` (last ${lastContact})`}`,
    );
  }

  const inPerson = inPersonEvaluationMissing(today, history.evaluations, history.prescription.approvedBy, protocol);
  if (inPerson !== null) fail('IN_PERSON_EVALUATION_NEEDED', inPerson);

  const outcome: RefillOutcome = reasons.length === 0 ? 'APPROVABLE' : 'REFUSED';
  return {
    outcome,
    reasons:
      outcome === 'APPROVABLE'
        ? [
            {
              code: 'ALL_RULES_PASSED',
              message: `refill ${refillNumber} of ${allowed} passes every rule of protocol ${protocol.version}; the clinician decides`,
            },
          ]
        : reasons,
    forClinician,
    holdSignal,
    refillNumber,
    nextFillNumber: history.fills.reduce((max, f) => Math.max(max, f.fillNumber), 0) + 1,
    protocolVersion: protocol.version,
    decidedAt: now,
  };
}

/** The latest of some instants, compared as instants (not as text, which breaks across offsets). */
function latest(instants: readonly string[]): string | null {
  let best: string | null = null;
  for (const candidate of instants) {
    if (best === null || new Date(candidate).getTime() > new Date(best).getTime()) best = candidate;
  }
  return best;
}

function notBefore(instant: string, reference: string): boolean {
  return new Date(instant).getTime() >= new Date(reference).getTime();
}
