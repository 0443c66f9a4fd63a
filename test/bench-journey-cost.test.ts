import { describe, expect, it } from 'vitest';
import { journeyCosts } from '../bench/journey-cost.ts';
import type { PatientJourneyRecord, UsageSnapshot } from '../bench/patient-journey.ts';
import { estimateCost } from '../local/runtime/aws-prices.ts';
import { summariseUsage } from '../local/runtime/local-usage.ts';

const nothing = {
  stateTransitions: 0,
  lambdaInvocations: 0,
  lambdaGbSeconds: 0,
  dynamoDbReadRequestUnits: 0,
  dynamoDbWriteRequestUnits: 0,
  emailsSent: 0,
  httpRequests: 0,
};

const execution = (machine: string, name: string) =>
  `arn:aws:states:us-east-1:123456789012:execution:${machine}:${name}`;

/** Counters as the runtime reports them after `transitions` (per execution) and `emails` emails. */
function snapshot(
  day: number,
  transitions: Record<string, number>,
  emails: number,
  personActions: number,
  functionLogBytes = 0,
): UsageSnapshot {
  const byExecution = Object.fromEntries(
    Object.entries(transitions).map(([arn, n]) => [
      arn,
      { stateTransitions: n, lambdaInvocations: 0, lambdaDurationMs: 0 },
    ]),
  );
  const total = Object.values(transitions).reduce((sum, n) => sum + n, 0);
  const at = new Date(Date.UTC(2026, 0, 1 + day));
  const email = {
    messageId: 'm',
    from: 'care@example.org',
    to: ['p@example.net'],
    cc: [],
    bcc: [],
    subject: 's',
    text: '',
    html: '',
    date: at,
  };
  return {
    at,
    personActions,
    functionLogBytes,
    runtime: summariseUsage({
      at,
      engine: { total: { stateTransitions: total, lambdaInvocations: 0, lambdaDurationMs: 0 }, byExecution },
      functions: {},
      dynamodb: { readRequestUnits: 0, writeRequestUnits: 0, requests: 0 },
      emails: Array.from({ length: emails }, () => email),
      httpRequests: 0,
    }),
  };
}

const journey = execution('care-journeys-journey', 'j1');
const refill1 = execution('care-journeys-refill-cycle', 'j1-refill-1');
const refill2 = execution('care-journeys-refill-cycle', 'j1-refill-2');

const record = {
  patient: {
    patientId: 'p1',
    journeyId: 'j1',
    executionName: 'journey-j1',
    email: 'p@example.net',
    firstName: 'J',
    lastName: 'Q',
    timeZone: 'America/Chicago',
    assignedClinicianId: 'dr-rivera',
  },
  usage: {
    beforeEnrolment: snapshot(0, {}, 0, 0),
    planApproved: snapshot(4, { [journey]: 20 }, 5, 6),
    followUpDecided: snapshot(30, { [journey]: 100, [refill1]: 3 }, 20, 17, 4_000),
    refillsFilled: [
      snapshot(33, { [journey]: 100, [refill1]: 20, [refill2]: 3 }, 23, 20, 5_000),
      snapshot(
        61,
        { [journey]: 100, [refill1]: 20, [refill2]: 20, [execution('care-journeys-refill-cycle', 'j1-refill-3')]: 3 },
        26,
        23,
        6_000,
      ),
    ],
  },
  toPlan: { wallMs: 1, virtualMs: 1 },
  induction: { wallMs: 1, virtualMs: 1 },
} satisfies PatientJourneyRecord;

describe('the cost of a journey between milestones', () => {
  it('bills only the state transitions taken between two milestones, split by state machine', () => {
    const costs = journeyCosts(record, []);
    expect(costs.induction.stateTransitions).toBe(103);
    expect(costs.steadyMonth?.stateTransitions).toBe(20);
    expect(costs.steadyMonth?.transitionsByStateMachine).toEqual([['care-journeys-refill-cycle', 20]]);
    expect(costs.firstMonth?.transitionsByStateMachine).toEqual([['care-journeys-refill-cycle', 20]]);
  });

  it('prices a maintenance month from its own transitions and emails', () => {
    const month = journeyCosts(record, []).steadyMonth;
    expect(month?.estimate.totalUsd).toBeCloseTo(20 * 0.000025 + 3 * 0.0001 + (1_000 / 1e9) * 0.5, 12);
    expect(month?.personActions).toBe(3);
    expect(month?.virtualDays).toBe(28);
  });

  it('adds the execution log records of the stretch, the first stretch including its start instant', () => {
    const at = (day: number) => Date.UTC(2026, 0, 1 + day);
    const logs = [
      { at: at(0), bytes: 1_000_000 },
      { at: at(30), bytes: 2_000_000 },
      { at: at(31), bytes: 4_000_000 },
    ];
    const costs = journeyCosts(record, logs);
    const logLine = (lines: readonly { service: string; quantity: number }[] | undefined) =>
      lines?.find((l) => l.service === 'CloudWatch Logs ingestion')?.quantity;
    expect(logLine(costs.induction.estimate.lines)).toBeCloseTo((4_000 + 3_000_000) / 1e9, 12);
    expect(logLine(costs.firstMonth?.estimate.lines)).toBeCloseTo((1_000 + 4_000_000) / 1e9, 12);
  });

  it('has no maintenance month when the journey stopped at the follow-up decision', () => {
    const costs = journeyCosts({ ...record, usage: { ...record.usage, refillsFilled: [] } }, []);
    expect(costs.firstMonth).toBeUndefined();
    expect(costs.steadyMonth).toBeUndefined();
  });
});

describe('the CloudWatch Logs line of the estimate', () => {
  it('prices ingested log bytes at $0.50 per GB', () => {
    expect(estimateCost({ ...nothing, logBytesIngested: 2e9 }).totalUsd).toBeCloseTo(1, 12);
  });

  it('is left out when nobody counted log bytes, so the console does not claim logs cost nothing', () => {
    expect(estimateCost(nothing).lines.map((l) => l.service)).not.toContain('CloudWatch Logs ingestion');
  });
});
