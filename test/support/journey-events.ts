import { GetExecutionHistoryCommand, ListExecutionsCommand, StopExecutionCommand, type ExecutionStatus, type HistoryEvent } from '@aws-sdk/client-sfn';
import * as fc from 'fast-check';
import type { Protocol } from '../../functions/domain/protocol.ts';
import { fillQuantity } from '../../functions/domain/fill-quantity.ts';
import { addCalendarMonths, localDate } from '../../functions/domain/local-time.ts';
import { adverseEventKinds, type AdverseEventKind } from '../../functions/domain/schemas/adverse-event.ts';
import { journeyPhases } from '../../functions/domain/schemas/journey.ts';
import type { LinkPurpose } from '../../functions/domain/schemas/link.ts';
import { audienceOf, isStepPurpose, purposeSpecs } from '../../functions/links/purposes.ts';
import { sideEffectSymptoms, type SideEffectSeverity, type SideEffectSymptom } from '../../functions/domain/schemas/side-effect-report.ts';
import { renderEmail, type EmailKind } from '../../functions/email/templates.ts';
import { clinicianById } from '../../functions/journey/care-team.ts';
import { protocolOf } from '../../functions/platform/clinic-config.ts';
import { functionIdFromName } from '../../local/runtime/local-aws-identity.ts';
import { sfnClientFor } from './local-clinic.ts';
import {
  atLocalHour,
  localDateOf,
  type CheckInAnswers,
  type EnrolledPatient,
  type HoldChoice,
  type JourneyDriver,
  type JourneyView,
  type LinkPage,
  type ObservedEmail,
  type PageAnswer,
} from './journey-driver.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from '../../functions/domain/durations.ts';

/**
 * Random, out-of-order and duplicated events thrown at a running local clinic, and the invariants a
 * patient's record must keep whatever happened. Everything acts through the doors people and triggers
 * use: the link pages (posted as a browser posts them), the staff API, the virtual clock, and a workflow
 * function invoked a second time with the exact payload the engine gave it (what a Lambda retry does).
 * The invariants read only what the system left behind: the patient partition (staff API), its audit
 * trail, the SES emulator's emails and the patient's executions.
 */

const RETRY_WINDOW_MS = 10 * MINUTE;

export function protocolInForce(driver: JourneyDriver): Protocol {
  return protocolOf(driver.clinic.clinic);
}

// ------------------------------------------------------------------ getting a fresh patient somewhere

export interface PatientUnderTest {
  readonly patient: EnrolledPatient;
  readonly clinicianEmail: string;
  /** how many emails SES held before this patient was enrolled */
  readonly emailMark: number;
}

export interface PlanChoices {
  readonly sessionCount: number;
  /**
   * How long before the plan's approval the prescription was issued, in days (0 = the same day); or
   * issued so that the first refill falls due on the prescription's last refill day (the months cap).
   */
  readonly prescriptionAgeDays: number | 'first-refill-due-on-last-day';
  readonly refillsAllowed: number;
  /** after the protocol's telehealth cut-off date only an in-person evaluation allows refills */
  readonly evaluation: 'telehealth' | 'in-person';
}

async function expectPage(what: string, answer: Promise<PageAnswer>): Promise<PageAnswer> {
  const page = await answer;
  if (page.status !== 200) throw new Error(`${what} answered ${page.status}: ${mainOf(page.html)}`);
  return page;
}

function mainOf(html: string): string {
  const start = html.indexOf('<main>');
  return (start < 0 ? html : html.slice(start)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);
}

/** Enrolment → intake → consult → evaluation → eligible → approved plan: the induction has begun. */
export async function patientInInduction(driver: JourneyDriver, choices: PlanChoices): Promise<PatientUnderTest> {
  const emailMark = await driver.mark();
  const patient = await driver.enrolPatient();
  const clinicianEmail = clinicianById(driver.clinic.clinic, patient.assignedClinicianId).email;
  await expectPage('intake', driver.submitIntake(await driver.latestLinkFor(patient.email, 'intake')));
  const consultAt = new Date(driver.now().getTime() + 2 * HOUR);
  const booked = await driver.bookConsult(patient.patientId, consultAt);
  if (booked.status !== 200) throw new Error(`booking the consult answered ${booked.status}: ${JSON.stringify(booked.json)}`);
  await driver.advanceTo(new Date(consultAt.getTime() + HOUR));
  const evaluated = await driver.recordEvaluation(patient.patientId, { modality: choices.evaluation });
  if (evaluated.status !== 200) throw new Error(`recording the evaluation answered ${evaluated.status}: ${JSON.stringify(evaluated.json)}`);
  await expectPage('eligibility', driver.decideEligibility(await driver.latestLinkFor(clinicianEmail, 'eligibility'), 'approve'));
  // the plan can be approved only with a recent PDMP check on record
  const pdmp = await driver.recordPdmpCheck(patient.patientId);
  if (pdmp.status !== 200) throw new Error(`recording the PDMP check answered ${pdmp.status}`);
  const protocol = protocolInForce(driver);
  const zone = driver.clinic.clinic.defaultTimeZone;
  const first = atLocalHour(new Date(driver.now().getTime() + 4 * DAY), zone, 10);
  const times = Array.from({ length: choices.sessionCount }, (_, i) => new Date(first.getTime() + i * protocol.induction.defaultDaysBetweenSessions * DAY));
  await expectPage(
    'plan',
    driver.approvePlan(await driver.latestLinkFor(clinicianEmail, 'treatment-plan'), {
      sessionCount: choices.sessionCount,
      ...(choices.sessionCount === protocol.induction.sessionCount ? {} : { sessionCountReason: 'A shorter induction agreed with the patient.' }),
      plannedSessionTimes: times,
      followUpAt: new Date((times.at(-1) ?? first).getTime() + 2 * DAY),
      prescriptionIssuedOn: prescriptionIssuedOn(driver, choices, protocol, patient.timeZone),
      refillsAllowed: choices.refillsAllowed,
    }),
  );
  return { patient, clinicianEmail, emailMark };
}

/** The plan is approved (and the first fill made) now; the first refill is due the protocol's interval later. */
function prescriptionIssuedOn(driver: JourneyDriver, choices: PlanChoices, protocol: Protocol, patientTimeZone: string): string {
  const zone = driver.clinic.clinic.defaultTimeZone;
  const now = driver.now();
  if (choices.prescriptionAgeDays !== 'first-refill-due-on-last-day') return localDateOf(new Date(now.getTime() - choices.prescriptionAgeDays * DAY), zone);
  // the gate reckons the months on the patient's calendar
  const due = localDate(new Date(now.getTime() + protocol.refill.minimumDaysSinceLastFill * DAY), patientTimeZone);
  for (let age = 0; age < 400; age++) {
    const issued = localDateOf(new Date(now.getTime() - age * DAY), patientTimeZone);
    if (addCalendarMonths(issued, protocol.refill.maxMonthsFromPrescription) <= due) return issued;
  }
  throw new Error('no date of issue puts the last refill day on the first due day');
}

/** ...then every induction session done well, and the clinician chooses maintenance at follow-up. */
export async function patientInMaintenance(driver: JourneyDriver, choices: PlanChoices): Promise<PatientUnderTest> {
  const under = await patientInInduction(driver, choices);
  const { patient, clinicianEmail } = under;
  for (let number = 1; number <= choices.sessionCount; number++) {
    const session = (await driver.journeyOf(patient.patientId)).sessions.find((s) => s.number === number);
    if (session?.plannedStart === undefined) throw new Error(`session ${number} is not planned`);
    const start = new Date(session.plannedStart);
    await driver.advanceTo(new Date(start.getTime() - HOUR));
    await expectPage(`check-in ${number}`, driver.checkIn(await driver.latestLinkFor(patient.email, 'check-in')));
    await driver.advanceTo(new Date(start.getTime() + 61 * MINUTE));
    await expectPage(`journal ${number}`, driver.writeJournal(await driver.latestLinkFor(patient.email, 'journal')));
    const assessment = await openLink(driver, patient.email, 'assessment');
    if (assessment !== undefined) await expectPage(`assessment ${number}`, driver.submitAssessment(assessment));
  }
  for (let tries = 0; ; tries++) {
    const followUp = await openLink(driver, clinicianEmail, 'follow-up-decision');
    if (followUp !== undefined) {
      await expectPage('follow-up', driver.decideFollowUp(followUp, 'MAINTENANCE'));
      return under;
    }
    if (tries > 12) throw new Error(`no follow-up decision link by ${driver.now().toISOString()}`);
    await driver.advanceBy(6 * 3600);
  }
}

