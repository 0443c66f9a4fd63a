import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { LinkPurpose } from '../functions/domain/schemas/link.ts';
import { fieldNamesIn, useJourneyDriver, type LinkPage } from './support/journey-driver.ts';
import { clinicianLinkFor, refillOnce, toMaintenance } from './support/journey-scenarios.ts';

/**
 * Bad input at every link page a journey reaches, over HTTP against the whole clinic running locally,
 * the way anyone holding a link could send it: field names that are Object.prototype's own, a body that
 * is not a form, bytes that are not UTF-8, a clinician's note over its limit. Each is sent while the
 * link is open (just before the driver sends the real answer), so the page really parses it; each must
 * answer a readable 4xx page and leave the patient's record and audit as they were.
 */
const attacked = new Map<LinkPurpose, { proto: number; textPlain: number; utf8: number }>();
const problems: string[] = [];

const local = useJourneyDriver({}, { beforeSubmit: attackOnce });

let documentClient: DynamoDBDocumentClient | undefined;
function table(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: local.clinic.urls.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  return documentClient;
}
afterAll(() => documentClient?.destroy());

/** Every item but the links' per-minute POST counters (a refused POST to a known link is counted). */
async function records(): Promise<Map<string, string>> {
  await local.clinic.settle();
  const items = new Map<string, string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table().send(
      new ScanCommand({ TableName: local.clinic.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      if (String(item['PK']).startsWith('LINK_RATE#')) continue;
      items.set(`${String(item['PK'])} | ${String(item['SK'])}`, JSON.stringify(item));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key)).sort();
}

async function post(
  url: string,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
): Promise<{ status: number; html: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    redirect: 'manual',
  });
  return { status: response.status, html: await response.text() };
}

/** The error summary's text, where a person reads what went wrong. */
function summaryOf(html: string): string {
  return /<div class="summary"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1]?.replace(/<[^>]+>/g, ' ') ?? '';
}

/** The first field of the page that takes typed text, else its first field. */
function textFieldOf(link: LinkPage): string {
  const typed = /<(?:textarea|input type="text")[^>]*\bname="([^"]+)"/.exec(link.html)?.[1];
  const first = [...fieldNamesIn(link.html)].find((name) => name !== 'purpose' && name !== 'decision');
  const field = typed ?? first;
  if (field === undefined) throw new Error(`the ${link.purpose} page has no field`);
  return field;
}

async function attackOnce(link: LinkPage): Promise<void> {
  if (attacked.has(link.purpose)) return;
  const before = await records();
  const purpose = `purpose=${encodeURIComponent(link.purpose)}`;

  // names that a plain object already has: the page must treat them as unknown fields
  const proto = await post(
    link.url,
    `${purpose}&constructor=1&__proto__=2&toString=3&hasOwnProperty=4&valueOf=5&__defineGetter__=6`,
  );
  if (proto.status !== 400) problems.push(`${link.purpose}: prototype field names answered ${proto.status}`);

  // a body of another type, even one a form would parse, is refused before it is read
  const textPlain = await post(link.url, `${purpose}&decision=APPROVED`, 'text/plain');
  if (textPlain.status !== 415 || !textPlain.html.includes('nothing was recorded'))
    problems.push(`${link.purpose}: text/plain answered ${textPlain.status}`);

  // "café" as Latin-1 (%E9), which is not UTF-8: never stored as "caf\uFFFD"
  const field = textFieldOf(link);
  const utf8 = await post(link.url, `${purpose}&${encodeURIComponent(field)}=caf%E9`);
  const summary = summaryOf(utf8.html);
  if (utf8.status !== 400) problems.push(`${link.purpose}: invalid UTF-8 in ${field} answered ${utf8.status}`);
  if (!summary.includes('could not be read'))
    problems.push(`${link.purpose}: the invalid UTF-8 page does not say what happened: ${summary}`);
  if (summary.includes(field))
    problems.push(`${link.purpose}: the error summary shows the internal name ${field}: ${summary}`);

  const written = changed(before, await records());
  if (written.length > 0) problems.push(`${link.purpose}: bad input wrote ${written.join(', ')}`);
  attacked.set(link.purpose, { proto: proto.status, textPlain: textPlain.status, utf8: utf8.status });
}

