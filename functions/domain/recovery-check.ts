import type { Protocol } from './protocol.ts';
import type { RecoverySymptom } from './schemas/recovery-check.ts';
import type { HoldSignal } from './triage.ts';

/** What the patient says at the end of the session hour. */
export interface RecoveryReport {
  /** "I have recovered and the adult with me may leave" */
  readonly recovered: boolean;
  readonly symptoms: readonly RecoverySymptom[];
}

export interface RecoveryJudgement {
  readonly decision: 'RECOVERED' | 'NOT_RECOVERED';
  /** a warning sign: the patient is held, and the hold alerts the clinician at once */
  readonly hold: HoldSignal | null;
  /** not recovered, or a symptom that is not a warning sign: the clinician is told today */
  readonly alertMessage: string | null;
  /** thoughts of self-harm: crisis resources on the page at once */
  readonly crisisResources: boolean;
  readonly reasons: readonly string[];
  readonly protocolVersion: string;
}

/**
 * The check after the session hour: the monitor leaves only once the patient says they have recovered
 * and reports nothing. A symptom the protocol treats as an adverse event at any severity (or a red flag
 * of the check-in) holds the patient; anything else short of "recovered, nothing to report" reaches the
 * clinician the same day, and the page asks the monitor to stay.
 */
export function judgeRecovery(report: RecoveryReport, protocol: Protocol): RecoveryJudgement {
  const base = { protocolVersion: protocol.version, crisisResources: report.symptoms.includes('suicidal-thoughts') };
  const warning = report.symptoms.filter(
    (s) =>
      (protocol.triage.alwaysAdverseEventSymptoms as readonly string[]).includes(s) ||
      (protocol.checkIn.emergencySymptoms as readonly string[]).includes(s),
  );
  if (warning.length > 0) {
    const description = `after the session hour the patient reports ${warning.join(', ')}`;
    return {
      ...base,
      decision: 'NOT_RECOVERED',
      hold: { kind: warning.includes('suicidal-thoughts') ? 'suicidal-ideation' : 'severe-side-effect', description },
      alertMessage: null,
      reasons: [`warning sign after the session: ${warning.join(', ')}`],
    };
  }
  if (report.recovered && report.symptoms.length === 0)
    return {
      ...base,
      decision: 'RECOVERED',
      hold: null,
      alertMessage: null,
      reasons: ['recovered, nothing to report'],
    };
  const what =
    report.symptoms.length === 0
      ? 'has not yet recovered'
      : `reports ${report.symptoms.join(', ')}${report.recovered ? ' although they feel recovered' : ' and has not yet recovered'}`;
  return {
    ...base,
    decision: report.recovered ? 'RECOVERED' : 'NOT_RECOVERED',
    hold: null,
    alertMessage: `At the end of the session hour the patient ${what}. The page asked them to keep the adult who is with them there until they have recovered. Please contact them today.`,
    reasons: [`after the session: ${what}`],
  };
}
