import { createHash, randomBytes } from 'node:crypto';
import { now } from '../../platform/clock.ts';
import type { Patient } from '../../domain/schemas/index.ts';
import { commitChange, type AuditActor } from '../../store/audited-change.ts';
import type { StoreWrite } from '../../store/store-writes.ts';
import { IDEMPOTENCY_RECORD_LABEL, rememberedResult, rememberResultWrite } from '../../store/idempotency-record.ts';
import { getItem } from '../../store/read-items.ts';
import { AlreadyExists } from '../../store/store-errors.ts';
import { journeyStatusIndexKeys, keys } from '../../store/table-design.ts';
import { functionContext } from '../../platform/function-context.ts';
import { readStored, storedJourney, storedPatient } from '../../patient/stored-records.ts';
import { DAY_MS } from '../../domain/durations.ts';
import { EnrolmentConflict } from '../../patient/journey-errors.ts';

export type EnrolmentDetails = Omit<Patient, 'id'>;

export interface Enrolment {
  readonly patientId: string;
  readonly journeyId: string;
  /** false when this call found the enrolment already made (same key or same patient) */
  readonly created: boolean;
}

const REMEMBER_MS = 30 * DAY_MS;

/**
 * Creates the patient's profile, their journey (intake, active, not on hold) and the audit event in ONE
 * transaction. Idempotent two ways: by an Idempotency-Key (the answer is remembered in the same
 * transaction) or by a client-chosen patient id (an identical profile is the same enrolment; a
 * different one is a conflict). Journey ids are short, because every child execution is named after them.
 */
export async function enrolPatient(input: {
  details: EnrolmentDetails;
  patientId?: string;
  idempotencyKey?: string;
  actor: AuditActor;
}): Promise<Enrolment> {
  const { client, tableName } = functionContext();
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ ...input.details, patientId: input.patientId ?? null }))
    .digest('hex');
  const rememberKey = input.idempotencyKey === undefined ? undefined : `enrol:${input.idempotencyKey}`;
  if (rememberKey !== undefined) {
    const remembered = await replay(rememberKey, fingerprint);
    if (remembered !== undefined) return remembered;
  }

  const patientId = input.patientId ?? `p-${randomBytes(8).toString('hex')}`;
  const journeyId = `j-${randomBytes(6).toString('hex')}`;
  const at = now();
  const writes: StoreWrite[] = [
    ...(rememberKey === undefined
      ? []
      : [
          rememberResultWrite(rememberKey, { patientId, journeyId, fingerprint }, new Date(at.getTime() + REMEMBER_MS)),
        ]),
    {
      kind: 'create',
      key: keys.profile(patientId),
      label: 'profile',
      itemType: 'PROFILE',
      attributes: { id: patientId, ...input.details },
    },
    {
      kind: 'create',
      key: keys.journey(patientId),
      label: 'journey',
      itemType: 'JOURNEY',
      attributes: {
        id: journeyId,
        patientId,
        phase: 'intake',
        status: 'active',
        hold: null,
        onHold: false,
        enrolledAt: at.toISOString(),
        consultAt: null,
        pdmpCheckedAt: null,
        screeningRound: 1,
        closedReason: null,
        ...journeyStatusIndexKeys('active', 'intake', patientId),
      },
    },
  ];
  try {
    await commitChange(client, tableName, {
      writes,
      audit: {
        patientId,
        actor: input.actor,
        action: 'journey.enrolled',
        reason: 'enrolled by the clinic',
        details: { journeyId },
      },
    });
    return { patientId, journeyId, created: true };
  } catch (error) {
    if (!(error instanceof AlreadyExists)) throw error;
    if (error.write.label === IDEMPOTENCY_RECORD_LABEL && rememberKey !== undefined) {
      const remembered = await replay(rememberKey, fingerprint);
      if (remembered !== undefined) return remembered;
    }
    if (error.write.label === 'profile' && input.patientId !== undefined)
      return sameEnrolment(input.patientId, input.details);
    throw error;
  }

  async function replay(key: string, expected: string): Promise<Enrolment | undefined> {
    const remembered = await rememberedResult(client, tableName, key);
    if (!remembered.found) return undefined;
    const result = remembered.result as { patientId: string; journeyId: string; fingerprint: string };
    if (result.fingerprint !== expected)
      throw new EnrolmentConflict('this Idempotency-Key was already used for a different enrolment');
    return { patientId: result.patientId, journeyId: result.journeyId, created: false };
  }

  async function sameEnrolment(patientId: string, details: EnrolmentDetails): Promise<Enrolment> {
    const [profileItem, journeyItem] = await Promise.all([
      getItem(client, tableName, keys.profile(patientId)),
      getItem(client, tableName, keys.journey(patientId)),
    ]);
    if (profileItem === undefined || journeyItem === undefined)
      throw new EnrolmentConflict(`patient ${patientId} exists without a journey`);
    const existing = readStored(storedPatient, profileItem);
    const same =
      (Object.keys(details) as (keyof EnrolmentDetails)[]).every((k) => existing[k] === details[k]) &&
      Object.keys(existing).length === Object.keys(details).length + 1;
    if (!same) throw new EnrolmentConflict(`patient ${patientId} is already enrolled with other details`);
    return { patientId, journeyId: readStored(storedJourney, journeyItem).id, created: false };
  }
}
