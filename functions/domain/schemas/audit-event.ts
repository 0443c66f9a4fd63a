import * as z from 'zod/mini';
import { freeText, id, instant, shortText } from './common.ts';

export const auditActorTypes = ['patient', 'clinician', 'staff', 'system'] as const;

/**
 * Who acted: a person's id, or the function / workflow step for 'system'. Structured rather than one
 * "clinician:dr-lee" string so the trail can be filtered by kind without parsing. A staff id may be an
 * IAM principal's ARN, hence ':' and '/' and the length.
 */
export const auditActorSchema = z.strictObject({
  type: z.enum(auditActorTypes, { error: `expected one of ${auditActorTypes.join(', ')}` }),
  id: z
    .string({ error: 'expected an actor id (text)' })
    .check(
      z.regex(
        /^[A-Za-z0-9_.@:/+=,-]{1,2048}$/,
        'expected an actor id such as "dr-lee", "record-progress" or an IAM principal ARN',
      ),
    ),
});

/** One item the change wrote, named by its table key. */
export const auditChangeSchema = z.strictObject({
  PK: z.string().check(z.minLength(1)),
  SK: z.string().check(z.minLength(1)),
  kind: z.enum(['create', 'update', 'delete']),
  label: z.optional(shortText(200)),
  version: z.optional(z.number().check(z.int(), z.positive())),
});

/**
 * Who did what, when and why; appended in the same transaction as the change it describes. This is the
 * stored audit item without its table keys (PK, SK, itemType), which is also what the staff API shows.
 */
export const auditEventSchema = z.strictObject({
  version: z.literal(1),
  eventId: shortText(64),
  patientId: id,
  at: instant,
  createdAt: instant,
  actor: auditActorSchema,
  action: shortText(100),
  reason: freeText(2_000),
  protocolVersion: z.optional(shortText(100)),
  details: z.optional(z.record(z.string(), z.unknown())),
  changes: z.array(auditChangeSchema),
});

export type AuditActor = z.infer<typeof auditActorSchema>;
export type AuditChange = z.infer<typeof auditChangeSchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;
