import * as z from 'zod/mini';
import { id, instant } from '../domain/schemas/common.ts';
import { linkPersonSchema, type LinkPerson, type LinkPurpose } from '../domain/schemas/link.ts';
import { sendEmail } from '../email/send-email.ts';
import { clinicianStepNames, renderEmail } from '../email/templates.ts';
import { newLink } from '../links/new-link.ts';
import { PatientOnHold, RecipientUnknown, StepNotWaiting } from '../patient/journey-errors.ts';
import { functionContext } from '../platform/function-context.ts';
import { NOT_ON_HOLD, notOnHoldCheck } from '../patient/hold-check.ts';
import { emailKindFor, purposeSpecs, type RequestStage, type StepPurpose } from '../links/purposes.ts';
import { readStep, stepKeyOf, type StepItem } from '../links/step-store.ts';
import { formatInZone } from '../pages/format-time.ts';
import { messagesFor } from '../pages/message-catalogue.ts';
import { preferredLanguages, type PreferredLanguage } from '../domain/schemas/patient.ts';
import type { ClinicConfig } from '../platform/clinic-config.ts';
import { now } from '../platform/clock.ts';
import { functionEnvironment } from '../platform/environment.ts';
import { logger } from '../platform/logger.ts';
import { completeStep } from '../platform/task-callbacks.ts';
import { commitChange, commitOne } from '../store/audited-change.ts';
import type { StoreWrite } from '../store/store-writes.ts';
import { getItem, type StoredItem } from '../store/read-items.ts';
import { AlreadyExists, ConcurrentUpdate, ConditionFailed } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';

const stepPurposes = Object.keys(purposeSpecs) as [StepPurpose, ...StepPurpose[]];

/** The payload of statemachines/person-action.asl.json's three callback tasks. */
export const requestActionInput = z.object({
  stage: z.enum(['first', 'reminder', 'escalation']),
  request: z.object({
    patientId: id,
    journeyId: id,
    purpose: z.enum(stepPurposes),
    stepKey: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,120}$/)),
    context: z.nullish(z.record(z.string(), z.unknown())),
  }),
  plan: z.object({
    person: linkPersonSchema,
    escalationPerson: z.nullish(linkPersonSchema),
    expiresAt: instant,
  }),
  taskToken: z.string().check(z.minLength(1), z.maxLength(1024)),
});

export type RequestActionInput = z.infer<typeof requestActionInput>;

export type RequestActionResult =
  | { outcome: 'sent'; stage: RequestStage }
  | { outcome: 're-armed'; stage: RequestStage }
  | { outcome: 'already-sent'; stage: RequestStage }
  | { outcome: 'delivered-recorded-decision'; stage: RequestStage };

const MAX_ATTEMPTS = 5;

/**
 * Arms the step with this task token and, unless this stage's email already went out (a retried
 * invocation), makes a new link and emails it. A step decided while it was being re-armed gets its
 * recorded decision delivered at once.
 */
