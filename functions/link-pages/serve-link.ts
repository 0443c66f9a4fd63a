import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { placeOnHold } from '../journey/holds/clinical-hold.ts';
import { sendAnswerAlert } from '../journey/holds/alert-called-for.ts';
import { calledForAdverseEventId } from '../journey/holds/hold-called-for.ts';
import { functionContext } from '../platform/function-context.ts';
import { loadPatientContext } from '../patient/patient-context.ts';
import type { LinkPersonKind } from '../domain/schemas/link.ts';
import type { AnswerAlert, AnswerContext, AnswerResult } from '../links/answers/answer.ts';
import { decideStep } from '../links/decide-step.ts';
import { hashLinkToken, isWellFormedLinkToken } from '../links/link-token.ts';
import { withinPostRate } from '../links/rate-limit.ts';
import { effectiveLinkState, readLink, readStep, type LinkItem, type StepItem } from '../links/step-store.ts';
import { isFormContentType, parseFormBody } from '../pages/form-body.ts';
import { emptyFormIn, formWithErrors, valueOf } from '../pages/form-fields.ts';
import { formatInZone } from '../pages/format-time.ts';
import { page } from '../pages/layout.ts';
import { titleOf, type AudiencePages, type PageView, type PurposePage } from '../pages/page-view.ts';
import { languageOf, messagesFor } from '../pages/message-catalogue.ts';
import type { Messages } from '../pages/messages-en.ts';
import { preferredLanguages, type PreferredLanguage } from '../domain/schemas/patient.ts';
import * as status from '../pages/status-pages.ts';
import { now } from '../platform/clock.ts';
import { logger } from '../platform/logger.ts';
import type { AuditActor } from '../store/audited-change.ts';
import { getItem } from '../store/read-items.ts';
import { keys } from '../store/table-design.ts';
import { calendarFile } from '../pages/calendar-file.ts';
import { calendarResponse, htmlResponse, statusResponse } from './responses.ts';
import { actingPerson } from './acting-person.ts';

export type LinkServer = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Serves one audience's links (`/p/{token}` for patients, `/c/{token}` for clinicians) with that
 * audience's pages. `GET` renders and writes nothing. `POST` validates the form, applies the purpose's
 * rule and decides the step with one conditional write; only the first POST of a step wins. A link of the
 * other audience is not found here, before anything is written. Logs carry the purpose and the outcome,
 * never the token, the answers or a name.
 */
export function linkServer(audience: LinkPersonKind, pages: AudiencePages): LinkServer {
  return (event) => serveLink(event, audience, pages);
}

