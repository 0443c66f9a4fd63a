import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { journeyPhases } from '../../functions/domain/schemas/journey.ts';
import { isStepPurpose, purposeSpecs } from '../../functions/links/purposes.ts';
import { protocolOf } from '../../functions/platform/clinic-config.ts';
import { estimateCost, type BillableUsage, type CostEstimate } from '../../local/runtime/aws-prices.ts';
import type { LocalUsage } from '../../local/runtime/local-usage.ts';
import type { JourneyView } from '../../test/support/journey-driver.ts';
import { journeyInvariantViolations } from '../../test/support/journey-invariants.ts';
import type { PatientExecution } from '../../test/support/journey-executions.ts';
import { sfnClientFor } from '../../test/support/local-clinic.ts';
import type { CohortRun } from './cohort-run.ts';
import { fixedMonthlyCosts, fixedMonthlyPrices, type FixedMonthlyCost } from './fixed-monthly-costs.ts';

/**
 * What a cohort run left behind, read back through the doors the clinic has: each patient's record and
 * audit trail (staff API), their executions (Step Functions API), the mail (SES emulator), and the
 * runtime's usage counters for the cost. Every count here comes from the audit trail and the record,
 * not from what the simulation meant to do (the simulation's own tally is kept beside it, so a test can
 * hold one against the other).
 */
export interface CohortReport {
  readonly seed: number;
  readonly patients: number;
  readonly months: number;
  readonly protocolVersion: string;
  /** the run was stopped before its end (Ctrl-C): the counts are those of the days simulated */
  readonly partial: boolean;
  readonly virtualDays: number;
  readonly wallSeconds: number;
  readonly enrolled: number;
  /** sum over enrolled patients of the months from enrolment to the end of the run */
  readonly patientMonths: number;
  readonly patientMonthsPerWallSecond: number;
  readonly timing: CohortRun['timing'];
  readonly peakRssBytes: number;
  /** link pages: GET alone; POST until the work it started settled (ms) */
  readonly pageLatencyMs: {
    readonly getP50: number;
    readonly getP99: number;
    readonly postP50: number;
    readonly postP99: number;
    readonly gets: number;
    readonly posts: number;
  };
  /** patients whose journey reached at least this phase, in the journey's order */
  readonly phasesReached: Record<string, number>;
  /** the phase each journey was in at the end */
  readonly phaseAtEnd: Record<string, number>;
  readonly screenings: Record<string, number>;
  readonly holds: {
    readonly placed: number;
    readonly patientsHeld: number;
    readonly decisions: Record<string, number>;
    readonly standingAtEnd: number;
  };
  readonly sessions: {
    readonly completed: number;
    readonly postponed: number;
    readonly missed: number;
    readonly checkIns: Record<string, number>;
    readonly notClearedByReason: Record<string, number>;
    readonly journalsLate: number;
  };
  readonly refills: {
    readonly filled: number;
    readonly gateRefusedByReason: Record<string, number>;
    readonly approvals: Record<string, number>;
    readonly refillEvents: Record<string, number>;
  };
  readonly clinician: {
    readonly decisions: number;
    readonly byPurpose: Record<string, number>;
    /** decisions in each week of the run, from its start */
    readonly perWeek: readonly number[];
    readonly hoursToDecide: { readonly median: number; readonly p90: number; readonly max: number };
    readonly decidedAfterReminder: number;
  };
  readonly emails: {
    readonly total: number;
    readonly toPatients: number;
    readonly toClinicians: number;
    readonly perPatient: number;
    readonly clinicianPerPatient: number;
  };
  readonly cost: {
    readonly usage: BillableUsage;
    readonly estimate: CostEstimate;
    readonly patientYears: number;
    readonly perPatientYearUsd: number;
    readonly perClinicMonthUsd: number;
    readonly fixedMonthly: readonly FixedMonthlyCost[];
    readonly fixedMonthlyUsd: number;
    readonly fixedPricesAsOf: string;
    readonly dynamoDbRequestUnitsPerPatientMonth: number;
    readonly stateTransitionsPerPatientMonth: number;
  };
  readonly invariants: {
    readonly patientsChecked: number;
    readonly violations: number;
    readonly examples: readonly string[];
  };
  readonly simulation: { readonly tally: Record<string, number>; readonly errors: readonly string[] };
}

