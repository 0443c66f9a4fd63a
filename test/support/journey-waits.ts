import type { LinkPurpose } from '../../functions/domain/schemas/link.ts';
import { clinicianById } from '../../functions/patient/care-team.ts';
import type {
  EnrolledPatient,
  HoldChoice,
  JourneyDriver,
  LinkPage,
  PageAnswer,
  StaffAnswer,
  TreatmentPlanInput,
} from './journey-driver.ts';
import { afterSessionHour, DAY, HOUR, MINUTE, later } from './journey-scenarios.ts';
import type { Protocol } from '../../functions/domain/protocol.ts';
import { describe, expect, it } from 'vitest';
import { journeyInvariantViolations, observe } from './journey-invariants.ts';
import { protocolInForce, type PatientUnderTest } from './journey-patients.ts';
import { stopJourney } from './journey-executions.ts';

/**
 * Every wait of a journey for a person, and what can happen to it: the model the wait-by-wait tests walk.
 * `reach` brings a fresh patient to the wait (its link out, or for the staff's steps the step armed);
 * `act` does what the person does there; the injections are what else may happen while it waits.
 */
export const waits = [
  'intake',
  'consult-booking',
  'consult-evaluation',
  'eligibility',
  'treatment-plan',
  'check-in',
  'journal',
  'follow-up-decision',
  'refill-request',
  'refill-approval',
] as const satisfies readonly LinkPurpose[];
export type Wait = (typeof waits)[number];

export const injections = [
  'hold-resume',
  'hold-new-plan',
  'hold-discharge',
  'expiry',
  'restart',
  'duplicate',
  'late',
] as const;
export type Injection = (typeof injections)[number];

/** A restart exists only for refill cycles (POST /staff/patients/{id}/refill-cycles). */
export function applies(wait: Wait, injection: Injection): boolean {
  return injection !== 'restart' || wait === 'refill-request' || wait === 'refill-approval';
}

/** Where a clinician may choose a new plan after a hold: once a plan exists, and not from a refill cycle. */
export function newPlanOffered(wait: Wait): boolean {
  return ['treatment-plan', 'check-in', 'journal', 'follow-up-decision'].includes(wait);
}

/** The staff record these two steps; everything else is a person's link. */
const staffSteps: ReadonlySet<Wait> = new Set(['consult-booking', 'consult-evaluation']);

export interface AtWait {
  readonly under: PatientUnderTest;
  /** the link waiting for the person, or undefined for a step the staff record */
  readonly link: LinkPage | undefined;
}

const shortPlan = (d: JourneyDriver): Partial<TreatmentPlanInput> => {
  const plan = d.defaultPlan();
  return {
    sessionCount: 2,
    sessionCountReason: 'A short induction for the model runs.',
    plannedSessionTimes: plan.plannedSessionTimes.slice(0, 2),
    followUpAt: later(plan.plannedSessionTimes[1] as Date, 2 * DAY),
  };
};

function ok(what: string, answer: PageAnswer | StaffAnswer): void {
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`${what} answered ${answer.status}`);
}

async function addressOf(d: JourneyDriver, patient: EnrolledPatient, wait: Wait): Promise<string> {
  return ['intake', 'check-in', 'journal', 'refill-request'].includes(wait)
    ? patient.email
    : clinicianById(d.clinic.clinic, patient.assignedClinicianId).email;
}

export async function linkFor(
  d: JourneyDriver,
  patient: EnrolledPatient,
  wait: Wait,
  withinSeconds = 3600,
): Promise<LinkPage> {
  const address = await addressOf(d, patient, wait);
  return d.awaitLink(address, wait, {
    withinSeconds,
    ...(address === patient.email ? {} : { mentioning: patient.lastName }),
  });
}

