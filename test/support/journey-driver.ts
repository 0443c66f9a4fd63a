import { clinicianSessions } from './clinician-sessions.ts';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type DescribeExecutionCommandOutput,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { fromLocal, toLocal } from '../../functions/domain/local-time.ts';
import { catalogue } from '../../functions/pages/message-catalogue.ts';
import type { LinkPurpose } from '../../functions/domain/schemas/link.ts';
import {
  sideEffectSymptoms,
  type SideEffectSeverity,
  type SideEffectSymptom,
} from '../../functions/domain/schemas/side-effect-report.ts';
import type { SentEmail } from '../../local/services/ses-local.ts';
import type { LocalClinic } from '../../local/runtime/start-local-clinic.ts';
import { emailsTo, linksIn, sfnClientFor, useLocalClinic } from './local-clinic.ts';
import { withoutLinkTokens } from './link-http.ts';
import type { LocalClinicOptions } from '../../local/runtime/start-local-clinic.ts';

/**
 * Drives a patient's journey on the local clinic through the doors people use, and only those: the
 * staff API, the emailed links (read back from the SES emulator), the link pages (GET, then the page's
 * own form POSTed as a browser posts it) and the virtual clock. Nothing here writes to the store or
 * calls a handler directly, so a test that passes here passes for a person with a browser.
 *
 *   const local = useJourneyDriver();
 *   it('...', async () => { const d = local.driver; const p = await d.enrolPatient(); ... });
 */

// ------------------------------------------------------------------ answers (defaults: an eligible patient)

export type YesNo = boolean;
export interface BloodPressure {
  readonly systolic: number;
  readonly diastolic: number;
}

export interface IntakeAnswers {
  /** 7 answers 0-3 */
  readonly gad7: readonly number[];
  /** 9 answers 0-3; the 9th is the self-harm item */
  readonly phq9: readonly number[];
  readonly cssrs: {
    readonly wishToBeDead: YesNo;
    readonly suicidalThoughts: YesNo;
    readonly thoughtsOfMethod: YesNo;
    readonly intentToAct: YesNo;
    readonly planWithIntent: YesNo;
    readonly suicidalBehaviour: YesNo;
    /** YYYY-MM-DD, required when suicidalBehaviour */
    readonly behaviourLastOn: string | null;
  };
  /** 3 answers 0-4 */
  readonly auditC: readonly number[];
  /** 10 yes/no answers in the published order (question 3 scores for "no") */
  readonly dast10: readonly YesNo[];
  /** medicalConditions values (functions/domain/schemas/questionnaires.ts) */
  readonly conditions: readonly string[];
  /** at most 3 */
  readonly priorTreatments: readonly { readonly name: string; readonly kind: string }[];
  readonly maniaOrHypomania: YesNo;
  /** pregnant now, planning to be, or breastfeeding: 'yes', 'no' or 'cannot-become-pregnant' */
  readonly pregnancy: string;
  /** at most 4, as the patient types them */
  readonly medications: readonly string[];
  readonly weightKg: number;
  /** 1 or 2 readings */
  readonly restingBp: readonly BloodPressure[];
}

/** Moderate anxiety and depression (GAD-7 12, PHQ-9 14, item 9 = 0), one prior treatment, no exclusion. */
export const eligibleIntake: IntakeAnswers = {
  gad7: [2, 2, 2, 2, 1, 2, 1],
  phq9: [2, 2, 2, 2, 1, 2, 2, 1, 0],
  cssrs: {
    wishToBeDead: false,
    suicidalThoughts: false,
    thoughtsOfMethod: false,
    intentToAct: false,
    planWithIntent: false,
    suicidalBehaviour: false,
    behaviourLastOn: null,
  },
  auditC: [1, 0, 0],
  dast10: [false, false, true, false, false, false, false, false, false, false],
  conditions: [],
  priorTreatments: [{ name: 'An earlier course of tablets', kind: 'medication' }],
  maniaOrHypomania: false,
  pregnancy: 'no',
  medications: [],
  weightKg: 70,
  restingBp: [
    { systolic: 122, diastolic: 78 },
    { systolic: 118, diastolic: 76 },
  ],
};

export interface CheckInAnswers {
  readonly monitorPresent: YesNo;
  readonly fastingHours: number;
  readonly lastAlcoholOrCannabisHoursAgo: number | null;
  readonly lastBenzodiazepineHoursAgo: number | null;
  readonly stimulantOrOpioidToday: YesNo;
  readonly heldMedicationsConfirmed: YesNo;
  /** two readings */
  readonly bpReadings: readonly BloodPressure[];
  /** redFlagSymptoms values (functions/domain/protocol.ts), e.g. chest-pain, back-pain */
  readonly redFlagSymptoms: readonly string[];
  readonly noDrivingAcknowledged: YesNo;
  /** the reading after rest, sent only when given (the page asks for it after a crisis reading) */
  readonly bpRecheck?: BloodPressure;
  /** answered when the page asks (patients who can become pregnant) */
  readonly pregnantPlannedOrBreastfeeding?: YesNo;
}

