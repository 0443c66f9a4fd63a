import * as z from 'zod/mini';
import { instant, yesNo } from './common.ts';
import { gad7Schema, phq9Schema } from './questionnaires.ts';

/** Ketamine can inflame the bladder; any "yes" is for the clinician to see before a refill. */
export const bladderCheckSchema = z.strictObject({
  frequency: yesNo,
  urgency: yesNo,
  painOnUrination: yesNo,
  bloodInUrine: yesNo,
});

/** Repeated at baseline, after session 2, after the last session, and with every refill request. */
export const assessmentSchema = z.strictObject({
  gad7: gad7Schema,
  phq9: phq9Schema,
  bladderCheck: bladderCheckSchema,
  takenAt: instant,
});

export type BladderCheck = z.infer<typeof bladderCheckSchema>;

/** Each bladder answer as a clinician reads it in an alert or on a page, never by its field name. */
export const bladderSymptomWords: Readonly<Record<keyof BladderCheck, string>> = {
  frequency: 'passing urine more often',
  urgency: 'sudden urges to pass urine',
  painOnUrination: 'pain passing urine',
  bloodInUrine: 'blood in the urine',
};
export type Assessment = z.infer<typeof assessmentSchema>;
