import type * as z from 'zod';

/** One problem with one field, worded for the person who has to fix it. */
export interface FieldError {
  /** where, as a person would write it: "gad7.items[2]"; "(input)" for the whole value */
  field: string;
  /** names the field and what was expected, e.g. "gad7.items[2]: expected a whole number from 0 to 3" */
  message: string;
}

/**
 * Turns a ZodError into one FieldError per field (one per unknown field), for 400s and forms. When a
 * field fails twice (wrong type, then wrong length), the first message is the one to act on.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const all = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => entry([...issue.path, key], 'is not a known field; remove it'));
    }
    return [entry(issue.path, describe(issue))];
  });
  const seen = new Set<string>();
  return all.filter((error) => !seen.has(error.field) && seen.add(error.field));
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(input)' : text;
}

function entry(path: readonly PropertyKey[], detail: string): FieldError {
  const field = fieldPath(path);
  return { field, message: `${field}: ${detail}` };
}

/** Our schemas word their own messages as "expected ..."; zod's defaults are reworded here. */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith('expected')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.endsWith('received undefined') ? `is required (expected ${issue.expected})` : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least' : 'no less than'} ${String(issue.minimum)}${unitOf(issue.origin)}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : 'no more than'} ${String(issue.maximum)}${unitOf(issue.origin)}`;
    case 'invalid_format':
      return `expected a valid ${issue.format}`;
    case 'invalid_union':
      return 'expected a value of one of the accepted shapes';
    default:
      return issue.message;
  }
}

function unitOf(origin: string): string {
  if (origin === 'array' || origin === 'set') return ' items';
  if (origin === 'string') return ' characters';
  return '';
}