/** A fresh patient waiting at `wait`. */
export async function reach(d: JourneyDriver, wait: Wait): Promise<AtWait> {
  const emailMark = await d.mark();
  const patient = await d.enrolPatient();
  const clinicianEmail = clinicianById(d.clinic.clinic, patient.assignedClinicianId).email;
  const under = { patient, clinicianEmail, emailMark };
  const at = async (w: Wait): Promise<AtWait> => ({
    under,
    link: staffSteps.has(w) ? undefined : await linkFor(d, patient, w),
  });
  if (wait === 'intake') return at(wait);
  ok('intake', await d.submitIntake(await linkFor(d, patient, 'intake')));
  if (wait === 'consult-booking') return at(wait);
  const consultAt = later(d.now(), 2 * HOUR);
  ok('booking', await d.bookConsult(patient.patientId, consultAt));
  await d.advanceTo(later(consultAt, HOUR));
  if (wait === 'consult-evaluation') return at(wait);
  // in person: the runs cross the telehealth cut-off (the clinic's clock moves on from run to run)
  ok('evaluation', await d.recordEvaluation(patient.patientId, { modality: 'in-person' }));
  if (wait === 'eligibility') return at(wait);
  ok('eligibility', await d.decideEligibility(await linkFor(d, patient, 'eligibility'), 'approve'));
  if (wait === 'treatment-plan') return at(wait);
  const plan = { ...d.defaultPlan(), ...shortPlan(d) };
  ok('PDMP check', await d.recordPdmpCheck(patient.patientId));
  ok('plan', await d.approvePlan(await linkFor(d, patient, 'treatment-plan'), plan));
  const times = plan.plannedSessionTimes;
  await d.advanceTo(later(times[0] as Date, -2 * HOUR));
  if (wait === 'check-in') return at(wait);
  for (const [index, start] of times.entries()) {
    if (index > 0) await d.advanceTo(later(start, -2 * HOUR));
    ok('check-in', await d.checkIn(await linkFor(d, patient, 'check-in')));
    await d.advanceTo(later(start, 61 * MINUTE));
    await afterSessionHour(d, patient);
    if (wait === 'journal') return at(wait);
    ok('journal', await d.writeJournal(await linkFor(d, patient, 'journal')));
    if (index === times.length - 1 || index === 1)
      ok(
        'assessment',
        await d.submitAssessment(await d.awaitLink(patient.email, 'assessment', { withinSeconds: 600 })),
      );
  }
  await d.advanceTo(plan.followUpAt);
  if (wait === 'follow-up-decision') return at(wait);
  ok('follow-up', await d.decideFollowUp(await linkFor(d, patient, 'follow-up-decision'), 'MAINTENANCE'));
  // the refill window opens 3 days before the first fill is 28 days old
  const firstFill = (await d.journeyOf(patient.patientId)).fills[0]?.filledAt;
  if (firstFill !== undefined && later(new Date(firstFill), 25 * DAY) > d.now())
    await d.advanceTo(later(new Date(firstFill), 25 * DAY));
  const request = await linkFor(d, patient, 'refill-request', 12 * 3600);
  if (wait === 'refill-request') return { under, link: request };
  await d.recordPdmpCheck(patient.patientId);
  ok('refill request', await d.requestRefill(request));
  // the gate waits until the first fill is 28 days old, then asks the clinician
  return { under, link: await linkFor(d, patient, 'refill-approval', 4 * 24 * 3600) };
}

/** What the person does at the wait (or the staff, for their steps). */
export async function act(
  d: JourneyDriver,
  patient: EnrolledPatient,
  wait: Wait,
  link: LinkPage | undefined,
): Promise<number> {
  if (wait === 'consult-booking') return (await d.bookConsult(patient.patientId, later(d.now(), 2 * HOUR))).status;
  if (wait === 'consult-evaluation')
    return (await d.recordEvaluation(patient.patientId, { modality: 'in-person' })).status;
  if (link === undefined) throw new Error(`no link for ${wait}`);
  switch (wait) {
    case 'intake':
      return (await d.submitIntake(link)).status;
    case 'eligibility':
      return (await d.decideEligibility(link, 'approve')).status;
    case 'treatment-plan':
      // the plan needs a PDMP check within the protocol's window before it can be approved
      await d.recordPdmpCheck(patient.patientId);
      return (await d.approvePlan(link, shortPlan(d))).status;
    case 'check-in':
      return (await d.checkIn(link)).status;
    case 'journal':
      return (await d.writeJournal(link)).status;
    case 'follow-up-decision':
      return (await d.decideFollowUp(link, 'MAINTENANCE')).status;
    case 'refill-request':
      await d.recordPdmpCheck(patient.patientId);
      return (await d.requestRefill(link)).status;
    case 'refill-approval':
      return (await d.approveRefill(link)).status;
  }
}

