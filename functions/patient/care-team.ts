import type { ClinicConfig, Clinician } from '../platform/clinic-config.ts';
import { UnknownClinician } from './journey-errors.ts';

/** The patient's assigned clinician and who stands in for them, from the clinic's config. */

export function clinicianById(clinic: ClinicConfig, clinicianId: string): Clinician {
  const clinician = clinic.clinicians.find((c) => c.id === clinicianId);
  if (clinician === undefined) throw new UnknownClinician(`no clinician "${clinicianId}" in the clinic's config`);
  return clinician;
}

/** The backup clinician, or undefined when none is configured (then nobody is escalated to). */
export function backupOf(clinic: ClinicConfig, clinician: Clinician): Clinician | undefined {
  return clinician.backupId === undefined ? undefined : clinic.clinicians.find((c) => c.id === clinician.backupId);
}