async function serveLink(
  event: APIGatewayProxyEventV2,
  audience: LinkPersonKind,
  pages: AudiencePages,
): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') return statusResponse(status.methodNotAllowedPage());
  const token = event.pathParameters?.['token'] ?? '';
  // a malformed token never reaches the store
  if (!isWellFormedLinkToken(token)) return outcome('malformed', statusResponse(status.notFoundPage()));

  const { client, tableName } = functionContext();
  const tokenHash = hashLinkToken(token);
  const link = await readLink(client, tableName, tokenHash);
  if (link === undefined) return outcome('unknown', statusResponse(status.notFoundPage()));
  const purposePage = link.person.kind === audience ? pages[link.purpose] : undefined;
  if (purposePage === undefined) return outcome('other-audience', statusResponse(status.notFoundPage()), link);
  // the reader's zone and language (a patient's from their profile), read once and only when a page needs them
  let reading: Promise<Reader> | undefined;
  const reader = (): Promise<Reader> => (reading ??= readerOf(link));
  const words = async (): Promise<Messages> => messagesFor((await reader()).language);
  // only what an HTML form sends is read: another body type (text/plain, JSON) is refused before anything is written
  if (method === 'POST' && !isFormContentType(headerOf(event, 'content-type')))
    return outcome('unsupported-media-type', statusResponse(status.unsupportedMediaTypePage(await words())), link);
  const at = now();
  if (method === 'POST' && !(await withinPostRate(client, tableName, tokenHash, at)))
    return outcome('rate-limited', statusResponse(status.tooManyRequestsPage(await words())), link);

  const step = await readStep(client, tableName, link);
  const closed = await closedPage(link, step, at, reader);
  if (closed !== undefined || step === undefined)
    return outcome('closed', statusResponse(closed ?? status.notFoundPage(await words())), link);

  const view = await pageView(link, step, at);
  const m = messagesFor(view.language);
  if (method === 'GET' && wantsCalendar(event)) {
    const appointment = purposePage.calendar?.(view);
    return appointment === undefined
      ? outcome('no-calendar', statusResponse(status.notFoundPage(m)), link)
      : outcome('calendar', calendarResponse(calendarFile(appointment)), link);
  }
  if (method === 'GET')
    return outcome(
      'rendered',
      htmlResponse(200, shownPage(purposePage, view, purposePage.render(view, emptyFormIn(view.language)))),
      link,
    );

  if (purposePage.rule === undefined) return outcome('view-only', statusResponse(status.viewOnlyPage(m)), link);
  const body = parseFormBody(bodyOf(event));
  const values = body.values;
  if (valueOf(values, 'purpose') !== link.purpose)
    return outcome('wrong-purpose', statusResponse(status.wrongPurposePage(m)), link);
  if (!body.ok) {
    // the form comes back with the answers as read, the unreadable one named, and nothing recorded
    const unreadable = {
      field: body.field,
      message: `${body.field}: ${body.field === '(form)' ? 'the form contains' : 'contains'} characters that could not be read. Nothing was saved: please check this answer and send the form again`,
    };
    return outcome(
      'invalid-encoding',
      htmlResponse(
        400,
        shownPage(purposePage, view, purposePage.render(view, formWithErrors(values, [unreadable], view.language))),
      ),
      link,
    );
  }

  // the addressee, or the backup a sign-in layer verified: the decision names who made it
  const person = actingPerson(event, link.person);
  const actor: AuditActor = { type: person.kind, id: person.id };
  const context: AnswerContext = { step, patient: view.patient, protocol: view.protocol, now: at, actor };
  const judged: AnswerResult = purposePage.rule(purposePage.answerFrom(values, view), context);
  if (!judged.ok) {
    // The rule judged the patient's record as it was read, after the step: a concurrent POST that won may
    // have changed that record (a check-in moves its session on), so this POST lost the race and gets the
    // same page as any later one, not a refusal caused by the winner's own write.
    const decidedMeanwhile = await closedPage(link, await readStep(client, tableName, link), at, reader);
    if (decidedMeanwhile !== undefined) return outcome('lost-race', statusResponse(decidedMeanwhile), link);
    return outcome(
      'invalid-form',
      htmlResponse(
        400,
        shownPage(purposePage, view, purposePage.render(view, formWithErrors(values, judged.errors, view.language))),
      ),
      link,
    );
  }

  // the hold the answer calls for is recorded with the decision, and the workflow is told, so it can make
  // sure of the hold itself should placing it below fail (functions/journey/holds/hold-called-for.ts)
  const hold =
    judged.hold === undefined
      ? undefined
      : {
          kind: judged.hold.kind,
          reportedBy: link.person.kind === 'patient' ? ('patient' as const) : ('system' as const),
          description: judged.hold.description,
        };
  const alert = judged.alert;
  const output = {
    decision: judged.decision,
    ...judged.output,
    ...(hold === undefined ? {} : { holdCalledFor: true }),
    ...(alert === undefined ? {} : { alertCalledFor: true }),
  };
  const result = await decideStep(client, tableName, step, {
    decision: {
      decision: judged.decision,
      details: judged.details,
      decidedBy: { kind: person.kind, id: person.id },
      decidedAt: at.toISOString(),
      via: 'link',
      ...(hold === undefined ? {} : { hold }),
      ...(alert === undefined ? {} : { alert }),
    },
    output,
    writes: judged.writes,
    actor,
    protocolVersion: judged.protocolVersion ?? view.protocol.version,
    reason: judged.reason,
  });
  if (result.outcome !== 'decided')
    return outcome(
      'lost-race',
      statusResponse((await closedPage(link, result.step, at, reader)) ?? status.stoppedPage(m)),
      link,
    );

  if (alert !== undefined) await alertAfterAnswer(step, view.patient.patient.assignedClinicianId, alert, actor);
  if (hold !== undefined) {
    try {
      await placeOnHold({
        patientId: step.patientId,
        reason: hold.description,
        adverseEvent: hold,
        actor,
        adverseEventId: calledForAdverseEventId(step.stepKey),
      });
    } catch (error) {
      // The patient must still read the advice; the decision reached the workflow, which places the hold itself.
      logger.error('clinical hold after a link decision failed', {
        purpose: link.purpose,
        errorName: (error as Error).name,
      });
    }
  }
  return outcome(
    'decided',
    htmlResponse(200, shownPage(purposePage, view, purposePage.done(view, judged.decision, output, judged.pageOnly))),
    link,
  );
}

/** The page in the reader's language: its title, its body and its `lang`. */
function shownPage(purposePage: PurposePage, view: PageView, body: Parameters<typeof page>[1]): string {
  return page(titleOf(purposePage, view.language), body, messagesFor(view.language).htmlLang);
}

