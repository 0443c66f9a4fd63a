import * as z from 'zod/mini';
import { adverseEventKinds, adverseEventReporters } from './adverse-event.ts';
import { freeText, id, instant, shortText } from './common.ts';

/**
 * Why a link was sent: one per kind of waiting workflow step (statemachines/*.asl.json name them in the
 * person-action input), plus two view-only pages: `notice`, telling a clinician that a patient's step is
 * overdue or that something happened, `preparation`, the plan's preparation notes behind a patient's
 * preparation reminder, and `consult`, the consult's time and join link behind the consult reminder. A link works only for its own purpose: a form posted for another one is refused.
 */
export const linkPurposes = [
  'intake',
  'consult-booking',
  'consult-evaluation',
  'eligibility',
  'treatment-plan',
  'check-in',
  'journal',
  'journal-missing',
  'missed-check-ins',
  'recovery',
  'first-dose-check-in',
  'assessment',
  'hold-decision',
  'follow-up-decision',
  'refill-request',
  'refill-approval',
  'notice',
  'preparation',
  'consult',
] as const;

/**
 * pending: can be used; used: its step was decided (through this link or another one of the same step);
 * expired: past its expiry; cancelled: a clinical hold ended its step; superseded: its step was opened
 * again (a new round), so the old link no longer speaks for it.
 */
export const linkStatuses = ['pending', 'used', 'expired', 'cancelled', 'superseded'] as const;
export const linkPersonKinds = ['patient', 'clinician'] as const;

/** pending: waiting for a person; decided: the first decision won; cancelled: a hold ended it; expired: nobody acted in time. */
export const stepStatuses = ['pending', 'decided', 'cancelled', 'expired'] as const;

export const linkPersonSchema = z.strictObject({
  kind: z.enum(linkPersonKinds, { error: `expected one of ${linkPersonKinds.join(', ')}` }),
  id,
});

const tokenHash = z
  .string({ error: 'expected a SHA-256 hash' })
  .check(z.regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hash as 64 lowercase hex digits'));

const stepKey = z
  .string({ error: 'expected a step key' })
  .check(z.regex(/^[A-Za-z0-9_.-]{1,120}$/, 'expected a step key of letters, digits, ".", "-" or "_"'));

/**
 * What the store keeps for an emailed link. The token itself is never stored, only its SHA-256. The link
 * does not hold the workflow's task token either: it points at its step (journey + stepKey), which holds
 * the CURRENT task token, because a reminder or an escalation re-arms the same step with a new one and
 * every link of the step must keep working.
 */
export const linkSchema = z.strictObject({
  tokenHash,
  purpose: z.enum(linkPurposes, { error: `expected one of ${linkPurposes.join(', ')}` }),
  person: linkPersonSchema,
  patientId: id,
  journeyId: id,
  stepKey,
  /** the step's round when the link was made; a step opened again makes older links superseded */
  stepRound: z
    .number({ error: 'expected a whole number' })
    .check(z.int('expected a whole number'), z.gte(1, 'expected 1 or more')),
  createdAt: instant,
  expiresAt: instant,
  status: z.enum(linkStatuses, { error: `expected one of ${linkStatuses.join(', ')}` }),
});

/** The decision a step recorded: the word the workflow branches on and what the person submitted. */
export const stepDecisionSchema = z.strictObject({
  decision: z
    .string({ error: 'expected a decision word' })
    .check(z.regex(/^[A-Z_]{2,40}$/, 'expected a decision word such as APPROVED')),
  details: z.record(z.string(), z.unknown()),
  decidedBy: z.strictObject({ kind: z.enum(['patient', 'clinician', 'staff']), id: shortText(100) }),
  decidedAt: instant,
  /** how the decision arrived: an emailed link (its hash) or the staff API */
  via: z.enum(['link', 'staff-api']),
  /**
   * The clinical hold the answer calls for (an emergency at check-in, an adverse event in a journal),
   * recorded with the decision so the workflow can make sure it is placed even if the page could not.
   */
  hold: z.optional(
    z.strictObject({
      kind: z.enum(adverseEventKinds, { error: `expected one of ${adverseEventKinds.join(', ')}` }),
      reportedBy: z.enum(adverseEventReporters, { error: `expected one of ${adverseEventReporters.join(', ')}` }),
      description: freeText(5_000),
    }),
  ),
  /**
   * The clinician alert the answer calls for (a positive PHQ-9 item 9, a rising score, a patient not yet
   * recovered), recorded with the decision so the workflow can make sure it is sent even if the page
   * could not. The message stays here, in the table: the workflow hears only that one is called for.
   */
  alert: z.optional(
    z.strictObject({
      urgency: z.enum(['urgent', 'notice']),
      message: freeText(5_000),
      key: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,60}$/, 'expected a short key')),
    }),
  ),
});

export type LinkPurpose = (typeof linkPurposes)[number];
export type LinkStatus = (typeof linkStatuses)[number];
export type StepStatus = (typeof stepStatuses)[number];
export type LinkPerson = z.infer<typeof linkPersonSchema>;
export type LinkPersonKind = (typeof linkPersonKinds)[number];
export type Link = z.infer<typeof linkSchema>;
export type StepDecision = z.infer<typeof stepDecisionSchema>;
