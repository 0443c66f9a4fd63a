import { clinicianById } from '../../functions/patient/care-team.ts';
import type { LinkPurpose } from '../../functions/domain/schemas/link.ts';
import type { ClinicConfig } from '../../functions/platform/clinic-config.ts';
import type {
  EnrolledPatient,
  IntakeAnswers,
  JourneyDriver,
  JourneyView,
  LinkPage,
  ObservedEmail,
  PageAnswer,
  TreatmentPlanInput,
} from './journey-driver.ts';
import {
  DAY_MS as DAY,
  HOUR_MS as HOUR,
  MINUTE_MS as MINUTE,
  SECOND_MS as SECOND,
} from '../../functions/domain/durations.ts';

/**
 * "Drive a patient to point X" for the journey's branch tests: each helper acts only through the
 * driver (staff API, emailed links, the virtual clock), and the batch helpers move several patients
 * together so one clock advance serves them all.
 */

/** In milliseconds, as the driver's clock takes them (functions/domain/durations.ts). */
export { SECOND, MINUTE, HOUR, DAY };

/** The clinicians of local/clinic.local.json: dr-rivera's backup is dr-chen. */
export const clinicianEmail = 'ana.rivera@example.org';
export const backupClinicianEmail = 'wei.chen@example.org';

/** A clinician and their backup, so a test can tell its patient's clinician mail from the rest of the clinic's. */
export interface CareTeam {
  readonly clinicianId: string;
  readonly email: string;
  readonly backupEmail: string;
}

const teamCount = 12;
/** Care team n (1-12) of `branchClinicConfig`. */
export function careTeam(n: number): CareTeam {
  if (n < 1 || n > teamCount) throw new Error(`care team ${n} does not exist (1-${teamCount})`);
  return {
    clinicianId: `dr-lead-${n}`,
    email: `lead-${n}@clinicians.example.org`,
    backupEmail: `backup-${n}@clinicians.example.org`,
  };
}

/** The local clinic's settings with one clinician and backup per care team, for useJourneyDriver({ clinicConfig }). */
export const branchClinicConfig: ClinicConfig = {
  clinicName: 'Branch Test Clinic',
  senderEmail: 'care@example.org',
  defaultTimeZone: 'America/New_York',
  opsAlertEmail: 'ops@example.org',
  clinicians: [
    { id: 'dr-rivera', name: 'Dr. Ana Rivera', email: clinicianEmail, backupId: 'dr-chen' },
    { id: 'dr-chen', name: 'Dr. Wei Chen', email: backupClinicianEmail, backupId: 'dr-rivera' },
    ...Array.from({ length: teamCount }, (_, i) => i + 1).flatMap((n) => [
      { id: careTeam(n).clinicianId, name: `Dr. Lead ${n}`, email: careTeam(n).email, backupId: `dr-backup-${n}` },
      { id: `dr-backup-${n}`, name: `Dr. Backup ${n}`, email: careTeam(n).backupEmail },
    ]),
  ],
};

const defaultTeam: CareTeam = { clinicianId: 'dr-rivera', email: clinicianEmail, backupEmail: backupClinicianEmail };

export const later = (at: Date, ms: number): Date => new Date(at.getTime() + ms);

/** Throws with the page's main text when a link page did not answer as expected. */
export function expectPageStatus(answer: PageAnswer, status: number, what: string): PageAnswer {
  if (answer.status !== status)
    throw new Error(
      `${what}: expected ${status}, the page answered ${answer.status}: ${mainText(answer.html).slice(0, 600)}`,
    );
  return answer;
}

