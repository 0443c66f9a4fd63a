import { judgeRecovery } from '../../domain/recovery-check.ts';
import { safeParseFields } from '../../domain/schemas/parse.ts';
import { recoveryCheckSchema } from '../../domain/schemas/recovery-check.ts';
import type { AnswerRule } from './answer.ts';
import { sessionNumberOf } from './patient-answers.ts';

/**
 * The check after the session hour (functions/domain/recovery-check.ts). Recorded on the step with its
 * reasons; a warning sign holds the patient (the workflow makes sure of it, as for a journal), anything
 * short of "recovered" reaches the clinician today. The workflow gets the decision word only.
 */
export const recoveryAnswer: AnswerRule = (answer, context) => {
  const parsed = safeParseFields(recoveryCheckSchema, answer);
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const judged = judgeRecovery(
    { recovered: parsed.data.recoveredNow, symptoms: parsed.data.symptoms },
    context.protocol,
  );
  const sessionNumber = sessionNumberOf(context);
  return {
    ok: true,
    decision: judged.decision,
    output: {},
    details: {
      sessionNumber,
      recovered: parsed.data.recoveredNow,
      symptoms: parsed.data.symptoms,
      reasons: judged.reasons,
    },
    writes: [],
    reason: `recovery after session ${String(sessionNumber)}: ${judged.reasons.join('; ')}`,
    protocolVersion: judged.protocolVersion,
    hold: judged.hold ?? undefined,
    alert:
      judged.alertMessage === null
        ? undefined
        : {
            urgency: 'urgent',
            message: `Session ${String(sessionNumber)}: ${judged.alertMessage}`,
            key: 'not-recovered',
          },
    pageOnly: { crisisResources: judged.crisisResources },
  };
};