async function openLink(driver: JourneyDriver, address: string, purpose: LinkPurpose): Promise<LinkPage | undefined> {
  return (await driver.linkPagesFor(address)).find((page) => page.status === 200 && page.purpose === purpose);
}

// ------------------------------------------------------------------ the events

export type CheckInVariant = 'clear' | 'high-bp' | 'emergency-bp' | 'crisis-bp-rechecked' | 'chest-pain' | 'no-monitor';

export type JourneyEvent =
  /** the virtual clock jumps: minutes to weeks */
  | { readonly type: 'clock'; readonly seconds: number }
  /**
   * The patient checks in for the next session, the clock first moved to the window's opening (when the
   * link is emailed) if no check-in link is open, then to the session's start plus the offset: inside the
   * window or after it closes.
   */
  | { readonly type: 'check-in'; readonly variant: CheckInVariant; readonly offsetMinutes: number; readonly double: boolean }
  | { readonly type: 'journal'; readonly symptom: SideEffectSymptom; readonly severity: SideEffectSeverity; readonly double: boolean }
  | { readonly type: 'assessment' }
  /** a session as it should go: a clear check-in half an hour before, the journal after, the assessment if one is asked */
  | { readonly type: 'session-as-planned' }
  /** staff report an adverse event through the staff API */
  | { readonly type: 'adverse-event'; readonly kind: AdverseEventKind }
  /** staff report an adverse event, and the clinician resumes some hours later */
  | { readonly type: 'hold-and-resume'; readonly kind: AdverseEventKind; readonly afterHours: number }
  | { readonly type: 'hold-decision'; readonly choice: HoldChoice; readonly double: boolean }
  /** the clinician approves a new plan when one is asked for */
  | { readonly type: 'new-plan' }
  | { readonly type: 'missing-journal'; readonly choice: 'ASK_AGAIN' | 'DISCHARGE' }
  /** the clock jumps to the last fill + the protocol's interval + an offset (either side of the due time) */
  | { readonly type: 'to-refill-due'; readonly offsetHours: number }
  | { readonly type: 'pdmp-check' }
  /** the patient asks for the refill, the clock first moved to the refill window if no request link is open */
  | { readonly type: 'refill-request'; readonly lostOrStolen: boolean; readonly pdmpFirst: boolean; readonly afterOpeningHours: number; readonly double: boolean }
  /** the clinician decides the refill, some hours after the link came (past 72 h it has expired) */
  | { readonly type: 'refill-decision'; readonly approve: boolean; readonly afterHours: number; readonly double: boolean }
  /** a month as it should go: PDMP check, request in the window, the clinician approves */
  | { readonly type: 'refill-month'; readonly afterOpeningHours: number; readonly approvalAfterHours: number }
  /** the same form POSTed again on a link already used */
  | { readonly type: 'replay'; readonly pick: number }
  /** a POST on a link that is no longer open (expired, superseded, ended by a hold, used) */
  | { readonly type: 'stale-link'; readonly pick: number }
  /** a workflow function invoked again with the payload of one of its recent calls */
  | { readonly type: 'retry'; readonly pick: number };

const clockJump = fc.oneof(
  fc.integer({ min: 5, max: 120 }).map((minutes) => minutes * 60),
  fc.integer({ min: 1, max: 36 }).map((hours) => hours * 3600),
  fc.integer({ min: 2, max: 10 }).map((days) => days * 86400),
  fc.integer({ min: 1, max: 3 }).map((weeks) => weeks * 7 * 86400),
);
const pick = fc.nat({ max: 1000 });
const adverseKind = fc.constantFrom(...adverseEventKinds);

const common = {
  clock: clockJump.map((seconds): JourneyEvent => ({ type: 'clock', seconds })),
  adverseEvent: adverseKind.map((kind): JourneyEvent => ({ type: 'adverse-event', kind })),
  holdAndResume: fc.record({ kind: adverseKind, afterHours: fc.integer({ min: 0, max: 30 }) }).map((r): JourneyEvent => ({ type: 'hold-and-resume', ...r })),
  replay: pick.map((p): JourneyEvent => ({ type: 'replay', pick: p })),
  staleLink: pick.map((p): JourneyEvent => ({ type: 'stale-link', pick: p })),
  retry: pick.map((p): JourneyEvent => ({ type: 'retry', pick: p })),
};

/** Events of the induction: sessions, check-ins, journals, side effects, holds. */
export const inductionEvent: fc.Arbitrary<JourneyEvent> = fc.oneof(
  { weight: 2, arbitrary: common.clock },
  {
    weight: 6,
    arbitrary: fc
      .record({
        variant: fc.constantFrom<CheckInVariant>('clear', 'clear', 'clear', 'high-bp', 'emergency-bp', 'crisis-bp-rechecked', 'chest-pain', 'no-monitor'),
        // the window is [-opensHoursBefore, +closesHoursAfter] around the start (-120 to +60 min by default); about one in five lands after it
        offsetMinutes: fc.integer({ min: -115, max: 100 }),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'check-in', ...r })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ symptom: fc.constantFrom(...sideEffectSymptoms), severity: fc.constantFrom<SideEffectSeverity>('none', 'none', 'none', 'mild', 'moderate', 'severe'), double: fc.boolean() })
      .map((r): JourneyEvent => ({ type: 'journal', ...r })),
  },
  { weight: 1, arbitrary: fc.constant<JourneyEvent>({ type: 'assessment' }) },
  { weight: 3, arbitrary: fc.constant<JourneyEvent>({ type: 'session-as-planned' }) },
  { weight: 1, arbitrary: common.adverseEvent },
  { weight: 1, arbitrary: common.holdAndResume },
  {
    weight: 2,
    arbitrary: fc
      .record({ choice: fc.constantFrom<HoldChoice>('RESUME', 'RESUME', 'RESUME', 'NEW_PLAN', 'DISCHARGE'), double: fc.boolean() })
      .map((r): JourneyEvent => ({ type: 'hold-decision', ...r })),
  },
  { weight: 1, arbitrary: fc.constant<JourneyEvent>({ type: 'new-plan' }) },
  { weight: 1, arbitrary: fc.constantFrom<'ASK_AGAIN' | 'DISCHARGE'>('ASK_AGAIN', 'ASK_AGAIN', 'DISCHARGE').map((choice): JourneyEvent => ({ type: 'missing-journal', choice })) },
  { weight: 1, arbitrary: common.replay },
  { weight: 1, arbitrary: common.staleLink },
  { weight: 2, arbitrary: common.retry },
);

