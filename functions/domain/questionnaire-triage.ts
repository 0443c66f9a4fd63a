import type { DecisionReason, Protocol } from './protocol.ts';
import { bladderSymptomWords, type BladderCheck } from './schemas/assessment.ts';
import type { CssrsScreener, Gad7, Phq9 } from './schemas/questionnaires.ts';
import { cssrsRisk, scoreGad7, scorePhq9 } from './scoring.ts';

/**
 * One triage for every questionnaire a patient sends, at intake and after (assessments during induction
 * and at follow-up, and with every refill request). It decides who must hear of the answers and how soon;
 * screening and the refill gate still decide eligibility and refills.
 *
 * - URGENT (the clinician the same day): PHQ-9 item 9 above the protocol's threshold; C-SSRS imminent
 *   risk (intake); blood in the urine.
 * - REVIEW (a notice to the clinician): a PHQ-9 or GAD-7 rise of the protocol's size from the previous
 *   questionnaire, a move into the severe band, a C-SSRS "low" result with active thoughts (question 2),
 *   or urinary symptoms the previous questionnaire did not report.
 * - Any risk answer (item 9 above 0, any "yes" in the C-SSRS) shows the patient crisis resources at once,
 *   on the page they submitted.
 */

export type QuestionnaireUrgency = 'urgent' | 'notice';

export type QuestionnaireFindingCode =
  | 'PHQ9_ITEM9_POSITIVE'
  | 'CSSRS_IMMINENT_RISK'
  | 'CSSRS_LOW_WITH_ACTIVE_THOUGHTS'
  | 'PHQ9_ROSE'
  | 'GAD7_ROSE'
  | 'PHQ9_INTO_SEVERE_BAND'
  | 'GAD7_INTO_SEVERE_BAND'
  | 'NEW_URINARY_SYMPTOMS'
  | 'BLOOD_IN_URINE';

export interface QuestionnaireFinding extends DecisionReason<QuestionnaireFindingCode> {
  readonly urgency: QuestionnaireUrgency;
}

/** What one questionnaire asked; intake has the C-SSRS, assessments and refill requests the bladder check. */
export interface QuestionnaireAnswers {
  readonly phq9: Phq9;
  readonly gad7: Gad7;
  readonly cssrs?: CssrsScreener | undefined;
  readonly bladderCheck?: BladderCheck | undefined;
}

/** The questionnaire before this one (the latest assessment, else the intake), to measure change against. */
export interface PreviousQuestionnaire {
  readonly phq9: Phq9;
  readonly gad7: Gad7;
  /** the previous bladder check; undefined when none was asked (then `urinarySymptomsKnown` says) */
  readonly bladderCheck?: BladderCheck | undefined;
  /** the intake listed urinary symptoms among the patient's conditions */
  readonly urinarySymptomsKnown?: boolean | undefined;
}

export interface QuestionnaireTriage {
  /** every finding, most urgent first; empty when no one needs to hear of the answers */
  readonly findings: readonly QuestionnaireFinding[];
  /** the strongest urgency found, or null */
  readonly urgency: QuestionnaireUrgency | null;
  /** the patient answered something that calls for crisis resources on the page */
  readonly crisisResources: boolean;
  readonly protocolVersion: string;
}

const urinarySymptoms = ['frequency', 'urgency', 'painOnUrination'] as const;

