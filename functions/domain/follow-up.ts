import { MismatchedInstruments } from './domain-errors.ts';
import type { DecisionReason, Protocol } from './protocol.ts';
import type { Assessment } from './schemas/assessment.ts';
import { scoreGad7, scorePhq9 } from './scoring.ts';

/**
 * Response and remission on GAD-7 and PHQ-9, the measures the clinician reads at follow-up.
 * Response: the score fell by at least the protocol's share of the baseline (exactly 50 % counts).
 * Remission: the score is below the protocol's cut-off, judged only from a baseline that was at least
 * moderate; a patient who started below it cannot "remit" into a band they were nearly in already.
 */

export type FollowUpInstrument = 'gad7' | 'phq9';

/** The slice of an assessment this rule reads. */
export interface InstrumentScore {
  instrument: FollowUpInstrument;
  score: number;
}

export interface TreatmentResponse {
  instrument: FollowUpInstrument;
  baseline: number;
  latest: number;
  /** fall from baseline as a percentage of it; negative when the score rose; null from a baseline of 0 */
  fallPercent: number | null;
  response: boolean;
  remission: boolean;
  reasons: DecisionReason[];
  protocolVersion: string;
}

const names: Record<FollowUpInstrument, string> = { gad7: 'GAD-7', phq9: 'PHQ-9' };

export function computeResponse(
  baseline: InstrumentScore,
  latest: InstrumentScore,
  protocol: Protocol,
): TreatmentResponse {
  if (baseline.instrument !== latest.instrument) {
    throw new MismatchedInstruments(
      `cannot compare a ${names[baseline.instrument]} baseline with a ${names[latest.instrument]} score`,
    );
  }
  const name = names[baseline.instrument];
  const { responseMinimumFallPercent, remissionBelow, remissionBaselineAtLeast } = protocol.followUp;
  const reasons: DecisionReason[] = [];

  const fall = baseline.score - latest.score;
  const fallPercent = baseline.score === 0 ? null : (fall * 100) / baseline.score;
  // Compared in whole products, not via the rounded percentage, so 7 of 14 is exactly 50 %.
  const response = baseline.score > 0 && fall * 100 >= responseMinimumFallPercent * baseline.score;
  if (baseline.score === 0) {
    reasons.push({
      code: 'RESPONSE_NOT_APPLICABLE',
      message: `${name} baseline was 0, so there is no fall to measure`,
    });
  } else if (response) {
    reasons.push({
      code: 'RESPONSE',
      message: `${name} fell from ${baseline.score} to ${latest.score} (${formatPercent(fallPercent)} of baseline, response needs ${responseMinimumFallPercent} %)`,
    });
  } else {
    reasons.push({
      code: 'NO_RESPONSE',
      message: `${name} went from ${baseline.score} to ${latest.score} (${formatPercent(fallPercent)} fall; response needs ${responseMinimumFallPercent} %)`,
    });
  }

  const baselineQualifies = baseline.score >= remissionBaselineAtLeast;
  const remission = baselineQualifies && latest.score < remissionBelow;
  if (!baselineQualifies) {
    reasons.push({
      code: 'REMISSION_NOT_APPLICABLE',
      message: `remission is judged only from a ${name} baseline of ${remissionBaselineAtLeast} or more; this baseline was ${baseline.score}`,
    });
  } else if (remission) {
    reasons.push({
      code: 'REMISSION',
      message: `${name} is ${latest.score}, below ${remissionBelow}, from a baseline of ${baseline.score}`,
    });
  } else {
    reasons.push({
      code: 'NO_REMISSION',
      message: `${name} is ${latest.score}; remission needs a score below ${remissionBelow}`,
    });
  }

  return {
    instrument: baseline.instrument,
    baseline: baseline.score,
    latest: latest.score,
    fallPercent,
    response,
    remission,
    reasons,
    protocolVersion: protocol.version,
  };
}

export interface FollowUpResult {
  gad7: TreatmentResponse;
  phq9: TreatmentResponse;
  protocolVersion: string;
}

/** Both measures, from two assessments as the patient filled them in (baseline and latest). */
export function computeFollowUp(
  baseline: Pick<Assessment, 'gad7' | 'phq9'>,
  latest: Pick<Assessment, 'gad7' | 'phq9'>,
  protocol: Protocol,
): FollowUpResult {
  const gad7 = (a: Pick<Assessment, 'gad7'>): InstrumentScore => ({
    instrument: 'gad7',
    score: scoreGad7(a.gad7, protocol).total,
  });
  const phq9 = (a: Pick<Assessment, 'phq9'>): InstrumentScore => ({
    instrument: 'phq9',
    score: scorePhq9(a.phq9, protocol).total,
  });
  return {
    gad7: computeResponse(gad7(baseline), gad7(latest), protocol),
    phq9: computeResponse(phq9(baseline), phq9(latest), protocol),
    protocolVersion: protocol.version,
  };
}

function formatPercent(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value * 10) / 10} %`;
}