/**
 * Tells the clinician what the answers call for (a positive PHQ-9 item 9, a rising score, new urinary
 * symptoms, a blood pressure still at crisis level), through the same door as every clinician alert
 * (functions/journey/holds/alert-called-for.ts: the workflow sends the same alert should this fail). After the
 * decision, so nothing is alerted for an answer that was not recorded; a failure is logged and the
 * patient still reads their page (with its crisis resources).
 */
async function alertAfterAnswer(
  step: StepItem,
  clinicianId: string,
  alert: AnswerAlert,
  actor: AuditActor,
): Promise<void> {
  try {
    await sendAnswerAlert({ step, clinicianId, alert, actor });
  } catch (error) {
    logger.error('clinician alert after a link answer failed', {
      purpose: step.purpose,
      urgency: alert.urgency,
      errorName: (error as Error).name,
    });
  }
}

function outcome(
  what: string,
  response: APIGatewayProxyStructuredResultV2,
  link?: LinkItem,
): APIGatewayProxyStructuredResultV2 {
  logger.info('link page', { outcome: what, purpose: link?.purpose, statusCode: response.statusCode });
  return response;
}

/** The body as sent: bytes when base64-encoded, so invalid UTF-8 is found rather than replaced here. */
function bodyOf(event: APIGatewayProxyEventV2): string | Uint8Array {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
}

/** `?calendar`: the page's appointment as an .ics file instead of the page. */
function wantsCalendar(event: APIGatewayProxyEventV2): boolean {
  return event.rawQueryString === 'calendar' || event.queryStringParameters?.['calendar'] !== undefined;
}

/** API Gateway (format 2.0) lowercases header names; a hand-made event may not. */
function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** The page of a link that cannot be acted on, or undefined when it is open. */
async function closedPage(
  link: LinkItem,
  step: StepItem | undefined,
  at: Date,
  reader: () => Promise<Reader>,
): Promise<status.StatusPage | undefined> {
  const state = effectiveLinkState(link, step, at);
  if (state === 'open') return undefined;
  const { timeZone, language } = await reader();
  const m = messagesFor(language);
  switch (state) {
    case 'gone':
      return status.notFoundPage(m);
    case 'superseded':
      return status.supersededPage(m);
    case 'expired':
      return status.expiredPage(m);
    case 'cancelled':
      return status.stoppedPage(m);
    case 'decided': {
      const decision = step?.decision;
      if (decision === undefined) return status.alreadyDecidedPage(m.status.someone, m.status.anEarlierTime, m);
      return status.alreadyDecidedPage(
        whoDecided(link, decision.decidedBy, m),
        formatInZone(decision.decidedAt, timeZone, m.dateLocale),
        m,
      );
    }
  }
}

/** Whom a page speaks to: the zone they read times in and their language. */
interface Reader {
  readonly timeZone: string;
  readonly language: PreferredLanguage;
}

/** A patient's zone and language from their profile; the clinic's zone and English for clinicians. */
async function readerOf(link: LinkItem): Promise<Reader> {
  const { client, tableName, clinic } = functionContext();
  if (link.person.kind !== 'patient') return { timeZone: clinic.defaultTimeZone, language: 'en' };
  const profile = await getItem(client, tableName, keys.profile(link.patientId));
  return {
    timeZone: typeof profile?.timeZone === 'string' ? profile.timeZone : clinic.defaultTimeZone,
    language: preferredLanguages.find((language) => language === profile?.preferredLanguage) ?? 'en',
  };
}

function whoDecided(link: LinkItem, by: { kind: string; id: string }, m: Messages): string {
  if (by.kind === link.person.kind && by.id === link.person.id) return m.status.you;
  if (by.kind === 'clinician')
    return functionContext().clinic.clinicians.find((c) => c.id === by.id)?.name ?? m.status.aClinician;
  if (by.kind === 'staff') return m.status.clinicStaff;
  return m.status.thePatient;
}

/**
 * Pages whose rule reads the intake: follow-up compares with it; the plan checks the dose against the
 * weight; the check-in asks about pregnancy only of those who can become pregnant; later questionnaires
 * measure change from it when there is no earlier assessment.
 */
const purposesReadingIntake = new Set<string>([
  'follow-up-decision',
  'treatment-plan',
  'check-in',
  'assessment',
  'refill-request',
]);

async function pageView(link: LinkItem, step: StepItem, at: Date): Promise<PageView> {
  const { clinic, protocol } = functionContext();
  const patient = await loadPatientContext(link.patientId, { withIntake: purposesReadingIntake.has(link.purpose) });
  const forPatient = link.person.kind === 'patient';
  return {
    link,
    step,
    patient,
    protocol,
    clinic,
    now: at,
    timeZone: forPatient ? patient.patient.timeZone : clinic.defaultTimeZone,
    language: forPatient ? languageOf(patient.patient) : 'en',
  };
}