/** The visible text of a page's <main>, for assertions on what a person reads. */
export function mainText(html: string): string {
  const start = html.indexOf('<main');
  const end = html.indexOf('</main>');
  const main = start >= 0 && end > start ? html.slice(start, end) : html;
  return main
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Enrols a patient and submits the intake through the emailed link. */
export async function enrolWithIntake(
  d: JourneyDriver,
  intake: Partial<IntakeAnswers> = {},
  enrolment: Parameters<JourneyDriver['enrolPatient']>[0] = {},
): Promise<EnrolledPatient> {
  const patient = await d.enrolPatient(enrolment);
  expectPageStatus(
    await d.submitIntake(await d.latestLinkFor(patient.email, 'intake'), intake),
    200,
    `intake of ${patient.patientId}`,
  );
  return patient;
}

/**
 * Several patients through intake, one consult time for all, one clock advance past it, and every
 * evaluation recorded: screening runs right after each evaluation. Answers the patients in input order.
 */
export async function throughEvaluation(
  d: JourneyDriver,
  intakes: readonly Partial<IntakeAnswers>[],
  enrolments: readonly Parameters<JourneyDriver['enrolPatient']>[0][] = [],
): Promise<EnrolledPatient[]> {
  const patients = await Promise.all(intakes.map((intake, i) => enrolWithIntake(d, intake, enrolments[i] ?? {})));
  const consultAt = later(d.now(), 3 * DAY);
  for (const patient of patients) {
    const booked = await d.bookConsult(patient.patientId, consultAt);
    if (booked.status >= 300)
      throw new Error(
        `consult booking for ${patient.patientId} answered ${booked.status}: ${JSON.stringify(booked.json)}`,
      );
  }
  await d.advanceTo(later(consultAt, HOUR));
  for (const patient of patients) {
    const evaluated = await d.recordEvaluation(patient.patientId);
    if (evaluated.status >= 300)
      throw new Error(
        `evaluation of ${patient.patientId} answered ${evaluated.status}: ${JSON.stringify(evaluated.json)}`,
      );
  }
  return patients;
}

/** The link page whose email went to `address` and whose page names this patient (clinician pages do). */
export async function clinicianLinkFor(
  d: JourneyDriver,
  patient: EnrolledPatient,
  purpose: LinkPurpose,
  address = clinicianEmail,
): Promise<LinkPage> {
  const pages = await d.linkPagesFor(address);
  const mine = pages.find(
    (page) => page.status === 200 && page.purpose === purpose && page.html.includes(patient.lastName),
  );
  if (mine === undefined)
    throw new Error(
      `no open ${purpose} link to ${address} about ${patient.patientId} at ${d.now().toISOString()} (${pages.map((p) => `${p.purpose}:${p.status}`).join(', ')})`,
    );
  return mine;
}

export interface ScenarioOptions {
  readonly team?: CareTeam;
  readonly intake?: Partial<IntakeAnswers>;
  readonly plan?: Partial<TreatmentPlanInput>;
}

/** One eligible patient with the eligibility approved: the clinician's treatment-plan link is out. */
export async function toTreatmentPlan(d: JourneyDriver, options: ScenarioOptions = {}): Promise<EnrolledPatient> {
  const team = options.team ?? defaultTeam;
  const [patient] = await throughEvaluation(d, [options.intake ?? {}], [{ assignedClinicianId: team.clinicianId }]);
  if (patient === undefined) throw new Error('no patient');
  expectPageStatus(
    await d.decideEligibility(await clinicianLinkFor(d, patient, 'eligibility', team.email), 'approve'),
    200,
    'eligibility approval',
  );
  // the plan can be approved only with a recent PDMP check on record
  const pdmp = await d.recordPdmpCheck(patient.patientId);
  if (pdmp.status !== 200) throw new Error(`the PDMP check was not recorded (${pdmp.status})`);
  return patient;
}

/** An approved plan: induction starts; answers the plan as approved (its session times). */
export async function toInduction(
  d: JourneyDriver,
  options: ScenarioOptions = {},
): Promise<{ patient: EnrolledPatient; plan: TreatmentPlanInput }> {
  const patient = await toTreatmentPlan(d, options);
  const approved = { ...d.defaultPlan(), ...options.plan };
  expectPageStatus(
    await d.approvePlan(
      await clinicianLinkFor(d, patient, 'treatment-plan', (options.team ?? defaultTeam).email),
      approved,
    ),
    200,
    'plan approval',
  );
  return { patient, plan: approved };
}

/** The session as the journey view shows it, newest attempt first when it was planned more than once. */
export async function sessionView(
  d: JourneyDriver,
  patient: EnrolledPatient,
  number: number,
): Promise<JourneyView['sessions'][number] | undefined> {
  const view = await d.journeyOf(patient.patientId);
  const found = view.sessions.filter((s) => s.number === number);
  return found.sort((a, b) => String(b.plannedStart).localeCompare(String(a.plannedStart)))[0];
}

/** The planned start of the session, read back from the journey (the calendar entry the gate judges from). */
export async function plannedStartOf(d: JourneyDriver, patient: EnrolledPatient, number: number): Promise<Date> {
  const session = await sessionView(d, patient, number);
  if (session?.plannedStart === undefined)
    throw new Error(
      `session ${number} of ${patient.patientId} is not planned at ${d.now().toISOString()}: ${JSON.stringify((await d.journeyOf(patient.patientId)).sessions)}`,
    );
  return new Date(session.plannedStart);
}

/**
 * What follows the session hour besides the journal: the patient says they have recovered, and after the
 * first dose ever the clinician records their check-in with the patient (when that task is open).
 */
export async function afterSessionHour(d: JourneyDriver, patient: EnrolledPatient): Promise<void> {
  expectPageStatus(
    await d.submitForm(await d.latestLinkFor(patient.email, 'recovery'), [['recoveredNow', 'yes']]),
    200,
    'recovery check',
  );
  const clinician = clinicianById(d.clinic.clinic, patient.assignedClinicianId).email;
  const task = (await d.linkPagesFor(clinician)).find(
    (page) => page.purpose === 'first-dose-check-in' && page.status === 200 && page.html.includes(patient.lastName),
  );
  if (task !== undefined)
    expectPageStatus(
      await d.submitForm(task, [
        ['decision', 'CHECKED_IN'],
        ['note', 'Called the next day: slept well, no concerns.'],
      ]),
      200,
      'first-dose check-in',
    );
}

/** Opens the check-in (2 h before the start) and checks in clear, then lets the hour pass so the journal is asked for. */
export async function completeSessionWithoutJournal(
  d: JourneyDriver,
  patient: EnrolledPatient,
  number: number,
): Promise<Date> {
  const start = await plannedStartOf(d, patient, number);
  await d.advanceTo(later(start, -2 * HOUR));
  expectPageStatus(
    await d.checkIn(await d.latestLinkFor(patient.email, 'check-in')),
    200,
    `check-in for session ${number}`,
  );
  await d.advanceTo(later(start, 61 * MINUTE));
  await afterSessionHour(d, patient);
  return start;
}

/** A whole session: clear check-in, the hour, the journal, and the assessment when one is asked. */
export async function completeSession(
  d: JourneyDriver,
  patient: EnrolledPatient,
  number: number,
  assessmentDue: boolean,
): Promise<Date> {
  const start = await completeSessionWithoutJournal(d, patient, number);
  expectPageStatus(
    await d.writeJournal(await d.latestLinkFor(patient.email, 'journal')),
    200,
    `journal of session ${number}`,
  );
  if (assessmentDue)
    expectPageStatus(
      await d.submitAssessment(await d.latestLinkFor(patient.email, 'assessment')),
      200,
      `assessment after session ${number}`,
    );
  return start;
}

/** Through the plan's sessions and the follow-up decision: the first refill cycle runs. */
export async function toMaintenance(
  d: JourneyDriver,
  options: ScenarioOptions = {},
): Promise<{ patient: EnrolledPatient; plan: TreatmentPlanInput }> {
  const started = await toInduction(d, options);
  const count = started.plan.sessionCount;
  for (let n = 1; n <= count; n += 1) await completeSession(d, started.patient, n, n === 2 || n === count);
  // the journey asks for the follow-up decision at the plan's follow-up date, after the patient's reminders
  await d.advanceTo(started.plan.followUpAt);
  const link = await clinicianLinkFor(d, started.patient, 'follow-up-decision', (options.team ?? defaultTeam).email);
  expectPageStatus(await d.decideFollowUp(link, 'MAINTENANCE'), 200, 'follow-up decision');
  return started;
}

/** Emails sent to an address, from a list. */
export function emailsTo(emails: readonly ObservedEmail[], address: string): ObservedEmail[] {
  return emails.filter((email) => [...email.to, ...email.cc, ...email.bcc].includes(address));
}

/** Emails to one address whose text matches, in the order sent. */
export function emailsMatching(emails: readonly ObservedEmail[], address: string, pattern: RegExp): ObservedEmail[] {
  return emails.filter(
    (email) =>
      [...email.to, ...email.cc, ...email.bcc].includes(address) &&
      pattern.test(`${email.subject}\n${email.text ?? ''}`),
  );
}

/** The fill times recorded for the patient, oldest first (the initial fill is cycle 0). */
export async function fillTimesOf(d: JourneyDriver, patient: EnrolledPatient): Promise<Date[]> {
  const fills = (await d.journeyOf(patient.patientId)).fills;
  return fills.map((fill) => new Date(String(fill.filledAt))).sort((a, b) => a.getTime() - b.getTime());
}

/**
 * The refill window's request link of the next cycle: the window opens 3 days before the 28 days are up
 * (moved out of the patient's quiet hours), so the clock jumps to day 25 after the last fill and then
 * moves an hour at a time until the link arrives.
 */
export async function awaitRefillRequest(d: JourneyDriver, patient: EnrolledPatient): Promise<LinkPage> {
  await takeMaintenanceDoses(d, patient);
  const lastFill = (await fillTimesOf(d, patient)).at(-1);
  if (lastFill === undefined) throw new Error(`${patient.patientId} has no fill`);
  await d.advanceTo(later(lastFill, 25 * DAY));
  return d.awaitLink(patient.email, 'refill-request', { withinSeconds: 12 * 3600 });
}

/**
 * The next cycle's refill requested as soon as its window's link arrives (the link lasts 72 h, which can
 * end before the 28 days are up: the gate waits for them), with a fresh PDMP check. Answers the time of
 * the request.
 */
export async function requestRefillAtOnce(
  d: JourneyDriver,
  patient: EnrolledPatient,
  options: Parameters<JourneyDriver['requestRefill']>[1] = {},
): Promise<Date> {
  const request = await awaitRefillRequest(d, patient);
  await d.recordPdmpCheck(patient.patientId);
  expectPageStatus(await d.requestRefill(request, options), 200, 'refill request');
  return d.now();
}

/** The maintenance sessions the fills supply (each refill's doses), by number, oldest first. */
export async function suppliedDoses(d: JourneyDriver, patient: EnrolledPatient): Promise<number[]> {
  const fills = (await d.journeyOf(patient.patientId)).fills;
  return fills.flatMap((fill) => {
    const first = fill['firstSessionNumber'];
    const doses = fill['quantity'];
    return typeof first === 'number' && typeof doses === 'number'
      ? Array.from({ length: doses }, (_, i) => first + i)
      : [];
  });
}

/**
 * Every maintenance dose supplied and not yet taken, taken the usual way: each is a whole session (clear
 * check-in, the hour, recovery, the journal). The next refill cycle starts only after them.
 */
export async function takeMaintenanceDoses(d: JourneyDriver, patient: EnrolledPatient): Promise<number[]> {
  const taken: number[] = [];
  for (const number of await suppliedDoses(d, patient)) {
    if ((await sessionView(d, patient, number))?.status === 'completed') continue;
    await completeSession(d, patient, number, false);
    taken.push(number);
  }
  return taken;
}

/** When the step was first requested (its link emailed), from the audit trail. */
export async function stepRequestedAt(d: JourneyDriver, patient: EnrolledPatient, stepKey: string): Promise<Date> {
  const requested = (await auditOf(d, patient, 'step.requested')).find(
    (event) => event.details?.['stepKey'] === stepKey,
  );
  if (requested?.at === undefined) throw new Error(`step ${stepKey} of ${patient.patientId} was never requested`);
  return new Date(requested.at);
}

/**
 * One whole refill cycle the usual way: the window's request link, a PDMP check recorded by the clinic,
 * the request, and the clinician's approval once the gate lets it through (day 28). Answers the new
 * fill's time.
 */
export async function refillOnce(
  d: JourneyDriver,
  patient: EnrolledPatient,
  team: CareTeam = defaultTeam,
): Promise<Date> {
  const before = await fillTimesOf(d, patient);
  const request = await awaitRefillRequest(d, patient);
  await d.recordPdmpCheck(patient.patientId);
  expectPageStatus(await d.requestRefill(request), 200, 'refill request');
  await d.advanceTo(later(before.at(-1) as Date, 28 * DAY + MINUTE));
  expectPageStatus(
    await d.approveRefill(await clinicianLinkFor(d, patient, 'refill-approval', team.email)),
    200,
    'refill approval',
  );
  const fills = await fillTimesOf(d, patient);
  if (fills.length !== before.length + 1)
    throw new Error(`expected fill ${before.length + 1} after the approval, found ${fills.length}`);
  return fills.at(-1) as Date;
}

/** Moves the clock an hour at a time until the clinician's link about this patient arrives (or `withinMs` passes). */
export async function awaitClinicianLink(
  d: JourneyDriver,
  patient: EnrolledPatient,
  purpose: LinkPurpose,
  address: string,
  withinMs: number,
): Promise<LinkPage> {
  const until = d.now().getTime() + withinMs;
  for (;;) {
    try {
      return await clinicianLinkFor(d, patient, purpose, address);
    } catch (error) {
      if (d.now().getTime() >= until) throw error;
      await d.advanceTo(new Date(Math.min(until, d.now().getTime() + HOUR)));
    }
  }
}

/** The audit events of one action, oldest first. */
export async function auditOf(
  d: JourneyDriver,
  patient: EnrolledPatient,
  action: string,
): Promise<JourneyView['audit']> {
  const audit = (await d.journeyOf(patient.patientId)).audit.filter((event) => event.action === action);
  return audit.sort((a, b) => String(a.at).localeCompare(String(b.at)));
}

/** The clinic records a clinician's check-in with the patient (POST /staff/patients/{id}/clinician-check-ins). */
export async function recordClinicianCheckIn(
  d: JourneyDriver,
  patient: EnrolledPatient,
  modality: 'telehealth' | 'in-person' = 'telehealth',
): Promise<string> {
  const answer = await d.staff('POST', `/staff/patients/${patient.patientId}/clinician-check-ins`, {
    notes: 'Maintenance review by video; doing well, no new concerns.',
    modality,
  });
  if (answer.status !== 201)
    throw new Error(`the clinician check-in was refused (${answer.status}): ${JSON.stringify(answer.json)}`);
  return String(answer.json['evaluationId']);
}
