import { z } from 'zod';
import { id, instant, shortText } from './common.ts';

export const linkPurposes = [
  'intake',
  'check-in',
  'journal',
  'side-effect-report',
  'assessment',
  'refill-request',
  'eligibility-decision',
  'treatment-plan-approval',
  'refill-approval',
  'follow-up-decision',
  'resume-after-hold',
] as const;

export const linkStatuses = ['pending', 'used', 'expired'] as const;
export const linkPersonKinds = ['patient', 'clinician'] as const;

export const linkPersonSchema = z.strictObject({
  kind: z.enum(linkPersonKinds, { error: `expected one of ${linkPersonKinds.join(', ')}` }),
  id,
});

/**
 * What the store keeps for an emailed link. The token itself is never stored, only its SHA-256; the
 * task token lets the decision resume the waiting workflow step.
 */
export const linkSchema = z
  .strictObject({
    tokenHash: z.string({ error: 'expected a SHA-256 hash' }).regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hash as 64 lowercase hex digits'),
    purpose: z.enum(linkPurposes, { error: `expected one of ${linkPurposes.join(', ')}` }),
    person: linkPersonSchema,
    patientId: id,
    taskToken: z.string({ error: 'expected a task token' }).min(1, 'expected a task token').max(1024, 'expected a task token of at most 1024 characters'),
    createdAt: instant,
    expiresAt: instant,
    status: z.enum(linkStatuses, { error: `expected one of ${linkStatuses.join(', ')}` }),
    decidedBy: shortText(100).nullable(),
    decidedAt: instant.nullable(),
    /** the person's decision as the page posted it, e.g. "approve" or "decline" */
    decision: shortText(100).nullable(),
  })
  .refine((link) => (link.status === 'used') === (link.decidedAt !== null && link.decidedBy !== null && link.decision !== null), {
    message: 'expected decidedBy, decidedAt and decision exactly when the status is "used"',
    path: ['decidedAt'],
  });

export type LinkPurpose = (typeof linkPurposes)[number];
export type LinkStatus = (typeof linkStatuses)[number];
export type LinkPerson = z.infer<typeof linkPersonSchema>;
export type Link = z.infer<typeof linkSchema>;