/** Events of maintenance: refill requests (normal, lost or stolen), approvals, PDMP checks, each fill's doses (whole sessions), holds. */
export const maintenanceEvent: fc.Arbitrary<JourneyEvent> = fc.oneof(
  { weight: 2, arbitrary: common.clock },
  { weight: 3, arbitrary: fc.constant<JourneyEvent>({ type: 'session-as-planned' }) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        variant: fc.constantFrom<CheckInVariant>('clear', 'clear', 'high-bp', 'emergency-bp', 'chest-pain', 'no-monitor'),
        offsetMinutes: fc.integer({ min: -115, max: 100 }),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'check-in', ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ symptom: fc.constantFrom(...sideEffectSymptoms), severity: fc.constantFrom<SideEffectSeverity>('none', 'none', 'mild', 'severe'), double: fc.boolean() })
      .map((r): JourneyEvent => ({ type: 'journal', ...r })),
  },
  { weight: 2, arbitrary: fc.integer({ min: -80, max: 60 }).map((offsetHours): JourneyEvent => ({ type: 'to-refill-due', offsetHours })) },
  { weight: 1, arbitrary: fc.constant<JourneyEvent>({ type: 'pdmp-check' }) },
  {
    weight: 5,
    arbitrary: fc
      .record({ lostOrStolen: fc.constantFrom(false, false, false, true), pdmpFirst: fc.constantFrom(true, true, true, false), afterOpeningHours: fc.integer({ min: 0, max: 96 }), double: fc.boolean() })
      .map((r): JourneyEvent => ({ type: 'refill-request', ...r })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({ approve: fc.constantFrom(true, true, true, false), afterHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 80 })), double: fc.boolean() })
      .map((r): JourneyEvent => ({ type: 'refill-decision', ...r })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({ afterOpeningHours: fc.integer({ min: 0, max: 72 }), approvalAfterHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 48 })) })
      .map((r): JourneyEvent => ({ type: 'refill-month', ...r })),
  },
  { weight: 1, arbitrary: common.adverseEvent },
  { weight: 1, arbitrary: common.holdAndResume },
  {
    weight: 2,
    arbitrary: fc.record({ choice: fc.constantFrom<HoldChoice>('RESUME', 'RESUME', 'RESUME', 'DISCHARGE'), double: fc.boolean() }).map((r): JourneyEvent => ({ type: 'hold-decision', ...r })),
  },
  { weight: 1, arbitrary: common.replay },
  { weight: 1, arbitrary: common.staleLink },
  { weight: 2, arbitrary: common.retry },
);

export function describeEvent(event: JourneyEvent): string {
  const { type, ...rest } = event;
  const args = Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return args === '' ? type : `${type} ${args}`;
}

// ------------------------------------------------------------------ throwing the events at the clinic

const checkInAnswers: Record<CheckInVariant, Partial<CheckInAnswers>> = {
  clear: {},
  'high-bp': { bpReadings: [{ systolic: 150, diastolic: 95 }, { systolic: 148, diastolic: 94 }] },
  // a hypertensive crisis (AHA: 180/120) is an emergency with a sign of organ damage ...
  'emergency-bp': { bpReadings: [{ systolic: 185, diastolic: 115 }, { systolic: 182, diastolic: 112 }], redFlagSymptoms: ['vision-change'] },
  // ... and without one, still high after the recheck, a postponement and a same-day call
  'crisis-bp-rechecked': { bpReadings: [{ systolic: 185, diastolic: 115 }, { systolic: 182, diastolic: 112 }], bpRecheck: { systolic: 181, diastolic: 110 } },
  'chest-pain': { redFlagSymptoms: ['chest-pain'] },
  'no-monitor': { monitorPresent: false },
};

interface Replayable {
  readonly link: LinkPage;
  readonly post: () => Promise<PageAnswer>;
}

/** What a run did and saw, for the invariants and for the report of a failed run. */
export interface RunLog {
  readonly lines: string[];
  /** problems seen while acting (a replay that changed the record, a double POST decided twice...) */
  readonly violations: string[];
  /** errors the retried functions threw, by name */
  readonly retryErrors: string[];
}

/**
 * One patient's run: applies the events one by one, each through the door it names, and keeps what is
 * needed to replay used links and to retry recent function calls.
 */
export class JourneyRun {
  readonly log: RunLog = { lines: [], violations: [], retryErrors: [] };
  private readonly used: Replayable[] = [];
  private readonly seenLinks = new Map<string, LinkPage>();
  private readonly driver: JourneyDriver;
  readonly under: PatientUnderTest;

  constructor(driver: JourneyDriver, under: PatientUnderTest) {
    this.driver = driver;
    this.under = under;
  }

  private get patient(): EnrolledPatient {
    return this.under.patient;
  }

  /** After the last event the clock runs on for a while, so what the events set going (the session's hour, the journal's prompt, the next reminders) happens before the invariants are read. */
  async finish(seconds: number): Promise<void> {
    await this.driver.advanceBy(seconds);
    this.log.lines.push(`${this.driver.now().toISOString()} the clock ran on ${seconds / 3600} h`);
    await this.noteEmails();
  }

  async apply(event: JourneyEvent): Promise<void> {
    // each event starts a second after the last one settled, so what two events caused never shares an
    // instant and the audit trail orders them (events of one millisecond have no order of their own)
    await this.driver.advanceBy(1);
    const before = this.driver.now();
    const outcome = await this.act(event);
    this.log.lines.push(`${before.toISOString()} ${describeEvent(event)} -> ${outcome}`);
  }

  /** The newest open link of this purpose for the patient's journey (patient or clinician side). */
  private async open(purpose: LinkPurpose): Promise<LinkPage | undefined> {
    const address = this.isClinicianPurpose(purpose) ? this.under.clinicianEmail : this.patient.email;
    await this.noteEmails();
    const pages = await this.driver.linkPagesFor(address);
    const mine = this.remember(pages);
    return mine.find((page) => page.status === 200 && page.purpose === purpose);
  }

  /** Keeps every link of this run seen open, with the purpose its page had then. */
  private remember(pages: readonly LinkPage[]): LinkPage[] {
    const mine = pages.filter((page) => this.isMine(page));
    for (const page of mine) if (!this.seenLinks.has(page.url) && page.status === 200) this.seenLinks.set(page.url, page);
    return mine;
  }

  private isClinicianPurpose(purpose: LinkPurpose): boolean {
    return audienceOf(purpose) === 'clinician';
  }

  /** Clinician links of other patients reach the same address: only this run's emails count. */
  private isMine(page: LinkPage): boolean {
    const to = [...page.email.to, ...page.email.cc, ...page.email.bcc];
    if (to.includes(this.patient.email)) return true;
    return this.emailsOfRun.has(page.email.messageId);
  }

  private readonly emailsOfRun = new Set<string>();

  /** Remembers which clinician emails went out during this run (other patients' executions are stopped). */
  async noteEmails(): Promise<void> {
    for (const email of await this.driver.emailsSince(this.under.emailMark)) this.emailsOfRun.add(email.messageId);
  }

  private async post(link: LinkPage, submit: () => Promise<PageAnswer>, double: boolean): Promise<string> {
    const answers = double ? await Promise.all([submit(), submit()]) : [await submit()];
    this.used.push({ link, post: submit });
    const statuses = answers.map((a) => a.status);
    if (double) {
      const decided = answers.filter((a) => a.status === 200).length;
      // field errors (400/422) are refused for both; otherwise exactly one POST may decide
      if (decided > 1 && link.purpose !== 'notice') {
        const view = await this.driver.journeyOf(this.patient.patientId);
        const stepKey = stepKeyOfLink(view, link);
        const decisions = view.audit.filter((e) => e.action === 'step.decided' && e.details?.['stepKey'] === stepKey && stepKey !== undefined);
        if (decisions.length > 1) this.log.violations.push(`a double POST on a ${link.purpose} link decided its step ${decisions.length} times`);
      }
    }
    return `${link.purpose} POST ${statuses.join('+')}${answers[0] !== undefined && answers[0].status !== 200 ? ` (${mainOf(answers[0].html).slice(0, 160)})` : ''}`;
  }