export const clearCheckIn: CheckInAnswers = {
  monitorPresent: true,
  fastingHours: 5,
  lastAlcoholOrCannabisHoursAgo: null,
  lastBenzodiazepineHoursAgo: null,
  stimulantOrOpioidToday: false,
  heldMedicationsConfirmed: true,
  bpReadings: [
    { systolic: 124, diastolic: 80 },
    { systolic: 120, diastolic: 78 },
  ],
  redFlagSymptoms: [],
  noDrivingAcknowledged: true,
};

export interface BladderCheck {
  readonly frequency: YesNo;
  readonly urgency: YesNo;
  readonly painOnUrination: YesNo;
  readonly bloodInUrine: YesNo;
}

export interface AssessmentAnswers {
  readonly gad7: readonly number[];
  readonly phq9: readonly number[];
  readonly bladderCheck: BladderCheck;
}

/** Much better than at intake (GAD-7 4, PHQ-9 5): a response and, for GAD-7, a remission. */
export const improvedAssessment: AssessmentAnswers = {
  gad7: [1, 1, 0, 1, 0, 1, 0],
  phq9: [1, 1, 1, 1, 0, 1, 0, 0, 0],
  bladderCheck: { frequency: false, urgency: false, painOnUrination: false, bloodInUrine: false },
};

export interface TreatmentPlanInput {
  readonly doseMg: number;
  readonly sessionCount: number;
  readonly sessionCountReason?: string;
  readonly intervalDays: number;
  /** at most 6; typed into datetime-local fields on the clinician's wall clock */
  readonly plannedSessionTimes: readonly Date[];
  readonly adultMonitorRequired: YesNo;
  readonly bloodPressureBeforeEachSession: YesNo;
  readonly monitoringNotes: string;
  readonly followUpAt: Date;
  readonly preparationGuidance: string;
  /** YYYY-MM-DD */
  readonly prescriptionIssuedOn: string;
  readonly daysOfSupply: number;
  /** after induction, a maintenance dose every this many days */
  readonly maintenanceIntervalDays: number;
  readonly refillsAllowed: number;
}

export type EligibilityChoice = 'approve' | 'decline' | { readonly override: string };
export type FollowUpChoice = 'MAINTENANCE' | 'NEW_PLAN' | 'DISCHARGE';
export type HoldChoice = 'RESUME' | 'NEW_PLAN' | 'DISCHARGE';

// ------------------------------------------------------------------ what the doors answer

export interface EnrolledPatient {
  readonly patientId: string;
  readonly journeyId: string;
  readonly executionName: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly timeZone: string;
  readonly assignedClinicianId: string;
}

export interface LinkPage {
  readonly url: string;
  /** from the form's hidden `purpose` field; 'notice', 'preparation' or 'consult' for a view-only page */
  readonly purpose: LinkPurpose;
  readonly status: number;
  readonly html: string;
  /** the email that carried the link */
  readonly email: SentEmail;
}

export interface PageAnswer {
  readonly status: number;
  readonly html: string;
}

export interface StaffAnswer {
  readonly status: number;
  // the staff API answers JSON objects; tests read fields they know
  readonly json: Record<string, unknown>;
}

export interface ExecutionSummary {
  readonly name: string;
  readonly executionArn: string;
  readonly stateMachine: string;
  readonly status: ExecutionStatus | undefined;
  readonly startDate: Date | undefined;
  readonly stopDate: Date | undefined;
  readonly output: unknown;
  /** a FAILED execution's error name and cause */
  readonly error: string | undefined;
  readonly cause: string | undefined;
}

/** An email with the virtual time the driver first saw it in SES (at or shortly after it was sent). */
export interface ObservedEmail extends SentEmail {
  readonly seenAt: Date;
}

/** The PHI words no email may contain (besides the patient's last name). */
export const forbiddenEmailWords = [
  'ketamine',
  'esketamine',
  'dose',
  'mg',
  'depression',
  'anxiety',
  'psychiatric',
  'psychiatry',
  'therapy',
  'treatment',
  'prescription',
  'medication',
  'drug',
  'mental',
] as const;

/** The forbidden words (as whole words) and the last name found in an email, if any. */
export function phiIn(email: SentEmail, lastName?: string): string[] {
  const text = withoutLinkTokens(`${email.subject}\n${email.text ?? ''}\n${email.html ?? ''}`).toLowerCase();
  const found: string[] = forbiddenEmailWords.filter((word) => new RegExp(`\\b${word}\\b`).test(text));
  if (lastName !== undefined && text.includes(lastName.toLowerCase())) found.push(lastName);
  return found;
}

// ------------------------------------------------------------------ the driver

let patientCounter = 0;

