import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functionCatalogue } from '../functions/catalogue.ts';
import type { FaultRequest } from '../local/runtime/fault-injection.ts';
import {
  useJourneyDriver,
  type EnrolledPatient,
  type JourneyDriver,
  type JourneyView,
} from './support/journey-driver.ts';
import { journeyInvariantViolations, observe, type Observation } from './support/journey-invariants.ts';
import { patientInMaintenance, protocolInForce, type PatientUnderTest } from './support/journey-patients.ts';
import { stopJourney } from './support/journey-executions.ts';
import { DAY, refillOnce } from './support/journey-scenarios.ts';

/**
 * Transient faults AWS produces (a function that throws, times out or is throttled, its answer lost after it
 * ran, DynamoDB throttling or failing with a 5xx, SES throttling or refusing), injected at points of a whole
 * journey that fast-check chooses: from enrolment through the induction session and the follow-up decision
 * to a refill approved and filled. The state machines' retries must carry every journey to the very end
 * state of the same journey without faults, with no email, fill, decision or audit event twice.
 *
 * A step is one thing a person or the clock does (a staff API call, a form posted, the clock moved). A fault
 * is armed before its step, limited to one workflow function (the link pages and the staff API would
 * answer a person 5xx, which is a different story), and cleared after the step and a few virtual minutes
 * for the retries, so each stays within what the retry policy overcomes (statemachines/task-retry-policy.ts):
 * at most 2 failed attempts of a task for the 4 retries of `States.TaskFailed`, 3 for Lambda's 6.
 *
 * A failure prints the seed; FAULT_SEED=<seed> (and FAULT_RUNS=<n>) runs it again, FAULT_VERBOSE=1 prints each run's faults.
 */

const local = useJourneyDriver();
const seed = Number(process.env['FAULT_SEED'] ?? 20261208);
// each run is a whole journey of some 10 s on a shared 2-core machine
const numRuns = Number(process.env['FAULT_RUNS'] ?? 1);

const workflowFunctions = new Set<string>(
  functionCatalogue.filter((spec) => spec.trigger === 'workflow').map((spec) => spec.id),
);

/** The workflow functions a step invoked, and those of them that called DynamoDB and SES. */
interface CalledInStep {
  readonly lambda: readonly string[];
  readonly dynamodb: readonly string[];
  readonly ses: readonly string[];
}

/**
 * A fault for one of the workflow functions a step calls. Each is as long as one task's retries outlast
 * (the SDK tries a DynamoDB or SES call 3 times itself before the function fails).
 */
function transientFault(called: CalledInStep): fc.Arbitrary<FaultRequest> {
  const invoked = fc.constantFrom(...called.lambda);
  const caller = called.dynamodb.length > 0 ? fc.constantFrom(...called.dynamodb) : invoked;
  const sender = called.ses.length > 0 ? fc.constantFrom(...called.ses) : invoked;
  return fc.oneof(
    fc.record({
      fault: fc.record({
        service: fc.constant('lambda' as const),
        functionId: invoked,
        kind: fc.constantFrom('timeout' as const, 'throttle' as const),
        when: fc.constantFrom('before' as const, 'after' as const),
      }),
      calls: fc.integer({ min: 1, max: 3 }),
    }),
    fc.record({
      fault: fc.record({
        service: fc.constant('lambda' as const),
        functionId: invoked,
        kind: fc.constant('throw' as const),
        when: fc.constantFrom('before' as const, 'after' as const),
      }),
      calls: fc.integer({ min: 1, max: 2 }),
    }),
    fc.record({
      fault: fc.record({
        service: fc.constant('dynamodb' as const),
        functionId: caller,
        kind: fc.constantFrom('throttle' as const, 'server-error' as const),
      }),
      calls: fc.integer({ min: 1, max: 6 }),
    }),
    fc.record({
      fault: fc.record({
        service: fc.constant('ses' as const),
        functionId: sender,
        kind: fc.constant('throttle' as const),
      }),
      calls: fc.integer({ min: 1, max: 6 }),
    }),
    fc.record({
      fault: fc.record({
        service: fc.constant('ses' as const),
        functionId: sender,
        kind: fc.constant('refuse' as const),
      }),
      calls: fc.integer({ min: 1, max: 2 }),
    }),
    // a second of the virtual clock: every attempt in it fails, and the jittered retries soon leave it
    fc.record({
      fault: fc.oneof(
        fc.record({
          service: fc.constant('lambda' as const),
          functionId: invoked,
          kind: fc.constantFrom('throw' as const, 'timeout' as const, 'throttle' as const),
        }),
        fc.record({
          service: fc.constant('dynamodb' as const),
          functionId: caller,
          kind: fc.constantFrom('throttle' as const, 'server-error' as const),
        }),
        fc.record({
          service: fc.constant('ses' as const),
          functionId: sender,
          kind: fc.constantFrom('throttle' as const, 'refuse' as const),
        }),
      ),
      forSeconds: fc.constant(1),
    }),
  );
}