  private async act(event: JourneyEvent): Promise<string> {
    const d = this.driver;
    const p = this.patient;
    await this.noteEmails();
    switch (event.type) {
      case 'clock': {
        await d.advanceBy(event.seconds);
        return `now ${d.now().toISOString()}`;
      }
      case 'check-in': {
        const protocol = protocolInForce(d);
        let link = await this.open('check-in');
        const next = nextSession(await d.journeyOf(p.patientId), d.now());
        if (link === undefined) {
          if (next === undefined) return 'no session planned';
          await d.advanceTo(new Date(next.start - protocol.checkIn.opensHoursBefore * HOUR + MINUTE));
          link = await this.open('check-in');
          if (link === undefined) return `no check-in link when the window of session ${next.number} opened`;
        }
        if (next !== undefined) await d.advanceTo(new Date(next.start + event.offsetMinutes * MINUTE));
        const chosen = link;
        const posted = await this.post(chosen, () => d.checkIn(chosen, checkInAnswers[event.variant]), event.double);
        return `session ${next?.number ?? '?'} at ${d.now().toISOString()}: ${posted}`;
      }
      case 'journal': {
        let link = await this.open('journal');
        if (link === undefined) {
          // the prompt comes after the hour of a cleared session; move there if one is under way
          const view = await d.journeyOf(p.patientId);
          const cleared = view.checkIns.filter((c) => c['outcome'] === 'CLEARED').map((c) => Number(c['sessionNumber']));
          const session = view.sessions.find((s) => cleared.includes(Number(s.number)) && s.status !== 'completed' && s.plannedStart !== undefined);
          if (session?.plannedStart === undefined) return 'no journal due';
          await d.advanceTo(new Date(Date.parse(session.plannedStart) + protocolInForce(d).journal.promptMinutesAfterStart * MINUTE + MINUTE));
          link = await this.open('journal');
          if (link === undefined) return `no journal link after session ${String(session.number)}`;
        }
        const chosen = link;
        return this.post(chosen, () => d.writeJournal(chosen, { [event.symptom]: event.severity }), event.double);
      }
      case 'assessment': {
        const link = await this.open('assessment');
        if (link === undefined) return 'no open assessment link';
        return this.post(link, () => d.submitAssessment(link), false);
      }
      case 'adverse-event': {
        const answer = await d.reportAdverseEvent(p.patientId, { kind: event.kind, description: `Reported by the clinic during a property run (${event.kind}).` });
        return `staff adverse event ${answer.status}`;
      }
      case 'hold-and-resume': {
        const reported = await this.act({ type: 'adverse-event', kind: event.kind });
        if (event.afterHours > 0) await d.advanceBy(event.afterHours * 3600);
        const decided = await this.act({ type: 'hold-decision', choice: 'RESUME', double: false });
        return `${reported}; after ${event.afterHours} h ${decided}`;
      }
      case 'hold-decision': {
        const link = await this.open('hold-decision');
        if (link === undefined) return 'no open hold-decision link';
        return this.post(link, () => d.decideHold(link, event.choice, event.choice === 'RESUME' ? undefined : 'Decided with the patient by phone.'), event.double);
      }
      case 'new-plan': {
        const link = await this.open('treatment-plan');
        if (link === undefined) return 'no open treatment-plan link';
        return this.post(link, () => d.approvePlan(link), false);
      }
      case 'missing-journal': {
        const link = await this.open('journal-missing');
        if (link === undefined) return 'no open journal-missing link';
        return this.post(link, () => d.decideMissingJournal(link, event.choice, event.choice === 'DISCHARGE' ? 'Discussed with the patient.' : undefined), false);
      }
      case 'to-refill-due': {
        const view = await d.journeyOf(p.patientId);
        const last = view.fills.reduce((latest, fill) => Math.max(latest, Date.parse(fill.filledAt ?? '')), 0);
        if (last === 0) return 'no fill yet';
        const target = new Date(last + protocolInForce(d).refill.minimumDaysSinceLastFill * DAY + event.offsetHours * HOUR);
        if (target.getTime() <= d.now().getTime()) return 'due time already passed';
        await d.advanceTo(target);
        return `now ${d.now().toISOString()}`;
      }
      case 'pdmp-check': {
        const answer = await d.recordPdmpCheck(p.patientId);
        return `pdmp check ${answer.status}`;
      }
      case 'refill-request': {
        const protocol = protocolInForce(d);
        let link = await this.open('refill-request');
        if (link === undefined) {
          const last = lastFillAt(await d.journeyOf(p.patientId));
          if (last === undefined) return 'no fill yet';
          const opens = last + (protocol.refill.minimumDaysSinceLastFill - protocol.refill.windowOpensDaysBeforeDue) * DAY;
          await d.advanceTo(new Date(opens + event.afterOpeningHours * HOUR));
          link = await this.open('refill-request');
          if (link === undefined) return `no refill-request link at ${d.now().toISOString()}`;
        }
        if (event.pdmpFirst) await d.recordPdmpCheck(p.patientId);
        const chosen = link;
        const posted = await this.post(chosen, () => d.requestRefill(chosen, { lostOrStolen: event.lostOrStolen }), event.double);
        return `at ${d.now().toISOString()}: ${posted}`;
      }
      case 'refill-decision': {
        let link = await this.open('refill-approval');
        if (link === undefined) {
          // a request refused only for being early waits for the due time, then asks the clinician
          const last = lastFillAt(await d.journeyOf(p.patientId));
          if (last === undefined) return 'no fill yet';
          await d.advanceTo(new Date(last + protocolInForce(d).refill.minimumDaysSinceLastFill * DAY + MINUTE));
          link = await this.open('refill-approval');
          if (link === undefined) return `no refill-approval link at ${d.now().toISOString()}`;
        }
        if (event.afterHours > 0) await d.advanceBy(event.afterHours * 3600);
        const chosen = link;
        const posted = await this.post(chosen, () => (event.approve ? d.approveRefill(chosen) : d.declineRefill(chosen, 'Not this month; please call the clinic.')), event.double);
        return `at ${d.now().toISOString()}: ${posted}`;
      }
      case 'session-as-planned': {
        const checkIn = await this.act({ type: 'check-in', variant: 'clear', offsetMinutes: -30, double: false });
        const journal = await this.act({ type: 'journal', symptom: 'nausea', severity: 'none', double: false });
        const assessment = await this.act({ type: 'assessment' });
        return `${checkIn}; ${journal}; ${assessment}`;
      }
      case 'refill-month': {
        const request = await this.act({ type: 'refill-request', lostOrStolen: false, pdmpFirst: true, afterOpeningHours: event.afterOpeningHours, double: false });
        const decision = await this.act({ type: 'refill-decision', approve: true, afterHours: event.approvalAfterHours, double: false });
        // the fill's doses, each a session as it should go, before the next window
        const lastFill = (await d.journeyOf(p.patientId)).fills.reduce<Record<string, unknown> | undefined>((latest, fill) => (latest === undefined || ms(fill.filledAt) > ms(latest['filledAt']) ? fill : latest), undefined);
        const doses = typeof lastFill?.['quantity'] === 'number' && typeof lastFill['firstSessionNumber'] === 'number' ? lastFill['quantity'] : 0;
        const sessions: string[] = [];
        for (let dose = 1; dose <= doses; dose += 1) sessions.push(await this.act({ type: 'session-as-planned' }));
        return [request, decision, ...sessions].join('; ');
      }
      case 'replay':
        return this.replay(event.pick);
      case 'stale-link':
        return this.staleLink(event.pick);
      case 'retry':
        return this.retry(event.pick);
    }
  }

  /** A used link POSTed again with the same form: refused, and the record does not change. */
  private async replay(pickIndex: number): Promise<string> {
    if (this.used.length === 0) return 'nothing used yet';
    const chosen = this.used[pickIndex % this.used.length] as Replayable;
    const before = await this.recordSnapshot();
    const answer = await chosen.post();
    const after = await this.recordSnapshot();
    if (answer.status === 200) {
      // a link that is still open (a form refused earlier for its fields) may decide now; anything else must not
      return `${chosen.link.purpose} replay 200 (link was still open)`;
    }
    if (![400, 404, 409, 410, 422, 429].includes(answer.status)) this.log.violations.push(`a replayed ${chosen.link.purpose} POST answered ${answer.status}`);
    if (before !== after) this.log.violations.push(`a refused replay of a ${chosen.link.purpose} POST (${answer.status}) changed the patient's record`);
    return `${chosen.link.purpose} replay ${answer.status}`;
  }

