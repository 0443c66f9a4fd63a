import { readStep } from '../../links/step-store.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import { placeOnHold } from './clinical-hold.ts';
import { JourneyDataMissing } from '../../patient/journey-errors.ts';
import { functionContext } from '../../platform/function-context.ts';

/** The adverse event id of a hold a step's answer called for: the link page and the workflow use the same one, so the event is recorded once. */
export function calledForAdverseEventId(stepKey: string): string {
  return `ae-${stepKey}`;
}

export interface HoldCalledForResult {
  readonly holdCalledFor: boolean;
  readonly adverseEventId?: string;
}

/**
 * The workflow's own guarantee that an answer calling for a clinical hold (an emergency at check-in, an
 * adverse event in a journal) holds the patient. The link page places the hold right after the decision,
 * but if that failed, or its function died in between, nothing else would, and the next session's
 * planning would find no hold. The hold is read from the step's decision (stored in the decision's own
 * transaction) and placed under the page's adverse event id: when the page did its part this changes
 * nothing, and a hold the clinician has lifted since is not placed again.
 */
export async function placeHoldCalledFor(input: {
  patientId: string;
  journeyId: string;
  stepKey: string;
  actor: AuditActor;
}): Promise<HoldCalledForResult> {
  const { client, tableName } = functionContext();
  const step = await readStep(client, tableName, input);
  if (step === undefined) throw new JourneyDataMissing(`no step ${input.stepKey} is stored`);
  const hold = step.decision?.hold;
  if (hold === undefined) return { holdCalledFor: false };
  const adverseEventId = calledForAdverseEventId(input.stepKey);
  await placeOnHold({
    patientId: input.patientId,
    reason: hold.description,
    adverseEvent: hold,
    actor: input.actor,
    adverseEventId,
  });
  return { holdCalledFor: true, adverseEventId };
}
