import type * as z from 'zod';
import { ValidationFailed } from '../domain-errors.ts';
import { fieldErrors } from './field-errors.ts';

/** Parses `input` with `schema`, or throws ValidationFailed listing every bad field. */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown, what = 'input'): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationFailed(fieldErrors(parsed.error), what);
}
