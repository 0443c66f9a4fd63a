import type { LinkPurpose } from '../functions/domain/schemas/link.ts';
import type { LocalUsage } from '../local/runtime/local-usage.ts';
import type { LocalClinic } from '../local/runtime/start-local-clinic.ts';
import {
  createJourneyDriver,
  purposeIn,
  type EnrolledPatient,
  type JourneyDriver,
  type LinkPage,
  type PageAnswer,
  type StaffAnswer,
  type TreatmentPlanInput,
} from '../test/support/journey-driver.ts';
import { linksIn } from '../test/support/local-clinic.ts';

/**
 * One patient carried from enrolment through induction, follow-up and maintenance months on a local
 * clinic, through the doors people use (staff API, emailed links, link pages, the virtual clock), with
 * the runtime's usage counters read at each milestone and the wall time of each stretch.
 *
 * A person opens a link once and posts its form once, so links are found the way a person finds them
 * (newest email first, each link opened at most once), not with the test driver's `latestLinkFor`,
 * which reopens every link of the inbox on every call and would bill page views nobody makes. For the
 * same reason nothing between two milestones reads the journey back through the staff API.
 */
export interface UsageSnapshot {
  /** virtual time */
  readonly at: Date;
  readonly runtime: LocalUsage;
  /** forms posted and staff API calls made so far by the people of this journey */
  readonly personActions: number;
  /** bytes the functions had logged so far (CloudWatch Logs ingestion), when the caller counts them */
  readonly functionLogBytes: number;
}

export interface Stretch {
  readonly wallMs: number;
  readonly virtualMs: number;
}

export interface PatientJourneyRecord {
  readonly patient: EnrolledPatient;
  readonly usage: {
    readonly beforeEnrolment: UsageSnapshot;
    readonly planApproved: UsageSnapshot;
    /** the clinician chose maintenance: the induction journey is over, refill cycle 1 waits */
    readonly followUpDecided: UsageSnapshot;
    /** after each maintenance month: fill n recorded, refill cycle n + 1 waits for its window */
    readonly refillsFilled: readonly UsageSnapshot[];
  };
  /** enrolment, intake, consult, eligibility, plan */
  readonly toPlan: Stretch;
  /** induction sessions (check-ins, journals, assessments) and the follow-up decision */
  readonly induction: Stretch;
}

