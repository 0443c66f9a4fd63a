import { screen } from '../../domain/screening.ts';
import { alertClinician } from '../../links/clinician-alert.ts';
import { screeningOutcomeWords } from '../../pages/clinician-labels.ts';
import type { ScreeningOutcome, ScreeningReasonCode } from '../../domain/schemas/index.ts';
import { now } from '../../platform/clock.ts';
import { commitChange, type AuditActor } from '../../store/audited-change.ts';
import { getItem } from '../../store/read-items.ts';
import { AlreadyExists } from '../../store/store-errors.ts';
import { keys } from '../../store/table-design.ts';
import { JourneyDataMissing } from '../../patient/journey-errors.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';
import { readStored, storedScreening, type StoredScreening } from '../../patient/stored-records.ts';

/**
 * What the workflow receives: the outcome its Choice needs and the reason codes, never the scores, vital
 * signs, answers or the reasons' wording (which name medications and readings). Execution history and the
 * workflow logs keep every task's result, so the clinician's screening summary is read from the stored
 * SCREENING item by id instead.
 */
export interface ScreeningAnswer {
  readonly screeningId: string;
  readonly outcome: ScreeningOutcome;
  readonly urgentAlert: boolean;
  readonly reasons: readonly ScreeningReasonCode[];
  readonly protocolVersion: string;
}

/**
 * Scores the intake and applies the protocol's exclusions; the result is stored once per screening round
 * (SCREENING#round-<nnn>: a retry finds it and answers the same). Imminent risk sends the clinician the
 * urgent email FIRST, before anything else can fail, and once per round.
 */
export async function runScreening(input: { patientId: string; actor: AuditActor }): Promise<ScreeningAnswer> {
  const { client, tableName, protocol } = functionContext();
  const context = await loadPatientContext(input.patientId, { withIntake: true });
  const screeningId = `round-${String(context.journey.screeningRound).padStart(3, '0')}`;
  const stored = context.screenings.find((s) => s.screeningId === screeningId);
  const intake = context.intake;
  if (stored === undefined && intake === undefined) throw new JourneyDataMissing('no intake to screen');

  const result = stored ?? {
    ...screen(intake as NonNullable<typeof intake>, context.patient, protocol, now()),
    screeningId,
  };
  if (result.urgentAlert) {
    const risk = result.reasons.find((r) => r.code === 'cssrs-imminent-risk');
    await alertClinician({
      patientId: input.patientId,
      journeyId: context.journey.id,
      clinicianId: context.patient.assignedClinicianId,
      urgency: 'urgent',
      alertKey: `screening-${screeningId}-urgent`,
      message: `C-SSRS screener indicates imminent suicide risk${risk ? ` (${risk.message})` : ''}. Screening outcome: ${screeningOutcomeWords[result.outcome]}. Please contact the patient today.`,
      actor: input.actor,
      reason: 'screening found imminent suicide risk (C-SSRS): same-day review',
    });
  }
  if (stored !== undefined) return answer(stored);

  try {
    await commitChange(client, tableName, {
      writes: [
        {
          kind: 'create',
          key: keys.screening(input.patientId, screeningId),
          label: 'screening',
          itemType: 'SCREENING',
          attributes: result,
        },
      ],
      audit: {
        patientId: input.patientId,
        actor: input.actor,
        action: 'screening.decided',
        reason:
          result.reasons.length === 0
            ? `${result.outcome}: no exclusion or review reason`
            : `${result.outcome}: ${result.reasons.map((r) => r.message).join('; ')}`,
        protocolVersion: result.protocolVersion,
        details: {
          screeningId,
          outcome: result.outcome,
          urgentAlert: result.urgentAlert,
          reasonCodes: result.reasons.map((r) => r.code),
        },
      },
    });
  } catch (error) {
    if (!(error instanceof AlreadyExists)) throw error;
    const item = await getItem(client, tableName, keys.screening(input.patientId, screeningId));
    if (item !== undefined) return answer(readStored(storedScreening, item, { screeningId }));
    throw error;
  }
  return answer(result);
}

function answer(result: StoredScreening): ScreeningAnswer {
  return {
    screeningId: result.screeningId,
    outcome: result.outcome,
    urgentAlert: result.urgentAlert,
    reasons: result.reasons.map((reason) => reason.code),
    protocolVersion: result.protocolVersion,
  };
}