export async function requestAction(input: RequestActionInput): Promise<RequestActionResult> {
  const { client, tableName } = functionContext();
  const env = functionEnvironment();
  const { request, stage } = input;
  const spec = purposeSpecs[request.purpose];

  for (let attempt = 1; ; attempt++) {
    const [journey, step] = await Promise.all([
      getItem(client, tableName, keys.journey(request.patientId)),
      readStep(client, tableName, request),
    ]);
    if (step?.status === 'decided' && step.output !== undefined) {
      await completeStep(input.taskToken, step.output);
      return { outcome: 'delivered-recorded-decision', stage };
    }
    if (spec.endsOnHold && isOnHold(journey)) throw new PatientOnHold(request.patientId, `the ${request.purpose} step`);
    // A finished step reopens only for a new task token (a new request); the same token is a late Lambda
    // retry of the call that armed it, and reopening would email a link nobody waits on.
    if (step !== undefined && step.status !== 'pending' && (stage !== 'first' || step.taskToken === input.taskToken)) {
      if (step.status === 'cancelled') throw new PatientOnHold(request.patientId, `the ${request.purpose} step`);
      throw new StepNotWaiting(`the step is ${step.status}`);
    }

    const reopening = step !== undefined && step.status !== 'pending';
    const round = step === undefined ? 1 : reopening ? step.round + 1 : step.round;
    const notified = reopening ? [] : (step?.notified ?? []);
    const tag = `${round}:${stage}`;
    const needsEmail = !notified.includes(tag);
    if (!needsEmail && step?.taskToken === input.taskToken) return { outcome: 'already-sent', stage };

    const recipient = needsEmail ? await recipientFor(input, env.clinic, client, tableName) : undefined;
    const at = now();
    const link =
      recipient === undefined
        ? undefined
        : newLink(
            {
              purpose: recipient.linkPurpose,
              person: recipient.person,
              patientId: request.patientId,
              journeyId: request.journeyId,
              stepKey: request.stepKey,
              stepRound: round,
              expiresAt: input.plan.expiresAt,
            },
            env.appBaseUrl,
          );
    const writes: StoreWrite[] = [armWrite(input, step, round, link?.tokenHash, reopening, at)];
    if (link !== undefined) writes.push(link.write);
    if (reopening && step !== undefined) {
      for (const hash of step.linkHashes) {
        writes.push({
          kind: 'update',
          key: keys.link(hash),
          label: 'older link',
          condition: { name: 'link exists', expression: 'attribute_exists(#s)', names: { '#s': 'stepKey' } },
          set: { status: 'superseded' },
          remove: ['GSI1PK', 'GSI1SK'],
        });
      }
    }
    if (spec.endsOnHold && journey !== undefined) {
      writes.push(notOnHoldCheck(request.patientId));
    }
    try {
      await commitChange(client, tableName, {
        writes,
        audit: {
          patientId: request.patientId,
          actor: { type: 'system', id: 'request-action' },
          action: step === undefined || reopening ? 'step.requested' : 'step.re-armed',
          reason: `${request.purpose} is waiting for ${input.plan.person.kind} (${stage})`,
          details: {
            journeyId: request.journeyId,
            stepKey: request.stepKey,
            stage,
            round,
            linkSent: link !== undefined,
          },
        },
      });
    } catch (error) {
      const raced =
        error instanceof ConcurrentUpdate || error instanceof ConditionFailed || error instanceof AlreadyExists;
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
      if (error instanceof ConditionFailed && error.conditionName === NOT_ON_HOLD)
        throw new PatientOnHold(request.patientId, `the ${request.purpose} step`);
      continue;
    }

    if (link === undefined || recipient === undefined) return { outcome: 're-armed', stage };
    const email = renderEmail(recipient.emailKind, {
      firstName: recipient.firstName,
      link: link.url,
      when:
        recipient.person.kind === 'patient'
          ? formatInZone(input.plan.expiresAt, recipient.timeZone, messagesFor(recipient.language).dateLocale)
          : undefined,
      language: recipient.language,
      // a clinician's inbox says which kind of step and by when (the link's expiry), never the patient's details
      step:
        recipient.person.kind === 'clinician' && clinicianStepNames[request.purpose] !== undefined
          ? {
              name: clinicianStepNames[request.purpose] as string,
              dueBy: formatInZone(input.plan.expiresAt, recipient.timeZone),
            }
          : undefined,
    });
    await sendEmail({
      from: env.clinic.senderEmail,
      to: recipient.email,
      email,
      configurationSet: env.sesConfigurationSet,
    });
    await commitOne(
      client,
      tableName,
      {
        kind: 'update',
        key: keys.step(request.patientId, request.journeyId, request.stepKey),
        label: 'step',
        condition: {
          name: 'same round',
          expression: '#round = :round',
          names: { '#round': 'round' },
          values: { ':round': round },
        },
        set: { notified: [...notified, tag] },
      },
      {
        patientId: request.patientId,
        actor: { type: 'system', id: 'request-action' },
        action: 'step.person-notified',
        reason: `a link was emailed to the ${recipient.person.kind} (${stage})`,
        details: {
          journeyId: request.journeyId,
          stepKey: request.stepKey,
          stage,
          linkPurpose: recipient.linkPurpose,
          personId: recipient.person.id,
        },
      },
    );
    logger.info('link sent', { purpose: request.purpose, stage, personKind: recipient.person.kind });
    return { outcome: 'sent', stage };
  }
}

function isOnHold(journey: StoredItem | undefined): boolean {
  if (journey === undefined) return false;
  return (
    journey.onHold === true || journey.status === 'on-hold' || (journey.hold !== undefined && journey.hold !== null)
  );
}