export interface JourneyOptions {
  /** refill cycles to drive after the follow-up decision (default 2: the second is a steady month) */
  readonly maintenanceMonths?: number;
  /** bytes the functions have logged so far, if the caller counts them */
  readonly functionLogBytes?: () => number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export async function drivePatientJourney(
  clinic: LocalClinic,
  options: JourneyOptions = {},
): Promise<PatientJourneyRecord> {
  const driver = createJourneyDriver(clinic);
  const act = createActionLog();
  const person = createPerson(driver);
  const clinician = clinic.clinic.clinicians[0];
  if (clinician === undefined) throw new Error('the clinic configuration has no clinician');
  const snapshot = async (): Promise<UsageSnapshot> => ({
    at: clinic.now(),
    runtime: await clinic.usage(),
    personActions: act.count(),
    functionLogBytes: options.functionLogBytes?.() ?? 0,
  });
  const people: People = { driver, act, person, clinicianEmail: clinician.email };

  const beforeEnrolment = await snapshot();
  const {
    value: { patient, plan },
    stretch: toPlan,
  } = await timed(clinic, async () => {
    const enrolled = await act.staff(driver.enrolPatient({ assignedClinicianId: clinician.id }), 'enrolment');
    return { patient: enrolled, plan: await toApprovedPlan(people, enrolled) };
  });
  const planApproved = await snapshot();

  const { stretch: induction } = await timed(clinic, () => throughInductionAndFollowUp(people, patient, plan));
  const followUpDecided = await snapshot();

  const refillsFilled: UsageSnapshot[] = [];
  for (let cycle = 1; cycle <= (options.maintenanceMonths ?? 2); cycle += 1) {
    await throughRefillCycle(people, patient, cycle);
    refillsFilled.push(await snapshot());
  }

  return { patient, usage: { beforeEnrolment, planApproved, followUpDecided, refillsFilled }, toPlan, induction };
}

interface People {
  readonly driver: JourneyDriver;
  readonly act: ActionLog;
  readonly person: Person;
  readonly clinicianEmail: string;
}

async function toApprovedPlan(
  { driver, act, person, clinicianEmail }: People,
  patient: EnrolledPatient,
): Promise<TreatmentPlanInput> {
  await act.page(driver.submitIntake(await person.awaitLink(patient.email, 'intake')), 'intake');
  const consultAt = new Date(driver.now().getTime() + 3 * DAY_MS + 2 * HOUR_MS);
  await act.staff(driver.bookConsult(patient.patientId, consultAt), 'consult booking');
  await driver.advanceTo(new Date(consultAt.getTime() + HOUR_MS));
  await act.staff(driver.recordEvaluation(patient.patientId), 'consult evaluation');
  await act.page(
    driver.decideEligibility(await person.awaitLink(clinicianEmail, 'eligibility'), 'approve'),
    'eligibility',
  );
  const plan = driver.defaultPlan();
  // a plan needs a PDMP check within the protocol's window before it can be approved
  await act.staff(driver.recordPdmpCheck(patient.patientId), 'PDMP check');
  await act.page(driver.approvePlan(await person.awaitLink(clinicianEmail, 'treatment-plan'), plan), 'treatment plan');
  return plan;
}

async function throughInductionAndFollowUp(
  { driver, act, person, clinicianEmail }: People,
  patient: EnrolledPatient,
  plan: TreatmentPlanInput,
): Promise<void> {
  const assessmentsAfter = new Set([2, plan.sessionCount]);
  for (const [index, start] of plan.plannedSessionTimes.entries()) {
    const number = index + 1;
    await driver.advanceTo(new Date(start.getTime() - 2 * HOUR_MS));
    await act.page(driver.checkIn(await person.awaitLink(patient.email, 'check-in')), `check-in ${number}`);
    // the journal prompt goes out an hour after the start
    await driver.advanceTo(new Date(start.getTime() + 61 * 60_000));
    // the check after the session hour, and after the first dose the clinician's check-in task
    await act.page(
      driver.submitForm(await person.awaitLink(patient.email, 'recovery'), [['recoveredNow', 'yes']]),
      `recovery ${number}`,
    );
    if (number === 1)
      await act.page(
        driver.submitForm(await person.awaitLink(clinicianEmail, 'first-dose-check-in'), [
          ['decision', 'CHECKED_IN'],
          ['note', 'Called the next day: slept well.'],
        ]),
        'first-dose check-in',
      );
    await act.page(driver.writeJournal(await person.awaitLink(patient.email, 'journal')), `journal ${number}`);
    if (assessmentsAfter.has(number))
      await act.page(
        driver.submitAssessment(await person.awaitLink(patient.email, 'assessment')),
        `assessment ${number}`,
      );
  }
  // the decision is asked for at the plan's follow-up date (after the patient's reminders), and its link lasts 72 h
  await driver.advanceTo(plan.followUpAt);
  await act.page(
    driver.decideFollowUp(await person.awaitLink(clinicianEmail, 'follow-up-decision'), 'MAINTENANCE'),
    'follow-up decision',
  );
}

/** The staff record a PDMP check and the patient asks when the window opens; the clinician approves; the fill is recorded. */
async function throughRefillCycle(
  { driver, act, person, clinicianEmail }: People,
  patient: EnrolledPatient,
  cycle: number,
): Promise<void> {
  const request = await person.awaitLink(patient.email, 'refill-request', {
    stepSeconds: 6 * 3600,
    maxSeconds: 40 * 24 * 3600,
  });
  await act.staff(driver.recordPdmpCheck(patient.patientId), `PDMP check ${cycle}`);
  await act.page(driver.requestRefill(request), `refill request ${cycle}`);
  // the gate may hold the request until 28 days after the last fill
  const approval = await person.awaitLink(clinicianEmail, 'refill-approval', {
    stepSeconds: 6 * 3600,
    maxSeconds: 7 * 24 * 3600,
  });
  await act.page(driver.approveRefill(approval), `refill approval ${cycle}`);
  // read through Step Functions' API (not billed per call) rather than the staff API (billed)
  const name = `${patient.journeyId}-refill-${cycle}`;
  const execution = await driver.execution(name);
  if (execution?.status !== 'SUCCEEDED')
    throw new Error(
      `refill cycle ${name} is ${execution?.status ?? 'missing'} after the approval: ${execution?.error ?? ''} ${execution?.cause ?? ''}`,
    );
}

async function timed<T>(clinic: LocalClinic, drive: () => Promise<T>): Promise<{ value: T; stretch: Stretch }> {
  const wallStarted = performance.now();
  const virtualStarted = clinic.now().getTime();
  const value = await drive();
  return {
    value,
    stretch: { wallMs: performance.now() - wallStarted, virtualMs: clinic.now().getTime() - virtualStarted },
  };
}

// ------------------------------------------------------------------ what people do, counted and checked

interface ActionLog {
  /** a form posted from a link page; a 4xx or 5xx stops the bench with the page's message */
  page(answer: Promise<PageAnswer>, what: string): Promise<void>;
  /** a staff API call; the driver's own calls (enrolPatient) throw on refusal, the raw ones answer a status */
  staff<T extends object>(answer: Promise<T>, what: string): Promise<T>;
  count(): number;
}

function createActionLog(): ActionLog {
  let actions = 0;
  return {
    async page(answer, what) {
      actions += 1;
      const { status, html } = await answer;
      const main = html.indexOf('<main');
      if (status >= 400) throw new Error(`${what}: the page answered ${status}: ${html.slice(main, main + 800)}`);
    },
    async staff(answer, what) {
      actions += 1;
      const result = await answer;
      const status = (result as Partial<StaffAnswer>).status;
      if (status !== undefined && status >= 400)
        throw new Error(
          `${what}: the staff API answered ${status}: ${JSON.stringify((result as Partial<StaffAnswer>).json)}`,
        );
      return result;
    },
    count: () => actions,
  };
}

// ------------------------------------------------------------------ a person reading their inbox

interface Person {
  /**
   * Opens the newest unopened link of this address's emails until one is an open page of this purpose,
   * moving the clock by `stepSeconds` while none has arrived (the default: the link must be there now).
   */
  awaitLink(
    address: string,
    purpose: LinkPurpose,
    wait?: { stepSeconds: number; maxSeconds: number },
  ): Promise<LinkPage>;
}

function createPerson(driver: JourneyDriver): Person {
  // a person opens a link once: what it was for is remembered (two emails of one instant are two purposes)
  const seen = new Map<string, LinkPurpose | undefined>();
  const used = new Set<string>();

  const findLink = async (address: string, purpose: LinkPurpose): Promise<LinkPage | undefined> => {
    const newestFirst = (await driver.emailsTo(address)).reverse();
    for (const email of newestFirst) {
      for (const url of linksIn(driver.clinic, email)) {
        if (used.has(url) || (seen.has(url) && seen.get(url) !== purpose)) continue;
        const page = await driver.openLink(url);
        const found = page.status === 200 ? purposeIn(page.html) : undefined;
        seen.set(url, found);
        if (found === purpose) {
          used.add(url);
          return { url, purpose, status: page.status, html: page.html, email };
        }
      }
    }
    return undefined;
  };

  return {
    async awaitLink(address, purpose, wait = { stepSeconds: 0, maxSeconds: 0 }) {
      const deadline = driver.now().getTime() + wait.maxSeconds * 1000;
      for (;;) {
        const link = await findLink(address, purpose);
        if (link !== undefined) return link;
        if (wait.stepSeconds <= 0 || driver.now().getTime() >= deadline) {
          const stopped = (await driver.executions()).filter((e) => e.status !== 'RUNNING' && e.status !== 'SUCCEEDED');
          const why = stopped.map((e) => `\n  ${e.name} ${e.status ?? ''} ${e.error ?? ''} ${e.cause ?? ''}`).join('');
          throw new Error(`no open ${purpose} link for ${address} at ${driver.now().toISOString()}${why}`);
        }
        await driver.advanceBy(wait.stepSeconds);
      }
    },
  };
}