/** `today` is the patient's local date (YYYY-MM-DD), for the C-SSRS lookbacks. */
export function triageQuestionnaire(
  answers: QuestionnaireAnswers,
  previous: PreviousQuestionnaire | null,
  protocol: Protocol,
  today: string,
): QuestionnaireTriage {
  const rules = protocol.questionnaires;
  const findings: QuestionnaireFinding[] = [];
  const find = (urgency: QuestionnaireUrgency, code: QuestionnaireFindingCode, message: string) =>
    findings.push({ urgency, code, message });
  const phq9 = scorePhq9(answers.phq9, protocol);
  const gad7 = scoreGad7(answers.gad7, protocol);

  if (phq9.item9 > rules.phq9Item9AlertAbove)
    find(
      'urgent',
      'PHQ9_ITEM9_POSITIVE',
      `PHQ-9 item 9 (thoughts of death or self-harm) answered ${phq9.item9}: please contact the patient today`,
    );

  let cssrsAnyYes = false;
  if (answers.cssrs !== undefined) {
    const c = answers.cssrs;
    cssrsAnyYes =
      c.wishToBeDead ||
      c.suicidalThoughts ||
      c.thoughtsOfMethod ||
      c.intentToAct ||
      c.planWithIntent ||
      c.suicidalBehaviour;
    const risk = cssrsRisk(c, protocol, today);
    if (risk === 'imminent')
      find(
        'urgent',
        'CSSRS_IMMINENT_RISK',
        'C-SSRS screener indicates imminent suicide risk: please contact the patient today',
      );
    else if (risk === 'low' && c.suicidalThoughts && protocol.eligibility.cssrsLowWithActiveThoughtsReview) {
      find(
        'notice',
        'CSSRS_LOW_WITH_ACTIVE_THOUGHTS',
        'C-SSRS: low risk, but active thoughts of suicide (question 2): for review',
      );
    }
  }

  if (previous !== null) {
    const before = { phq9: scorePhq9(previous.phq9, protocol).total, gad7: scoreGad7(previous.gad7, protocol).total };
    if (phq9.total - before.phq9 >= rules.riseForReview.phq9)
      find(
        'notice',
        'PHQ9_ROSE',
        `PHQ-9 rose from ${before.phq9} to ${phq9.total} (review from a rise of ${rules.riseForReview.phq9})`,
      );
    if (gad7.total - before.gad7 >= rules.riseForReview.gad7)
      find(
        'notice',
        'GAD7_ROSE',
        `GAD-7 rose from ${before.gad7} to ${gad7.total} (review from a rise of ${rules.riseForReview.gad7})`,
      );
    if (phq9.total >= rules.severeFrom.phq9 && before.phq9 < rules.severeFrom.phq9)
      find(
        'notice',
        'PHQ9_INTO_SEVERE_BAND',
        `PHQ-9 ${phq9.total} moved into the severe band (from ${rules.severeFrom.phq9}; it was ${before.phq9})`,
      );
    if (gad7.total >= rules.severeFrom.gad7 && before.gad7 < rules.severeFrom.gad7)
      find(
        'notice',
        'GAD7_INTO_SEVERE_BAND',
        `GAD-7 ${gad7.total} moved into the severe band (from ${rules.severeFrom.gad7}; it was ${before.gad7})`,
      );
  }

  const bladder = answers.bladderCheck;
  if (bladder !== undefined) {
    if (bladder.bloodInUrine)
      find(
        'urgent',
        'BLOOD_IN_URINE',
        'blood in the urine reported (possible ketamine cystitis): please contact the patient today',
      );
    const known = previous?.bladderCheck;
    const fresh = urinarySymptoms.filter(
      (symptom) =>
        bladder[symptom] && !(known === undefined ? previous?.urinarySymptomsKnown === true : known[symptom]),
    );
    if (fresh.length > 0)
      find(
        'notice',
        'NEW_URINARY_SYMPTOMS',
        `new urinary symptoms: ${fresh.map((symptom) => bladderSymptomWords[symptom]).join(', ')} (possible early ketamine cystitis)`,
      );
  }

  findings.sort((a, b) => (a.urgency === b.urgency ? 0 : a.urgency === 'urgent' ? -1 : 1));
  return {
    findings,
    urgency: findings[0]?.urgency ?? null,
    crisisResources: phq9.item9 > rules.phq9Item9AlertAbove || cssrsAnyYes,
    protocolVersion: protocol.version,
  };
}
