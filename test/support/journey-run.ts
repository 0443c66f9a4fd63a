import type { LinkPurpose } from '../../functions/domain/schemas/link.ts';
import { audienceOf } from '../../functions/links/purposes.ts';
import {
  type CheckInAnswers,
  type EnrolledPatient,
  type JourneyDriver,
  type JourneyView,
  type LinkPage,
  type PageAnswer,
} from './journey-driver.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from '../../functions/domain/durations.ts';
import { describeEvent, type CheckInVariant, type JourneyEvent } from './journey-event-arbitraries.ts';
import { invocationsOf, type ScheduledInvocation } from './journey-executions.ts';
import { ms, type Observation } from './journey-invariants.ts';
import { mainOf, protocolInForce, type PatientUnderTest } from './journey-patients.ts';
/**
 * Random, out-of-order and duplicated events thrown at a running local clinic. Everything acts through
 * the doors people and triggers use: the link pages (posted as a browser posts them), the staff API, the
 * virtual clock, and a workflow function invoked a second time with the exact payload the engine gave it
 * (what a Lambda retry does).
 */

const RETRY_WINDOW_MS = 10 * MINUTE;

// ------------------------------------------------------------------ throwing the events at the clinic

const checkInAnswers: Record<CheckInVariant, Partial<CheckInAnswers>> = {
  clear: {},
  'high-bp': {
    bpReadings: [
      { systolic: 150, diastolic: 95 },
      { systolic: 148, diastolic: 94 },
    ],
  },
  // a hypertensive crisis (AHA: 180/120) is an emergency with a sign of organ damage ...
  'emergency-bp': {
    bpReadings: [
      { systolic: 185, diastolic: 115 },
      { systolic: 182, diastolic: 112 },
    ],
    redFlagSymptoms: ['vision-change'],
  },
  // ... and without one, still high after the recheck, a postponement and a same-day call
  'crisis-bp-rechecked': {
    bpReadings: [
      { systolic: 185, diastolic: 115 },
      { systolic: 182, diastolic: 112 },
    ],
    bpRecheck: { systolic: 181, diastolic: 110 },
  },
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
    for (const page of mine)
      if (!this.seenLinks.has(page.url) && page.status === 200) this.seenLinks.set(page.url, page);
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
        const decisions = view.audit.filter(
          (e) => e.action === 'step.decided' && e.details?.['stepKey'] === stepKey && stepKey !== undefined,
        );
        if (decisions.length > 1)
          this.log.violations.push(
            `a double POST on a ${link.purpose} link decided its step ${decisions.length} times`,
          );
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
          const cleared = view.checkIns
            .filter((c) => c['outcome'] === 'CLEARED')
            .map((c) => Number(c['sessionNumber']));
          const session = view.sessions.find(
            (s) => cleared.includes(Number(s.number)) && s.status !== 'completed' && s.plannedStart !== undefined,
          );
          if (session?.plannedStart === undefined) return 'no journal due';
          await d.advanceTo(
            new Date(
              Date.parse(session.plannedStart) + protocolInForce(d).journal.promptMinutesAfterStart * MINUTE + MINUTE,
            ),
          );
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
        const answer = await d.reportAdverseEvent(p.patientId, {
          kind: event.kind,
          description: `Reported by the clinic during a property run (${event.kind}).`,
        });
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
        return this.post(
          link,
          () =>
            d.decideHold(
              link,
              event.choice,
              event.choice === 'RESUME' ? undefined : 'Decided with the patient by phone.',
            ),
          event.double,
        );
      }
      case 'new-plan': {
        const link = await this.open('treatment-plan');
        if (link === undefined) return 'no open treatment-plan link';
        return this.post(link, () => d.approvePlan(link), false);
      }
      case 'missing-journal': {
        const link = await this.open('journal-missing');
        if (link === undefined) return 'no open journal-missing link';
        return this.post(
          link,
          () =>
            d.decideMissingJournal(
              link,
              event.choice,
              event.choice === 'DISCHARGE' ? 'Discussed with the patient.' : undefined,
            ),
          false,
        );
      }
      case 'to-refill-due': {
        const view = await d.journeyOf(p.patientId);
        const last = view.fills.reduce((latest, fill) => Math.max(latest, Date.parse(fill.filledAt ?? '')), 0);
        if (last === 0) return 'no fill yet';
        const target = new Date(
          last + protocolInForce(d).refill.minimumDaysSinceLastFill * DAY + event.offsetHours * HOUR,
        );
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
          const opens =
            last + (protocol.refill.minimumDaysSinceLastFill - protocol.refill.windowOpensDaysBeforeDue) * DAY;
          await d.advanceTo(new Date(opens + event.afterOpeningHours * HOUR));
          link = await this.open('refill-request');
          if (link === undefined) return `no refill-request link at ${d.now().toISOString()}`;
        }
        if (event.pdmpFirst) await d.recordPdmpCheck(p.patientId);
        const chosen = link;
        const posted = await this.post(
          chosen,
          () => d.requestRefill(chosen, { lostOrStolen: event.lostOrStolen }),
          event.double,
        );
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
        const posted = await this.post(
          chosen,
          () =>
            event.approve
              ? d.approveRefill(chosen)
              : d.declineRefill(chosen, 'Not this month; please call the clinic.'),
          event.double,
        );
        return `at ${d.now().toISOString()}: ${posted}`;
      }
      case 'session-as-planned': {
        const checkIn = await this.act({ type: 'check-in', variant: 'clear', offsetMinutes: -30, double: false });
        const journal = await this.act({ type: 'journal', symptom: 'nausea', severity: 'none', double: false });
        const assessment = await this.act({ type: 'assessment' });
        return `${checkIn}; ${journal}; ${assessment}`;
      }
      case 'refill-month': {
        const request = await this.act({
          type: 'refill-request',
          lostOrStolen: false,
          pdmpFirst: true,
          afterOpeningHours: event.afterOpeningHours,
          double: false,
        });
        const decision = await this.act({
          type: 'refill-decision',
          approve: true,
          afterHours: event.approvalAfterHours,
          double: false,
        });
        // the fill's doses, each a session as it should go, before the next window
        const lastFill = (await d.journeyOf(p.patientId)).fills.reduce<Record<string, unknown> | undefined>(
          (latest, fill) => (latest === undefined || ms(fill.filledAt) > ms(latest['filledAt']) ? fill : latest),
          undefined,
        );
        const doses =
          typeof lastFill?.['quantity'] === 'number' && typeof lastFill['firstSessionNumber'] === 'number'
            ? lastFill['quantity']
            : 0;
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
    if (![400, 404, 409, 410, 422, 429].includes(answer.status))
      this.log.violations.push(`a replayed ${chosen.link.purpose} POST answered ${answer.status}`);
    if (before !== after)
      this.log.violations.push(
        `a refused replay of a ${chosen.link.purpose} POST (${answer.status}) changed the patient's record`,
      );
    return `${chosen.link.purpose} replay ${answer.status}`;
  }

  /** A link that is no longer open, POSTed with its purpose's first decision: refused, nothing changes. */
  private async staleLink(pickIndex: number): Promise<string> {
    await this.noteEmails();
    this.remember([
      ...(await this.driver.linkPagesFor(this.patient.email)),
      ...(await this.driver.linkPagesFor(this.under.clinicianEmail)),
    ]);
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
      body: new URLSearchParams([
        ['purpose', link.purpose],
        ['decision', firstDecision(link.purpose)],
      ]).toString(),
      redirect: 'manual',
    });
    await response.text();
    await this.driver.settle();
    const after = await this.recordSnapshot();
    if (![404, 409, 410, 429].includes(response.status))
      this.log.violations.push(`a POST on a closed ${link.purpose} link answered ${response.status}`);
    if (before !== after)
      this.log.violations.push(
        `a POST on a closed ${link.purpose} link (${response.status}) changed the patient's record`,
      );
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
    const recent = (await invocationsOf(this.driver, this.patient)).filter(
      (call) => call.latestOfExecution && call.at.getTime() >= since,
    );
    if (recent.length === 0) return 'no recent function call';
    const call = recent[pickIndex % recent.length] as ScheduledInvocation;
    const before = await this.driver.journeyOf(this.patient.patientId);
    let outcome: string;
    try {
      const result = await this.driver.clinic.invoke(call.functionId, call.payload);
      outcome = `ok ${JSON.stringify(result).slice(0, 120)}`;
    } catch (error) {
      const name = (error as Error).name;
      this.log.retryErrors.push(
        `${call.functionId} ${describePayload(call.payload)}: ${name}: ${(error as Error).message}`,
      );
      outcome = `threw ${name}`;
    }
    await this.driver.settle();
    // a retry with the same payload leaves exactly one effect: the record is as the first call left it
    const effects = newEffects(before, await this.driver.journeyOf(this.patient.patientId));
    if (effects.length > 0)
      this.log.violations.push(
        `retrying ${call.functionId} ${describePayload(call.payload)} (called at ${call.at.toISOString()}) added ${effects.join(', ')}`,
      );
    return `retried ${call.functionId} ${describePayload(call.payload)} from ${call.executionName}: ${outcome}`;
  }
}