/** What the driver does that is a step: a person's or the clinic's action, or the clock moving. */
const stepMethods = new Set<string>([
  'staff',
  'enrolPatient',
  'bookConsult',
  'recordEvaluation',
  'recordPdmpCheck',
  'reportAdverseEvent',
  'submitForm',
  'submitIntake',
  'decideEligibility',
  'approvePlan',
  'checkIn',
  'writeJournal',
  'submitAssessment',
  'requestRefill',
  'approveRefill',
  'decideFollowUp',
  'advanceTo',
  'advanceBy',
]);

/** Retries wait on the virtual clock (seconds, jittered); a few minutes after each step covers them all. */
const retriesSettleSeconds = 3 * 60;

interface StepLog {
  readonly lines: string[];
  steps: number;
  injected: number;
  /** what each step called (recorded without faults: where the faults can aim) */
  readonly called: Map<number, CalledInStep>;
}

function calledBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): CalledInStep {
  const called = [...after]
    .filter(([key, count]) => count > (before.get(key) ?? 0))
    .map(([key]) => key.split(' ') as [string, string]);
  const by = (service: string): string[] =>
    called.filter(([s, id]) => s === service && workflowFunctions.has(id)).map(([, id]) => id);
  return { lambda: by('lambda'), dynamodb: by('dynamodb'), ses: by('ses') };
}

/**
 * The driver, with each step numbered: before step n the fault chosen for it is armed; after it the clock
 * runs on a few minutes for the retries and the fault is cleared. (Those minutes change no end state: the
 * next step comes hours later or waits for what it needs.) The driver's own helpers call their inner steps
 * on the driver itself, so only top-level steps count.
 */
function steppedDriver(
  driver: JourneyDriver,
  faultsAt: ReadonlyMap<number, FaultRequest>,
  log: StepLog,
): JourneyDriver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !stepMethods.has(property) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const n = log.steps++;
        const fault = faultsAt.get(n);
        const injectedBefore = target.clinic.faults.injected();
        const callsBefore = target.clinic.faults.calls();
        if (fault !== undefined) target.clinic.faults.add(fault);
        try {
          return (await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
        } finally {
          if (fault !== undefined) {
            await target.advanceBy(retriesSettleSeconds);
            target.clinic.faults.clear();
          }
          log.called.set(n, calledBetween(callsBefore, target.clinic.faults.calls()));
          const injected = target.clinic.faults.injected() - injectedBefore;
          log.injected += injected;
          if (fault !== undefined)
            log.lines.push(`step ${n} ${property}: ${JSON.stringify(fault)} -> ${injected} call(s) failed`);
        }
      };
    },
  });
}

/** The whole journey: enrolment to maintenance (one induction session), then one refill approved and filled. */
async function wholeJourney(driver: JourneyDriver): Promise<PatientUnderTest> {
  // every run starts at the same local time of day and day of the week, so reminders and quiet hours fall alike
  const now = driver.now();
  const daysToMonday = ((8 - now.getUTCDay()) % 7) + 7;
  await driver.advanceTo(
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysToMonday, 16)),
  );
  const under = await patientInMaintenance(driver, {
    sessionCount: 1,
    prescriptionAgeDays: 0,
    refillsAllowed: 5,
    evaluation: 'telehealth',
  });
  await refillOnce(driver, under.patient, {
    clinicianId: under.patient.assignedClinicianId,
    email: under.clinicianEmail,
    backupEmail: under.clinicianEmail,
  });
  await driver.advanceBy(DAY / 1000);
  return under;
}

/**
 * What a journey left behind, without what differs from one patient to the next (ids, names, times): its
 * phase and hold, how many of each record, every audit event and reminder by kind and step, every email by
 * recipient and subject, every execution by state machine and status.
 */
function endState(observation: Observation, patient: EnrolledPatient): Record<string, unknown> {
  const { view } = observation;
  const anonymous = (text: string): string =>
    text
      .replaceAll(patient.patientId, '<patient>')
      .replaceAll(patient.journeyId, '<journey>')
      .replaceAll(patient.lastName, '<name>')
      .replaceAll(patient.firstName, '<first name>')
      .replace(/ due by .*$/, ' due by <deadline>')
      .replace(/\d/g, '#');
  const sorted = (items: string[]): string[] => items.map(anonymous).sort();
  return {
    journey: { phase: view.journey.phase, status: view.journey.status, onHold: view.journey.onHold },
    records: Object.fromEntries(
      (
        [
          'evaluations',
          'screenings',
          'treatmentPlans',
          'sessions',
          'checkIns',
          'journalEntries',
          'sideEffectReports',
          'adverseEvents',
          'fills',
          'assessments',
        ] as const
      ).map((key) => [key, view[key].length]),
    ),
    fills: view.fills.map((fill) => `cycle ${String(fill.cycle)} fill ${String(fill['fillNumber'])}`).sort(),
    remindersSent: sorted(view.remindersSent.map((r) => `${String(r.reminderKey)} ${String(r['emailKind'])}`)),
    audit: sorted(
      withoutRetriedArmings(view.audit).map((e) => `${String(e.action)} ${String(e.details?.['stepKey'] ?? '')}`),
    ),
    patientEmails: sorted(observation.patientEmails.map((e) => e.subject)),
    clinicianEmails: sorted(observation.clinicianEmails.map((e) => e.subject)),
    executions: sorted(observation.executions.map((e) => `${e.stateMachine} ${String(e.status)}`)),
  };
}