  /** A link that is no longer open, POSTed with its purpose's first decision: refused, nothing changes. */
  private async staleLink(pickIndex: number): Promise<string> {
    await this.noteEmails();
    this.remember([...(await this.driver.linkPagesFor(this.patient.email)), ...(await this.driver.linkPagesFor(this.under.clinicianEmail))]);
    const closed: LinkPage[] = [];
    for (const page of this.seenLinks.values()) {
      const now = await this.driver.openLink(page.url);
      if (now.status !== 200) closed.push(page);
    }
    if (closed.length === 0) return 'no closed link yet';
    const link = closed[pickIndex % closed.length] as LinkPage;
    const before = await this.recordSnapshot();
    const response = await fetch(link.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['purpose', link.purpose], ['decision', firstDecision(link.purpose)]]).toString(),
      redirect: 'manual',
    });
    await response.text();
    await this.driver.settle();
    const after = await this.recordSnapshot();
    if (![404, 409, 410, 429].includes(response.status)) this.log.violations.push(`a POST on a closed ${link.purpose} link answered ${response.status}`);
    if (before !== after) this.log.violations.push(`a POST on a closed ${link.purpose} link (${response.status}) changed the patient's record`);
    return `${link.purpose} closed-link POST ${response.status}`;
  }

  /** The patient's record as the staff API shows it, for "nothing changed" comparisons. */
  private async recordSnapshot(): Promise<string> {
    return JSON.stringify(await this.driver.journeyOf(this.patient.patientId));
  }

  /** A recent workflow function call, invoked again with the same payload (a Lambda retry). */
  private async retry(pickIndex: number): Promise<string> {
    // Step Functions retries a failed Lambda call within minutes (the ASL's Retry: 2 s doubling, 6 attempts)
    // and before the execution moves on: so only the latest call of an execution, made in the last minutes
    // of virtual time, is retried
    const since = this.driver.now().getTime() - RETRY_WINDOW_MS;
    const recent = (await invocationsOf(this.driver, this.patient)).filter((call) => call.latestOfExecution && call.at.getTime() >= since);
    if (recent.length === 0) return 'no recent function call';
    const call = recent[pickIndex % recent.length] as ScheduledInvocation;
    const before = await this.driver.journeyOf(this.patient.patientId);
    let outcome: string;
    try {
      const result = await this.driver.clinic.invoke(call.functionId, call.payload);
      outcome = `ok ${JSON.stringify(result).slice(0, 120)}`;
    } catch (error) {
      const name = (error as Error).name;
      this.log.retryErrors.push(`${call.functionId} ${describePayload(call.payload)}: ${name}: ${(error as Error).message}`);
      outcome = `threw ${name}`;
    }
    await this.driver.settle();
    // a retry with the same payload leaves exactly one effect: the record is as the first call left it
    const effects = newEffects(before, await this.driver.journeyOf(this.patient.patientId));
    if (effects.length > 0) this.log.violations.push(`retrying ${call.functionId} ${describePayload(call.payload)} (called at ${call.at.toISOString()}) added ${effects.join(', ')}`);
    return `retried ${call.functionId} ${describePayload(call.payload)} from ${call.executionName}: ${outcome}`;
  }
}

/** The next session not yet completed, by number, and when it starts. */
function nextSession(view: JourneyView, now: Date): { number: number; start: number } | undefined {
  const open = view.sessions
    .filter((s) => s.status !== 'completed' && s.plannedStart !== undefined && Date.parse(s.plannedStart) + HOUR > now.getTime() - 2 * HOUR)
    .sort((a, b) => (a.number ?? 0) - (b.number ?? 0))[0];
  return open?.plannedStart === undefined ? undefined : { number: open.number ?? 0, start: Date.parse(open.plannedStart) };
}

function lastFillAt(view: JourneyView): number | undefined {
  const last = view.fills.reduce((latest, fill) => Math.max(latest, ms(fill.filledAt)), 0);
  return last === 0 ? undefined : last;
}

/** What one record has that the earlier one had not: new items by section, new audit events by action. */
export function newEffects(before: JourneyView, after: JourneyView): string[] {
  const effects: string[] = [];
  const sections = ['screenings', 'treatmentPlans', 'sessions', 'checkIns', 'journalEntries', 'sideEffectReports', 'adverseEvents', 'fills', 'assessments', 'remindersSent'] as const;
  for (const section of sections) {
    const added = after[section].length - before[section].length;
    if (added > 0) effects.push(`${added} ${section}`);
  }
  const seen = new Set(before.audit.map((e) => JSON.stringify(e)));
  const actions = after.audit.filter((e) => !seen.has(JSON.stringify(e))).map((e) => String(e.action));
  // re-arming a waiting step with the same task token is what a retried request does, not a second effect
  const effectful = actions.filter((action) => action !== 'step.re-armed' && action !== 'journey.wait-registered');
  if (effectful.length > 0) effects.push(`audit events ${effectful.join(', ')}`);
  return effects;
}

function firstDecision(purpose: LinkPurpose): string {
  const decisions: Partial<Record<LinkPurpose, string>> = {
    'check-in': 'CLEARED',
    'hold-decision': 'RESUME',
    'follow-up-decision': 'MAINTENANCE',
    'journal-missing': 'ASK_AGAIN',
    'consult-booking': 'BOOKED',
    'consult-evaluation': 'EVALUATED',
  };
  return decisions[purpose] ?? (['intake', 'journal', 'assessment', 'refill-request'].includes(purpose) ? 'SUBMITTED' : 'APPROVED');
}

function describePayload(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return '';
  const p = payload as Record<string, unknown>;
  const request = p['request'] as Record<string, unknown> | undefined;
  return [p['event'], p['what'], p['kind'], p['stage'], request?.['purpose'], p['reminderKey'], p['sessionNumber'], p['cycle']].filter((v) => v !== undefined).join('/');
}

function stepKeyOfLink(view: JourneyView, link: LinkPage): string | undefined {
  // the step of the newest request of this purpose is the one the link belongs to
  const requested = view.audit.filter((e) => (e.action === 'step.requested' || e.action === 'step.re-armed') && typeof e.details?.['stepKey'] === 'string');
  const keys = requested.map((e) => String(e.details?.['stepKey'])).filter((key) => key.includes(link.purpose));
  return keys.at(-1);
}

// ------------------------------------------------------------------ what the runs reached

/** How much of the system a run reached: a property that reaches nothing checks nothing. */
export interface Coverage {
  checkInsDecided: number;
  sessionsCompleted: number;
  /** sessions after induction's: the doses refills supply */
  maintenanceDoses: number;
  holdsPlaced: number;
  holdsLifted: number;
  refills: number;
  gateRefusals: number;
  refusedReplays: number;
  refusedClosedLinks: number;
  doublePosts: number;
  retries: number;
}

export function emptyCoverage(): Coverage {
  return { checkInsDecided: 0, sessionsCompleted: 0, maintenanceDoses: 0, holdsPlaced: 0, holdsLifted: 0, refills: 0, gateRefusals: 0, refusedReplays: 0, refusedClosedLinks: 0, doublePosts: 0, retries: 0 };
}

export function addCoverage(total: Coverage, observation: Observation, log: RunLog): void {
  const { view } = observation;
  const count = (pattern: RegExp) => log.lines.filter((line) => pattern.test(line)).length;
  total.checkInsDecided += view.checkIns.length;
  total.sessionsCompleted += view.sessions.filter((s) => s.status === 'completed').length;
  const supplied = new Set(view.fills.flatMap((f) => (typeof f['firstSessionNumber'] === 'number' && typeof f['quantity'] === 'number' ? Array.from({ length: f['quantity'] }, (_, i) => Number(f['firstSessionNumber']) + i) : [])));
  total.maintenanceDoses += view.sessions.filter((s) => s.status === 'completed' && supplied.has(Number(s.number))).length;
  total.holdsPlaced += view.audit.filter((e) => e.action === 'journey.hold-placed').length;
  total.holdsLifted += view.audit.filter((e) => e.action === 'journey.hold-lifted').length;
  total.refills += view.fills.filter((f) => (f.cycle ?? 0) > 0).length;
  total.gateRefusals += view.audit.filter((e) => e.action === 'refill.gate-decided' && String(e.reason).startsWith('REFUSED')).length;
  total.refusedReplays += count(/ replay (404|409|410)/);
  total.refusedClosedLinks += count(/closed-link POST (404|409|410)/);
  total.doublePosts += count(/POST \d{3}\+\d{3}/);
  total.retries += count(/ retried /);
}

