import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  adverseEventKinds,
  evaluationModalities,
  freeText,
  id,
  instant,
  patientSchema,
  shortText,
} from '../domain/schemas/index.ts';
import { ValidationFailed } from '../domain/domain-errors.ts';
import { clinicianById } from '../patient/care-team.ts';
import { placeOnHold } from '../journey/holds/clinical-hold.ts';
import { enrolPatient } from '../journey/steps/enrol-patient.ts';
import { functionContext } from '../platform/function-context.ts';
import { PatientNotFound, UnknownClinician } from '../patient/journey-errors.ts';
import { updateJourney } from '../journey/steps/update-journey.ts';
import { consultBookingSchema } from '../links/answers/consult-answers.ts';
import { completeStepByStaff } from '../links/pending-steps.ts';
import { now } from '../platform/clock.ts';
import { commitChange } from '../store/audited-change.ts';
import { getItem } from '../store/read-items.ts';
import { AlreadyExists } from '../store/store-errors.ts';
import { readJourney } from '../store/read-journey.ts';
import { keys } from '../store/table-design.ts';
import { localDate } from '../domain/local-time.ts';
import { dateOfBirthProblems } from './date-of-birth.ts';
import { json, problem } from './http-answers.ts';
import { adverseEventKindLabels } from '../pages/clinician-labels.ts';
import { idempotencyKeyOf, parseBody, staffActor } from './staff-request.ts';
import { restartRefillCycle } from './restart-refill-cycle.ts';
import { startJourneyExecution } from './start-journey-execution.ts';
import { journeyView } from './journey-view.ts';

/**
 * The staff API's route table, the one place that says which request does what. Paths are matched on
 * `/staff/...` segments; `{id}` is a patient id.
 */
type Route = (event: APIGatewayProxyEventV2, params: { id: string }) => Promise<APIGatewayProxyStructuredResultV2>;

export const routes: readonly { readonly method: string; readonly path: string; readonly run: Route }[] = [
  { method: 'POST', path: '/staff/patients', run: enrol },
  { method: 'GET', path: '/staff/patients/{id}', run: readPatient },
  { method: 'POST', path: '/staff/patients/{id}/consult', run: bookConsult },
  { method: 'POST', path: '/staff/patients/{id}/evaluation', run: recordEvaluation },
  { method: 'POST', path: '/staff/patients/{id}/clinician-check-ins', run: recordClinicianCheckIn },
  { method: 'POST', path: '/staff/patients/{id}/adverse-events', run: reportAdverseEvent },
  { method: 'POST', path: '/staff/patients/{id}/pdmp-checks', run: recordPdmpCheck },
  { method: 'POST', path: '/staff/patients/{id}/refill-cycles', run: restartRefills },
];

const enrolBody = z.extend(z.omit(patientSchema, { id: true }), { patientId: z.optional(id) });

