import type { Protocol } from '../../functions/domain/protocol.ts';
import { addCalendarMonths, localDate } from '../../functions/domain/local-time.ts';
import type { LinkPurpose } from '../../functions/domain/schemas/link.ts';
import { clinicianById } from '../../functions/patient/care-team.ts';
import { protocolOf } from '../../functions/platform/clinic-config.ts';
import {
  atLocalHour,
  localDateOf,
  type EnrolledPatient,
  type JourneyDriver,
  type LinkPage,
  type PageAnswer,
} from './journey-driver.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from '../../functions/domain/durations.ts';

/** A fresh patient in induction or in maintenance on the local clinic, for the property runs. */

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

export function mainOf(html: string): string {
  const start = html.indexOf('<main>');
  return (start < 0 ? html : html.slice(start))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

/** Enrolment → intake → consult → evaluation → eligible → approved plan: the induction has begun. */
export async function patientInInduction(driver: JourneyDriver, choices: PlanChoices): Promise<PatientUnderTest> {
  const emailMark = await driver.mark();
  const patient = await driver.enrolPatient();
  const clinicianEmail = clinicianById(driver.clinic.clinic, patient.assignedClinicianId).email;
  await expectPage('intake', driver.submitIntake(await driver.latestLinkFor(patient.email, 'intake')));
  const consultAt = new Date(driver.now().getTime() + 2 * HOUR);
  const booked = await driver.bookConsult(patient.patientId, consultAt);
  if (booked.status !== 200)
    throw new Error(`booking the consult answered ${booked.status}: ${JSON.stringify(booked.json)}`);
  await driver.advanceTo(new Date(consultAt.getTime() + HOUR));
  const evaluated = await driver.recordEvaluation(patient.patientId, { modality: choices.evaluation });
  if (evaluated.status !== 200)
    throw new Error(`recording the evaluation answered ${evaluated.status}: ${JSON.stringify(evaluated.json)}`);
  await expectPage(
    'eligibility',
    driver.decideEligibility(await driver.latestLinkFor(clinicianEmail, 'eligibility'), 'approve'),
  );
  // the plan can be approved only with a recent PDMP check on record
  const pdmp = await driver.recordPdmpCheck(patient.patientId);
  if (pdmp.status !== 200) throw new Error(`recording the PDMP check answered ${pdmp.status}`);
  const protocol = protocolInForce(driver);
  const zone = driver.clinic.clinic.defaultTimeZone;
  const first = atLocalHour(new Date(driver.now().getTime() + 4 * DAY), zone, 10);
  const times = Array.from(
    { length: choices.sessionCount },
    (_, i) => new Date(first.getTime() + i * protocol.induction.defaultDaysBetweenSessions * DAY),
  );
  await expectPage(
    'plan',
    driver.approvePlan(await driver.latestLinkFor(clinicianEmail, 'treatment-plan'), {
      sessionCount: choices.sessionCount,
      ...(choices.sessionCount === protocol.induction.sessionCount
        ? {}
        : { sessionCountReason: 'A shorter induction agreed with the patient.' }),
      plannedSessionTimes: times,
      followUpAt: new Date((times.at(-1) ?? first).getTime() + 2 * DAY),
      prescriptionIssuedOn: prescriptionIssuedOn(driver, choices, protocol, patient.timeZone),
      refillsAllowed: choices.refillsAllowed,
    }),
  );
  return { patient, clinicianEmail, emailMark };
}

/** The plan is approved (and the first fill made) now; the first refill is due the protocol's interval later. */
function prescriptionIssuedOn(
  driver: JourneyDriver,
  choices: PlanChoices,
  protocol: Protocol,
  patientTimeZone: string,
): string {
  const zone = driver.clinic.clinic.defaultTimeZone;
  const now = driver.now();
  if (choices.prescriptionAgeDays !== 'first-refill-due-on-last-day')
    return localDateOf(new Date(now.getTime() - choices.prescriptionAgeDays * DAY), zone);
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