// ------------------------------------------------------------------ executions of one patient

export interface PatientExecution {
  readonly name: string;
  readonly executionArn: string;
  readonly stateMachine: string;
  readonly status: ExecutionStatus | undefined;
  readonly startDate: Date | undefined;
  readonly stopDate: Date | undefined;
}

/** The executions of this patient's journey: its own, its sessions', its refill cycles', their steps'. */
export async function executionsOf(driver: JourneyDriver, patient: EnrolledPatient): Promise<PatientExecution[]> {
  const sfn = sfnClientFor(driver.clinic);
  const found: PatientExecution[] = [];
  for (const machine of driver.clinic.stateMachines) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.arn, ...(nextToken === undefined ? {} : { nextToken }) }));
      for (const item of page.executions ?? []) {
        if (!(item.name ?? '').includes(patient.journeyId)) continue;
        found.push({ name: item.name ?? '', executionArn: item.executionArn ?? '', stateMachine: machine.id, status: item.status, startDate: item.startDate, stopDate: item.stopDate });
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return found;
}

/** Stops what still runs of a patient's journey, so its timers send nothing during the next run. */
export async function stopJourney(driver: JourneyDriver, patient: EnrolledPatient): Promise<void> {
  const sfn = sfnClientFor(driver.clinic);
  for (const execution of await executionsOf(driver, patient)) {
    if (execution.status !== 'RUNNING') continue;
    await sfn.send(new StopExecutionCommand({ executionArn: execution.executionArn, error: 'PropertyRunOver', cause: 'the property run is over' })).catch(() => undefined);
  }
  await driver.settle();
}

export interface ScheduledInvocation {
  readonly functionId: string;
  readonly payload: unknown;
  readonly executionName: string;
  readonly at: Date;
  /** no later function call in the same execution: the one a Step Functions retry would repeat */
  readonly latestOfExecution: boolean;
}

/** Every workflow function call the engine made for this patient, with the payload it sent. */
export async function invocationsOf(driver: JourneyDriver, patient: EnrolledPatient): Promise<ScheduledInvocation[]> {
  const sfn = sfnClientFor(driver.clinic);
  const found: ScheduledInvocation[] = [];
  for (const execution of await executionsOf(driver, patient)) {
    let nextToken: string | undefined;
    const events: HistoryEvent[] = [];
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, ...(nextToken === undefined ? {} : { nextToken }) }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    const calls: ScheduledInvocation[] = [];
    for (const event of [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
      const details = event.taskScheduledEventDetails;
      if (event.type !== 'TaskScheduled' || details?.resourceType !== 'lambda' || details.parameters === undefined) continue;
      const parameters = JSON.parse(details.parameters) as { FunctionName?: string; Payload?: unknown };
      const functionId = parameters.FunctionName === undefined ? undefined : functionIdFromName(parameters.FunctionName);
      if (functionId === undefined) continue;
      calls.push({ functionId, payload: parameters.Payload, executionName: execution.name, at: event.timestamp ?? new Date(0), latestOfExecution: false });
    }
    found.push(...calls.map((call, index) => ({ ...call, latestOfExecution: index === calls.length - 1 })));
  }
  return found;
}

// ------------------------------------------------------------------ the invariants

export interface Observation {
  readonly view: JourneyView;
  /** emails to the patient's address */
  readonly patientEmails: readonly ObservedEmail[];
  /** emails to the clinician's address since the patient was enrolled (other patients' journeys are stopped) */
  readonly clinicianEmails: readonly ObservedEmail[];
  readonly executions: readonly PatientExecution[];
}

export async function observe(driver: JourneyDriver, under: PatientUnderTest): Promise<Observation> {
  await driver.settle();
  const since = await driver.emailsSince(under.emailMark);
  return {
    view: await driver.journeyOf(under.patient.patientId),
    patientEmails: since.filter((e) => e.to.includes(under.patient.email)),
    clinicianEmails: since.filter((e) => e.to.includes(under.clinicianEmail)),
    executions: await executionsOf(driver, under.patient),
  };
}

type AuditEntry = JourneyView['audit'][number];

interface HoldPeriod {
  readonly from: number;
  /** Infinity while the hold stands */
  readonly to: number;
}

const ms = (iso: unknown): number => (typeof iso === 'string' ? Date.parse(iso) : Number.NaN);

const closingActions = new Set(['journey.closed', 'journey.phase-discharged', 'journey.phase-declined', 'journey.phase-ineligible']);
const endsHold = (e: AuditEntry) => e.action === 'journey.hold-lifted' || closingActions.has(e.action ?? '');

/**
 * The hold periods, from the audit trail: from a placement to the clinician's lift or the journey's
 * closing (which clears the hold). Only a lift or a closing, both caused by a person's decision, can end a
 * hold, and the runner starts every event at an instant of its own: so at one instant the hold a decision
 * ends comes before a hold its consequences place.
 */
export function holdPeriods(audit: readonly AuditEntry[]): HoldPeriod[] {
  const order = (e: AuditEntry) => (endsHold(e) ? 0 : 1);
  const events = audit.filter((e) => e.action === 'journey.hold-placed' || endsHold(e)).sort((a, b) => ms(a.at) - ms(b.at) || order(a) - order(b));
  const periods: HoldPeriod[] = [];
  let since: number | undefined;
  for (const event of events) {
    if (event.action === 'journey.hold-placed' && since === undefined) since = ms(event.at);
    if (endsHold(event) && since !== undefined) {
      periods.push({ from: since, to: ms(event.at) });
      since = undefined;
    }
  }
  if (since !== undefined) periods.push({ from: since, to: Infinity });
  return periods;
}

/** When the journey closed (discharged, declined, ineligible), if it did. */
export function closedAt(audit: readonly AuditEntry[]): number | undefined {
  const times = audit.filter((e) => closingActions.has(e.action ?? '')).map((e) => ms(e.at));
  return times.length === 0 ? undefined : Math.min(...times);
}

/** Strictly inside a hold: events of the very instant a hold was placed or lifted are not judged (same millisecond, no order). */
function onHoldAt(periods: readonly HoldPeriod[], at: number): HoldPeriod | undefined {
  return periods.find((period) => period.from < at && at < period.to);
}

const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : 'still on hold');

/**
 * Every invariant of the running system, as a list of violations (empty when all hold):
 * - no session without a passed check-in;
 * - no dosing step, reminder or fill while on hold;
 * - no fill within the protocol's interval of the previous one, nor beyond the refill caps;
 * - no reminder sent twice;
 * - every decision has reasons and a protocol version;
 * - at most one decision per waiting step round, and no execution failed.
 */
