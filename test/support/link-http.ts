/**
 * A person's browser, reduced to what the link tests need: open an emailed link (GET, HEAD) and send
 * its form back (POST, urlencoded as an HTML form does), then read the status, the headers and the page.
 * Real HTTP against the running clinic, never the handler called directly.
 *
 *   const page = await getLink(url);
 *   const done = await postLink(url, { purpose: 'intake', ... });
 */
export interface LinkAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** Form fields as a browser sends them: a repeated field (checkboxes) is a list. */
export type FormFields = Readonly<Record<string, string | readonly string[]>>;

async function answerOf(response: Response): Promise<LinkAnswer> {
  return { status: response.status, headers: response.headers, body: await response.text() };
}

export async function getLink(url: string): Promise<LinkAnswer> {
  return answerOf(await fetch(url, { redirect: 'manual' }));
}

/** What a link prefetcher that only checks the link does. */
export async function headLink(url: string): Promise<LinkAnswer> {
  return answerOf(await fetch(url, { method: 'HEAD', redirect: 'manual' }));
}

export async function postLink(url: string, fields: FormFields): Promise<LinkAnswer> {
  return answerOf(
    await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(fields),
    }),
  );
}

export function formBody(fields: FormFields): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') pairs.push([name, value]);
    else for (const one of value) pairs.push([name, one]);
  }
  return new URLSearchParams(pairs).toString();
}

/** The token a link URL carries: everything after its audience's `/p/` or `/c/`. */
export function tokenOf(url: string): string {
  const token = /\/[pc]\/([^/?#]+)$/.exec(new URL(url).pathname)?.[1];
  if (token === undefined) throw new Error(`not a link URL: ${url}`);
  return token;
}

/** The same link with another token in its place. */
export function withToken(url: string, token: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/[^/]+$/, token)}`;
}

/**
 * A complete intake an eligible adult would give: moderate scores, no suicidal thoughts, one prior
 * medicine tried, normal blood pressure. The field names are the intake page's own (functions/pages/).
 */
export function intakeFields(): FormFields {
  const fields: Record<string, string> = { purpose: 'intake' };
  for (let i = 0; i < 7; i++) fields[`gad7.items[${i}]`] = '2';
  for (let i = 0; i < 9; i++) fields[`phq9.items[${i}]`] = i === 8 ? '0' : '2';
  for (const question of [
    'wishToBeDead',
    'suicidalThoughts',
    'thoughtsOfMethod',
    'intentToAct',
    'planWithIntent',
    'suicidalBehaviour',
  ])
    fields[`cssrs.${question}`] = 'no';
  for (let i = 0; i < 3; i++) fields[`auditC.items[${i}]`] = '0';
  for (let i = 0; i < 10; i++) fields[`dast10.answers[${i}]`] = i === 2 ? 'yes' : 'no';
  fields['medicalHistory.priorTreatments[0].name'] = 'Sertraline';
  fields['medicalHistory.priorTreatments[0].kind'] = 'medication';
  fields['medicalHistory.maniaOrHypomania'] = 'no';
  fields['pregnancy'] = 'no';
  fields['vitals.weightKg'] = '70';
  fields['vitals.restingBp[0].systolic'] = '120';
  fields['vitals.restingBp[0].diastolic'] = '80';
  return fields;
}

/**
 * What a link page's headers lack, in words (empty when they are right): never cached, no referrer (the
 * URL is the secret), never indexed, and a CSP that runs no script and cannot be framed. `default-src`
 * does not cover `form-action`, `base-uri` or `frame-ancestors`, so each must be set on its own.
 */
export function linkPageHeaderProblems(headers: Headers): string[] {
  const problems: string[] = [];
  const cacheControl = headers.get('cache-control') ?? '';
  if (!/(^|,)\s*no-store\s*(,|$)/i.test(cacheControl))
    problems.push(`Cache-Control is "${cacheControl}", not no-store`);
  const referrer = headers.get('referrer-policy') ?? '';
  if (referrer.trim().toLowerCase() !== 'no-referrer')
    problems.push(`Referrer-Policy is "${referrer}", not no-referrer`);
  const robots = headers.get('x-robots-tag') ?? '';
  if (!/\bnoindex\b/i.test(robots)) problems.push(`X-Robots-Tag is "${robots}", without noindex`);
  if (!/^text\/html\b/i.test(headers.get('content-type') ?? ''))
    problems.push(`Content-Type is "${headers.get('content-type') ?? ''}", not text/html`);
  problems.push(...cspProblems(headers.get('content-security-policy') ?? ''));
  return problems;
}

function cspProblems(policy: string): string[] {
  if (policy === '') return ['no Content-Security-Policy'];
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name !== undefined && name !== '')
      directives.set(
        name.toLowerCase(),
        values.map((v) => v.toLowerCase()),
      );
  }
  const problems: string[] = [];
  const only = (name: string, allowed: readonly string[]): void => {
    const values = directives.get(name);
    if (values === undefined || values.length === 0 || values.some((v) => !allowed.includes(v)))
      problems.push(`CSP ${name} is "${values?.join(' ') ?? 'missing'}", not ${allowed.join(' or ')}`);
  };
  only('default-src', ["'none'"]);
  only('frame-ancestors', ["'none'"]);
  only('base-uri', ["'none'", "'self'"]);
  only('form-action', ["'none'", "'self'"]);
  // whatever a directive allows, nothing may re-open inline or injected code
  for (const [name, values] of directives) {
    for (const value of values) {
      if (value.startsWith("'unsafe-") || value === '*' || value === 'data:' || value === 'http:' || value === 'https:')
        problems.push(`CSP ${name} allows ${value}`);
    }
  }
  const scripts = directives.get('script-src') ?? directives.get('default-src') ?? [];
  if (!scripts.every((v) => v === "'none'" || v.startsWith("'sha256-") || v.startsWith("'nonce-")))
    problems.push(`CSP lets scripts load from "${scripts.join(' ')}"`);
  return problems;
}

/**
 * An email's text with each link's random token taken out. A token is 43 random characters, so it now and
 * then spells "mg" or "dose" between digits; the word checks are about what the email says, and the
 * links' shape is checked on its own.
 */
export function withoutLinkTokens(text: string): string {
  return text.replace(/\/([pc])\/[A-Za-z0-9_-]{43}/g, '/$1/<token>');
}