export interface JourneyDriver {
  readonly clinic: LocalClinic;
  now(): Date;
  // staff API
  staff(method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>): Promise<StaffAnswer>;
  enrolPatient(
    overrides?: Partial<Omit<EnrolledPatient, 'patientId' | 'journeyId' | 'executionName'>> & {
      readonly dateOfBirth?: string;
      readonly sexAtBirth?: string;
      readonly patientId?: string;
      readonly preferredLanguage?: string;
    },
  ): Promise<EnrolledPatient>;
  bookConsult(patientId: string, at: Date): Promise<StaffAnswer>;
  recordEvaluation(
    patientId: string,
    evaluation?: { notes?: string; modality?: 'telehealth' | 'in-person' },
  ): Promise<StaffAnswer>;
  reportAdverseEvent(patientId: string, event: { kind: string; description: string }): Promise<StaffAnswer>;
  recordPdmpCheck(patientId: string, checkedAt?: Date): Promise<StaffAnswer>;
  journeyOf(patientId: string): Promise<JourneyView>;
  // emails and links
  emailsTo(address: string): Promise<ObservedEmail[]>;
  /** a mark for emailsSince: how many emails SES holds now */
  mark(): Promise<number>;
  emailsSince(mark: number): Promise<ObservedEmail[]>;
  /**
   * The newest open link to this address (of this purpose, if given). A clinician's pages name the
   * patient: `mentioning` (e.g. the patient's last name) picks that patient's link when several are open.
   */
  latestLinkFor(address: string, purpose?: LinkPurpose, options?: { mentioning?: string }): Promise<LinkPage>;
  /**
   * Moves the clock in steps (default an hour) until an open link of this purpose reaches the address,
   * at most `withinSeconds` ahead; throws if none came.
   */
  awaitLink(
    address: string,
    purpose: LinkPurpose,
    options: { withinSeconds: number; stepSeconds?: number; mentioning?: string },
  ): Promise<LinkPage>;
  /** every link page emailed to this address, newest email first, open or not */
  linkPagesFor(address: string): Promise<LinkPage[]>;
  openLink(url: string): Promise<PageAnswer>;
  /** posts the page's form with these fields (purpose and the field names checked against the page) */
  submitForm(link: LinkPage, fields: readonly (readonly [string, string])[]): Promise<PageAnswer>;
  /**
   * Enrols a patient, submits the intake (eligible unless overridden), books the consult 26 h out,
   * moves past it and records the evaluation: the journey is then screened and (unless INELIGIBLE)
   * waits for the clinician's eligibility decision.
   */
  throughScreening(options?: {
    intake?: Partial<IntakeAnswers>;
    patient?: Parameters<JourneyDriver['enrolPatient']>[0];
  }): Promise<EnrolledPatient>;
  /**
   * throughScreening, then the clinician approves eligibility and the plan (the default plan unless
   * overridden): the journey is in induction, session 1 planned.
   */
  throughPlan(options?: {
    intake?: Partial<IntakeAnswers>;
    patient?: Parameters<JourneyDriver['enrolPatient']>[0];
    plan?: Partial<TreatmentPlanInput>;
  }): Promise<{ patient: EnrolledPatient; plan: TreatmentPlanInput }>;
  // patient and clinician actions through links
  submitIntake(link: LinkPage, answers?: Partial<IntakeAnswers>): Promise<PageAnswer>;
  decideEligibility(link: LinkPage, choice: EligibilityChoice, note?: string): Promise<PageAnswer>;
  approvePlan(link: LinkPage, plan?: Partial<TreatmentPlanInput>): Promise<PageAnswer>;
  declinePlan(link: LinkPage, note?: string): Promise<PageAnswer>;
  checkIn(link: LinkPage, answers?: Partial<CheckInAnswers>): Promise<PageAnswer>;
  writeJournal(
    link: LinkPage,
    sideEffects?: Partial<Record<SideEffectSymptom, SideEffectSeverity>>,
    text?: string,
  ): Promise<PageAnswer>;
  submitAssessment(link: LinkPage, answers?: Partial<AssessmentAnswers>): Promise<PageAnswer>;
  requestRefill(
    link: LinkPage,
    options?: { lostOrStolen?: boolean; assessment?: Partial<AssessmentAnswers> },
  ): Promise<PageAnswer>;
  approveRefill(link: LinkPage): Promise<PageAnswer>;
  declineRefill(link: LinkPage, note: string): Promise<PageAnswer>;
  decideFollowUp(link: LinkPage, choice: FollowUpChoice, note?: string): Promise<PageAnswer>;
  decideHold(link: LinkPage, choice: HoldChoice, note?: string): Promise<PageAnswer>;
  decideMissingJournal(link: LinkPage, choice: 'ASK_AGAIN' | 'DISCHARGE', note?: string): Promise<PageAnswer>;
  // the clock and the engine
  advanceTo(date: Date): Promise<Date>;
  advanceBy(seconds: number): Promise<Date>;
  settle(): Promise<void>;
  executions(options?: { stateMachine?: string; namePrefix?: string }): Promise<ExecutionSummary[]>;
  execution(name: string): Promise<ExecutionSummary | undefined>;
  /** the names of the states an execution entered, in order (its history's StateEntered events) */
  statesEntered(executionArn: string): Promise<string[]>;
  defaultPlan(): TreatmentPlanInput;
}

