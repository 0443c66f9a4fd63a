import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkPerson } from '../domain/schemas/link.ts';
import type { StoreWrite } from '../store/store-writes.ts';
import { keys } from '../store/table-design.ts';
import { newLink } from './new-link.ts';
import type { ViewOnlyPurpose } from './purposes.ts';
import { readStep, type StepAlert } from './step-store.ts';

/** A page that only tells (a clinician alert, a patient's preparation notes), behind an emailed link. */
export interface ViewOnlyLinkRequest {
  readonly patientId: string;
  readonly journeyId: string;
  readonly stepKey: string;
  readonly purpose: ViewOnlyPurpose;
  readonly person: LinkPerson;
  readonly expiresAt: string;
  /** set on a clinician alert: what its page tells the clinician */
  readonly alert?: StepAlert;
}

export interface EmailedLink {
  readonly url: string;
  /** to be committed in the transaction that decides to send the email */
  readonly writes: readonly StoreWrite[];
}

/**
 * The first attempt: the view-only STEP (no task token, never decided, not ended by a hold) and its LINK.
 * The step's create fails with AlreadyExists when an earlier attempt made it, which is how the sender
 * knows this is a retry.
 */
export function firstViewOnlyLink(request: ViewOnlyLinkRequest, appBaseUrl: string, at: Date): EmailedLink {
  const link = newLink(
    {
      purpose: request.purpose,
      person: request.person,
      patientId: request.patientId,
      journeyId: request.journeyId,
      stepKey: request.stepKey,
      stepRound: 1,
      expiresAt: request.expiresAt,
    },
    appBaseUrl,
  );
  const step: StoreWrite = {
    kind: 'create',
    key: keys.step(request.patientId, request.journeyId, request.stepKey),
    label: request.purpose === 'notice' ? 'alert step' : 'view-only step',
    itemType: 'STEP',
    attributes: {
      patientId: request.patientId,
      journeyId: request.journeyId,
      stepKey: request.stepKey,
      purpose: request.purpose,
      person: request.person,
      status: 'pending',
      round: 1,
      stage: 'first',
      expiresAt: request.expiresAt,
      notified: ['1:first'],
      linkHashes: [link.tokenHash],
      armedAt: at.toISOString(),
      ...(request.alert === undefined ? {} : { alert: request.alert }),
    },
  };
  return { url: link.url, writes: [step, link.write] };
}

/**
 * A retry of an email that was never confirmed sent: a new link to the same step, since only the email
 * ever held the first link's token. Undefined when the step is gone.
 */
export async function againViewOnlyLink(
  client: DynamoDBDocumentClient,
  tableName: string,
  request: Pick<ViewOnlyLinkRequest, 'patientId' | 'journeyId' | 'stepKey' | 'purpose' | 'person'>,
  appBaseUrl: string,
): Promise<EmailedLink | undefined> {
  const step = await readStep(client, tableName, request);
  if (step === undefined) return undefined;
  const link = newLink(
    {
      purpose: request.purpose,
      person: request.person,
      patientId: request.patientId,
      journeyId: request.journeyId,
      stepKey: request.stepKey,
      stepRound: step.round,
      expiresAt: step.expiresAt,
    },
    appBaseUrl,
  );
  return {
    url: link.url,
    writes: [
      {
        kind: 'update',
        key: keys.step(request.patientId, request.journeyId, request.stepKey),
        label: request.purpose === 'notice' ? 'alert step' : 'view-only step',
        set: { linkHashes: [...step.linkHashes, link.tokenHash] },
        expectedVersion: step.version,
      },
      link.write,
    ],
  };
}
