import * as z from 'zod/mini';
import { runScreening } from '../journey/steps/run-screening.ts';
import { journeyRef } from '../journey/steps/workflow-inputs.ts';
import { workflowHandler } from '../platform/workflow-handler.ts';

const input = z.object(journeyRef);

/** Screens the intake: {screeningId, outcome, urgentAlert, reason codes, protocolVersion}; imminent risk alerts the clinician. */
export const handler = workflowHandler('screening', input, (event) =>
  runScreening({ patientId: event.patientId, actor: { type: 'system', id: 'screening' } }),
);
