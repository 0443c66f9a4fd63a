import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StepDecision } from '../domain/schemas/link.ts';
import { completeStep, type CallbackOutcome } from '../platform/task-callbacks.ts';
import { commitChange, type AuditActor } from '../store/audited-change.ts';
import type { StoreWrite, UpdateWrite } from '../store/store-writes.ts';
import { ConcurrentUpdate, ConditionFailed } from '../store/store-errors.ts';
import { keys } from '../store/table-design.ts';
import { readStep, stepKeyOf, type StepItem } from './step-store.ts';

export interface DecisionToRecord {
  readonly decision: StepDecision;
  /** what the workflow receives, {decision, ...small details}; the full answer stays in the store */
  readonly output: Record<string, unknown>;
  /** the answer's own items (intake, check-in, journal...), created in the same transaction */
  readonly writes: readonly StoreWrite[];
  readonly actor: AuditActor;
  /** every decision records the protocol it was judged under, even one no protocol rule looked at */
  readonly protocolVersion: string;
  /** what the audit event says happened, in words */
  readonly reason: string;
}

export type DecideResult =
  | { readonly outcome: 'decided'; readonly step: StepItem; readonly callback: CallbackOutcome }
  | { readonly outcome: 'already-decided'; readonly step: StepItem }
  | { readonly outcome: 'not-pending'; readonly step: StepItem };

const MAX_ATTEMPTS = 5;

/**
 * Decides a step with ONE conditional write: the step goes from pending to decided only at the version
 * it was read at, in one transaction with every link of the step, the answer's items and the audit event.
 * So the first POST (on any of the step's links, or the staff API) wins and later ones see who decided.
 * Only the winner tells the workflow, so the task receives exactly one SendTaskSuccess.
 *
 * A version that moved on because the step was re-armed with a new task token (a reminder) is not a
 * lost race: the decision is tried again on the re-read step, and so goes to the current token.
 */
export async function decideStep(
  client: DynamoDBDocumentClient,
  tableName: string,
  read: StepItem,
  record: DecisionToRecord,
): Promise<DecideResult> {
  let step = read;
  for (let attempt = 1; ; attempt++) {
    if (step.status === 'decided') return { outcome: 'already-decided', step };
    if (step.status !== 'pending') return { outcome: 'not-pending', step };
    // a clinician alert's step is view-only: no workflow waits for a decision on it
    const taskToken = step.taskToken;
    if (taskToken === undefined) return { outcome: 'not-pending', step };
    try {
      await commitChange(client, tableName, {
        writes: [decideWrite(step, record), ...closeLinksWrites(step, 'used'), ...record.writes],
        audit: {
          patientId: step.patientId,
          actor: record.actor,
          action: 'step.decided',
          reason: record.reason,
          protocolVersion: record.protocolVersion,
          details: {
            journeyId: step.journeyId,
            stepKey: step.stepKey,
            purpose: step.purpose,
            decision: record.decision.decision,
            via: record.decision.via,
          },
        },
      });
    } catch (error) {
      const lostRace =
        error instanceof ConcurrentUpdate ||
        (error instanceof ConditionFailed && error.conditionName === 'link belongs to the step');
      if (!lostRace || attempt >= MAX_ATTEMPTS) throw error;
      const again = await readStep(client, tableName, step);
      if (again === undefined) throw error;
      step = again;
      continue;
    }
    const decided: StepItem = {
      ...step,
      status: 'decided',
      decision: record.decision,
      output: record.output,
      version: step.version + 1,
    };
    const callback = await completeStep(taskToken, record.output);
    return { outcome: 'decided', step: decided, callback };
  }
}

function decideWrite(step: StepItem, record: DecisionToRecord): UpdateWrite {
  return {
    kind: 'update',
    key: stepKeyOf(step),
    label: 'step',
    expectedVersion: step.version,
    condition: {
      name: 'step is still pending',
      expression: '#status = :pending',
      names: { '#status': 'status' },
      values: { ':pending': 'pending' },
    },
    set: { status: 'decided', decision: record.decision, output: record.output },
  };
}

/** Every link of the step, closed with the step and taken off the person's pending list. */
export function closeLinksWrites(step: StepItem, status: 'used' | 'cancelled' | 'expired'): UpdateWrite[] {
  return step.linkHashes.map((hash) => ({
    kind: 'update',
    key: keys.link(hash),
    label: 'link',
    condition: {
      name: 'link belongs to the step',
      expression: '#stepKey = :stepKey',
      names: { '#stepKey': 'stepKey' },
      values: { ':stepKey': step.stepKey },
    },
    set: { status },
    remove: ['GSI1PK', 'GSI1SK'],
  }));
}
