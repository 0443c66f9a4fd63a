import type { Protocol } from './protocol.ts';
import type { AuditC, CssrsRisk, CssrsScreener, Dast10, Gad7, Phq9, SexAtBirth } from './schemas/index.ts';

/**
 * Instrument scoring, from the published scoring rules; every threshold and band comes from the
 * protocol. Answers are assumed already parsed by their schemas (right count, right range).
 */

export interface BandedScore {
  total: number;
  band: string;
}

/** The label of the band a total falls in: the last band whose lower bound it reaches. */
export function bandOf(total: number, bands: Protocol['bands'][keyof Protocol['bands']]): string {
  let label: string | undefined;
  for (const band of bands) if (total >= band.from) label = band.label;
  if (label === undefined)
    throw new RangeError(`no band starts at or below ${total}; the protocol's first band must start at 0`);
  return label;
}

const sum = (items: readonly number[]): number => items.reduce((total, item) => total + item, 0);

/** GAD-7 (Spitzer et al. 2006): sum of seven items, 0-21. */
export function scoreGad7(gad7: Gad7, protocol: Protocol): BandedScore {
  const total = sum(gad7.items);
  return { total, band: bandOf(total, protocol.bands.gad7) };
}

/** PHQ-9 (Kroenke et al. 2001): sum of nine items, 0-27; item 9 (self-harm thoughts) is reported on its own. */
export function scorePhq9(phq9: Phq9, protocol: Protocol): BandedScore & { item9: number } {
  const total = sum(phq9.items);
  return { total, band: bandOf(total, protocol.bands.phq9), item9: phq9.items[8] ?? 0 };
}

/**
 * AUDIT-C (Bush et al. 1998): sum of three items, 0-12. Positive from the protocol's threshold for men,
 * or the lower one for women; anyone not recorded as male gets the lower one, the cautious choice.
 */
export function scoreAuditC(
  auditC: AuditC,
  sexAtBirth: SexAtBirth,
  protocol: Protocol,
): { total: number; positive: boolean } {
  const total = sum(auditC.items);
  const threshold =
    sexAtBirth === 'male' ? protocol.eligibility.auditCReview.male : protocol.eligibility.auditCReview.female;
  return { total, positive: total >= threshold };
}

/** DAST-10 question 3 ("always able to stop using drugs when you want to?") scores for "no". */
const DAST10_REVERSED_QUESTION_INDEX = 2;

/** DAST-10 (Skinner 1982): one point per "yes", except question 3, which scores for "no"; 0-10. */
export function scoreDast10(dast10: Dast10, protocol: Protocol): BandedScore {
  const total = dast10.answers.filter((yes, index) => (index === DAST10_REVERSED_QUESTION_INDEX ? !yes : yes)).length;
  return { total, band: bandOf(total, protocol.bands.dast10) };
}

/**
 * C-SSRS screener risk, following the Columbia protocol's triage: intent or a plan within the ideation
 * lookback, or behaviour within the behaviour lookback, is imminent; thoughts of a method, or intent,
 * plan or behaviour longer ago, are moderate; a wish to be dead or non-specific thoughts are low.
 * A "yes" to intent or plan without a date is taken as recent: the questions ask about the past month.
 *
 * `today` is the patient's local calendar date (YYYY-MM-DD).
 */
export function cssrsRisk(answers: CssrsScreener, protocol: Protocol, today: string): CssrsRisk {
  const ideationStart = lookbackStart(today, protocol.eligibility.cssrsIdeationLookbackMonths);
  const behaviourStart = lookbackStart(today, protocol.eligibility.cssrsBehaviourLookbackMonths);
  const intentOrPlan = answers.intentToAct || answers.planWithIntent;
  const recentIntentOrPlan =
    intentOrPlan && (answers.intentOrPlanLastOn === undefined || answers.intentOrPlanLastOn >= ideationStart);
  const behaviourOn = answers.suicidalBehaviour ? answers.behaviourLastOn : null;
  const recentBehaviour = behaviourOn !== null && behaviourOn >= behaviourStart;
  if (recentIntentOrPlan || recentBehaviour) return 'imminent';
  if (answers.thoughtsOfMethod || intentOrPlan || behaviourOn !== null) return 'moderate';
  if (answers.wishToBeDead || answers.suicidalThoughts) return 'low';
  return 'none';
}

/**
 * The first calendar date inside a lookback of `months` ending on `today` (both YYYY-MM-DD): the same
 * day of the month `months` earlier, or that month's last day when it is shorter (31 Aug − 6 → 28 Feb).
 * ISO dates compare as strings, so `date >= lookbackStart(...)` is "within the lookback".
 */
export function lookbackStart(today: string, months: number): string {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const monthIndex = year * 12 + (month - 1) - months;
  const startYear = Math.floor(monthIndex / 12);
  const startMonth = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(startYear, startMonth, 0)).getUTCDate();
  return isoDate(startYear, startMonth, Math.min(day, lastDay));
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
