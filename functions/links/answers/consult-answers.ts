import * as z from 'zod/mini';
import { evaluationModalities } from '../../domain/schemas/evaluation.ts';
import { freeText, instant } from '../../domain/schemas/common.ts';
import { safeParseFields } from '../../domain/schemas/parse.ts';
import { keys } from '../../store/table-design.ts';
import type { AnswerRule } from './answer.ts';

/**
 * The video call's join link, as the video service gave it. Only https: the patient opens it from our page,
 * so a plain-http or javascript: address would be ours to have shown them. Never emailed (emails stay
 * neutral); the consult reminder links to a page that shows it.
 */
export const joinUrl = z
  .url({
    protocol: /^https$/,
    hostname: z.regexes.domain,
    error: 'expected the video call link as an https:// address, such as https://video.example.org/room/123',
  })
  .check(z.maxLength(2_000, 'expected at most 2,000 characters'));

/** One booking, whether a clinician's link page or the staff API records it. */
export const consultBookingSchema = z.strictObject({ consultAt: instant, joinUrl: z.optional(joinUrl) });

/**
 * The booked video consult, on the journey (`consultAt`, and its join link when given) and in the
 * workflow's output (the time only: workflow data carries no more than it needs).
 */
export const consultBookingAnswer: AnswerRule = (answer, context) => {
  const parsed = safeParseFields(consultBookingSchema, answer);
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  if (Date.parse(parsed.data.consultAt) <= context.now.getTime()) {
    return { ok: false, errors: [{ field: 'consultAt', message: 'consultAt: choose a time in the future' }] };
  }
  return {
    ok: true,
    decision: 'BOOKED',
    output: { consultAt: parsed.data.consultAt },
    details: {
      consultAt: parsed.data.consultAt,
      ...(parsed.data.joinUrl === undefined ? {} : { joinUrl: parsed.data.joinUrl }),
    },
    // the journey carries the booked time for the schedule's consult reminders, and the join link for the reminder's page
    writes: [
      {
        kind: 'update',
        key: keys.journey(context.step.patientId),
        label: 'journey',
        condition: { name: 'journey exists', expression: 'attribute_exists(#phase)', names: { '#phase': 'phase' } },
        set: { consultAt: parsed.data.consultAt, consultJoinUrl: parsed.data.joinUrl ?? null },
      },
    ],
    reason: 'the video consult was booked',
  };
};

export const consultEvaluationSchema = z.strictObject({
  notes: freeText(10_000),
  modality: z.enum(evaluationModalities, { error: `expected one of ${evaluationModalities.join(', ')}` }),
});

/** The clinician's evaluation, stored as an EVALUATION (the refill gate reads its modality later). */
export const consultEvaluationAnswer: AnswerRule = (answer, context) => {
  const parsed = safeParseFields(consultEvaluationSchema, answer);
  if (!parsed.success) return { ok: false, errors: parsed.errors };
  const evaluationId = context.step.stepKey;
  const clinicianId = context.actor.type === 'clinician' ? context.actor.id : context.step.person.id;
  const evaluation = {
    clinicianId,
    notes: parsed.data.notes,
    modality: parsed.data.modality,
    evaluatedAt: context.now.toISOString(),
  };
  return {
    ok: true,
    decision: 'EVALUATED',
    output: { evaluationId, modality: parsed.data.modality },
    details: { evaluationId, modality: parsed.data.modality },
    writes: [
      {
        kind: 'create',
        key: keys.evaluation(context.step.patientId, evaluationId),
        label: 'evaluation',
        itemType: 'EVALUATION',
        attributes: {
          id: evaluationId,
          patientId: context.step.patientId,
          journeyId: context.step.journeyId,
          ...evaluation,
        },
      },
    ],
    reason: `the consult evaluation (${parsed.data.modality}) was recorded`,
  };
};
