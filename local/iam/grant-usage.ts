import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessCheck, Grant } from './access-check.ts';

/**
 * Which grants of the stack a run used, so a test run can list the ones nothing used: each clinic writes
 * what its roles granted and what its calls used into a folder, and the run's end adds them up.
 */
export const grantUsageDirVariable = 'CARE_JOURNEYS_IAM_USAGE_DIR';

/** Only these services are called locally and checked; KMS, Logs and X-Ray grants are AWS's side alone. */
const enforcedServices = ['dynamodb', 'ses', 'states', 'lambda', 'events'];

/**
 * Grants no local call can use, with the reason they stay. (A grant that shows up unused and is not
 * explained here is either dead, and should go, or a path no test exercises.)
 */
const clinicianPagesShareTheAnswerPath =
  'the link pages share serve-link.ts, which places the hold or sends the clinician alert an answer calls for; only patient answers call for either, so the clinician pages keep this grant for that shared path alone';

export const expectedUnusedGrants: Readonly<Record<string, string>> = {
  'function:clinician-pages ses:sendemail': clinicianPagesShareTheAnswerPath,
  'function:clinician-pages states:sendtaskfailure': `${clinicianPagesShareTheAnswerPath} (a hold ends the waiting steps)`,
  'function:refill-gate dynamodb:getitem':
    "read only when a retried email finds the marker an earlier attempt left (functions/email/email-marker.ts): the refill gate's hold alert on lost medication, retried after a failed send; the suite takes that retry path through the reminder and request functions",
};

export function recordGrantUsage(check: AccessCheck): void {
  const dir = process.env[grantUsageDirVariable];
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`),
    JSON.stringify({ grants: check.grants(), used: check.usedGrants() }),
  );
}

export function unusedGrants(dir: string): { grant: string; reason: string | undefined }[] {
  const granted = new Set<string>();
  const used = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { grants: Grant[]; used: string[] };
    for (const grant of record.grants) {
      if (enforcedServices.includes(grant.action.split(':')[0] ?? ''))
        granted.add(`${grant.principal} ${grant.action.toLowerCase()}`);
    }
    for (const entry of record.used) used.add(entry);
  }
  return [...granted]
    .filter((grant) => !used.has(grant))
    .sort()
    .map((grant) => ({ grant, reason: expectedUnusedGrants[grant] }));
}
