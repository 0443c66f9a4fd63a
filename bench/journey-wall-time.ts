import { pathToFileURL } from 'node:url';
import { runJourneyBench, type JourneyBench } from './journey-bench.ts';
import type { Stretch } from './patient-journey.ts';
import { goal, reportLine } from './report-line.ts';

/**
 * Wall time of a patient's six weeks on the virtual clock (issue 3, goal <= 2 s): the induction sessions
 * (check-ins, journals, assessments) and the follow-up decision, driven through the staff API, emailed
 * links and clock moves once the plan is approved. Also as virtual seconds per wall second.
 */
export const inductionWallTimeGoalSeconds = 2;

export function printJourneyWallTime(bench: JourneyBench): void {
  const { cores, loadAverageBefore, loadAverageAfter } = bench.machine;
  console.log(`Patient journey on the local clinic (staff API, emailed links, link pages, virtual clock)`);
  reportLine(
    '  machine: cores, and load average before / after',
    `${cores}, ${loadAverageBefore.toFixed(1)} / ${loadAverageAfter.toFixed(1)}`,
    '(context: load slows every time below)',
  );
  console.log('  first patient, on the fresh clinic');
  printStretch('    enrolment to approved plan', bench.first.toPlan, '(context)');
  printStretch('    induction + follow-up', bench.first.induction, goal(`<= ${inductionWallTimeGoalSeconds} s`));
  if (bench.warm !== undefined) {
    console.log('  second patient, on the warm clinic (same JVM, first patient idle)');
    printStretch('    enrolment to approved plan', bench.warm.toPlan, '(context)');
    printStretch('    induction + follow-up', bench.warm.induction, '(context)');
  }
}

function printStretch(label: string, stretch: Stretch, verdict: string): void {
  const seconds = stretch.wallMs / 1000;
  reportLine(`${label}, wall time (s)`, seconds.toFixed(2), verdict);
  reportLine(
    `      ${(stretch.virtualMs / 86_400_000).toFixed(1)} virtual days: virtual s per wall s`,
    (stretch.virtualMs / stretch.wallMs).toFixed(0),
    '(context)',
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printJourneyWallTime(await runJourneyBench({ warmPatient: true }));
}