/**
 * A task retried after it armed its step but before its email went (SES refused, the answer was lost) arms
 * the same stage of the same round again with the retry's task token, and the audit trail says so with a
 * `step.re-armed`. That event records the retry, not a second request (the email still goes once, and the
 * decision is still one), so it is left out; a re-arming for a new stage (a reminder) stays.
 */
function withoutRetriedArmings(audit: JourneyView['audit']): JourneyView['audit'] {
  const armed = new Set<string>();
  return [...audit]
    .sort((a, b) => String(a.at).localeCompare(String(b.at)))
    .filter((event) => {
      if (event.action !== 'step.requested' && event.action !== 'step.re-armed') return true;
      const arming = JSON.stringify([
        event.details?.['journeyId'],
        event.details?.['stepKey'],
        event.details?.['round'],
        event.details?.['stage'],
      ]);
      const again = armed.has(arming);
      armed.add(arming);
      return !(again && event.action === 'step.re-armed');
    });
}

async function runJourney(
  faultsAt: ReadonlyMap<number, FaultRequest>,
): Promise<{ state: Record<string, unknown>; violations: string[]; log: StepLog }> {
  const driver = local.driver;
  const log: StepLog = { lines: [], steps: 0, injected: 0, called: new Map() };
  const under = await wholeJourney(steppedDriver(driver, faultsAt, log));
  try {
    const observation = await observe(driver, under);
    const violations = journeyInvariantViolations(observation, protocolInForce(driver), under.patient.timeZone);
    return { state: endState(observation, under.patient), violations, log };
  } finally {
    await stopJourney(driver, under.patient);
  }
}

describe('whole journeys under transient faults', () => {
  it(
    'reach the end state of the same journey without faults, with no email, fill, decision or audit event twice',
    async () => {
      const started = performance.now();
      const baseline = await runJourney(new Map());
      expect(baseline.violations).toEqual([]);
      expect(baseline.state).toMatchObject({
        journey: { phase: 'maintenance' },
        fills: ['cycle 0 fill 1', 'cycle 1 fill 2'],
      });
      const baselineMs = performance.now() - started;

      // three to five steps of the journey that call workflow functions, each with a fault for one of them
      const aimable = [...baseline.log.called].filter(([, called]) => called.lambda.length > 0);
      const aimedFault = fc
        .constantFrom(...aimable)
        .chain(([step, called]) => fc.tuple(fc.constant(step), transientFault(called)));
      const faultPlan = fc.uniqueArray(aimedFault, { minLength: 3, maxLength: 5, selector: ([step]) => step });
      let report = '';
      let totalInjected = 0;
      const result = await fc.check(
        fc.asyncProperty(faultPlan, async (plan) => {
          const run = await runJourney(new Map(plan));
          totalInjected += run.log.injected;
          if (process.env['FAULT_VERBOSE'] !== undefined) console.log(run.log.lines.join('\n'));
          report = [
            `faults: ${run.log.lines.join('; ') || 'none met a call'}`,
            ...run.violations.map((v) => `VIOLATION ${v}`),
          ].join('\n');
          expect(run.violations, report).toEqual([]);
          const differences = Object.keys(baseline.state).filter(
            (key) => JSON.stringify(run.state[key]) !== JSON.stringify(baseline.state[key]),
          );
          report += differences
            .map(
              (key) =>
                `\n${key} differs:\n  without faults ${JSON.stringify(baseline.state[key])}\n  with faults    ${JSON.stringify(run.state[key])}`,
            )
            .join('');
          expect(run.state, report).toEqual(baseline.state);
        }),
        { seed, numRuns, endOnFailure: true },
      );
      if (result.failed)
        console.error(`${report}\nFAULT_SEED=${seed} npx vitest run test/journey-transient-faults.test.ts replays it`);
      expect(result.failed ? report : 'every journey reached the same end state').toBe(
        'every journey reached the same end state',
      );
      console.log(
        `transient faults: ${result.numRuns} runs of ${baseline.log.steps} steps, ${totalInjected} calls failed on purpose (a journey without faults took ${Math.round(baselineMs)} ms)`,
      );
      // the faults must have met calls, or the property was checked on journeys without faults
      expect(totalInjected).toBeGreaterThan(0);
    },
    10 * 60_000,
  );
});
