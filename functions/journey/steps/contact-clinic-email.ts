import type { PreferredLanguage } from '../../domain/schemas/patient.ts';
import { languageOf } from '../../pages/message-catalogue.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import { sendOnce } from '../../email/send-once.ts';

/**
 * The one email that tells a patient their path changed (the journey closed, a refill was not approved):
 * a neutral "please contact the clinic", once per marker key. It goes whatever the hold: it asks the
 * patient to talk to people, it doses nothing.
 */
export async function askPatientToContactClinic(input: {
  readonly patientId: string;
  readonly markerKey: string;
  readonly patient: {
    readonly email: string;
    readonly firstName: string;
    readonly preferredLanguage?: PreferredLanguage | undefined;
  };
  readonly actor: AuditActor;
  readonly reason: string;
}): Promise<boolean> {
  const sent = await sendOnce({
    patientId: input.patientId,
    markerKey: input.markerKey,
    to: input.patient.email,
    recipient: 'patient',
    kind: 'please-contact-clinic',
    variables: { firstName: input.patient.firstName, language: languageOf(input.patient) },
    actor: input.actor,
    action: 'email.please-contact-clinic',
    reason: input.reason,
  });
  return sent.sent;
}
