import type { DecisionReason, Protocol } from './protocol.ts';
import type { AdverseEvent, AdverseEventKind } from './schemas/adverse-event.ts';

/**
 * Triage of what patients and staff report between sessions.
 * - ADVERSE_EVENT: a symptom on the protocol's always-adverse list (at any severity), or any symptom at
 *   or above the adverse-event severity. It opens an adverse event and the patient goes on hold.
 * - MONITOR: at or above the monitor severity, or a symptom the protocol watches at any severity. The
 *   clinician sees it; nothing stops.
 * - NONE: only mild, expected effects (or nothing).
 * The free text is not interpreted here: word matching would miss what matters and cry wolf on the
 * rest, so the clinician reads it with the report.
 */

export type TriageOutcome = 'NONE' | 'MONITOR' | 'ADVERSE_EVENT';

export type TriageReasonCode =
  | 'NO_SIGNIFICANT_SIDE_EFFECTS'
  | 'ALWAYS_ADVERSE_SYMPTOM'
  | 'SEVERE_SIDE_EFFECT'
  | 'SIDE_EFFECT_TO_WATCH'
  | 'WATCHED_SYMPTOM'
  | 'STAFF_REPORTED_ADVERSE_EVENT';

export type TriageReason = DecisionReason<TriageReasonCode>;

/** A finding that must open an adverse event of `kind` and put the patient on clinical hold. */
export interface HoldSignal {
  kind: AdverseEventKind;
  description: string;
}

export type ReportedSeverity = 'none' | 'mild' | 'moderate' | 'severe';

/**
 * What triage reads from a side-effect report. The shared SideEffectReport satisfies it; symptoms are
 * plain names so the protocol's always-adverse list can name symptoms the report form may add later.
 */
export interface SideEffectsToTriage {
  symptoms: readonly { symptom: string; severity: ReportedSeverity }[];
}

export interface TriageDecision {
  outcome: TriageOutcome;
  reasons: TriageReason[];
  holdSignal: HoldSignal | null;
  protocolVersion: string;
}

const severityRank: Record<ReportedSeverity, number> = { none: 0, mild: 1, moderate: 2, severe: 3 };
const outcomeRank: Record<TriageOutcome, number> = { NONE: 0, MONITOR: 1, ADVERSE_EVENT: 2 };

/** Symptoms that are adverse events of their own kind rather than a "severe side effect". */
const symptomKinds: Partial<Record<string, AdverseEventKind>> = {
  'suicidal-thoughts': 'suicidal-ideation',
  'signs-of-misuse': 'misuse-signs',
};
/** When several kinds are found, the event is filed under the first of these that applies. */
const kindPriority: AdverseEventKind[] = ['suicidal-ideation', 'misuse-signs', 'severe-side-effect'];

export function triageSideEffects(report: SideEffectsToTriage, protocol: Protocol): TriageDecision {
  const rules = protocol.triage;
  const always: readonly string[] = rules.alwaysAdverseEventSymptoms;
  const findings: { outcome: TriageOutcome; reason: TriageReason; kind?: AdverseEventKind }[] = [];
  const mild: string[] = [];

  for (const { symptom, severity } of report.symptoms) {
    if (severity === 'none') continue;
    const rank = severityRank[severity];
    // in words ("severe chest pain"), as the clinician's alert and the hold quote it
    const name = `${severity} ${symptom.replace(/-/g, ' ')}`;
    if (always.includes(symptom)) {
      findings.push({
        outcome: 'ADVERSE_EVENT',
        reason: {
          code: 'ALWAYS_ADVERSE_SYMPTOM',
          message: `${name}: always an adverse event under protocol ${protocol.version}`,
        },
        kind: symptomKinds[symptom] ?? 'severe-side-effect',
      });
    } else if (rank >= severityRank[rules.adverseEventAtSeverity]) {
      findings.push({
        outcome: 'ADVERSE_EVENT',
        reason: {
          code: 'SEVERE_SIDE_EFFECT',
          message: `${name}: ${rules.adverseEventAtSeverity} or worse is an adverse event`,
        },
        kind: 'severe-side-effect',
      });
    } else if (rank >= severityRank[rules.monitorAtSeverity]) {
      findings.push({
        outcome: 'MONITOR',
        reason: { code: 'SIDE_EFFECT_TO_WATCH', message: `${name}: the clinician watches it` },
      });
    } else if (rules.monitorAtAnySeverity.includes(symptom)) {
      findings.push({
        outcome: 'MONITOR',
        reason: { code: 'WATCHED_SYMPTOM', message: `${name}: watched at any severity` },
      });
    } else {
      mild.push(name);
    }
  }

  const outcome = findings.reduce<TriageOutcome>(
    (strongest, f) => (outcomeRank[f.outcome] > outcomeRank[strongest] ? f.outcome : strongest),
    'NONE',
  );
  const reasons =
    outcome === 'NONE'
      ? [
          {
            code: 'NO_SIGNIFICANT_SIDE_EFFECTS' as const,
            message: mild.length === 0 ? 'no side effects reported' : `only expected effects: ${mild.join(', ')}`,
          },
        ]
      : findings.map((f) => f.reason);
  let holdSignal: HoldSignal | null = null;
  if (outcome === 'ADVERSE_EVENT') {
    const kinds = findings.flatMap((f) => (f.kind === undefined ? [] : [f.kind]));
    const kind = kindPriority.find((k) => kinds.includes(k)) ?? 'severe-side-effect';
    holdSignal = {
      kind,
      description: findings
        .filter((f) => f.outcome === 'ADVERSE_EVENT')
        .map((f) => f.reason.message)
        .join('; '),
    };
  }
  return { outcome, reasons, holdSignal, protocolVersion: protocol.version };
}

/** Staff report adverse events they have already judged to be one: every one of them holds. */
export function triageStaffReport(
  event: Pick<AdverseEvent, 'kind' | 'reportedBy' | 'description'>,
  protocol: Protocol,
): TriageDecision {
  const description =
    event.description.trim() === '' ? `${event.kind} reported by ${event.reportedBy}` : event.description;
  return {
    outcome: 'ADVERSE_EVENT',
    reasons: [
      {
        code: 'STAFF_REPORTED_ADVERSE_EVENT',
        message: `${event.kind} reported by ${event.reportedBy}: every reported adverse event puts the patient on hold`,
      },
    ],
    holdSignal: { kind: event.kind, description },
    protocolVersion: protocol.version,
  };
}