export function journeyInvariantViolations(observation: Observation, protocol: Protocol, timeZone: string): string[] {
  const { view } = observation;
  const violations: string[] = [];
  const audit = view.audit;
  const holds = holdPeriods(audit);

  // the hold flag in the store agrees with the audit trail (else the periods above mean nothing)
  const lastHold = holds.at(-1);
  const standing = lastHold !== undefined && lastHold.to === Infinity;
  if (view.journey.onHold === true && !standing) violations.push('the journey is on hold but the audit trail shows no standing hold');
  if (view.journey.onHold === false && standing) violations.push('the audit trail shows a standing hold but the journey is not on hold');

  // --- no session without a passed check-in; no dosing step while on hold
  const sessionMinutes = protocol.induction.sessionDurationMinutes;
  for (const session of view.sessions) {
    if (session.status !== 'completed') continue;
    const number = session['number'];
    const completedAt = ms(session['completedAt']);
    const startedAt = completedAt - sessionMinutes * MINUTE;
    const checkIns = view.checkIns
      .filter((c) => c['sessionNumber'] === number && ms(c['submittedAt']) <= completedAt)
      .sort((a, b) => ms(a['submittedAt']) - ms(b['submittedAt']));
    const last = checkIns.at(-1);
    if (last === undefined || last['outcome'] !== 'CLEARED') {
      violations.push(`session ${String(number)} completed at ${iso(completedAt)} without a passed check-in (last check-in: ${last === undefined ? 'none' : String(last['outcome'])})`);
    } else {
      const checkedInAt = ms(last['submittedAt']);
      const opens = startedAt - protocol.checkIn.opensHoursBefore * HOUR;
      const closes = startedAt + protocol.checkIn.closesHoursAfter * HOUR;
      if (checkedInAt < opens || checkedInAt > closes) violations.push(`session ${String(number)} started at ${iso(startedAt)} on a check-in of ${iso(checkedInAt)}, outside its window`);
      const heldBetween = holds.find((h) => h.from > checkedInAt && h.from < completedAt);
      if (heldBetween !== undefined) violations.push(`session ${String(number)} completed at ${iso(completedAt)} on a check-in of ${iso(checkedInAt)} although a hold was placed at ${iso(heldBetween.from)} in between`);
    }
    const held = holds.find((h) => h.from < completedAt && h.to > startedAt);
    if (held !== undefined) violations.push(`session ${String(number)} (${iso(startedAt)} to ${iso(completedAt)}) ran while the patient was on hold (${iso(held.from)} to ${iso(held.to)})`);
  }
  for (const event of audit) {
    if (event.action !== 'session.completed') continue;
    const number = event.details?.['sessionNumber'];
    if (!view.sessions.some((s) => s['number'] === number && s.status === 'completed')) violations.push(`the audit trail completes session ${String(number)} that the store does not show completed`);
  }

  // --- no reminder and no fill while on hold, and no dosing step, reminder or fill once the journey closed
  const closed = closedAt(audit);
  for (const event of audit) {
    const at = ms(event.at);
    const kind = event.action ?? '';
    if (kind.startsWith('reminder.') || kind.startsWith('fill.') || kind === 'session.completed') {
      const held = onHoldAt(holds, at);
      if (held !== undefined && kind !== 'session.completed') violations.push(`${kind} at ${iso(at)} while on hold (${iso(held.from)} to ${iso(held.to)})`);
      if (closed !== undefined && at > closed) violations.push(`${kind} at ${iso(at)} after the journey closed at ${iso(closed)}`);
    }
  }
  // the steps that let a dose or a fill through are refused during a hold
  for (const checkIn of view.checkIns) {
    const held = checkIn['outcome'] === 'CLEARED' ? onHoldAt(holds, ms(checkIn['submittedAt'])) : undefined;
    if (held !== undefined) violations.push(`a check-in for session ${String(checkIn['sessionNumber'])} was cleared at ${String(checkIn['submittedAt'])} while on hold (${iso(held.from)} to ${iso(held.to)})`);
  }
  for (const event of audit) {
    const approvedRefill = event.action === 'step.decided' && event.details?.['purpose'] === 'refill-approval' && event.details['decision'] === 'APPROVED';
    const passedGate = event.action === 'refill.gate-decided' && String(event.reason).startsWith('APPROVABLE');
    const held = approvedRefill || passedGate ? onHoldAt(holds, ms(event.at)) : undefined;
    if (held !== undefined) violations.push(`${approvedRefill ? 'a refill was approved' : 'the refill gate passed a request'} at ${String(event.at)} while on hold (${iso(held.from)} to ${iso(held.to)})`);
  }
  for (const fill of view.fills) {
    const held = onHoldAt(holds, ms(fill.filledAt));
    if (held !== undefined) violations.push(`fill ${String(fill.cycle)} at ${String(fill.filledAt)} while on hold (${iso(held.from)} to ${iso(held.to)})`);
  }

  // --- every maintenance dose is a supplied one: a session after induction's ran only on a fill that supplied it, after that fill
  const inductionSessions = Math.max(0, ...view.treatmentPlans.filter((plan) => plan['approvedAt'] !== undefined).map((plan) => Number(plan['sessionCount'])));
  for (const session of view.sessions) {
    const number = Number(session.number);
    if (session.status !== 'completed' || number <= inductionSessions) continue;
    const supplier = view.fills.find((f) => typeof f['firstSessionNumber'] === 'number' && typeof f['quantity'] === 'number' && number >= f['firstSessionNumber'] && number < f['firstSessionNumber'] + f['quantity']);
    if (supplier === undefined) violations.push(`maintenance session ${number} completed at ${String(session['completedAt'])} but no fill supplies it`);
    else if (ms(session['completedAt']) < ms(supplier.filledAt)) violations.push(`maintenance session ${number} completed at ${String(session['completedAt'])}, before the fill that supplies it (${String(supplier.filledAt)})`);
  }

  // --- no fill within the interval of the previous one, nor beyond the caps
  const fills = [...view.fills].sort((a, b) => (a.cycle ?? 0) - (b.cycle ?? 0));
  const interval = protocol.refill.minimumDaysSinceLastFill * DAY;
  fills.forEach((fill, index) => {
    const previous = fills[index - 1];
    if (previous !== undefined && ms(fill.filledAt) - ms(previous.filledAt) < interval) {
      violations.push(`fill ${String(fill.cycle)} at ${String(fill.filledAt)} is within ${protocol.refill.minimumDaysSinceLastFill} days of fill ${String(previous.cycle)} at ${String(previous.filledAt)}`);
    }
    const cycle = fill.cycle ?? 0;
    // fill numbers count fills, whatever the cycle (a cycle may end without one, or be restarted)
    if (fill['fillNumber'] !== index + 1) violations.push(`fill of cycle ${cycle} at ${String(fill.filledAt)} is numbered ${String(fill['fillNumber'])}, but it is fill ${index + 1}`);
    if (cycle === 0) return;
    const plan = planInForceAt(view, ms(fill.filledAt));
    if (plan === undefined) {
      violations.push(`refill ${cycle} at ${String(fill.filledAt)} without an approved plan`);
      return;
    }
    // a refill supplies the plan's maintenance doses for its period, never more than the protocol's cap
    const expected = fillQuantity({ doseMg: Number(plan['doseMg']), daysOfSupply: Number(plan['daysOfSupply']), maintenanceIntervalDays: Number(plan['maintenanceIntervalDays']) }, protocol).doses;
    if (fill['quantity'] !== expected) violations.push(`refill ${cycle} at ${String(fill.filledAt)} supplies ${String(fill['quantity'])} doses; the plan gives ${expected}`);
    if (Number(fill['quantity']) > protocol.maintenance.maxDosesPerFill) violations.push(`refill ${cycle} supplies ${String(fill['quantity'])} doses, above the protocol's cap of ${protocol.maintenance.maxDosesPerFill}`);
    const allowed = Math.min(protocol.refill.maxRefills, Number(plan['refillsAllowed']));
    if (index > allowed) violations.push(`refill ${index} (cycle ${cycle}) at ${String(fill.filledAt)} is beyond the ${allowed} refills allowed`);
    const lastValidDay = addCalendarMonths(String(plan['prescriptionIssuedOn']), protocol.refill.maxMonthsFromPrescription);
    const filledOn = localDate(new Date(ms(fill.filledAt)), timeZone);
    if (filledOn > lastValidDay) {
      violations.push(`refill ${cycle} filled on ${filledOn}, after ${lastValidDay} (${protocol.refill.maxMonthsFromPrescription} months from the prescription of ${String(plan['prescriptionIssuedOn'])})`);
    }
  });
  const refills = fills.filter((f) => (f.cycle ?? 0) > 0).length;
  if (refills > protocol.refill.maxRefills) violations.push(`${refills} refills recorded; the protocol allows ${protocol.refill.maxRefills}`);

  // --- no reminder sent twice
  violations.push(...reminderViolations(observation));

  // --- every decision has reasons and a protocol version
  violations.push(...decisionViolations(view, protocol));

  // --- a waiting step is decided at most once per round it was opened
  const requested = new Map<string, number>();
  const decided = new Map<string, number>();
  for (const event of audit) {
    const stepKey = event.details?.['stepKey'];
    if (typeof stepKey !== 'string') continue;
    if (event.action === 'step.requested') requested.set(stepKey, (requested.get(stepKey) ?? 0) + 1);
    if (event.action === 'step.decided') decided.set(stepKey, (decided.get(stepKey) ?? 0) + 1);
  }
  for (const [stepKey, count] of decided) {
    const rounds = requested.get(stepKey) ?? 0;
    // the staff API may decide a step before its link went out (consult booking): one round at least
    if (count > Math.max(rounds, 1)) violations.push(`step ${stepKey} was decided ${count} times in ${rounds} round(s)`);
  }

  // --- nothing asks the patient to act during a hold or after the journey closed
  for (const event of audit) {
    if (event.action !== 'step.person-notified' || !isPatientPurpose(event.details?.['linkPurpose'])) continue;
    const at = ms(event.at);
    const held = onHoldAt(holds, at);
    if (held !== undefined) violations.push(`the patient was sent a ${String(event.details?.['linkPurpose'])} link at ${iso(at)} while on hold (${iso(held.from)} to ${iso(held.to)})`);
    if (closed !== undefined && at > closed) violations.push(`the patient was sent a ${String(event.details?.['linkPurpose'])} link at ${iso(at)} after the journey closed at ${iso(closed)}`);
  }

  // --- notices say only what happened: "approved, but refused at recording" only after an approval
  for (const event of audit.filter((e) => e.action === 'refill.refused' && e.details?.['atFill'] === true)) {
    const approved = audit.some((e) => e.action === 'step.decided' && e.details?.['purpose'] === 'refill-approval' && e.details['decision'] === 'APPROVED' && ms(e.at) <= ms(event.at) && String(e.details['stepKey']).startsWith(`refill-${String(event.details?.['cycle'])}-`));
    if (!approved) violations.push(`refill cycle ${String(event.details?.['cycle'])} is recorded as refused at recording after an approval, but nobody approved it`);
  }

  // --- the journey is in a phase the design defines
  if (!(journeyPhases as readonly string[]).includes(String(view.journey.phase))) violations.push(`the journey is in an undefined phase ${String(view.journey.phase)}`);

  // --- the executions: none failed, and one journey at a time (the journey or one refill cycle)
  for (const execution of observation.executions) {
    if (execution.status === 'FAILED' || execution.status === 'TIMED_OUT') violations.push(`execution ${execution.name} ${execution.status}`);
  }
  const running = observation.executions.filter((e) => e.status === 'RUNNING' && (e.stateMachine === 'journey' || e.stateMachine === 'refill-cycle'));
  if (running.length > 1) violations.push(`${running.length} journey-level executions run at once: ${running.map((e) => e.name).join(', ')}`);
  return violations;
}

