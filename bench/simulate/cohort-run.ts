import type { LinkPurpose } from '../../functions/domain/schemas/link.ts';
import type { SideEffectSymptom } from '../../functions/domain/schemas/side-effect-report.ts';
import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import type { LocalUsage } from '../../local/runtime/local-usage.ts';
import type { LocalClinic } from '../../local/runtime/start-local-clinic.ts';
import {
  createJourneyDriver,
  fieldNamesIn,
  purposeIn,
  type EnrolledPatient,
  type JourneyDriver,
  type LinkPage,
  type ObservedEmail,
  type PageAnswer,
} from '../../test/support/journey-driver.ts';
import { linksIn, startTestClinic } from '../../test/support/local-clinic.ts';
import {
  cohortModel,
  drawBloodPressure,
  drawCohort,
  hours,
  intakeFor,
  minutes,
  streamsFor,
  type PatientProfile,
} from './cohort-model.ts';
import { createMailbox, type Mailbox } from './mailbox.ts';
import type { Random } from './seeded-random.ts';

/**
 * A synthetic cohort carried through the local clinic on one virtual clock: each patient enrols at
 * their own time, and from then on everyone reacts to the mail they get (a link arrives; a while later,
 * drawn from cohort-model.ts, the person opens the page and posts its form), while the clinic's staff
 * book consults, record evaluations and PDMP checks through the staff API. Many journeys are therefore
 * interleaved on the one clock, as in a real clinic: the loop moves the clock to the next thing that
 * happens (an action someone meant to take, or a timer of the engine), never further.
 *
 * Only the doors people use: the staff API, the emailed links' pages, the virtual clock. The driver
 * of the tests fills the forms; it is given a clinic whose mail list is empty, because the cohort reads
 * its mail incrementally (mailbox.ts) instead of the whole store after every step.
 */
export interface CohortOptions {
  readonly patients: number;
  readonly months: number;
  readonly seed: number;
  /** protocol overrides (functions/domain/protocol.ts), as a clinic config carries them */
  readonly protocolOverrides?: Record<string, unknown>;
  readonly onProgress?: (progress: CohortProgress) => void;
  /** checked between steps: when it answers true the run ends where it is (a partial report) */
  readonly shouldStop?: () => boolean;
  /** the clinic to use (it must have the clinicians of cohortClinicConfig); a new one when absent */
  readonly clinic?: LocalClinic;
}

export interface CohortProgress {
  readonly enrolled: number;
  readonly patients: number;
  readonly virtualDays: number;
  readonly totalDays: number;
  readonly actions: number;
  readonly emails: number;
  readonly wallMs: number;
  /** where the wall time went: clock moves (timers firing, the work they start), reading mail, people's actions */
  readonly timing: {
    readonly steps: number;
    readonly advanceMs: number;
    readonly mailMs: number;
    readonly actionMs: number;
  };
}

/** Link page latencies seen by the simulated people (ms): a GET alone; a POST until the work it started has settled. */
export interface PageLatencies {
  readonly getMs: readonly number[];
  readonly postMs: readonly number[];
}

export interface SimPatient {
  readonly profile: PatientProfile;
  readonly lastName: string;
  readonly email: string;
  readonly clinicianId: string;
  enrolled: EnrolledPatient | undefined;
  enrolledAt: Date | undefined;
}