/** The next session not yet completed, by number, and when it starts. */
function nextSession(view: JourneyView, now: Date): { number: number; start: number } | undefined {
  const open = view.sessions
    .filter(
      (s) =>
        s.status !== 'completed' &&
        s.plannedStart !== undefined &&
        Date.parse(s.plannedStart) + HOUR > now.getTime() - 2 * HOUR,
    )
    .sort((a, b) => (a.number ?? 0) - (b.number ?? 0))[0];
  return open?.plannedStart === undefined
    ? undefined
    : { number: open.number ?? 0, start: Date.parse(open.plannedStart) };
}

function lastFillAt(view: JourneyView): number | undefined {
  const last = view.fills.reduce((latest, fill) => Math.max(latest, ms(fill.filledAt)), 0);
  return last === 0 ? undefined : last;
}

/** What one record has that the earlier one had not: new items by section, new audit events by action. */
export function newEffects(before: JourneyView, after: JourneyView): string[] {
  const effects: string[] = [];
  const sections = [
    'screenings',
    'treatmentPlans',
    'sessions',
    'checkIns',
    'journalEntries',
    'sideEffectReports',
    'adverseEvents',
    'fills',
    'assessments',
    'remindersSent',
  ] as const;
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
  return (
    decisions[purpose] ??
    (['intake', 'journal', 'assessment', 'refill-request'].includes(purpose) ? 'SUBMITTED' : 'APPROVED')
  );
}

