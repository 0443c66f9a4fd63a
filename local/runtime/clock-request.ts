import * as z from 'zod/mini';
import type { ClockMove } from '../sfn/contract.ts';

/** Ten years: further than any journey goes, and far from the dates JavaScript cannot represent. */
const maxAdvanceSeconds = 10 * 366 * 24 * 3600;

const advanceSchema = z.strictObject({
  // no finite check needed: z.number() itself refuses Infinity and NaN, with the message given to it
  advanceSeconds: z
    .number({ error: 'advanceSeconds must be a number of seconds' })
    .check(
      z.gte(0, 'advanceSeconds must not be negative: the clock never goes backward'),
      z.lte(maxAdvanceSeconds, `advanceSeconds must be at most ${maxAdvanceSeconds} (ten years)`),
    ),
});

const toSchema = z.strictObject({
  to: z.iso.datetime({ offset: true, error: 'to must be an ISO 8601 date-time such as "2026-01-31T09:00:00Z"' }),
});

export type ParsedClockMove = { ok: true; move: ClockMove } | { ok: false; message: string };

/**
 * Reads the body of `POST /_local/clock`: `{"advanceSeconds": N}` or `{"to": "<ISO time>"}`, and
 * refuses a move into the past. `now` is the virtual time the move starts from.
 */
export function parseClockMove(body: unknown, now: Date): ParsedClockMove {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'expected a JSON object: {"advanceSeconds": 3600} or {"to": "2026-01-31T09:00:00Z"}' };
  }
  if ('advanceSeconds' in body && 'to' in body) {
    return { ok: false, message: 'give either advanceSeconds or to, not both' };
  }
  if ('to' in body) {
    const parsed = toSchema.safeParse(body);
    if (!parsed.success) return { ok: false, message: readable(parsed.error) };
    const to = new Date(parsed.data.to);
    if (to.getTime() < now.getTime()) {
      return {
        ok: false,
        message: `the clock never goes backward: it is ${now.toISOString()}, and ${to.toISOString()} is earlier`,
      };
    }
    return { ok: true, move: { to } };
  }
  if ('advanceSeconds' in body) {
    const parsed = advanceSchema.safeParse(body);
    if (!parsed.success) return { ok: false, message: readable(parsed.error) };
    return { ok: true, move: { advanceSeconds: parsed.data.advanceSeconds } };
  }
  return { ok: false, message: 'expected {"advanceSeconds": N} or {"to": "<ISO time>"}' };
}

function readable(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) =>
      issue.code === 'unrecognized_keys' ? `unexpected field(s): ${issue.keys.join(', ')}` : issue.message,
    )
    .join('; ');
}
