import * as z from 'zod';
import { instant, shortText, wholeNumber } from './common.ts';

/** What the patient writes after a session; its presence unblocks the next session. */
export const journalEntrySchema = z.strictObject({
  sessionNumber: wholeNumber(1, 52),
  text: shortText(20_000),
  /** optional self-rating, 0 (worst) to 10 (best) */
  mood: wholeNumber(0, 10).optional(),
  submittedAt: instant,
});

export type JournalEntry = z.infer<typeof journalEntrySchema>;
