import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClinicConfig } from '../platform/clinic-config.ts';
import type { LinkItem } from '../links/step-store.ts';
import { formatInZone } from '../pages/format-time.ts';
import { html, join, type Html } from '../pages/html.ts';
import { getItem } from '../store/read-items.ts';
import { listPendingLinksForPerson } from '../store/list-by-index.ts';
import { keys } from '../store/table-design.ts';

/**
 * "My decisions": the steps waiting for the signed-in clinician, their own and those of the clinicians
 * they back up, oldest first, with when each is due. Read from the "pending links by person" index (one
 * Query per clinician), one row per step however many emails asked for it; the view-only notices are
 * not decisions. A list on a page, eventually consistent: deciding still happens on the step itself.
 */
export interface PendingDecision {
  readonly patientId: string;
  readonly patientName: string;
  readonly purpose: string;
  readonly askedAt: string;
  readonly dueBy: string;
  /** the clinician the step was sent to, when that is not the signed-in one */
  readonly asBackupFor?: string;
}

const purposeLabels: Readonly<Record<string, string>> = {
  'consult-booking': 'Book the consult',
  'consult-evaluation': 'Consult evaluation',
  eligibility: 'Eligibility',
  'treatment-plan': 'Treatment plan',
  'journal-missing': 'Journal not written',
  'missed-check-ins': 'Missed check-ins',
  'first-dose-check-in': 'Contact after the first dose',
  'hold-decision': 'Clinical hold',
  'follow-up-decision': 'Follow-up decision',
  'refill-approval': 'Refill approval',
};

export async function pendingDecisions(
  client: DynamoDBDocumentClient,
  tableName: string,
  clinic: ClinicConfig,
  clinicianId: string,
  at: Date,
): Promise<PendingDecision[]> {
  const backedUp = clinic.clinicians.filter((c) => c.backupId === clinicianId).map((c) => c.id);
  const links = (
    await Promise.all([clinicianId, ...backedUp].map((id) => listPendingLinksForPerson(client, tableName, id)))
  ).flat() as unknown as LinkItem[];
  const steps = new Map<string, LinkItem[]>();
  for (const link of links) {
    if (link.purpose === 'notice' || link.status !== 'pending' || Date.parse(link.expiresAt) <= at.getTime()) continue;
    const key = `${link.journeyId}#${link.stepKey}`;
    steps.set(key, [...(steps.get(key) ?? []), link]);
  }
  const names = new Map<string, string>();
  const decisions: PendingDecision[] = [];
  for (const asked of steps.values()) {
    const first = [...asked].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0] as LinkItem;
    const dueBy = asked
      .map((l) => l.expiresAt)
      .sort()
      .at(-1) as string;
    // a step sent to the clinician themselves is theirs, even when their backup was asked too
    const mine = asked.some((l) => l.person.id === clinicianId);
    if (!names.has(first.patientId)) names.set(first.patientId, await patientName(client, tableName, first.patientId));
    decisions.push({
      patientId: first.patientId,
      patientName: names.get(first.patientId) as string,
      purpose: first.purpose,
      askedAt: first.createdAt,
      dueBy,
      ...(mine
        ? {}
        : { asBackupFor: clinic.clinicians.find((c) => c.id === first.person.id)?.name ?? first.person.id }),
    });
  }
  return decisions.sort((a, b) => a.askedAt.localeCompare(b.askedAt));
}

async function patientName(client: DynamoDBDocumentClient, tableName: string, patientId: string): Promise<string> {
  const profile = await getItem(client, tableName, keys.profile(patientId));
  const first = typeof profile?.['firstName'] === 'string' ? profile['firstName'] : '';
  const last = typeof profile?.['lastName'] === 'string' ? profile['lastName'] : '';
  return `${first} ${last}`.trim() || patientId;
}

/** A list that reads on a phone: one block per decision, label and value pairs that wrap. */
export function myDecisionsSection(decisions: readonly PendingDecision[], timeZone: string): Html {
  if (decisions.length === 0) return html`<h2>My decisions</h2><p>Nothing is waiting for you.</p>`;
  const rows = decisions.map(
    (
      d,
    ) => html`<section class="measure"><h3>${purposeLabels[d.purpose] ?? d.purpose}: ${d.patientName}</h3><dl class="facts">
<div><dt>Asked</dt><dd>${formatInZone(d.askedAt, timeZone)}</dd></div>
<div><dt>Due by</dt><dd>${formatInZone(d.dueBy, timeZone)}</dd></div>
${d.asBackupFor === undefined ? '' : html`<div><dt>For</dt><dd>${d.asBackupFor} (you are the backup)</dd></div>`}
</dl></section>`,
  );
  return html`<h2>My decisions</h2><p class="hint">Oldest first. Open each from its email.</p>${join(rows)}`;
}