/** The staff API's GET /staff/patients/{id}, as typed as the tests need it. */
export interface JourneyView {
  readonly patient: Record<string, unknown>;
  readonly journey: Record<string, unknown> & { phase?: string; status?: string; onHold?: boolean };
  readonly evaluations: Record<string, unknown>[];
  readonly screenings: (Record<string, unknown> & {
    outcome?: string;
    reasons?: { code: string; message: string }[];
    protocolVersion?: string;
  })[];
  readonly treatmentPlans: Record<string, unknown>[];
  readonly sessions: (Record<string, unknown> & { number?: number; status?: string; plannedStart?: string })[];
  readonly checkIns: Record<string, unknown>[];
  readonly journalEntries: Record<string, unknown>[];
  readonly sideEffectReports: Record<string, unknown>[];
  readonly adverseEvents: Record<string, unknown>[];
  readonly fills: (Record<string, unknown> & { filledAt?: string; cycle?: number })[];
  readonly assessments: Record<string, unknown>[];
  readonly remindersSent: (Record<string, unknown> & { reminderKey?: string })[];
  readonly audit: (Record<string, unknown> & {
    action?: string;
    at?: string;
    reason?: string;
    actor?: { type: string; id: string };
    protocolVersion?: string;
    details?: Record<string, unknown>;
  })[];
}

/** What a test may do at the driver's doors: `beforeSubmit` runs with each open link before its form is sent. */
export interface DriverHooks {
  readonly beforeSubmit?: (link: LinkPage) => Promise<void>;
}

/** The local clinic for the file's tests, and a driver over it. */
export function useJourneyDriver(
  options: Partial<LocalClinicOptions> = {},
  hooks: DriverHooks = {},
): { readonly clinic: LocalClinic; readonly driver: JourneyDriver } {
  const local = useLocalClinic(options);
  let driver: JourneyDriver | undefined;
  return {
    get clinic() {
      return local.clinic;
    },
    get driver() {
      driver ??= createJourneyDriver(local.clinic, hooks);
      return driver;
    },
  };
}

