import type * as z from 'zod/mini';
import { ValidationFailed } from '../domain-errors.ts';
import { fieldErrors, issueMessage, type FieldError } from './field-errors.ts';

export type ParsedFields<Data> = { success: true; data: Data } | { success: false; errors: FieldError[] };

/** Parses `input` with `schema`; a rejected value comes back as one FieldError per bad field. */
export function safeParseFields<Schema extends z.ZodMiniType>(
  schema: Schema,
  input: unknown,
): ParsedFields<z.output<Schema>> {
  const parsed = schema.safeParse(input, { error: issueMessage });
  return parsed.success ? { success: true, data: parsed.data } : { success: false, errors: fieldErrors(parsed.error) };
}

/** Parses `input` with `schema`, or throws ValidationFailed listing every bad field. */
export function parseOrThrow<Schema extends z.ZodMiniType>(
  schema: Schema,
  input: unknown,
  what = 'input',
): z.output<Schema> {
  const parsed = safeParseFields(schema, input);
  if (parsed.success) return parsed.data;
  throw new ValidationFailed(parsed.errors, what);
}
