import * as z from 'zod/mini';
import { redFlagSymptoms } from '../protocol.ts';
import { sideEffectSymptoms } from './side-effect-report.ts';

/** What the patient may report after the session hour: the journal's side effects and the check-in's red flags. */
export const recoverySymptoms = [
  ...sideEffectSymptoms,
  ...redFlagSymptoms.filter((s) => !(sideEffectSymptoms as readonly string[]).includes(s)),
] as const;
export type RecoverySymptom = (typeof sideEffectSymptoms)[number] | (typeof redFlagSymptoms)[number];

/** The recovery check's form, as the page posts it. */
export const recoveryCheckSchema = z.strictObject({
  recoveredNow: z.boolean({ error: 'choose whether you have recovered' }),
  symptoms: z.array(
    z.enum(recoverySymptoms as unknown as [RecoverySymptom, ...RecoverySymptom[]], { error: 'choose from the list' }),
  ),
});
