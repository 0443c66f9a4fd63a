import { latestAssessment } from '../../domain/latest-assessment.ts';
import { computeResponse, type TreatmentResponse } from '../../domain/follow-up.ts';
import { scoreGad7, scorePhq9 } from '../../domain/scoring.ts';
import type { JourneyPhase } from '../../domain/schemas/index.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';
import { phaseMoveAllowed } from './set-phase.ts';
import { updateJourney } from './update-journey.ts';

/**
 * What the workflow receives: reason codes such as `gad7-response` or `phq9-no-remission`, never the
 * scores (execution history and the workflow logs keep every task's result). The scores and the reasons in
 * words go to the audit event in the table, where the clinician's follow-up page reads them.
 */
export interface FollowUpResult {
  readonly reasons: readonly string[];
  readonly protocolVersion: string;
  /** why the move to follow-up was not made: a late retry after the journey moved on */
  readonly ignored?: string;
}

/**
 * Response and remission for GAD-7 and PHQ-9: the intake is the baseline, the latest assessment the
 * outcome. Stored with the move to the follow-up phase (audit event with every reason and the protocol
 * version); a retry finds the phase reached and only answers again. The move obeys the same rule as every
 * phase move (`phaseMoveAllowed`, leaving `from`, the phase the workflow believes the journey is in): a
 * late duplicate that arrives after the journey moved on changes nothing and says why.
 */
export async function followUpResponse(input: {
  patientId: string;
  actor: AuditActor;
  from?: JourneyPhase | undefined;
}): Promise<FollowUpResult> {
  const { protocol } = functionContext();
  const context = await loadPatientContext(input.patientId, { withIntake: true });
  const latest = latestAssessment(context.assessments);
  let responses: { gad7: TreatmentResponse; phq9: TreatmentResponse } | null = null;
  let reasons: string[];
  let reasonCodes: string[];
  if (context.intake === undefined || latest === undefined) {
    reasons = [context.intake === undefined ? 'no baseline (intake) stored' : 'no assessment after the baseline'];
    reasonCodes = [context.intake === undefined ? 'no-baseline' : 'no-assessment-after-baseline'];
  } else {
    const gad7 = computeResponse(
      { instrument: 'gad7', score: scoreGad7(context.intake.gad7, protocol).total },
      { instrument: 'gad7', score: scoreGad7(latest.gad7, protocol).total },
      protocol,
    );
    const phq9 = computeResponse(
      { instrument: 'phq9', score: scorePhq9(context.intake.phq9, protocol).total },
      { instrument: 'phq9', score: scorePhq9(latest.phq9, protocol).total },
      protocol,
    );
    responses = { gad7, phq9 };
    reasons = [...gad7.reasons, ...phq9.reasons].map((r) => r.message);
    reasonCodes = [gad7, phq9].flatMap((response) =>
      response.reasons.map((r) => `${response.instrument}-${r.code.toLowerCase().replaceAll('_', '-')}`),
    );
  }
  const result: FollowUpResult = { reasons: reasonCodes, protocolVersion: protocol.version };
  let ignored: string | undefined;
  await updateJourney(input.patientId, ({ journey }) => {
    ignored = undefined;
    if (journey.phase === 'follow-up') return undefined;
    if (!phaseMoveAllowed(journey.phase, 'follow-up', input.from)) {
      ignored = `the journey is in ${journey.phase}, not ${input.from ?? 'a phase before follow-up'}`;
      return undefined;
    }
    return {
      set: { phase: 'follow-up' },
      audit: {
        patientId: input.patientId,
        actor: input.actor,
        action: 'journey.follow-up-response',
        reason: reasons.join('; '),
        protocolVersion: protocol.version,
        details: {
          gad7: responses && {
            baseline: responses.gad7.baseline,
            latest: responses.gad7.latest,
            response: responses.gad7.response,
            remission: responses.gad7.remission,
          },
          phq9: responses && {
            baseline: responses.phq9.baseline,
            latest: responses.phq9.latest,
            response: responses.phq9.response,
            remission: responses.phq9.remission,
          },
          reasonCodes,
        },
      },
    };
  });
  return ignored === undefined ? result : { ...result, ignored };
}
