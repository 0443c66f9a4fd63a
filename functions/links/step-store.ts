import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkPerson, LinkPurpose, LinkStatus, StepDecision, StepStatus } from '../domain/schemas/link.ts';
import { getItem, queryPatientPartition } from '../store/read-items.ts';
import { keys, PATIENT_SK_PREFIX } from '../store/table-design.ts';
import type { RequestStage } from './purposes.ts';

/** One waiting workflow step as stored (functions/store/table-design.ts, "Waiting steps and their links"). */
export interface StepItem {
  readonly patientId: string;
  readonly journeyId: string;
  readonly stepKey: string;
  readonly purpose: LinkPurpose;
  /** who acts on it */
  readonly person: LinkPerson;
  readonly status: StepStatus;
  /** 1, then +1 each time a stopped step is opened again; links of an older round are superseded */
  readonly round: number;
  /**
   * the CURRENT task token: a reminder or escalation re-arms the step with a new one. A clinician
   * alert (functions/links/clinician-alert.ts) has none: no workflow waits for it, nobody decides it.
   */
  readonly taskToken?: string;
  readonly stage: RequestStage;
  readonly expiresAt: string;
  readonly context?: Record<string, unknown>;
  /** set on a clinician alert only: what its view page tells the clinician */
  readonly alert?: StepAlert;
  /** `<round>:<stage>` for every stage whose email went out, so a retried invocation sends none */
  readonly notified: readonly string[];
  /** every link of the step, so a decision or a hold closes all of them */
  readonly linkHashes: readonly string[];
  readonly decision?: StepDecision;
  /** what the workflow receives: {decision, ...small details} */
  readonly output?: Record<string, unknown>;
  readonly createdAt: string;
  readonly version: number;
}

/** What a clinician alert says on its page (never in the email). */
export interface StepAlert {
  readonly urgency: 'urgent' | 'notice';
  readonly message: string;
  readonly raisedAt: string;
}

/** One emailed link as stored; the token itself never is. */
export interface LinkItem {
  readonly tokenHash: string;
  readonly purpose: LinkPurpose;
  readonly person: LinkPerson;
  readonly patientId: string;
  readonly journeyId: string;
  readonly stepKey: string;
  readonly stepRound: number;
  readonly status: LinkStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly version: number;
}

export async function readStep(
  client: DynamoDBDocumentClient,
  tableName: string,
  ref: { patientId: string; journeyId: string; stepKey: string },
): Promise<StepItem | undefined> {
  return (await getItem(client, tableName, keys.step(ref.patientId, ref.journeyId, ref.stepKey))) as unknown as
    StepItem | undefined;
}

export async function readLink(
  client: DynamoDBDocumentClient,
  tableName: string,
  tokenHash: string,
): Promise<LinkItem | undefined> {
  return (await getItem(client, tableName, keys.link(tokenHash))) as unknown as LinkItem | undefined;
}

/** Every step of a patient, oldest first (strongly consistent: a hold must see the step armed a moment ago). */
export async function readPatientSteps(
  client: DynamoDBDocumentClient,
  tableName: string,
  patientId: string,
): Promise<StepItem[]> {
  const items = await queryPatientPartition(client, tableName, patientId, { skPrefix: PATIENT_SK_PREFIX.step });
  return (items as unknown as StepItem[]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function stepKeyOf(step: Pick<StepItem, 'patientId' | 'journeyId' | 'stepKey'>) {
  return keys.step(step.patientId, step.journeyId, step.stepKey);
}

/** The link's own status as the step sees it: a link speaks for its step only in the step's current round. */
export function effectiveLinkState(
  link: LinkItem,
  step: StepItem | undefined,
  now: Date,
): 'open' | 'decided' | 'cancelled' | 'expired' | 'superseded' | 'gone' {
  if (step === undefined) return 'gone';
  if (link.stepRound !== step.round) return 'superseded';
  if (step.status === 'decided') return 'decided';
  if (step.status === 'cancelled' || link.status === 'cancelled') return 'cancelled';
  if (step.status === 'expired' || link.status === 'expired' || now.getTime() >= Date.parse(link.expiresAt))
    return 'expired';
  if (link.status === 'superseded') return 'superseded';
  return 'open';
}