export async function placeHold(d: JourneyDriver, patient: EnrolledPatient): Promise<LinkPage> {
  ok(
    'adverse event',
    await d.reportAdverseEvent(patient.patientId, {
      kind: 'severe-side-effect',
      description: 'Fainted at home; seen in urgent care.',
    }),
  );
  const link = await d.awaitLink(clinicianById(d.clinic.clinic, patient.assignedClinicianId).email, 'hold-decision', {
    withinSeconds: 600,
    mentioning: patient.lastName,
  });
  // the clinician decides a little later: the audit trail orders a placement and a lift of one instant lift-first
  await d.advanceBy(60);
  return link;
}

export async function decideHold(d: JourneyDriver, link: LinkPage, choice: HoldChoice): Promise<PageAnswer> {
  return d.decideHold(link, choice, choice === 'RESUME' ? 'Reviewed by phone today; safe to continue.' : undefined);
}

/** Past every link's life and every reminder of a wait: the longest is the refill request's (10 days). */
export const PAST_EVERY_WAIT_MS = 12 * DAY;

/** What one wait-and-injection run reached, and every invariant it broke. */
export interface WaitRun {
  readonly reached: string;
  readonly violations: readonly string[];
}

/**
 * A fresh patient at `wait`, then `injection`, then the journey followed to where it settles: the
 * wait asked again and done (resume), a new plan asked for, a discharge, an expiry, a restart, a second
 * submission, a late one. Returns the violations of every journey invariant and of this injection's own
 * expectation; the run's journey is stopped afterwards so its timers disturb no later run.
 */