function armWrite(
  input: RequestActionInput,
  step: StepItem | undefined,
  round: number,
  linkHash: string | undefined,
  reopening: boolean,
  at: Date,
): StoreWrite {
  const { request } = input;
  const key = keys.step(request.patientId, request.journeyId, request.stepKey);
  if (step === undefined) {
    return {
      kind: 'create',
      key,
      label: 'step',
      itemType: 'STEP',
      attributes: {
        patientId: request.patientId,
        journeyId: request.journeyId,
        stepKey: request.stepKey,
        purpose: request.purpose,
        person: input.plan.person,
        status: 'pending',
        round,
        taskToken: input.taskToken,
        stage: input.stage,
        expiresAt: input.plan.expiresAt,
        ...(request.context ? { context: request.context } : {}),
        notified: [],
        linkHashes: linkHash === undefined ? [] : [linkHash],
        armedAt: at.toISOString(),
      },
    };
  }
  const linkHashes = [...(reopening ? [] : step.linkHashes), ...(linkHash === undefined ? [] : [linkHash])];
  return {
    kind: 'update',
    key: stepKeyOf(step),
    label: 'step',
    expectedVersion: step.version,
    ...(reopening
      ? {}
      : {
          condition: {
            name: 'step is still pending',
            expression: '#status = :pending',
            names: { '#status': 'status' },
            values: { ':pending': 'pending' },
          },
        }),
    set: {
      status: 'pending',
      round,
      taskToken: input.taskToken,
      stage: input.stage,
      expiresAt: input.plan.expiresAt,
      person: input.plan.person,
      linkHashes,
      armedAt: at.toISOString(),
      ...(reopening ? { notified: [] } : {}),
    },
    ...(reopening ? { remove: ['decision', 'output', 'cancelledReason'] } : {}),
  };
}

interface Recipient {
  readonly person: LinkPerson;
  readonly linkPurpose: LinkPurpose;
  readonly emailKind: ReturnType<typeof emailKindFor>;
  readonly email: string;
  readonly firstName: string | undefined;
  readonly timeZone: string;
  /** the patient's language; clinicians read English */
  readonly language: PreferredLanguage;
}

/** Who this stage's email goes to: the person, or at escalation the backup clinician / the patient's clinician. */
async function recipientFor(
  input: RequestActionInput,
  clinic: ClinicConfig,
  client: ReturnType<typeof functionContext>['client'],
  tableName: string,
): Promise<Recipient> {
  const { request, plan, stage } = input;
  const spec = purposeSpecs[request.purpose];
  const emailKind = emailKindFor(request.purpose, stage);
  let person: LinkPerson = plan.person;
  let linkPurpose: LinkPurpose = request.purpose;
  if (stage === 'escalation') {
    if (spec.actor === 'clinician') {
      const backup = clinic.clinicians.find((c) => c.id === plan.person.id)?.backupId;
      person = plan.escalationPerson ?? (backup === undefined ? plan.person : { kind: 'clinician', id: backup });
    } else {
      linkPurpose = 'notice';
      const profile = await getItem(client, tableName, keys.profile(request.patientId));
      const assigned = typeof profile?.assignedClinicianId === 'string' ? profile.assignedClinicianId : undefined;
      person =
        plan.escalationPerson ??
        (assigned === undefined ? undefined : { kind: 'clinician', id: assigned }) ??
        plan.person;
    }
  }
  if (person.kind === 'clinician') {
    const clinician = clinic.clinicians.find((c) => c.id === person.id);
    if (clinician === undefined) throw new RecipientUnknown(`no clinician with id ${person.id} in the clinic config`);
    return {
      person,
      linkPurpose,
      emailKind,
      email: clinician.email,
      firstName: undefined,
      timeZone: clinic.defaultTimeZone,
      language: 'en',
    };
  }
  const profile = await getItem(client, tableName, keys.profile(person.id));
  if (profile === undefined || typeof profile.email !== 'string')
    throw new RecipientUnknown('the patient has no profile with an email address');
  return {
    person,
    linkPurpose,
    emailKind,
    email: profile.email,
    firstName: typeof profile.firstName === 'string' ? profile.firstName : undefined,
    timeZone: typeof profile.timeZone === 'string' ? profile.timeZone : clinic.defaultTimeZone,
    language: preferredLanguages.find((language) => language === profile.preferredLanguage) ?? 'en',
  };
}
