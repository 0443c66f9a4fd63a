import { triageSideEffects } from '../domain/triage.ts';
import { sideEffectReportSchema } from '../domain/schemas/index.ts';
import type { AuditActor } from '../store/audited-change.ts';
import { getItem } from '../store/read-items.ts';
import { keys } from '../store/table-design.ts';
import { placeOnHold } from './clinical-hold.ts';
import { JourneyDataMissing } from './journey-errors.ts';
import { journeyStore } from './journey-store.ts';

export interface HoldForReportedEventResult {
  readonly adverseEvent: boolean;
  readonly adverseEventId?: string;
  readonly protocolVersion: string;
}

/** The adverse event id of a side-effect report: the link page and the workflow use the same one, so the event is recorded once. */
export function reportedAdverseEventId(stepKey: string): string {
  return `ae-${stepKey}`;
}

/**
 * The workflow's own guarantee that a side-effect report triaged as an adverse event holds the patient.
 * The journal's page places the hold right after the decision, but if that failed (or the page's
 * function died in between) nothing else would: the next session's planning checks the hold, and there
 * would be none. This reads the stored report (written in the decision's own transaction), triages it
 * again and places the hold under the same adverse event id, so when the page did its part this changes
 * nothing, and a hold the clinician has since lifted is not placed again.
 */
export async function holdForReportedAdverseEvent(input: { patientId: string; stepKey: string; actor: AuditActor }): Promise<HoldForReportedEventResult> {
  const { client, tableName, protocol } = journeyStore();
  const stored = await getItem(client, tableName, keys.sideEffectReport(input.patientId, input.stepKey));
  if (stored === undefined) throw new JourneyDataMissing(`no side-effect report was stored for ${input.stepKey}`);
  // the report's own fields, without the store's (keys, version, triage written beside it)
  const fields = Object.fromEntries(Object.keys(sideEffectReportSchema.shape).filter((name) => stored[name] !== undefined).map((name) => [name, stored[name]]));
  const report = sideEffectReportSchema.parse(fields);
  const triage = triageSideEffects(report, protocol);
  if (triage.holdSignal === null) return { adverseEvent: false, protocolVersion: triage.protocolVersion };
  const adverseEventId = reportedAdverseEventId(input.stepKey);
  await placeOnHold({
    patientId: input.patientId,
    reason: triage.holdSignal.description,
    adverseEvent: { kind: triage.holdSignal.kind, reportedBy: 'patient', description: triage.holdSignal.description },
    actor: input.actor,
    adverseEventId,
  });
  return { adverseEvent: true, adverseEventId, protocolVersion: triage.protocolVersion };
}