async function enrol(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const actor = staffActor(event);
  const idempotencyKey = idempotencyKeyOf(event);
  const { patientId, ...body } = parseBody(event, enrolBody);
  // recorded even when not given, so the profile always says which language the patient reads
  const details = { ...body, preferredLanguage: body.preferredLanguage ?? 'en' };
  const birthProblems = dateOfBirthProblems(
    details.dateOfBirth,
    localDate(now(), details.timeZone),
    functionContext().protocol,
  );
  if (birthProblems.length > 0) throw new ValidationFailed(birthProblems, 'request body');
  try {
    clinicianById(functionContext().clinic, details.assignedClinicianId);
  } catch (error) {
    if (!(error instanceof UnknownClinician)) throw error;
    throw new ValidationFailed([
      {
        field: 'assignedClinicianId',
        message: `assignedClinicianId: expected a clinician of this clinic, not "${details.assignedClinicianId}"`,
      },
    ]);
  }
  const enrolment = await enrolPatient({
    details,
    actor,
    ...(patientId === undefined ? {} : { patientId }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });
  // started on every call: a first call that stored the enrolment but failed to start is finished by its retry
  const { executionName } = await startJourneyExecution(enrolment.patientId, enrolment.journeyId);
  return json(enrolment.created ? 201 : 200, {
    patientId: enrolment.patientId,
    journeyId: enrolment.journeyId,
    executionName,
  });
}

async function readPatient(
  _event: APIGatewayProxyEventV2,
  { id: patientId }: { id: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const { client, tableName } = functionContext();
  const record = await readJourney(client, tableName, patientId);
  if (record.profile === undefined || record.journey === undefined) throw new PatientNotFound(patientId);
  return json(200, journeyView(record));
}

async function bookConsult(
  event: APIGatewayProxyEventV2,
  { id: patientId }: { id: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const actor = staffActor(event);
  const body = parseBody(event, consultBookingSchema);
  await mustExist(patientId);
  return stepAnswer(
    await completeStepByStaff({ patientId, purpose: 'consult-booking', decision: 'BOOKED', details: body, actor }),
    'consult booking',
  );
}

async function recordEvaluation(
  event: APIGatewayProxyEventV2,
  { id: patientId }: { id: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const actor = staffActor(event);
  const body = parseBody(
    event,
    z.strictObject({
      notes: freeText(10_000),
      modality: z.enum(evaluationModalities, { error: `expected one of ${evaluationModalities.join(', ')}` }),
    }),
  );
  await mustExist(patientId);
  return stepAnswer(
    await completeStepByStaff({
      patientId,
      purpose: 'consult-evaluation',
      decision: 'EVALUATED',
      details: body,
      actor,
    }),
    'consult evaluation',
  );
}

const clinicianCheckInBody = z.strictObject({
  notes: freeText(10_000),
  modality: z.enum(evaluationModalities, { error: `expected one of ${evaluationModalities.join(', ')}` }),
  clinicianId: z.optional(id),
});

/**
 * A clinician's check-in with the patient outside the consult (a maintenance review, an in-person visit):
 * stored as an EVALUATION, which the refill gate counts as contact (more than 90 days without a session
 * needs one) and as the in-person evaluation telehealth prescribing requires after its cut-off. Without
 * this door neither rule could ever be met once induction is over. Idempotent by Idempotency-Key.
 */
async function recordClinicianCheckIn(
  event: APIGatewayProxyEventV2,
  { id: patientId }: { id: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const actor = staffActor(event);
  const idempotencyKey = idempotencyKeyOf(event);
  const body = parseBody(event, clinicianCheckInBody);
  const { client, tableName, clinic } = functionContext();
  const journey = await getItem(client, tableName, keys.journey(patientId));
  const profile = await getItem(client, tableName, keys.profile(patientId));
  if (journey === undefined || profile === undefined) throw new PatientNotFound(patientId);
  if (journey['status'] === 'closed') return problem(409, 'the journey is closed: no check-in can be recorded');
  const clinicianId = body.clinicianId ?? String(profile['assignedClinicianId']);
  try {
    clinicianById(clinic, clinicianId);
  } catch (error) {
    if (!(error instanceof UnknownClinician)) throw error;
    throw new ValidationFailed([
      { field: 'clinicianId', message: `clinicianId: expected a clinician of this clinic, not "${clinicianId}"` },
    ]);
  }
  const at = now().toISOString();
  const evaluationId = `check-in-${idempotencyKey ?? at.replace(/[^0-9]/g, '')}`;
  const evaluation = {
    id: evaluationId,
    patientId,
    journeyId: String(journey['id']),
    clinicianId,
    notes: body.notes,
    modality: body.modality,
    evaluatedAt: at,
  };
  try {
    await commitChange(client, tableName, {
      writes: [
        {
          kind: 'create',
          key: keys.evaluation(patientId, evaluationId),
          label: 'evaluation',
          itemType: 'EVALUATION',
          attributes: evaluation,
        },
      ],
      audit: {
        patientId,
        actor,
        action: 'evaluation.clinician-check-in',
        reason: `clinician check-in (${body.modality}) recorded by ${clinicianId}`,
        details: { evaluationId, modality: body.modality, clinicianId },
      },
    });
  } catch (error) {
    if (error instanceof AlreadyExists && idempotencyKey !== undefined)
      return json(200, { patientId, evaluationId, created: false });
    throw error;
  }
  return json(201, { patientId, evaluationId, created: true });
}

async function reportAdverseEvent(
  event: APIGatewayProxyEventV2,
  { id: patientId }: { id: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const actor = staffActor(event);
  const idempotencyKey = idempotencyKeyOf(event);
  const body = parseBody(
    event,
    z.strictObject({
      kind: z.enum(adverseEventKinds, { error: `expected one of ${adverseEventKinds.join(', ')}` }),
      description: shortText(5_000),
    }),
  );
  await mustExist(patientId);
  const result = await placeOnHold({
    patientId,
    reason: `adverse event reported by the clinic: ${adverseEventKindLabels[body.kind].toLowerCase()}`,
    adverseEvent: { kind: body.kind, reportedBy: 'staff', description: body.description },
    actor,
    ...(idempotencyKey === undefined ? {} : { adverseEventId: `staff-${idempotencyKey}` }),
  });
  return json(201, result);
}

async function recordPdmpCheck(
  event: APIGatewayProxyEventV2,
  { id: patientId }: { id: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const actor = staffActor(event);
  const { checkedAt } = parseBody(event, z.strictObject({ checkedAt: instant }));
  if (Date.parse(checkedAt) > now().getTime())
    throw new ValidationFailed([
      { field: 'checkedAt', message: 'checkedAt: expected a time that is not in the future' },
    ]);
  await mustExist(patientId);
  const { changed } = await updateJourney(patientId, ({ journey }) =>
    journey.pdmpCheckedAt !== null && Date.parse(journey.pdmpCheckedAt) >= Date.parse(checkedAt)
      ? undefined
      : {
          set: { pdmpCheckedAt: checkedAt },
          audit: {
            patientId,
            actor,
            action: 'journey.pdmp-check-recorded',
            reason: `PDMP checked at ${checkedAt}`,
            details: { checkedAt },
          },
        },
  );
  return json(200, { patientId, pdmpCheckedAt: checkedAt, changed });
}

async function mustExist(patientId: string): Promise<void> {
  const { client, tableName } = functionContext();
  if ((await getItem(client, tableName, keys.journey(patientId))) === undefined) throw new PatientNotFound(patientId);
}

function stepAnswer(
  result: { outcome: 'delivered' | 'no-pending-step' | 'already-decided' },
  what: string,
): APIGatewayProxyStructuredResultV2 {
  if (result.outcome === 'delivered') return json(200, { outcome: result.outcome });
  return problem(
    409,
    result.outcome === 'already-decided' ? `the ${what} was already decided` : `no ${what} is waiting for this patient`,
  );
}

const restartRefillsBody = z.strictObject({ reason: shortText(1_000) });

/** A refill cycle that ended without a fill starts again by staff (the next cycle number); 409 while one runs. */
async function restartRefills(
  event: APIGatewayProxyEventV2,
  { id: patientId }: { id: string },
): Promise<APIGatewayProxyStructuredResultV2> {
  const actor = staffActor(event);
  const body = parseBody(event, restartRefillsBody);
  const answer = await restartRefillCycle({ patientId, actor, reason: body.reason });
  if (!answer.started) return problem(409, answer.conflict);
  return json(201, { patientId, cycle: answer.cycle, executionName: answer.executionName });
}
