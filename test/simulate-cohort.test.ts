import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFunctionLogs, type FunctionLogCapture } from '../bench/function-log-capture.ts';
import { cohortReport, type CohortReport } from '../bench/simulate/cohort-report.ts';
import { renderComparison, renderHtml, renderMarkdown } from '../bench/simulate/cohort-render.ts';
import { runCohort, type CohortRun } from '../bench/simulate/cohort-run.ts';
import type { JourneyView } from './support/journey-driver.ts';

/**
 * A small cohort through the real local clinic (staff API, emailed links, virtual clock), and its
 * report held against what the clinic recorded: the audit trail of each patient, and what the simulated
 * people did (each form they posted that the page accepted is one decision or record, no more, no less).
 * Kept small (a few patients over a few months) so the suite's budget holds on a slow shared machine.
 */
const cohort = {
  patients: Number(process.env['SIMULATE_TEST_PATIENTS'] ?? 3),
  months: Number(process.env['SIMULATE_TEST_MONTHS'] ?? 1.5),
  seed: 11,
};

let run: CohortRun;
let report: CohortReport;
let views: JourneyView[];
let logs: FunctionLogCapture;

beforeAll(async () => {
  logs = captureFunctionLogs();
  run = await runCohort(cohort);
  report = await cohortReport(run);
  views = [];
  for (const p of run.patients)
    if (p.enrolled !== undefined) views.push(await run.driver.journeyOf(p.enrolled.patientId));
}, 600_000);

afterAll(async () => {
  await run?.clinic.stop();
  logs?.stop();
});

const audited = (action: string) =>
  views.reduce((sum, view) => sum + view.audit.filter((e) => e.action === action).length, 0);
const tallied = (pattern: RegExp) =>
  [...run.tally].filter(([key]) => pattern.test(key)).reduce((sum, [, n]) => sum + n, 0);

describe(`a cohort of ${cohort.patients} patients over ${cohort.months} months (seed ${cohort.seed})`, () => {
  it('enrols every patient of the cohort, spread over the months, and finds no journey invariant violated', () => {
    expect(report.partial).toBe(false);
    expect(report.enrolled).toBe(cohort.patients);
    expect(tallied(/^staff:enrol:201$/)).toBe(cohort.patients);
    const enrolments = run.patients.map((p) => (p.enrolledAt as Date).getTime());
    expect(Math.max(...enrolments) - Math.min(...enrolments)).toBeGreaterThan(7 * 86_400_000);
    expect(report.invariants.examples).toEqual([]);
    expect(report.invariants.violations).toBe(0);
    expect(run.errors).toEqual([]);
  });

  it('counts sessions, postponements, missed sessions, holds and fills as the audit trail records them', () => {
    expect(report.sessions.completed).toBe(audited('session.completed'));
    expect(report.sessions.postponed).toBe(audited('session.postponed'));
    expect(report.sessions.missed).toBe(audited('session.missed'));
    expect(report.holds.placed).toBe(audited('journey.hold-placed'));
    expect(report.refills.filled).toBe(audited('fill.refill-recorded'));
    expect(report.screenings['ELIGIBLE'] ?? 0).toBeGreaterThan(0);
    expect(report.phasesReached['induction']).toBeGreaterThan(0);
  });

  it('counts one check-in and one clinician decision per form the pages accepted', () => {
    const checkIns = Object.values(report.sessions.checkIns).reduce((a, b) => a + b, 0);
    expect(checkIns).toBe(tallied(/^page:check-in:200$/));
    const clinicianForms = tallied(
      /^page:(eligibility-\w+|treatment-plan|first-dose-check-in|follow-up-\w+|hold-\w+|journal-missing-\w+|missed-check-ins-\w+|refill-(approved|declined)):200$/,
    );
    expect(report.clinician.decisions).toBe(clinicianForms);
    expect(report.clinician.perWeek.reduce((a, b) => a + b, 0)).toBe(report.clinician.decisions);
    expect(report.clinician.byPurpose['treatment-plan']).toBe(tallied(/^page:treatment-plan:200$/));
  });

  it('prices what the runtime counted, per patient-year and per clinic-month, with the fixed costs apart', () => {
    expect(report.cost.usage.emailsSent).toBeGreaterThanOrEqual(report.emails.total);
    expect(report.emails.total).toBeGreaterThan(0);
    expect(report.cost.usage.stateTransitions).toBeGreaterThan(0);
    expect(report.cost.perPatientYearUsd).toBeGreaterThan(0);
    expect(report.cost.perClinicMonthUsd).toBeCloseTo(report.cost.estimate.totalUsd / (report.virtualDays / 30), 6);
    expect(report.cost.fixedMonthly.map((f) => f.item)).toEqual(['KMS customer-managed keys', 'CloudWatch alarms']);
  });

  it('renders the report as Markdown and HTML, and a comparison side by side', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(`${report.invariants.violations} violation(s) over ${report.enrolled} patients`);
    expect(renderHtml(report)).toContain('<svg');
    expect(renderComparison(report, report, ['a.json', 'b.json'])).toMatch(
      /\| sessions postponed \| \d+ \| \d+ \| 0 \|/,
    );
  });
});
