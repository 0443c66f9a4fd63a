import { escapeHtml } from '../email/templates.ts';

/** HTML text with every interpolated value escaped; nested `Html` is kept as is. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function text(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(text).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((part, index) => {
    out += text(part) + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

export function join(parts: readonly Html[]): Html {
  return new Html(parts.map((p) => p.value).join(''));
}
