import type { EmailKind } from '../email/templates.ts';
import type { LinkPurpose } from '../domain/schemas/link.ts';

/**
 * What each kind of waiting step is: who acts on it, the decision words its page (or the staff API) may
 * produce (statemachines/*.asl.json branch on them), and which emails carry its links.
 */
export interface PurposeSpec {
  readonly actor: 'patient' | 'clinician';
  readonly decisions: readonly string[];
  /**
   * Ended at once by a clinical hold, and refused (PatientOnHold) while the patient is on hold. Only the
   * clinician's decision about the hold itself must go ahead during one.
   */
  readonly endsOnHold: boolean;
  /** the staff API may decide it too (the clinic records what happened outside the link) */
  readonly staffMayDecide: boolean;
}

export const purposeSpecs: Record<Exclude<LinkPurpose, ViewOnlyPurpose>, PurposeSpec> = {
  intake: { actor: 'patient', decisions: ['SUBMITTED'], endsOnHold: true, staffMayDecide: false },
  'consult-booking': { actor: 'clinician', decisions: ['BOOKED'], endsOnHold: true, staffMayDecide: true },
  'consult-evaluation': { actor: 'clinician', decisions: ['EVALUATED'], endsOnHold: true, staffMayDecide: true },
  eligibility: { actor: 'clinician', decisions: ['APPROVED', 'DECLINED'], endsOnHold: true, staffMayDecide: false },
  'treatment-plan': {
    actor: 'clinician',
    decisions: ['APPROVED', 'DECLINED'],
    endsOnHold: true,
    staffMayDecide: false,
  },
  'check-in': {
    actor: 'patient',
    decisions: ['CLEARED', 'POSTPONED', 'EMERGENCY'],
    endsOnHold: true,
    staffMayDecide: false,
  },
  journal: { actor: 'patient', decisions: ['SUBMITTED'], endsOnHold: true, staffMayDecide: false },
  'journal-missing': {
    actor: 'clinician',
    decisions: ['ASK_AGAIN', 'DISCHARGE'],
    endsOnHold: true,
    staffMayDecide: false,
  },
  'missed-check-ins': {
    actor: 'clinician',
    decisions: ['TRY_AGAIN', 'NEW_PLAN', 'DISCHARGE'],
    endsOnHold: true,
    staffMayDecide: false,
  },
  recovery: { actor: 'patient', decisions: ['RECOVERED', 'NOT_RECOVERED'], endsOnHold: true, staffMayDecide: false },
  // contact after the first dose matters most when something went wrong: a hold does not end it
  'first-dose-check-in': { actor: 'clinician', decisions: ['CHECKED_IN'], endsOnHold: false, staffMayDecide: false },
  assessment: { actor: 'patient', decisions: ['SUBMITTED'], endsOnHold: true, staffMayDecide: false },
  'hold-decision': {
    actor: 'clinician',
    decisions: ['RESUME', 'NEW_PLAN', 'DISCHARGE'],
    endsOnHold: false,
    staffMayDecide: false,
  },
  'follow-up-decision': {
    actor: 'clinician',
    decisions: ['MAINTENANCE', 'NEW_PLAN', 'DISCHARGE'],
    endsOnHold: true,
    staffMayDecide: false,
  },
  'refill-request': { actor: 'patient', decisions: ['SUBMITTED'], endsOnHold: true, staffMayDecide: false },
  'refill-approval': {
    actor: 'clinician',
    decisions: ['APPROVED', 'DECLINED'],
    endsOnHold: true,
    staffMayDecide: false,
  },
};

export type StepPurpose = keyof typeof purposeSpecs;

/** Pages that only tell: no workflow waits on them and nothing is decided there. */
export const viewOnlyPurposes = {
  notice: 'clinician',
  preparation: 'patient',
  consult: 'patient',
} as const satisfies Record<string, PurposeSpec['actor']>;
export type ViewOnlyPurpose = keyof typeof viewOnlyPurposes;

/** Whose links a purpose's are: the step's actor, or the view-only page's reader. */
export function audienceOf(purpose: LinkPurpose): PurposeSpec['actor'] {
  return isStepPurpose(purpose) ? purposeSpecs[purpose].actor : viewOnlyPurposes[purpose];
}

export function isStepPurpose(purpose: string): purpose is StepPurpose {
  return Object.hasOwn(purposeSpecs, purpose);
}

export type RequestStage = 'first' | 'reminder' | 'escalation';

/** The email for a stage; an escalation of a patient's step tells their clinician with a view-only notice. */
export function emailKindFor(purpose: StepPurpose, stage: RequestStage): EmailKind {
  // after the session hour: the reminder asks the adult to stay, and the clinician hears of it today
  if (purpose === 'recovery' && stage === 'reminder') return 'recovery-reminder';
  if (purpose === 'recovery' && stage === 'escalation') return 'clinician-step-overdue-urgent';
  const actor = purposeSpecs[purpose].actor;
  if (actor === 'patient')
    return stage === 'first' ? 'patient-form' : stage === 'reminder' ? 'patient-form-reminder' : 'clinician-notice';
  return stage === 'first'
    ? 'clinician-decision'
    : stage === 'reminder'
      ? 'clinician-decision-reminder'
      : 'clinician-decision-escalated';
}