describe('bad input at every link page a journey reaches', () => {
  it('field names such as constructor and __proto__, a text/plain body and invalid UTF-8 each get a 4xx page and write nothing, at every purpose', async () => {
    const d = local.driver;
    const { patient } = await toMaintenance(d);
    await refillOnce(d, patient);
    expect(problems).toEqual([]);
    // the form pages a journey to its first refill passes through, patients' and clinicians'
    expect([...attacked.keys()].sort()).toEqual([
      'assessment',
      'check-in',
      'eligibility',
      'first-dose-check-in',
      'follow-up-decision',
      'intake',
      'journal',
      'recovery',
      'refill-approval',
      'refill-request',
      'treatment-plan',
    ]);
  });
});

describe("a clinician's over-long note or override reason", () => {
  it('is refused with the limit and its length said, the whole text kept in the form, and nothing written; within the limit it is recorded whole', async () => {
    const d = local.driver;
    const patient = await d.throughScreening();
    const link = await clinicianLinkFor(d, patient, 'eligibility');
    const before = await records();

    const note = `Discussed at the consult. ${'x'.repeat(5_000)}END`;
    const longNote = await post(
      link.url,
      new URLSearchParams({ purpose: 'eligibility', decision: 'DECLINED', overrideReason: '', note }).toString(),
    );
    expect(longNote.status).toBe(400);
    expect(summaryOf(longNote.html)).toContain(
      `Note (optional): shorten this to at most 5,000 characters (it has ${[...note].length.toLocaleString('en-US')})`,
    );
    expect(longNote.html).toContain(`${note}</textarea>`);

    const reason = `Passive thoughts only. ${'y'.repeat(2_000)}`;
    const longReason = await post(
      link.url,
      new URLSearchParams({
        purpose: 'eligibility',
        decision: 'APPROVED',
        overrideReason: reason,
        note: '',
      }).toString(),
    );
    expect(longReason.status).toBe(400);
    expect(summaryOf(longReason.html)).toContain(
      `Override reason: shorten this to at most 2,000 characters (it has ${[...reason].length.toLocaleString('en-US')})`,
    );
    expect(longReason.html).toContain(`${reason}</textarea>`);
    expect(changed(before, await records())).toEqual([]);

    const exactly = 'z'.repeat(5_000);
    expect((await d.decideEligibility(link, 'approve', exactly)).status).toBe(200);
    // recorded whole on the step's decision, as written
    const step =
      [...(await records())].find(
        ([key]) => key === `PATIENT#${patient.patientId} | STEP#${patient.journeyId}#eligibility`,
      )?.[1] ?? '';
    expect(step.includes(`"note":"${exactly}"`)).toBe(true);
  });
});

describe('enrolment with a date of birth no patient has', () => {
  it.each([
    ['in the future', '2999-04-12', 'not in the future'],
    ['giving an age over the protocol maximum', '1900-01-01', 'at most 110 years'],
  ])(
    'a date of birth %s is refused with 400 naming dateOfBirth, and no patient or journey is stored',
    async (_what, dateOfBirth, words) => {
      const d = local.driver;
      const before = await records();
      const patientId = `p-birth-${dateOfBirth.slice(0, 4)}`;
      const answer = await d.staff('POST', '/staff/patients', {
        patientId,
        firstName: 'Jamie',
        lastName: 'Doe',
        dateOfBirth,
        sexAtBirth: 'female',
        timeZone: 'America/Chicago',
        email: `${patientId}@example.net`,
        assignedClinicianId: 'dr-rivera',
      });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.json)).toContain('dateOfBirth');
      expect(JSON.stringify(answer.json)).toContain(words);
      expect(changed(before, await records())).toEqual([]);
      expect((await d.staff('GET', `/staff/patients/${patientId}`)).status).toBe(404);
    },
  );
});
