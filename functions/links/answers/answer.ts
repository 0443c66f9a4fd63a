import type { Protocol } from '../../domain/protocol.ts';
import type { FieldError } from '../../domain/schemas/field-errors.ts';
import type { HoldSignal } from '../../domain/triage.ts';
import type { StepAlert } from '../step-store.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import type { PatientContext } from '../../patient/patient-context.ts';
import type { StepItem } from '../step-store.ts';

/** What an answer rule knows: the step, the patient's record, the protocol and the time. */
export interface AnswerContext {
  readonly step: StepItem;
  readonly patient: PatientContext;
  readonly protocol: Protocol;
  readonly now: Date;
  readonly actor: AuditActor;
}

/**
 * A submitted answer, judged: either field errors (nothing is written) or the decision word for the
 * workflow, the items to create with the decision, and what the page shows afterwards.
 */
export type AnswerResult =
  | {
      readonly ok: true;
      readonly decision: string;
      /** what the workflow receives besides the decision word; small */
      readonly output: Record<string, unknown>;
      /** recorded on the step with the decision */
      readonly details: Record<string, unknown>;
      readonly writes: readonly StoreWrite[];
      readonly reason: string;
      readonly protocolVersion?: string | undefined;
      /** the finding must put the patient on clinical hold (after the decision is recorded) */
      readonly hold?: HoldSignal | undefined;
      /** the answers must reach the clinician (after the decision is recorded), through the clinician-alert door */
      readonly alert?: AnswerAlert | undefined;
      /**
       * What only the page shows after the decision (crisis resources), never sent to the workflow: workflow
       * data carries no health information.
       */
      readonly pageOnly?: AnswerPageOnly | undefined;
    }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export interface AnswerAlert {
  readonly urgency: StepAlert['urgency'];
  /** what the clinician reads on the alert's page */
  readonly message: string;
  /** short and stable, so a retried POST alerts once: the alert's key is the step's key and this */
  readonly key: string;
}

export interface AnswerPageOnly {
  /** show the patient crisis resources (988, emergency services) on the page they submitted */
  readonly crisisResources?: boolean;
}

export type AnswerRule = (answer: unknown, context: AnswerContext) => AnswerResult;

export function fieldProblem(field: string, detail: string): FieldError {
  return { field, message: `${field}: ${detail}` };
}
