import * as z from 'zod';
import { freeText, id, instant, shortText } from './common.ts';

/** Who did what, when and why; appended in the same transaction as the change it describes. */
export const auditEventSchema = z.strictObject({
  /** "patient:<id>", "clinician:<id>", "staff:<id>" or "system:<function>" */
  actor: z
    .string({ error: 'expected an actor such as "clinician:dr-lee"' })
    .regex(/^(patient|clinician|staff|system):[A-Za-z0-9_.-]{1,64}$/, 'expected an actor such as "clinician:dr-lee" or "system:screening"'),
  action: shortText(100),
  at: instant,
  reason: freeText(2_000),
  patientId: id,
  protocolVersion: shortText(100).optional(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;
