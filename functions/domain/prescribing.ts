import { DAY_MS } from './durations.ts';
import type { Protocol } from './protocol.ts';
import type { Evaluation } from './schemas/evaluation.ts';

/**
 * What must be on record before a controlled drug is prescribed: at plan approval (the first
 * prescription) and again at every refill and fill, since days may pass between them.
 */

/**
 * Why prescribing on `today` (YYYY-MM-DD, the patient's calendar) needs an in-person evaluation that is not
 * on record, or null when it does not. After the telehealth cut-off, telehealth alone no longer suffices,
 * and the evaluation counts only when the prescriber did it (21 U.S.C. 829(e)), unless the protocol's
 * documented rule (`prescribing.inPersonEvaluationBy: 'any-clinician'`) says any clinician of the clinic.
 */
export function inPersonEvaluationMissing(
  today: string,
  evaluations: readonly Pick<Evaluation, 'modality' | 'clinicianId'>[],
  prescriberId: string | undefined,
  protocol: Protocol,
): string | null {
  if (today <= protocol.telehealth.prescribingValidUntil) return null;
  const inPerson = evaluations.filter((e) => e.modality === 'in-person');
  const anyClinician = protocol.prescribing.inPersonEvaluationBy === 'any-clinician';
  if (inPerson.some((e) => anyClinician || e.clinicianId === prescriberId)) return null;
  const cutOff = `prescribing by telehealth alone ended on ${protocol.telehealth.prescribingValidUntil}`;
  if (inPerson.length > 0)
    return `${cutOff}; the in-person evaluation on record was not done by the prescribing clinician (${prescriberId ?? 'not named'})`;
  return `${cutOff}; an in-person evaluation must be on record`;
}

/** Why the PDMP check on record is not recent enough to prescribe at `now`, or null when it is. */
export function pdmpCheckMissing(pdmpCheckedAt: string | null, now: Date, protocol: Protocol): string | null {
  const within = protocol.prescribing.pdmpCheckWithinDays;
  const window = within === 1 ? '24 hours' : `${within} days`;
  const at = pdmpCheckedAt === null ? Number.NaN : Date.parse(pdmpCheckedAt);
  // fail closed: a check whose time cannot be read is no check
  if (Number.isNaN(at)) return `a PDMP check must be recorded within ${window} before prescribing; none is recorded`;
  const age = (now.getTime() - at) / DAY_MS;
  if (age > within) return `a PDMP check must be recorded within ${window} before prescribing (last ${pdmpCheckedAt})`;
  if (age < 0) return `the PDMP check on record is dated in the future (${pdmpCheckedAt})`;
  return null;
}