export function createJourneyDriver(clinic: LocalClinic, hooks: DriverHooks = {}): JourneyDriver {
  const sfn = sfnClientFor(clinic);
  const seen = new Map<string, Date>();
  const pageCache = new Map<string, LinkPurpose>();
  const closedPages = new Map<string, LinkPage>();
  // a clinician's link opens only for its signed-in addressee when the clinic asks for sign-in
  const signedIn = clinicianSessions(clinic);

  const observe = async (): Promise<ObservedEmail[]> => {
    const all = await clinic.listEmails();
    const at = clinic.now();
    return all.map((email) => {
      let seenAt = seen.get(email.messageId);
      if (seenAt === undefined) {
        seenAt = at;
        seen.set(email.messageId, seenAt);
      }
      return { ...email, seenAt };
    });
  };

  const settle = async (): Promise<void> => {
    await clinic.settle();
    await observe();
  };

  const staff: JourneyDriver['staff'] = async (method, path, body, headers = {}) => {
    const response = await fetch(`${clinic.urls.app}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { text };
    }
    await settle();
    return { status: response.status, json };
  };

  const openLink = async (url: string): Promise<PageAnswer> => {
    const response = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      headers: (await signedIn.forLink(url)).headers,
    });
    return { status: response.status, html: await response.text() };
  };

  const linkPagesFor = async (address: string): Promise<LinkPage[]> => {
    const emails = (await observe())
      .filter((email) => [...email.to, ...email.cc, ...email.bcc].includes(address))
      .reverse();
    const pages: LinkPage[] = [];
    for (const email of emails) {
      for (const url of linksIn(clinic, email)) {
        // a closed link (used, expired, superseded, stopped) never opens again: no need to ask twice
        const known = closedPages.get(url);
        if (known !== undefined) {
          pages.push({ ...known, email });
          continue;
        }
        const { status, html } = await openLink(url);
        let purpose = purposeIn(html) ?? pageCache.get(url);
        // a view-only page has no form: a patient's is the preparation notes or the consult's page (by its title, in any language), a clinician's a notice
        if (purpose === undefined && status === 200)
          purpose = url.includes('/p/')
            ? Object.values(catalogue).some((m) => html.includes(`<title>${m.titles.consult}</title>`))
              ? 'consult'
              : 'preparation'
            : 'notice';
        if (purpose !== undefined) pageCache.set(url, purpose);
        const page = { url, purpose: purpose ?? ('unknown' as LinkPurpose), status, html, email };
        if (status !== 200) closedPages.set(url, page);
        pages.push(page);
      }
    }
    return pages;
  };

  const submitForm = async (link: LinkPage, fields: readonly (readonly [string, string])[]): Promise<PageAnswer> => {
    const names = fieldNamesIn(link.html);
    const unknown = fields.map(([name]) => name).filter((name) => name !== 'decision' && !names.has(name));
    if (unknown.length > 0)
      throw new Error(
        `the ${link.purpose} page has no field(s) ${unknown.join(', ')}: the driver and the page disagree`,
      );
    await hooks.beforeSubmit?.(link);
    const credentials = await signedIn.forLink(link.url);
    const body = new URLSearchParams([
      ['purpose', link.purpose],
      ...[...fields, ...credentials.fields].map(([n, v]) => [n, v] as [string, string]),
    ]);
    const response = await fetch(link.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...credentials.headers },
      body: body.toString(),
      redirect: 'manual',
    });
    const answer = { status: response.status, html: await response.text() };
    await settle();
    return answer;
  };

  const choice = (link: LinkPage, decision: string, note?: string) =>
    submitForm(link, [['decision', decision], ...(note === undefined ? [] : [['note', note] as const])]);

  const defaultPlan = (): TreatmentPlanInput => {
    const day = 24 * 3600_000;
    // sessions on the clinician's wall clock at 10:00, starting four days from now, a week apart
    const first = atLocalHour(new Date(clinic.now().getTime() + 4 * day), clinic.clinic.defaultTimeZone, 10);
    const times = [0, 1, 2, 3].map((i) => new Date(first.getTime() + i * 7 * day));
    return {
      doseMg: 200,
      sessionCount: 4,
      intervalDays: 7,
      plannedSessionTimes: times,
      adultMonitorRequired: true,
      bloodPressureBeforeEachSession: true,
      monitoringNotes: 'Monitor stays for two hours.',
      followUpAt: new Date((times[3] as Date).getTime() + 7 * day),
      preparationGuidance: 'Eat lightly, rest, and keep the evening free.',
      prescriptionIssuedOn: localDateOf(clinic.now(), clinic.clinic.defaultTimeZone),
      daysOfSupply: 30,
      refillsAllowed: 5,
      maintenanceIntervalDays: 28,
    };
  };

  const driver: JourneyDriver = {
    clinic,
    now: () => clinic.now(),
    staff,

    async enrolPatient(overrides = {}) {
      patientCounter += 1;
      const tag = `${process.pid.toString(36)}${String(patientCounter).padStart(3, '0')}`;
      const details = {
        firstName: overrides.firstName ?? 'Jamie',
        lastName: overrides.lastName ?? `Quixotewright${tag}`,
        dateOfBirth: overrides.dateOfBirth ?? '1988-04-12',
        sexAtBirth: overrides.sexAtBirth ?? 'female',
        timeZone: overrides.timeZone ?? 'America/Chicago',
        email: overrides.email ?? `patient-${tag}@patients.example.net`,
        assignedClinicianId: overrides.assignedClinicianId ?? 'dr-rivera',
        ...(overrides.patientId === undefined ? {} : { patientId: overrides.patientId }),
        ...(overrides.preferredLanguage === undefined ? {} : { preferredLanguage: overrides.preferredLanguage }),
      };
      const answer = await staff('POST', '/staff/patients', details);
      if (answer.status !== 201 && answer.status !== 200)
        throw new Error(`enrolment refused (${answer.status}): ${JSON.stringify(answer.json)}`);
      return {
        patientId: String(answer.json['patientId']),
        journeyId: String(answer.json['journeyId']),
        executionName: String(answer.json['executionName']),
        email: details.email,
        firstName: details.firstName,
        lastName: details.lastName,
        timeZone: details.timeZone,
        assignedClinicianId: details.assignedClinicianId,
      };
    },
    bookConsult: (patientId, at) =>
      staff('POST', `/staff/patients/${patientId}/consult`, { consultAt: at.toISOString() }),
    recordEvaluation: (patientId, evaluation = {}) =>
      staff('POST', `/staff/patients/${patientId}/evaluation`, {
        notes: evaluation.notes ?? 'Video consult held; history reviewed with the patient.',
        modality: evaluation.modality ?? 'telehealth',
      }),
    reportAdverseEvent: (patientId, event) => staff('POST', `/staff/patients/${patientId}/adverse-events`, event),
    recordPdmpCheck: (patientId, checkedAt) =>
      staff('POST', `/staff/patients/${patientId}/pdmp-checks`, {
        checkedAt: (checkedAt ?? clinic.now()).toISOString(),
      }),
    async journeyOf(patientId) {
      const answer = await staff('GET', `/staff/patients/${patientId}`);
      if (answer.status !== 200)
        throw new Error(`GET /staff/patients/${patientId} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
      return answer.json as unknown as JourneyView;
    },

    async emailsTo(address) {
      await observe();
      const mine = await emailsTo(clinic, address);
      return mine.map((email) => ({ ...email, seenAt: seen.get(email.messageId) ?? clinic.now() }));
    },
    async mark() {
      return (await observe()).length;
    },
    async emailsSince(mark) {
      return (await observe()).slice(mark);
    },
    async latestLinkFor(address, purpose, options = {}) {
      const pages = await linkPagesFor(address);
      const found = pages.find(
        (page) =>
          page.status === 200 &&
          (purpose === undefined || page.purpose === purpose) &&
          (options.mentioning === undefined || page.html.includes(options.mentioning)),
      );
      if (found === undefined) {
        const summary = pages.map((p) => `${p.purpose}:${p.status}`).join(', ') || 'no links';
        throw new Error(`no open ${purpose ?? ''} link for ${address} at ${clinic.now().toISOString()} (${summary})`);
      }
      return found;
    },
    async awaitLink(address, purpose, { withinSeconds, stepSeconds = 3600, mentioning }) {
      const until = clinic.now().getTime() + withinSeconds * 1000;
      for (;;) {
        const found = (await linkPagesFor(address)).find(
          (page) =>
            page.status === 200 &&
            page.purpose === purpose &&
            (mentioning === undefined || page.html.includes(mentioning)),
        );
        if (found !== undefined) return found;
        if (clinic.now().getTime() >= until)
          throw new Error(`no open ${purpose} link reached ${address} by ${new Date(until).toISOString()}`);
        await driver.advanceTo(new Date(Math.min(until, clinic.now().getTime() + stepSeconds * 1000)));
      }
    },
    linkPagesFor,
    openLink,
    submitForm,

    async throughScreening(options = {}) {
      const patient = await driver.enrolPatient(options.patient);
      const intake = await driver.submitIntake(await driver.latestLinkFor(patient.email, 'intake'), options.intake);
      if (intake.status !== 200) throw new Error(`the intake was refused (${intake.status})`);
      const consultAt = new Date(clinic.now().getTime() + 26 * 3600_000);
      const booked = await driver.bookConsult(patient.patientId, consultAt);
      if (booked.status !== 200)
        throw new Error(`the consult was not booked (${booked.status}): ${JSON.stringify(booked.json)}`);
      await driver.advanceTo(new Date(consultAt.getTime() + 3600_000));
      const evaluated = await driver.recordEvaluation(patient.patientId);
      if (evaluated.status !== 200)
        throw new Error(`the evaluation was not recorded (${evaluated.status}): ${JSON.stringify(evaluated.json)}`);
      return patient;
    },

    async throughPlan(options = {}) {
      const patient = await driver.throughScreening(options);
      const clinician = clinic.clinic.clinicians.find((c) => c.id === patient.assignedClinicianId)?.email ?? '';
      const mentioning = { mentioning: patient.lastName };
      const eligibility = await driver.decideEligibility(
        await driver.latestLinkFor(clinician, 'eligibility', mentioning),
        'approve',
      );
      if (eligibility.status !== 200) throw new Error(`eligibility was not approved (${eligibility.status})`);
      const plan = { ...defaultPlan(), ...options.plan };
      // plan approval needs a recent PDMP check (protocol prescribing.pdmpCheckWithinDays)
      const pdmp = await driver.recordPdmpCheck(patient.patientId);
      if (pdmp.status !== 200) throw new Error(`the PDMP check was not recorded (${pdmp.status})`);
      const approved = await driver.approvePlan(
        await driver.latestLinkFor(clinician, 'treatment-plan', mentioning),
        plan,
      );
      if (approved.status !== 200) throw new Error(`the plan was not approved (${approved.status}): ${approved.html}`);
      return { patient, plan };
    },

    submitIntake(link, overrides = {}) {
      const a = { ...eligibleIntake, ...overrides };
      const fields: [string, string][] = [
        ...a.gad7.map((v, i) => [`gad7.items[${i}]`, String(v)] as [string, string]),
        ...a.phq9.map((v, i) => [`phq9.items[${i}]`, String(v)] as [string, string]),
        ...Object.entries(a.cssrs)
          .filter(([name]) => name !== 'behaviourLastOn')
          .map(([name, v]) => [`cssrs.${name}`, yesNo(v as boolean)] as [string, string]),
        ['cssrs.behaviourLastOn', a.cssrs.behaviourLastOn ?? ''],
        ...a.auditC.map((v, i) => [`auditC.items[${i}]`, String(v)] as [string, string]),
        ...a.dast10.map((v, i) => [`dast10.answers[${i}]`, yesNo(v)] as [string, string]),
        ...a.conditions.map((c) => ['medicalHistory.conditions', c] as [string, string]),
        ...a.priorTreatments.flatMap(
          (t, i) =>
            [
              [`medicalHistory.priorTreatments[${i}].name`, t.name],
              [`medicalHistory.priorTreatments[${i}].kind`, t.kind],
            ] as [string, string][],
        ),
        ['medicalHistory.maniaOrHypomania', yesNo(a.maniaOrHypomania)],
        ['pregnancy', a.pregnancy],
        ...a.medications.map((name, i) => [`currentMedications.medications[${i}].name`, name] as [string, string]),
        ['vitals.weightKg', String(a.weightKg)],
        ...a.restingBp.flatMap(
          (bp, i) =>
            [
              [`vitals.restingBp[${i}].systolic`, String(bp.systolic)],
              [`vitals.restingBp[${i}].diastolic`, String(bp.diastolic)],
            ] as [string, string][],
        ),
      ];
      return submitForm(link, fields);
    },

    decideEligibility(link, decision, note) {
      const fields: [string, string][] = [['decision', decision === 'decline' ? 'DECLINED' : 'APPROVED']];
      if (typeof decision === 'object') fields.push(['overrideReason', decision.override]);
      if (note !== undefined) fields.push(['note', note]);
      return submitForm(link, fields);
    },

    approvePlan(link, overrides = {}) {
      const plan = { ...defaultPlan(), ...overrides };
      // the page asks for the sessions in the patient's zone and names it in the label
      const zone = /Session 1 start \(([^)]+)\)/.exec(link.html)?.[1];
      if (zone === undefined) throw new Error('the treatment-plan page names no time zone for the sessions');
      const fields: [string, string][] = [
        ['decision', 'APPROVED'],
        ['plan.doseMg', String(plan.doseMg)],
        ['plan.route', 'sublingual'],
        ['plan.sessionCount', String(plan.sessionCount)],
        ['plan.sessionCountReason', plan.sessionCountReason ?? ''],
        ['plan.intervalDays', String(plan.intervalDays)],
        ...plan.plannedSessionTimes.map(
          (t, i) => [`plan.plannedSessionTimes[${i}]`, localInputOf(t, zone)] as [string, string],
        ),
        ['plan.monitoring.adultMonitorRequired', yesNo(plan.adultMonitorRequired)],
        ['plan.monitoring.bloodPressureBeforeEachSession', yesNo(plan.bloodPressureBeforeEachSession)],
        ['plan.monitoring.notes', plan.monitoringNotes],
        ['plan.followUpAt', localInputOf(plan.followUpAt, zone)],
        ['plan.preparationGuidance', plan.preparationGuidance],
        ['plan.prescriptionIssuedOn', plan.prescriptionIssuedOn],
        ['plan.daysOfSupply', String(plan.daysOfSupply)],
        ['plan.refillsAllowed', String(plan.refillsAllowed)],
        ['plan.maintenanceIntervalDays', String(plan.maintenanceIntervalDays)],
      ];
      return submitForm(link, fields);
    },
    declinePlan: (link, note) => choice(link, 'DECLINED', note),

    checkIn(link, overrides = {}) {
      const a = { ...clearCheckIn, ...overrides };
      const fields: [string, string][] = [
        ['monitorPresent', yesNo(a.monitorPresent)],
        ['fastingHours', String(a.fastingHours)],
        [
          'lastAlcoholOrCannabisHoursAgo',
          a.lastAlcoholOrCannabisHoursAgo === null ? '' : String(a.lastAlcoholOrCannabisHoursAgo),
        ],
        [
          'lastBenzodiazepineHoursAgo',
          a.lastBenzodiazepineHoursAgo === null ? '' : String(a.lastBenzodiazepineHoursAgo),
        ],
        ['stimulantOrOpioidToday', yesNo(a.stimulantOrOpioidToday)],
        ['heldMedicationsConfirmed', yesNo(a.heldMedicationsConfirmed)],
        ...a.bpReadings.flatMap(
          (bp, i) =>
            [
              [`bpReadings[${i}].systolic`, String(bp.systolic)],
              [`bpReadings[${i}].diastolic`, String(bp.diastolic)],
            ] as [string, string][],
        ),
        ...a.redFlagSymptoms.map((s) => ['redFlagSymptoms', s] as [string, string]),
        ['noDrivingAcknowledged', yesNo(a.noDrivingAcknowledged)],
        ...(a.bpRecheck === undefined
          ? []
          : ([
              ['bpRecheck.systolic', String(a.bpRecheck.systolic)],
              ['bpRecheck.diastolic', String(a.bpRecheck.diastolic)],
            ] as [string, string][])),
      ];
      // the page asks about pregnancy only of patients who can become pregnant; the default answer is no
      if (fieldNamesIn(link.html).has('pregnantPlannedOrBreastfeeding'))
        fields.push(['pregnantPlannedOrBreastfeeding', yesNo(a.pregnantPlannedOrBreastfeeding ?? false)]);
      return submitForm(link, fields);
    },

    writeJournal(link, sideEffects = {}, text = 'Calm session; my monitor stayed with me. Slept well afterwards.') {
      // the page's quick path when nothing is reported: "Any side effects?" No, and nothing else
      const any = sideEffectSymptoms.some((symptom) => (sideEffects[symptom] ?? 'none') !== 'none');
      const fields: [string, string][] = [
        ['journal.text', text],
        ['journal.mood', '7'],
        ['sideEffects.any', any ? 'yes' : 'no'],
        ...(any
          ? sideEffectSymptoms.map(
              (symptom) => [`sideEffects.${symptom}`, sideEffects[symptom] ?? 'none'] as [string, string],
            )
          : []),
        ...(any ? [['sideEffects.freeText', ''] as [string, string]] : []),
      ];
      return submitForm(link, fields);
    },

    submitAssessment(link, overrides = {}) {
      return submitForm(link, assessmentFields({ ...improvedAssessment, ...overrides }, ''));
    },

    requestRefill(link, options = {}) {
      return submitForm(link, [
        ...assessmentFields({ ...improvedAssessment, ...options.assessment }, 'assessment.'),
        ['lostOrStolenReplacement', yesNo(options.lostOrStolen ?? false)],
      ]);
    },
    approveRefill: (link) => choice(link, 'APPROVED'),
    declineRefill: (link, note) => choice(link, 'DECLINED', note),
    decideFollowUp: (link, decision, note) => choice(link, decision, note),
    decideHold: (link, decision, note) =>
      choice(
        link,
        decision,
        note ?? (decision === 'RESUME' ? 'Reviewed with the patient by phone; safe to continue.' : undefined),
      ),
    decideMissingJournal: (link, decision, note) => choice(link, decision, note),

    async advanceTo(date) {
      if (date.getTime() <= clinic.now().getTime()) return clinic.now();
      const at = await clinic.advanceClock({ to: date });
      await settle();
      return at;
    },
    async advanceBy(seconds) {
      const at = await clinic.advanceClock({ advanceSeconds: seconds });
      await settle();
      return at;
    },
    settle,

    async executions(options = {}) {
      const found: ExecutionSummary[] = [];
      for (const machine of clinic.stateMachines) {
        if (options.stateMachine !== undefined && machine.id !== options.stateMachine) continue;
        let nextToken: string | undefined;
        do {
          const page = await sfn.send(
            new ListExecutionsCommand({
              stateMachineArn: machine.arn,
              ...(nextToken === undefined ? {} : { nextToken }),
            }),
          );
          for (const item of page.executions ?? []) {
            if (options.namePrefix !== undefined && !(item.name ?? '').startsWith(options.namePrefix)) continue;
            const described = await sfn.send(new DescribeExecutionCommand({ executionArn: item.executionArn }));
            found.push(summary(machine.id, described));
          }
          nextToken = page.nextToken;
        } while (nextToken !== undefined);
      }
      return found;
    },
    async execution(name) {
      return (await driver.executions()).find((e) => e.name === name);
    },
    async statesEntered(executionArn) {
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn, ...(nextToken === undefined ? {} : { nextToken }) }),
        );
        for (const event of page.events ?? [])
          if (event.stateEnteredEventDetails?.name !== undefined) names.push(event.stateEnteredEventDetails.name);
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return names;
    },
    defaultPlan,
  };
  return driver;
}

