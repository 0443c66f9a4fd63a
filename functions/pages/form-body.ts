import type { FormValues } from './form-fields.ts';

/**
 * A posted HTML form (`application/x-www-form-urlencoded`), decoded strictly:
 * - into a prototype-free object, so a field named `constructor`, `__proto__`, `toString` or
 *   `hasOwnProperty` is just a field (a plain object answered `values.constructor.push` with a TypeError:
 *   a 500 anyone holding a link could raise);
 * - as UTF-8 that must be valid: `URLSearchParams` turns `%FF` into U+FFFD, which would store the
 *   person's words altered without a word. A U+FFFD in the text is refused too: a browser percent-encodes
 *   every non-ASCII character, so a raw one means the bytes were already decoded lossily on the way.
 */
export type FormBody =
  | { readonly ok: true; readonly values: FormValues }
  /** `field`: the first field whose name or value is not valid UTF-8; `values`: the form as best read, to send back */
  | { readonly ok: false; readonly problem: 'invalid-utf8'; readonly field: string; readonly values: FormValues };

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const REPLACEMENT = '\uFFFD';

/** Whether a Content-Type header names an urlencoded form (parameters such as `charset=UTF-8` allowed). */
export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === FORM_CONTENT_TYPE;
}

/** The body's text: `bytes` when the gateway base64-encoded it, so invalid UTF-8 is seen, not replaced. */
export function parseFormBody(body: string | Uint8Array): FormBody {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = strictUtf8.decode(body);
    } catch {
      return {
        ok: false,
        problem: 'invalid-utf8',
        field: '(form)',
        values: lossyValues(Buffer.from(body).toString('utf8')),
      };
    }
  }
  const values: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let badField: string | undefined;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const rawValue = equals === -1 ? '' : pair.slice(equals + 1);
    const name = strictComponent(rawName);
    const value = strictComponent(rawValue);
    const shownName = name ?? lossyComponent(rawName);
    if ((name === undefined || value === undefined) && badField === undefined)
      badField = name === undefined ? '(form)' : shownName;
    (values[shownName] ??= []).push(value ?? lossyComponent(rawValue));
  }
  return badField === undefined
    ? { ok: true, values }
    : { ok: false, problem: 'invalid-utf8', field: badField, values };
}

/** One name or value: `+` is a space, `%XX` a byte; the bytes must be valid UTF-8 without U+FFFD. */
function strictComponent(raw: string): string | undefined {
  const spaced = raw.replace(/\+/g, ' ');
  const bytes: Buffer[] = [];
  let last = 0;
  for (const match of spaced.matchAll(/%([0-9A-Fa-f]{2})/g)) {
    bytes.push(
      Buffer.from(spaced.slice(last, match.index), 'utf8'),
      Buffer.from([Number.parseInt(match[1] as string, 16)]),
    );
    last = match.index + 3;
  }
  bytes.push(Buffer.from(spaced.slice(last), 'utf8'));
  try {
    const decoded = strictUtf8.decode(Buffer.concat(bytes));
    return decoded.includes(REPLACEMENT) ? undefined : decoded;
  } catch {
    return undefined;
  }
}

function lossyComponent(raw: string): string {
  return new URLSearchParams(`x=${raw}`).get('x') ?? '';
}

function lossyValues(text: string): FormValues {
  const values: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of new URLSearchParams(text)) (values[name] ??= []).push(value);
  return values;
}
