import * as z from 'zod/mini';
import { freeText, id, instant, shortText } from './common.ts';

export const adverseEventKinds = [
  'severe-side-effect',
  'red-flag-at-check-in',
  'suicidal-ideation',
  'misuse-signs',
  'missing-monitor',
  'lost-or-stolen-medication',
  'pregnancy',
  'other',
] as const;

export const adverseEventReporters = ['patient', 'staff', 'system'] as const;
export const adverseEventStatuses = ['open', 'resolved'] as const;

/** Any adverse event puts the journey on hold at once; resolving it is the clinician's decision. */
export const adverseEventSchema = z
  .strictObject({
    id,
    patientId: id,
    kind: z.enum(adverseEventKinds, { error: `expected one of ${adverseEventKinds.join(', ')}` }),
    reportedBy: z.enum(adverseEventReporters, { error: `expected one of ${adverseEventReporters.join(', ')}` }),
    /** who reported it: a staff or clinician id, the patient's id, or the system function's name */
    reporterId: shortText(100),
    description: freeText(5_000),
    reportedAt: instant,
    status: z.enum(adverseEventStatuses, { error: `expected one of ${adverseEventStatuses.join(', ')}` }),
    resolvedAt: z.nullable(instant),
    resolvedBy: z.nullable(shortText(100)),
    resolution: z.nullable(freeText(5_000)),
  })
  .check(
    z.refine((event) => (event.status === 'resolved') === (event.resolvedAt !== null && event.resolvedBy !== null), {
      message: 'expected resolvedAt and resolvedBy exactly when the status is "resolved"',
      path: ['resolvedAt'],
    }),
  );

export type AdverseEventKind = (typeof adverseEventKinds)[number];
export type AdverseEventReporter = (typeof adverseEventReporters)[number];
export type AdverseEvent = z.infer<typeof adverseEventSchema>;