export async function runWaitInjection(
  d: JourneyDriver,
  wait: Wait,
  injection: Injection,
  protocol: Protocol,
): Promise<WaitRun> {
  const { under, link } = await reach(d, wait);
  const { patient } = under;
  const problems: string[] = [];
  const expectThat = (condition: boolean, what: string) => {
    if (!condition) problems.push(`${wait} / ${injection}: ${what}`);
  };
  let reached: string;
  try {
    switch (injection) {
      case 'hold-resume': {
        const hold = await placeHold(d, patient);
        expectThat((await decideHold(d, hold, 'RESUME')).status === 200, 'the resume was refused');
        if (wait === 'refill-approval') {
          // the cycle plans its window again: the patient asks again, and the approval follows
          expectThat(
            (await act(d, patient, 'refill-request', await linkFor(d, patient, 'refill-request', 2 * 24 * 3600))) ===
              200,
            'the refill request after the resume was refused',
          );
        }
        const again = staffSteps.has(wait) ? undefined : await linkFor(d, patient, wait, 2 * 24 * 3600);
        expectThat(again === undefined || again.url !== link?.url, 'the wait was not asked again with a new link');
        const status = await act(d, patient, wait, again);
        expectThat(status === 200 || status === 201, `acting on the wait after the resume answered ${status}`);
        reached = `asked again and done (${status})`;
        break;
      }
      case 'hold-new-plan': {
        const hold = await placeHold(d, patient);
        const answer = await decideHold(d, hold, 'NEW_PLAN');
        if (newPlanOffered(wait)) {
          expectThat(answer.status === 200, `a new plan was refused (${answer.status})`);
          const plan = await linkFor(d, patient, 'treatment-plan', 24 * 3600);
          reached = `new plan asked (${plan.purpose})`;
        } else {
          expectThat(answer.status === 400, `a new plan where none can follow answered ${answer.status}`);
          expectThat(
            (await decideHold(d, hold, 'DISCHARGE')).status === 200,
            'the discharge after a refused new plan was refused',
          );
          reached = 'new plan refused, discharged';
        }
        break;
      }
      case 'hold-discharge': {
        const hold = await placeHold(d, patient);
        expectThat((await decideHold(d, hold, 'DISCHARGE')).status === 200, 'the discharge was refused');
        const mark = await d.mark();
        await d.advanceTo(later(d.now(), PAST_EVERY_WAIT_MS));
        const view = await d.journeyOf(patient.patientId);
        expectThat(
          view.journey.phase === 'discharged' && view.journey.status === 'closed',
          `the journey is ${view.journey.phase} / ${view.journey.status}, not discharged`,
        );
        expectThat(
          (await d.emailsSince(mark)).every((e) => !e.to.includes(patient.email)),
          'the patient was emailed after the discharge',
        );
        reached = 'discharged';
        break;
      }
      case 'expiry': {
        await d.advanceTo(later(d.now(), PAST_EVERY_WAIT_MS));
        const view = await d.journeyOf(patient.patientId);
        reached = `expired: ${view.journey.phase} / ${view.journey.status}`;
        break;
      }
      case 'restart': {
        await d.advanceTo(later(d.now(), PAST_EVERY_WAIT_MS));
        const restarted = await d.staff('POST', `/staff/patients/${patient.patientId}/refill-cycles`, {
          reason: 'The patient called; the cycle is restarted.',
        });
        expectThat(restarted.status === 201, `the restart answered ${restarted.status}`);
        const request = await linkFor(d, patient, 'refill-request', 2 * 24 * 3600);
        reached = `restarted cycle ${String(restarted.json['cycle'])}, ${request.purpose} asked`;
        break;
      }
      case 'duplicate': {
        const first = await act(d, patient, wait, link);
        const second = await act(d, patient, wait, link);
        expectThat(first === 200 || first === 201, `the first submission answered ${first}`);
        expectThat(
          second !== 200 && second !== 201 ? second >= 400 && second < 500 : staffSteps.has(wait),
          `the second submission answered ${second}`,
        );
        reached = `first ${first}, second ${second}`;
        break;
      }
      case 'late': {
        await d.advanceTo(later(d.now(), PAST_EVERY_WAIT_MS));
        const status = await act(d, patient, wait, link);
        expectThat([404, 409, 410].includes(status), `a submission after the wait ended answered ${status}`);
        reached = `late submission ${status}`;
        break;
      }
    }
    const observation = await observe(d, under);
    const failed = observation.executions.filter(
      (e) => e.status === 'FAILED' || e.status === 'TIMED_OUT' || e.status === 'ABORTED',
    );
    expectThat(
      failed.length === 0,
      `executions ended badly: ${failed.map((e) => `${e.name} ${String(e.status)}`).join(', ')}`,
    );
    return {
      reached: `${wait} / ${injection}: ${reached} → ${observation.view.journey.phase} (${observation.view.journey.status})`,
      violations: [...problems, ...journeyInvariantViolations(observation, protocol, patient.timeZone)],
    };
  } finally {
    await stopJourney(d, patient);
  }
}

/**
 * One test per wait of `mine` and injection that applies to it, on the file's clinic. The waits are split
 * across two files only so that vitest runs the halves side by side.
 */
/**
 * A duplicate and a late submission are thrown at every wait by the journey property runs too (double
 * posts, closed links), so the suite runs them here only with WAITS_THOROUGH=1: CI has 15 minutes.
 */
const thoroughOnly: ReadonlySet<Injection> = new Set(['duplicate', 'late']);
const thorough = process.env['WAITS_THOROUGH'] === '1';

export function describeWaitInjections(
  local: { readonly driver: JourneyDriver },
  title: string,
  mine: readonly Wait[],
): void {
  describe(title, () => {
    for (const wait of mine) {
      for (const injection of injections.filter((i) => applies(wait, i) && (thorough || !thoroughOnly.has(i)))) {
        it(`${wait}: ${injection}`, async () => {
          const run = await runWaitInjection(local.driver, wait, injection, protocolInForce(local.driver));
          console.log(run.reached);
          expect(run.violations).toEqual([]);
        }, 180_000);
      }
    }
  });
}
