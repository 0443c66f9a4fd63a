import * as z from 'zod/mini';
import { instant, wholeNumber } from './common.ts';

/** One dispensing of the prescription; number 1 is the initial fill, later ones are refills. */
export const fillSchema = z.strictObject({
  fillNumber: wholeNumber(1, 100),
  filledAt: instant,
  daysOfSupply: wholeNumber(1, 365),
  quantity: z
    .number({ error: 'expected a quantity (number of units)' })
    .check(z.positive('expected a quantity above 0')),
  /** when the prescription drug monitoring program was checked for this fill */
  pdmpCheckedAt: instant,
  /** replaces lost or stolen medication; never allowed before the normal interval */
  lostOrStolenReplacement: z.boolean({ error: 'expected true or false' }),
});

export type Fill = z.infer<typeof fillSchema>;
