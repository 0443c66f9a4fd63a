import type { AnswerAlert } from '../../links/answers/answer.ts';
import { alertClinician } from '../../links/clinician-alert.ts';
import { readStep, type StepItem } from '../../links/step-store.ts';
import type { AuditActor } from '../../store/audited-change.ts';
import { JourneyDataMissing } from '../../patient/journey-errors.ts';
import { functionContext } from '../../platform/function-context.ts';
import { loadPatientContext } from '../../patient/patient-context.ts';

/**
 * The clinician alert a step's answer called for, sent once by its key: the link page sends it after the
 * decision, and the workflow (alertCalledFor) sends the same one should the page have failed.
 */
export async function sendAnswerAlert(input: {
  step: Pick<StepItem, 'patientId' | 'journeyId' | 'stepKey' | 'purpose'>;
  clinicianId: string;
  alert: AnswerAlert;
  actor: AuditActor;
}): Promise<void> {
  const { step, alert } = input;
  await alertClinician({
    patientId: step.patientId,
    journeyId: step.journeyId,
    clinicianId: input.clinicianId,
    urgency: alert.urgency,
    alertKey: `${step.stepKey}-${alert.key}`,
    message: alert.message,
    actor: input.actor,
    reason: `${step.purpose} answers: ${alert.urgency === 'urgent' ? 'same-day' : 'review'} alert to the clinician`,
  });
}

/**
 * The workflow's own guarantee that an answer calling for a clinician alert (a positive PHQ-9 item 9, a
 * patient not yet recovered after a session) reaches the clinician: the alert is read from the step's
 * decision and sent under the page's key, so it goes once whoever sends it first.
 */
export async function sendAlertCalledFor(input: {
  patientId: string;
  journeyId: string;
  stepKey: string;
  actor: AuditActor;
}): Promise<{ alertCalledFor: boolean }> {
  const { client, tableName } = functionContext();
  const step = await readStep(client, tableName, input);
  if (step === undefined) throw new JourneyDataMissing(`no step ${input.stepKey} is stored`);
  const alert = step.decision?.alert;
  if (alert === undefined) return { alertCalledFor: false };
  const { patient } = await loadPatientContext(input.patientId);
  await sendAnswerAlert({ step, clinicianId: patient.assignedClinicianId, alert, actor: input.actor });
  return { alertCalledFor: true };
}