const DAY = 86_400_000;
const MONTH = 30 * DAY;
const HOUR = 3_600_000;
const ms = (iso: unknown): number => (typeof iso === 'string' ? Date.parse(iso) : Number.NaN);
const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

/** The journey's phases in the order a patient moves through them (holds and endings apart). */
const phaseOrder = [
  'intake',
  'consult',
  'screening',
  'eligibility',
  'treatment-plan',
  'induction',
  'follow-up',
  'maintenance',
] as const;

export async function cohortReport(run: CohortRun): Promise<CohortReport> {
  const { clinic, driver } = run;
  const protocol = protocolOf(clinic.clinic);
  const enrolled = run.patients.filter((p) => p.enrolled !== undefined);
  const endMs = run.endedAt.getTime();
  const startMs = run.startedAt.getTime();
  const executions = await allExecutions(run);

  const phasesReached: Record<string, number> = Object.fromEntries(phaseOrder.map((p) => [p, 0]));
  const phaseAtEnd: Record<string, number> = {};
  const screenings: Record<string, number> = {};
  const holdDecisions: Record<string, number> = {};
  const checkIns: Record<string, number> = {};
  const notClearedByReason: Record<string, number> = {};
  const gateRefusedByReason: Record<string, number> = {};
  const approvals: Record<string, number> = {};
  const refillEvents: Record<string, number> = {};
  const byPurpose: Record<string, number> = {};
  const perWeek: number[] = Array.from({ length: Math.max(1, Math.ceil((endMs - startMs) / (7 * DAY))) }, () => 0);
  const hoursToDecide: number[] = [];
  let holdsPlaced = 0;
  let patientsHeld = 0;
  let standing = 0;
  let completed = 0;
  let postponed = 0;
  let missed = 0;
  let journalsLate = 0;
  let filled = 0;
  let decidedAfterReminder = 0;
  let patientEmails = 0;
  let clinicianEmails = 0;
  let patientYears = 0;
  const violations: string[] = [];

  for (const p of enrolled) {
    const patient = p.enrolled as NonNullable<typeof p.enrolled>;
    const view: JourneyView = await driver.journeyOf(patient.patientId);
    const audit = view.audit;
    const closed = audit
      .filter((e) => /^journey\.phase-(discharged|declined|ineligible|closed-before-treatment)$/.test(e.action ?? ''))
      .map((e) => ms(e.at));
    const until = closed.length > 0 ? Math.min(endMs, ...closed) : endMs;
    patientYears += Math.max(0, until - (p.enrolledAt as Date).getTime()) / (365 * DAY);

    // phases: the furthest reached in the journey's order, and where it is now
    let furthest = 0;
    const seen = [
      String(view.journey.phase),
      ...audit.flatMap((e) =>
        e.action?.startsWith('journey.phase-') === true ? [String(e.details?.['from']), String(e.details?.['to'])] : [],
      ),
    ];
    for (const phase of seen) furthest = Math.max(furthest, phaseOrder.indexOf(phase as (typeof phaseOrder)[number]));
    for (let i = 0; i <= furthest; i++) bump(phasesReached, phaseOrder[i] as string);
    bump(phaseAtEnd, String(view.journey.phase));
    for (const screening of view.screenings) bump(screenings, String(screening.outcome));

    // holds and their outcomes
    const placed = audit.filter((e) => e.action === 'journey.hold-placed').length;
    holdsPlaced += placed;
    if (placed > 0) patientsHeld += 1;
    if (view.journey.onHold === true) standing += 1;

    // sessions
    completed += view.sessions.filter((s) => s.status === 'completed').length;
    postponed += audit.filter((e) => e.action === 'session.postponed').length;
    missed += audit.filter((e) => e.action === 'session.missed').length;
    for (const checkIn of view.checkIns) {
      bump(checkIns, String(checkIn['outcome']));
      const reasons = checkIn['reasons'];
      if (checkIn['outcome'] !== 'CLEARED' && Array.isArray(reasons))
        for (const reason of reasons as { code?: string }[]) bump(notClearedByReason, String(reason.code));
    }
    for (const entry of view.journalEntries) {
      const session = view.sessions.find((s) => s.number === entry['sessionNumber'] && s.status === 'completed');
      if (session !== undefined && ms(entry['submittedAt']) - ms(session['completedAt']) > 12 * HOUR) journalsLate += 1;
    }

    // refills
    filled += view.fills.filter((f) => (f.cycle ?? 0) > 0).length;
    for (const event of audit) {
      if (event.action === 'refill.gate-decided' && !String(event.reason).startsWith('APPROVABLE')) {
        const codes = event.details?.['reasonCodes'];
        for (const code of Array.isArray(codes) ? codes : ['UNKNOWN']) bump(gateRefusedByReason, String(code));
      }
      if (event.action?.startsWith('refill.') === true || event.action?.startsWith('fill.') === true)
        bump(refillEvents, event.action);
    }

    // clinician decisions: time from the step's request to the decision
    const requested = new Map<string, number[]>();
    for (const event of audit) {
      const stepKey = event.details?.['stepKey'];
      if (typeof stepKey !== 'string') continue;
      if (event.action === 'step.requested') requested.set(stepKey, [...(requested.get(stepKey) ?? []), ms(event.at)]);
      if (event.action !== 'step.decided') continue;
      const purpose = event.details?.['purpose'];
      if (typeof purpose !== 'string' || !isStepPurpose(purpose) || purposeSpecs[purpose].actor !== 'clinician')
        continue;
      if (purpose === 'consult-booking' || purpose === 'consult-evaluation') continue;
      const at = ms(event.at);
      bump(byPurpose, purpose);
      if (purpose === 'hold-decision') bump(holdDecisions, String(event.details?.['decision']));
      if (purpose === 'refill-approval') bump(approvals, String(event.details?.['decision']));
      const week = Math.floor((at - startMs) / (7 * DAY));
      if (week >= 0 && week < perWeek.length) perWeek[week] = (perWeek[week] ?? 0) + 1;
      const asked = (requested.get(stepKey) ?? []).filter((t) => t <= at).at(-1);
      if (asked !== undefined) {
        hoursToDecide.push((at - asked) / HOUR);
        if (at - asked > 24 * HOUR) decidedAfterReminder += 1;
      }
    }

    // mail, and the invariants over everything this patient's journey left behind
    const clinicianAddress = clinic.clinic.clinicians.find((c) => c.id === p.clinicianId)?.email ?? '';
    const mine = run.mailbox.to(patient.email);
    const aboutMe = run.clinicianMailOf.get(patient.patientId) ?? [];
    patientEmails += mine.length;
    clinicianEmails += aboutMe.length;
    const found = journeyInvariantViolations(
      {
        view,
        patientEmails: mine,
        clinicianEmails: aboutMe.filter((e) => e.to.includes(clinicianAddress)),
        executions: executions.filter((e) => e.name.includes(patient.journeyId)),
      },
      protocol,
      patient.timeZone,
    );
    violations.push(...found.map((v) => `${p.lastName} (${patient.patientId}): ${v}`));
  }

  const usage = billable(run.usageBefore, run.usageAfter);
  const estimate = estimateCost(usage);
  const fixedMonthly = fixedMonthlyCosts();
  const patientMonths = enrolled.reduce(
    (sum, p) => sum + Math.max(0, endMs - (p.enrolledAt as Date).getTime()) / MONTH,
    0,
  );
  const sorted = [...hoursToDecide].sort((a, b) => a - b);
  const quantile = (q: number) =>
    sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  const clinicMonths = (endMs - startMs) / MONTH;
  const wallSeconds = run.wallMs / 1000;
  return {
    seed: run.options.seed,
    patients: run.options.patients,
    months: run.options.months,
    protocolVersion: protocol.version,
    partial: run.stopped,
    virtualDays: (endMs - startMs) / DAY,
    wallSeconds,
    enrolled: enrolled.length,
    patientMonths,
    patientMonthsPerWallSecond: wallSeconds > 0 ? patientMonths / wallSeconds : 0,
    timing: run.timing,
    peakRssBytes: run.peakRssBytes,
    pageLatencyMs: {
      getP50: percentile(run.latencies.getMs, 0.5),
      getP99: percentile(run.latencies.getMs, 0.99),
      postP50: percentile(run.latencies.postMs, 0.5),
      postP99: percentile(run.latencies.postMs, 0.99),
      gets: run.latencies.getMs.length,
      posts: run.latencies.postMs.length,
    },
    phasesReached,
    phaseAtEnd: Object.fromEntries(
      journeyPhases.filter((p) => phaseAtEnd[p] !== undefined).map((p) => [p, phaseAtEnd[p] as number]),
    ),
    screenings,
    holds: { placed: holdsPlaced, patientsHeld, decisions: holdDecisions, standingAtEnd: standing },
    sessions: { completed, postponed, missed, checkIns, notClearedByReason, journalsLate },
    refills: { filled, gateRefusedByReason, approvals, refillEvents },
    clinician: {
      decisions: Object.values(byPurpose).reduce((a, b) => a + b, 0),
      byPurpose,
      perWeek,
      hoursToDecide: { median: quantile(0.5), p90: quantile(0.9), max: sorted.at(-1) ?? 0 },
      decidedAfterReminder,
    },
    emails: {
      total: run.mailbox.total,
      toPatients: patientEmails,
      toClinicians: clinicianEmails,
      perPatient: enrolled.length === 0 ? 0 : patientEmails / enrolled.length,
      clinicianPerPatient: enrolled.length === 0 ? 0 : clinicianEmails / enrolled.length,
    },
    cost: {
      usage,
      estimate,
      patientYears,
      perPatientYearUsd: patientYears > 0 ? estimate.totalUsd / patientYears : 0,
      perClinicMonthUsd: clinicMonths > 0 ? estimate.totalUsd / clinicMonths : 0,
      fixedMonthly,
      fixedMonthlyUsd: fixedMonthly.reduce((sum, f) => sum + f.usdPerMonth, 0),
      fixedPricesAsOf: fixedMonthlyPrices.asOf,
      dynamoDbRequestUnitsPerPatientMonth:
        patientMonths > 0 ? (usage.dynamoDbReadRequestUnits + usage.dynamoDbWriteRequestUnits) / patientMonths : 0,
      stateTransitionsPerPatientMonth: patientMonths > 0 ? usage.stateTransitions / patientMonths : 0,
    },
    invariants: { patientsChecked: enrolled.length, violations: violations.length, examples: violations.slice(0, 50) },
    simulation: {
      tally: Object.fromEntries([...run.tally].sort(([a], [b]) => a.localeCompare(b))),
      errors: run.errors.slice(0, 100),
    },
  };
}