function isPatientPurpose(purpose: unknown): boolean {
  return typeof purpose === 'string' && isStepPurpose(purpose) && purposeSpecs[purpose].actor === 'patient';
}

/** The approved plan in force at an instant: the newest approved before it. */
function planInForceAt(view: JourneyView, at: number): Record<string, unknown> | undefined {
  return [...view.treatmentPlans]
    .filter((plan) => ms(plan['approvedAt']) <= at)
    .sort((a, b) => ms(a['approvedAt']) - ms(b['approvedAt']))
    .at(-1);
}

const sentOnceKinds: readonly EmailKind[] = ['consult-reminder', 'session-prep-reminder', 'refill-window-reminder', 'please-contact-clinic', 'clinician-urgent'];

function subjectOf(kind: EmailKind): string {
  return renderEmail(kind, { firstName: 'x', link: 'http://x/p/x', when: 'x' }).subject;
}

/**
 * Each reminder (and each alert sent once) leaves a REMINDER_SENT marker before SES sends it: the emails of
 * each such kind must be exactly as many as their markers (a duplicate or an unmarked send breaks it),
 * and each link request is emailed at most once per stage and round.
 */
function reminderViolations(observation: Observation): string[] {
  const violations: string[] = [];
  const { view } = observation;
  const failedSends = new Set(view.audit.filter((e) => e.action === 'email.send-failed').map((e) => String(e.details?.['reminderKey'])));
  for (const kind of sentOnceKinds) {
    const toClinician = kind === 'clinician-urgent';
    const emails = (toClinician ? observation.clinicianEmails : observation.patientEmails).filter((e) => e.subject === subjectOf(kind));
    const markers = view.remindersSent.filter((m) => m['emailKind'] === kind && (toClinician ? m['recipient'] === 'clinician' : m['recipient'] === 'patient') && !failedSends.has(String(m.reminderKey)));
    if (emails.length !== markers.length) {
      violations.push(`${emails.length} "${kind}" email(s) for ${markers.length} marker(s) (${markers.map((m) => m.reminderKey).join(', ')})`);
    }
  }
  const rounds = new Map<string, number>();
  const notified = new Map<string, number>();
  for (const event of view.audit) {
    const stepKey = event.details?.['stepKey'];
    if (typeof stepKey !== 'string') continue;
    if (event.action === 'step.requested') rounds.set(stepKey, (rounds.get(stepKey) ?? 0) + 1);
    if (event.action === 'step.person-notified') {
      const key = `${stepKey} ${String(event.details?.['stage'])}`;
      notified.set(key, (notified.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of notified) {
    const stepKey = key.split(' ')[0] ?? '';
    const limit = rounds.get(stepKey) ?? 0;
    if (count > limit) violations.push(`the link of ${key} was emailed ${count} times in ${limit} round(s)`);
  }
  const urls = observation.patientEmails.flatMap((e) => [...`${e.text ?? ''}`.matchAll(/\/p\/[A-Za-z0-9_~.%-]+/g)].map((m) => m[0]));
  if (new Set(urls).size !== urls.length) violations.push('the same link was emailed to the patient twice');
  if (observation.patientEmails.some((e) => /\/c\/[A-Za-z0-9_-]{43}/.test(`${e.text ?? ''}${e.html ?? ''}`))) violations.push("a patient was emailed a clinician's link");
  return violations;
}

/** Audit actions that record a decision made by a rule of the protocol. */
const ruleDecisions = new Set(['screening.decided', 'refill.gate-decided', 'fill.initial-recorded', 'fill.refill-recorded', 'session.completed', 'session.postponed', 'session.missed', 'session.planned', 'journey.follow-up-response', 'step.decided']);

function decisionViolations(view: JourneyView, protocol: Protocol): string[] {
  const violations: string[] = [];
  const version = protocol.version;
  for (const event of view.audit) {
    const reason = typeof event.reason === 'string' ? event.reason.trim() : '';
    if (reason === '') violations.push(`audit event ${String(event.action)} at ${String(event.at)} has no reason`);
    if (ruleDecisions.has(event.action ?? '') && event.protocolVersion !== version) {
      violations.push(`decision ${String(event.action)} at ${String(event.at)} (${reason}) has protocol version ${String(event.protocolVersion)}, expected ${version}`);
    }
  }
  for (const event of view.audit.filter((e) => e.action === 'refill.gate-decided')) {
    const codes = event.details?.['reasonCodes'];
    if (!Array.isArray(codes) || codes.length === 0) violations.push(`refill gate decision at ${String(event.at)} stores no reason codes`);
  }
  const stored = (what: string, items: readonly Record<string, unknown>[], outcomeField: string, reasonsField: string, reasonless: string) => {
    for (const item of items) {
      const reasons = item[reasonsField];
      if (item['protocolVersion'] !== version) violations.push(`${what} ${String(item[outcomeField])} stores protocol version ${String(item['protocolVersion'])}`);
      if (!Array.isArray(reasons)) violations.push(`${what} ${String(item[outcomeField])} stores no reasons`);
      else if (item[outcomeField] !== reasonless && reasons.length === 0) violations.push(`${what} ${String(item[outcomeField])} stores an empty list of reasons`);
    }
  };
  stored('screening', view.screenings, 'outcome', 'reasons', 'ELIGIBLE');
  stored('check-in', view.checkIns, 'outcome', 'reasons', 'CLEARED');
  stored('side-effect triage', view.sideEffectReports, 'triage', 'triageReasons', 'NONE');
  return violations;
}
