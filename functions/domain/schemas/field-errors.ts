import type * as z from 'zod/mini';

/** One problem with one field, worded for the person who has to fix it. */
export interface FieldError {
  /** where, as a person would write it: "gad7.items[2]"; "(input)" for the whole value */
  field: string;
  /** names the field and what was expected, e.g. "gad7.items[2]: expected a whole number from 0 to 3" */
  message: string;
}

/**
 * Our words for an issue whose schema wrote none ("expected ..."), given to every parse as its error
 * map: `schema.safeParse(input, { error: issueMessage })`. A schema's own message outranks it. zod/mini
 * loads no locale (its message would be "Invalid input"), and these few lines keep the English locale's
 * tables out of every Lambda bundle (issue 6). The raw issue still holds the input, which is how a
 * missing field is told from one of the wrong type.
 */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return `expected ${lowerBound(issue.origin, issue.inclusive)} ${String(issue.minimum)}${unitOf(issue.origin)}`;
    case 'too_big':
      return `expected ${upperBound(issue.origin, issue.inclusive)} ${String(issue.maximum)}${unitOf(issue.origin)}`;
    case 'invalid_format':
      return `expected a valid ${issue.format}`;
    case 'invalid_union':
      return 'expected a value of one of the accepted shapes';
    case 'unrecognized_keys':
      return `${issue.keys.map((key) => JSON.stringify(key)).join(', ')} ${issue.keys.length === 1 ? 'is not a known field' : 'are not known fields'}; remove ${issue.keys.length === 1 ? 'it' : 'them'}`;
    default:
      return undefined;
  }
};

/**
 * Turns a ZodError into one FieldError per field (one per unknown field), for 400s and forms. When a
 * field fails twice (wrong type, then wrong length), the first message is the one to act on. The error
 * must come from a parse with `issueMessage` as its error map (`safeParseFields` in parse.ts does that).
 */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  const all = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => entry([...issue.path, key], 'is not a known field; remove it'));
    }
    return [entry(issue.path, issue.message)];
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

// `inclusive: false` comes from exclusive bounds such as `z.positive()`: 0 itself is refused
function lowerBound(origin: string, inclusive: boolean | undefined): string {
  if (origin === 'array') return 'at least';
  return inclusive === false ? 'more than' : 'no less than';
}

function upperBound(origin: string, inclusive: boolean | undefined): string {
  if (origin === 'array') return 'at most';
  return inclusive === false ? 'less than' : 'no more than';
}

function unitOf(origin: string): string {
  if (origin === 'array' || origin === 'set') return ' items';
  if (origin === 'string') return ' characters';
  return '';
}
