import * as z from 'zod/mini';
import { sendReminder } from '../journey/steps/send-reminder.ts';
import { journeyRef } from '../journey/steps/workflow-inputs.ts';
import { workflowHandler } from '../platform/workflow-handler.ts';

const input = z.object({
  ...journeyRef,
  reminderKey: z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'expected a reminder key')),
  kind: z.enum(['consult', 'follow-up', 'session-prep', 'refill-window']),
});

/** Exactly once per reminder key; PatientOnHold (fails closed) while the patient is on hold. */
export const handler = workflowHandler('send-reminder', input, (event) =>
  sendReminder({ ...event, actor: { type: 'system', id: 'send-reminder' } }),
);