function describePayload(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return '';
  const p = payload as Record<string, unknown>;
  const request = p['request'] as Record<string, unknown> | undefined;
  return [
    p['event'],
    p['what'],
    p['kind'],
    p['stage'],
    request?.['purpose'],
    p['reminderKey'],
    p['sessionNumber'],
    p['cycle'],
  ]
    .filter((v) => v !== undefined)
    .join('/');
}

function stepKeyOfLink(view: JourneyView, link: LinkPage): string | undefined {
  // the step of the newest request of this purpose is the one the link belongs to
  const requested = view.audit.filter(
    (e) =>
      (e.action === 'step.requested' || e.action === 'step.re-armed') && typeof e.details?.['stepKey'] === 'string',
  );
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
  return {
    checkInsDecided: 0,
    sessionsCompleted: 0,
    maintenanceDoses: 0,
    holdsPlaced: 0,
    holdsLifted: 0,
    refills: 0,
    gateRefusals: 0,
    refusedReplays: 0,
    refusedClosedLinks: 0,
    doublePosts: 0,
    retries: 0,
  };
}

export function addCoverage(total: Coverage, observation: Observation, log: RunLog): void {
  const { view } = observation;
  const count = (pattern: RegExp) => log.lines.filter((line) => pattern.test(line)).length;
  total.checkInsDecided += view.checkIns.length;
  total.sessionsCompleted += view.sessions.filter((s) => s.status === 'completed').length;
  const supplied = new Set(
    view.fills.flatMap((f) =>
      typeof f['firstSessionNumber'] === 'number' && typeof f['quantity'] === 'number'
        ? Array.from({ length: f['quantity'] }, (_, i) => Number(f['firstSessionNumber']) + i)
        : [],
    ),
  );
  total.maintenanceDoses += view.sessions.filter(
    (s) => s.status === 'completed' && supplied.has(Number(s.number)),
  ).length;
  total.holdsPlaced += view.audit.filter((e) => e.action === 'journey.hold-placed').length;
  total.holdsLifted += view.audit.filter((e) => e.action === 'journey.hold-lifted').length;
  total.refills += view.fills.filter((f) => (f.cycle ?? 0) > 0).length;
  total.gateRefusals += view.audit.filter(
    (e) => e.action === 'refill.gate-decided' && String(e.reason).startsWith('REFUSED'),
  ).length;
  total.refusedReplays += count(/ replay (404|409|410)/);
  total.refusedClosedLinks += count(/closed-link POST (404|409|410)/);
  total.doublePosts += count(/POST \d{3}\+\d{3}/);
  total.retries += count(/ retried /);
}