export interface CohortRun {
  readonly clinic: LocalClinic;
  readonly options: CohortOptions;
  readonly patients: readonly SimPatient[];
  readonly mailbox: Mailbox;
  readonly driver: JourneyDriver;
  /** what the simulated people did, counted by the simulation itself: "<door>:<what>:<status>" */
  readonly tally: ReadonlyMap<string, number>;
  /** actions that threw (a page that did not offer the fields, a refused staff call) */
  readonly errors: readonly string[];
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly usageBefore: LocalUsage;
  readonly usageAfter: LocalUsage;
  readonly wallMs: number;
  readonly timing: CohortProgress['timing'];
  /** the largest resident set of this process (the runtime, the engine, the functions) seen during the run */
  readonly peakRssBytes: number;
  readonly latencies: PageLatencies;
  readonly stopped: boolean;
  /** clinic-wide email addresses: the clinicians' (each patient's emails are theirs alone) */
  readonly clinicianEmails: ReadonlyMap<string, string>;
  /** per patient id: the clinician emails whose page named that patient */
  readonly clinicianMailOf: ReadonlyMap<string, ObservedEmail[]>;
  readonly ownsClinic: boolean;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** the clock moves at least this far per step: a person reads their mail within a minute of it arriving */
const STEP_MS = 60_000;
/** the simulation's patients share this family name, with four letters of their own */
const familyName = 'Ashford';

/** One lead clinician per 40 patients (at least two), each the backup of the next. */
export function cohortClinicConfig(patients: number, protocolOverrides?: Record<string, unknown>): ClinicConfig {
  const count = Math.max(2, Math.ceil(patients / 40));
  return {
    clinicName: 'Simulated Clinic',
    senderEmail: 'care@example.org',
    defaultTimeZone: 'America/New_York',
    opsAlertEmail: 'ops@example.org',
    clinicians: Array.from({ length: count }, (_, i) => ({
      id: `dr-sim-${i + 1}`,
      name: `Dr. Sim ${i + 1}`,
      email: `clinician-${i + 1}@clinicians.example.org`,
      backupId: `dr-sim-${((i + 1) % count) + 1}`,
    })),
    ...(protocolOverrides === undefined ? {} : { protocolOverrides }),
  };
}

function letters(index: number): string {
  let n = index;
  let out = '';
  for (let i = 0; i < 4; i++) {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

interface Planned {
  readonly at: number;
  readonly seq: number;
  readonly what: string;
  readonly run: () => Promise<void>;
}

export async function runCohort(options: CohortOptions): Promise<CohortRun> {
  const config = cohortClinicConfig(options.patients, options.protocolOverrides);
  const ownsClinic = options.clinic === undefined;
  const clinic = options.clinic ?? (await startTestClinic({ clinicConfig: config }));
  // the driver fills and posts the forms; the cohort's own mailbox reads the mail (see above)
  const driver = createJourneyDriver({ ...clinic, listEmails: () => Promise.resolve([]) });
  const mailbox = createMailbox(clinic);
  const started = clinic.now();
  const endMs = started.getTime() + options.months * 30 * DAY;
  const wallStarted = performance.now();
  const usageBefore = await clinic.usage();

  const tally = new Map<string, number>();
  const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
  const errors: string[] = [];
  const clinicians = clinic.clinic.clinicians;
  const clinicianEmails = new Map(clinicians.map((c) => [c.email, c.id]));
  const clinicianMailOf = new Map<string, ObservedEmail[]>();

  const patients: SimPatient[] = drawCohort(options.seed, options.patients, options.months).map((profile) => ({
    profile,
    lastName: `${familyName}${letters(profile.index)}`,
    email: `patient-${options.seed}-${profile.index}@cohort.example.net`,
    clinicianId: (clinicians[profile.index % clinicians.length] as { id: string }).id,
    enrolled: undefined,
    enrolledAt: undefined,
  }));
  const byEmail = new Map(patients.map((p) => [p.email, p]));
  const byLastName = new Map(patients.map((p) => [p.lastName, p]));

  // ---------------------------------------------------------------- the plan of who does what when
  const queue: Planned[] = [];
  let seq = 0;
  let actions = 0;
  const plan = (atMs: number, what: string, run: () => Promise<void>) => {
    queue.push({ at: Math.max(atMs, clinic.now().getTime()), seq: seq++, what, run });
  };
  const later = (ms: number, what: string, run: () => Promise<void>) => plan(clinic.now().getTime() + ms, what, run);

  const latencies = { getMs: [] as number[], postMs: [] as number[] };
  const posted = async (what: string, answer: Promise<PageAnswer>): Promise<PageAnswer> => {
    const t0 = performance.now();
    const page = await answer;
    latencies.postMs.push(performance.now() - t0);
    count(`page:${what}:${page.status}`);
    return page;
  };
  const staffCall = async (what: string, answer: Promise<{ status: number; json: unknown }>): Promise<number> => {
    const result = await answer;
    count(`staff:${what}:${result.status}`);
    if (result.status >= 300)
      errors.push(
        `${clinic.now().toISOString()} staff ${what} answered ${result.status}: ${JSON.stringify(result.json).slice(0, 300)}`,
      );
    return result.status;
  };
  /** posts a decision, with a note when the page asks for one */
  const decide = (link: LinkPage, decision: string, note: string) =>
    driver.submitForm(link, [
      ['decision', decision],
      ...(fieldNamesIn(link.html).has('note') ? ([['note', note]] as [string, string][]) : []),
    ]);

  // one pending action per patient and purpose; it answers on the newest link of that purpose
  const pending = new Set<string>();
  const newest = new Map<string, LinkPage>();
  const once = (p: SimPatient, purpose: LinkPurpose, delayMs: number, act: (link: LinkPage) => Promise<void>) => {
    const key = `${p.profile.index}|${purpose}`;
    if (pending.has(key)) return;
    pending.add(key);
    later(delayMs, `${purpose} ${p.lastName}`, async () => {
      pending.delete(key);
      const link = newest.get(key);
      if (link !== undefined) await act(link);
    });
  };

  // ---------------------------------------------------------------- the staff
  const enrol = (p: SimPatient) =>
    plan(started.getTime() + p.profile.enrolAfterMs, `enrol ${p.lastName}`, async () => {
      p.enrolled = await driver.enrolPatient({
        firstName: 'Sam',
        lastName: p.lastName,
        email: p.email,
        timeZone: p.profile.timeZone,
        sexAtBirth: p.profile.sexAtBirth,
        assignedClinicianId: p.clinicianId,
      });
      p.enrolledAt = clinic.now();
      count('staff:enrol:201');
    });
  const bookConsult = (p: SimPatient, r: Random) => {
    const patientId = (p.enrolled as EnrolledPatient).patientId;
    const at = new Date(
      Math.ceil(
        (clinic.now().getTime() +
          r.between(cohortModel.consultDaysAfterIntake[0], cohortModel.consultDaysAfterIntake[1]) * DAY) /
          HOUR,
      ) * HOUR,
    );
    later(r.between(0.5, 4) * HOUR, `book consult ${p.lastName}`, async () => {
      if ((await staffCall('consult', driver.bookConsult(patientId, at))) >= 300) return;
      plan(at.getTime() + HOUR, `evaluation ${p.lastName}`, async () => {
        await staffCall('evaluation', driver.recordEvaluation(patientId));
      });
    });
  };

  // ---------------------------------------------------------------- the patients
  // each patient's streams live as long as the run: the nth check-in draws the stream's nth reading
  const streams = new Map<number, ReturnType<typeof streamsFor>>();
  const streamOf = (p: SimPatient) => {
    let found = streams.get(p.profile.index);
    if (found === undefined) {
      found = streamsFor(options.seed, p.profile.index);
      streams.set(p.profile.index, found);
    }
    return found;
  };
  const patientActs = (p: SimPatient, link: LinkPage) => {
    const stream = streamOf(p);
    const patientId = (p.enrolled as EnrolledPatient).patientId;
    switch (link.purpose) {
      case 'intake': {
        if (p.profile.abandonsIntake) return count('sim:intake-abandoned');
        const r = stream('intake');
        return once(p, 'intake', hours(cohortModel.intakeDelayHours, r), async (l) => {
          const answer = await posted('intake', driver.submitIntake(l, intakeFor(p.profile.screening)));
          if (answer.status === 200) bookConsult(p, r);
        });
      }
      case 'check-in': {
        const r = stream('check-in');
        const first = drawBloodPressure(r);
        const second = {
          systolic: first.systolic - Math.round(r.between(0, 6)),
          diastolic: first.diastolic - Math.round(r.between(0, 4)),
        };
        const delay = minutes(cohortModel.checkInDelayMinutes, r);
        if (r.chance(cohortModel.checkInMissed)) return count('sim:check-in-missed');
        return once(p, 'check-in', delay, async (l) => {
          await posted('check-in', driver.checkIn(l, { bpReadings: [first, second] }));
        });
      }
      case 'recovery':
        return once(p, 'recovery', minutes(cohortModel.recoveryDelayMinutes, stream('recovery')), async (l) => {
          await posted('recovery', driver.submitForm(l, [['recoveredNow', 'yes']]));
        });
      case 'journal': {
        const r = stream('journal');
        const late = r.chance(cohortModel.journalLate);
        const severity = r.pick(cohortModel.sideEffect);
        const symptom = (['nausea', 'dizziness', 'headache'] as const)[Math.floor(r.next() * 3)] as SideEffectSymptom;
        if (late) count('sim:journal-late');
        return once(
          p,
          'journal',
          hours(late ? cohortModel.journalLateDelayHours : cohortModel.journalDelayHours, r),
          async (l) => {
            await posted(
              `journal-${severity}`,
              driver.writeJournal(l, severity === 'none' ? {} : { [symptom]: severity }),
            );
          },
        );
      }
      case 'assessment':
        return once(p, 'assessment', hours(cohortModel.assessmentDelayHours, stream('assessment')), async (l) => {
          await posted('assessment', driver.submitAssessment(l));
        });
      case 'refill-request': {
        const r = stream('refill-request');
        const timing = r.pick(cohortModel.refillTiming);
        count(`sim:refill-${timing}`);
        return once(p, 'refill-request', hours(cohortModel.refillDelayHours[timing], r), async (l) => {
          await staffCall('pdmp-check', driver.recordPdmpCheck(patientId));
          await posted(`refill-request-${timing}`, driver.requestRefill(l));
        });
      }
      default:
        count(`sim:patient-link-ignored:${link.purpose}`);
    }
  };

  // ---------------------------------------------------------------- the clinicians
  const clinicianActs = (p: SimPatient, link: LinkPage) => {
    const r = streamOf(p)(`clinician-${link.purpose}`);
    const late = r.chance(cohortModel.clinicianLate);
    const delay = late ? hours(cohortModel.clinicianLateHours, r) : minutes(cohortModel.clinicianQuickMinutes, r);
    const patientId = (p.enrolled as EnrolledPatient).patientId;
    const act = (what: string, run: (l: LinkPage) => Promise<PageAnswer>) =>
      once(p, link.purpose, delay, async (l) => {
        if (late) count(`sim:clinician-late:${link.purpose}`);
        await posted(what, run(l));
      });
    switch (link.purpose) {
      case 'eligibility': {
        const review = fieldNamesIn(link.html).has('overrideReason') && p.profile.screening === 'needs-review';
        const approve = review
          ? r.chance(cohortModel.needsReviewOverridden)
          : r.chance(cohortModel.eligibilityApproved);
        return act(`eligibility-${approve ? 'approved' : 'declined'}`, (l) =>
          approve
            ? driver.decideEligibility(
                l,
                fieldNamesIn(l.html).has('overrideReason')
                  ? { override: 'Discussed at the consult; the risk is managed with weekly calls.' }
                  : 'approve',
              )
            : driver.decideEligibility(l, 'decline', 'Not suitable for at-home sessions at present.'),
        );
      }
      case 'treatment-plan':
        return act('treatment-plan', async (l) => {
          await staffCall('pdmp-check', driver.recordPdmpCheck(patientId));
          return driver.approvePlan(l);
        });
      case 'first-dose-check-in':
        return act('first-dose-check-in', (l) =>
          decide(l, 'CHECKED_IN', 'Called the next day: slept well, no concerns.'),
        );
      case 'follow-up-decision': {
        const choice = r.pick(cohortModel.followUp);
        return act(`follow-up-${choice}`, (l) =>
          decide(l, choice, 'Reviewed the scores and the journals with the patient.'),
        );
      }
      case 'hold-decision': {
        const choice = r.pick(cohortModel.holdDecision);
        return act(`hold-${choice}`, (l) => decide(l, choice, 'Reviewed with the patient by phone.'));
      }
      case 'journal-missing': {
        const choice = r.pick(cohortModel.missingJournal);
        return act(`journal-missing-${choice}`, (l) => decide(l, choice, 'Called the patient about the journal.'));
      }
      case 'missed-check-ins': {
        const choice = r.pick(cohortModel.missedCheckIns);
        return act(`missed-check-ins-${choice}`, (l) =>
          decide(l, choice, 'Called the patient about the missed sessions.'),
        );
      }
      case 'refill-approval': {
        const approve = r.chance(cohortModel.refillApproved);
        return act(`refill-${approve ? 'approved' : 'declined'}`, (l) =>
          approve ? driver.approveRefill(l) : driver.declineRefill(l, 'Wants to see the patient first.'),
        );
      }
      default:
        // consult booking and evaluation are recorded by the staff through the staff API
        count(`sim:clinician-link-ignored:${link.purpose}`);
    }
  };

  // ---------------------------------------------------------------- reading the mail
  const handledUrls = new Set<string>();
  const readMail = async () => {
    for (const email of await mailbox.poll()) {
      for (const address of email.to) {
        const patient = byEmail.get(address);
        const isClinician = clinicianEmails.has(address);
        if (patient === undefined && !isClinician) continue;
        for (const url of linksIn(clinic, email)) {
          if (handledUrls.has(url)) continue;
          handledUrls.add(url);
          const t0 = performance.now();
          const page = await driver.openLink(url);
          latencies.getMs.push(performance.now() - t0);
          count(`page:open:${page.status}`);
          const owner = patient ?? byLastName.get(new RegExp(`${familyName}[a-z]{4}`).exec(page.html)?.[0] ?? '');
          if (owner?.enrolled === undefined) continue;
          if (isClinician) {
            const mail = clinicianMailOf.get(owner.enrolled.patientId) ?? [];
            if (!mail.includes(email)) mail.push(email);
            clinicianMailOf.set(owner.enrolled.patientId, mail);
          }
          const purpose = page.status === 200 ? purposeIn(page.html) : undefined;
          if (purpose === undefined) continue;
          const link: LinkPage = { url, purpose, status: page.status, html: page.html, email };
          newest.set(`${owner.profile.index}|${purpose}`, link);
          try {
            if (isClinician) clinicianActs(owner, link);
            else patientActs(owner, link);
          } catch (error) {
            errors.push(
              `${clinic.now().toISOString()} reacting to ${purpose} of ${owner.lastName}: ${(error as Error).message}`,
            );
          }
        }
      }
    }
  };

  // ---------------------------------------------------------------- the loop
  for (const p of patients) enrol(p);
  let stopped = false;
  let lastProgress = 0;
  const timing = { steps: 0, advanceMs: 0, mailMs: 0, actionMs: 0 };
  let peakRssBytes = process.memoryUsage().rss;
  const timed = async (key: 'advanceMs' | 'mailMs' | 'actionMs', work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    timing[key] += performance.now() - t0;
  };
  const progress = () => {
    options.onProgress?.({
      enrolled: patients.filter((p) => p.enrolled !== undefined).length,
      patients: patients.length,
      virtualDays: (clinic.now().getTime() - started.getTime()) / DAY,
      totalDays: options.months * 30,
      actions,
      emails: mailbox.total,
      wallMs: performance.now() - wallStarted,
      timing,
    });
  };
  for (;;) {
    if (options.shouldStop?.() === true) {
      stopped = true;
      break;
    }
    const now = clinic.now().getTime();
    const due = queue.filter((q) => q.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (due.length > 0) {
      for (const item of due) queue.splice(queue.indexOf(item), 1);
      // what is due at one instant happens at once, as people act independently
      const act = async (item: Planned) => {
        actions += 1;
        try {
          await item.run();
        } catch (error) {
          errors.push(`${clinic.now().toISOString()} ${item.what}: ${(error as Error).message.slice(0, 400)}`);
        }
      };
      await timed('actionMs', () => Promise.all(due.map(act)));
      await timed('mailMs', readMail);
      continue;
    }
    if (now >= endMs) break;
    const nextAction = Math.min(...queue.map((q) => q.at));
    const nextTimer = clinic.engine.nextTimerDue()?.getTime() ?? Infinity;
    const target = Math.min(endMs, Math.max(now + STEP_MS, Math.min(nextAction, nextTimer)));
    timing.steps += 1;
    await timed('advanceMs', () => clinic.advanceClock({ to: new Date(target) }));
    await timed('mailMs', readMail);
    if (performance.now() - lastProgress > 1000) {
      lastProgress = performance.now();
      peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
      progress();
    }
  }
  await clinic.settle();
  await readMail();
  progress();
  return {
    clinic,
    options,
    patients,
    mailbox,
    driver,
    tally,
    errors,
    startedAt: started,
    endedAt: clinic.now(),
    usageBefore,
    usageAfter: await clinic.usage(),
    wallMs: performance.now() - wallStarted,
    timing,
    peakRssBytes: Math.max(peakRssBytes, process.memoryUsage().rss),
    latencies,
    stopped,
    clinicianEmails,
    clinicianMailOf,
    ownsClinic,
  };
}
