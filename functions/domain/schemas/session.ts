import * as z from 'zod/mini';
import { id, instant, wholeNumber } from './common.ts';

export const sessionStatuses = [
  'planned',
  'checked-in',
  'postponed',
  'emergency',
  'completed',
  'missed',
  'cancelled',
] as const;

export const sessionSchema = z.strictObject({
  number: wholeNumber(1, 52),
  plannedStart: instant,
  status: z.enum(sessionStatuses, { error: `expected one of ${sessionStatuses.join(', ')}` }),
  /** the check-in that cleared (or stopped) this session, once there is one */
  checkInRef: z.nullable(id),
  /** the journal entry written after this session; the next session waits for it */
  journalRef: z.nullable(id),
});

export type SessionStatus = (typeof sessionStatuses)[number];
export type Session = z.infer<typeof sessionSchema>;
