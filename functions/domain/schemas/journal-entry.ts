import * as z from 'zod/mini';
import { instant, shortText, wholeNumber } from './common.ts';

/** What the patient writes after a session; its presence unblocks the next session. */
export const journalEntrySchema = z.strictObject({
  sessionNumber: wholeNumber(1, 52),
  text: shortText(20_000),
  /** optional self-rating, 0 (worst) to 10 (best) */
  mood: z.optional(wholeNumber(0, 10)),
  submittedAt: instant,
});

export type JournalEntry = z.infer<typeof journalEntrySchema>;