// ------------------------------------------------------------------ small pieces

function summary(stateMachine: string, described: DescribeExecutionCommandOutput): ExecutionSummary {
  let output: unknown;
  try {
    output = described.output === undefined ? undefined : JSON.parse(described.output);
  } catch {
    output = described.output;
  }
  return {
    name: described.name ?? '',
    executionArn: described.executionArn ?? '',
    stateMachine,
    status: described.status,
    startDate: described.startDate,
    stopDate: described.stopDate,
    output,
    error: described.error,
    cause: described.cause,
  };
}

function assessmentFields(a: AssessmentAnswers, prefix: string): [string, string][] {
  return [
    ...a.gad7.map((v, i) => [`${prefix}gad7.items[${i}]`, String(v)] as [string, string]),
    ...a.phq9.map((v, i) => [`${prefix}phq9.items[${i}]`, String(v)] as [string, string]),
    ...Object.entries(a.bladderCheck).map(
      ([name, v]) => [`${prefix}bladderCheck.${name}`, yesNo(v as boolean)] as [string, string],
    ),
  ];
}

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The value of the form's hidden `purpose` field. */
export function purposeIn(html: string): LinkPurpose | undefined {
  const match = /<input type="hidden" name="purpose" value="([^"]*)"/.exec(html);
  return match === null ? undefined : (decodeEntities(match[1] as string) as LinkPurpose);
}

/** Every field name the page's form offers (inputs, selects, textareas, buttons). */
export function fieldNamesIn(html: string): Set<string> {
  const names = new Set<string>();
  for (const match of html.matchAll(/<(?:input|select|textarea|button)\b[^>]*\bname="([^"]*)"/g))
    names.add(decodeEntities(match[1] as string));
  return names;
}

/** A `datetime-local` value for an instant on the wall clock of a zone. */
export function localInputOf(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${l.year}-${two(l.month)}-${two(l.day)}T${two(l.hour)}:${two(l.minute)}`;
}

export function localDateOf(instant: Date, timeZone: string): string {
  return localInputOf(instant, timeZone).slice(0, 10);
}

/** The same calendar day as `instant` in the zone, at hour:00 local. */
export function atLocalHour(instant: Date, timeZone: string, hour: number): Date {
  return fromLocal({ ...toLocal(instant, timeZone), hour, minute: 0 }, timeZone);
}