function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function billable(a: LocalUsage, b: LocalUsage): BillableUsage {
  return {
    stateTransitions: b.stepFunctions.total.stateTransitions - a.stepFunctions.total.stateTransitions,
    lambdaInvocations: b.lambda.total.invocations - a.lambda.total.invocations,
    lambdaGbSeconds: b.lambda.total.gbSeconds - a.lambda.total.gbSeconds,
    dynamoDbReadRequestUnits: b.dynamodb.readRequestUnits - a.dynamodb.readRequestUnits,
    dynamoDbWriteRequestUnits: b.dynamodb.writeRequestUnits - a.dynamodb.writeRequestUnits,
    emailsSent: b.ses.recipients - a.ses.recipients,
    httpRequests: b.http.requests - a.http.requests,
  };
}

/** Every execution of every state machine, listed once (a patient's are those whose name holds its journey id). */
async function allExecutions(run: CohortRun): Promise<PatientExecution[]> {
  const sfn = sfnClientFor(run.clinic);
  const found: PatientExecution[] = [];
  for (const machine of run.clinic.stateMachines) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: machine.arn,
          maxResults: 1000,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
      for (const item of page.executions ?? []) {
        found.push({
          name: item.name ?? '',
          executionArn: item.executionArn ?? '',
          stateMachine: machine.id,
          status: item.status,
          startDate: item.startDate,
          stopDate: item.stopDate,
        });
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return found;
}
