import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useJourneyDriver } from './support/journey-driver.ts';
import {
  inductionEvent,
  JourneyRun,
  journeyInvariantViolations,
  maintenanceEvent,
  observe,
  patientInInduction,
  patientInMaintenance,
  protocolInForce,
  stopJourney,
  type JourneyEvent,
  type PatientUnderTest,
  type PlanChoices,
} from './support/journey-events.ts';

/**
 * The running system's invariants under random, out-of-order and duplicated events: check-ins (clear,
 * high blood pressure, emergency, outside the window), journals with and without severe side effects,
 * staff adverse events, hold decisions, refill requests (normal, lost or stolen) and approvals, double
 * POSTs, replays of used links, POSTs on expired links, clock jumps from minutes to weeks, and workflow
 * functions retried with the payload the engine gave them. Each run is a fresh patient on one local
 * clinic; after it the patient's record, audit trail, emails and executions must show that no gate let
 * an unsafe step through.
 *
 * A failure prints the seed; JOURNEY_SEED=<seed> runs the same sequences again. Runs are few and short
 * (a real clinic behind each event) and a failure is not shrunk: each replay costs seconds.
 */

const local = useJourneyDriver();
const seed = Number(process.env['JOURNEY_SEED'] ?? 20260105);
/** with the seed, replays one failed run: the path a failure prints */
const path = process.env['JOURNEY_PATH'];

async function runProperty(
  name: string,
  start: (choices: PlanChoices) => Promise<PatientUnderTest>,
  choices: fc.Arbitrary<PlanChoices>,
  events: fc.Arbitrary<JourneyEvent>,
  numRuns: number,
): Promise<void> {
  const driver = local.driver;
  const protocol = protocolInForce(driver);
  let lastReport = '';
  const property = fc.asyncProperty(choices, fc.array(events, { minLength: 4, maxLength: 10 }), async (plan, sequence) => {
    const under = await start(plan);
    const run = new JourneyRun(driver, under);
    try {
      for (const event of sequence) await run.apply(event);
      await run.finish(26 * 3600);
      const observation = await observe(driver, under);
      const violations = [...run.log.violations, ...journeyInvariantViolations(observation, protocol, under.patient.timeZone)];
      lastReport = [
        `${name}: patient ${under.patient.patientId} (${JSON.stringify(plan)})`,
        ...run.log.lines.map((line) => `  ${line}`),
        ...run.log.retryErrors.map((line) => `  retry error: ${line}`),
        ...violations.map((v) => `  VIOLATION ${v}`),
        ...(violations.length === 0 && process.env['JOURNEY_VERBOSE'] !== 'audit' ? [] : ['  audit trail:', ...auditLines(observation.view.audit)]),
      ].join('\n');
      if (process.env['JOURNEY_VERBOSE'] !== undefined) console.log(lastReport);
      return violations.length === 0;
    } finally {
      await stopJourney(driver, under.patient);
    }
  });
  const result = await fc.check(property, { seed, numRuns, endOnFailure: true, ...(path === undefined ? {} : { path }) });
  if (result.failed) {
    console.error(`${lastReport}\n${name} failed: JOURNEY_SEED=${seed} JOURNEY_PATH=${result.counterexamplePath ?? ''} npx vitest run test/journey-invariants.test.ts -t ${name} replays it`);
  }
  expect(result.failed ? lastReport : 'every invariant held', `seed ${seed}`).toBe('every invariant held');
}

function auditLines(audit: readonly { at?: string; action?: string; reason?: string }[]): string[] {
  return [...audit].sort((a, b) => String(a.at).localeCompare(String(b.at))).map((e) => `    ${String(e.at)} ${String(e.action)} | ${String(e.reason).slice(0, 140)}`);
}

describe('journey invariants under random events', () => {
  it('during induction no session runs without a passed check-in and nothing runs on hold', async () => {
    await runProperty(
      'induction',
      (plan) => patientInInduction(local.driver, plan),
      fc.record({ sessionCount: fc.constantFrom(2, 4), prescriptionAgeDays: fc.constant(0), refillsAllowed: fc.constant(5), evaluation: fc.constant('telehealth' as const) }),
      inductionEvent,
      8,
    );
  });

  it('in maintenance no fill comes early, beyond the caps or on hold, and no reminder goes twice', async () => {
    await runProperty(
      'maintenance',
      (plan) => patientInMaintenance(local.driver, plan),
      fc.record({
        sessionCount: fc.constant(1),
        prescriptionAgeDays: fc.integer({ min: 0, max: 170 }),
        refillsAllowed: fc.integer({ min: 0, max: 5 }),
        evaluation: fc.constantFrom<'telehealth' | 'in-person'>('telehealth', 'in-person'),
      }),
      maintenanceEvent,
      8,
    );
  });
});
