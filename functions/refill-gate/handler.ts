import * as z from 'zod/mini';
import { runRefillGate } from '../journey/refills/run-refill-gate.ts';
import { journeyRef, wholeNumberFrom } from '../journey/steps/workflow-inputs.ts';
import { workflowHandler } from '../platform/workflow-handler.ts';

const input = z.object({ ...journeyRef, cycle: wholeNumberFrom(1) });

/** {decision, reason codes, retryable, allowedFrom?, refillNumber, protocolVersion}; PatientOnHold while on hold. */
export const handler = workflowHandler('refill-gate', input, (event) =>
  runRefillGate({ patientId: event.patientId, cycle: event.cycle, actor: { type: 'system', id: 'refill-gate' } }),
);
