import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { journeyStatuses } from '../domain/schemas/journey.ts';
import { formatInZone } from '../pages/format-time.ts';
import { html, join, type Html } from '../pages/html.ts';
import { getItem } from '../store/read-items.ts';
import { listJourneysByStatus } from '../store/list-by-index.ts';
import { keys } from '../store/table-design.ts';

/**
 * The portal's Patients: every journey with its phase and hold, those on hold first, then the active,
 * then the closed; searched by name or id. Read from the "journeys by status" index (one Query per
 * status: a clinic has hundreds of journeys, not millions) and each patient's profile.
 */
export interface PatientRow {
  readonly patientId: string;
  readonly name: string;
  readonly phase: string;
  readonly status: string;
  readonly holdSince?: string;
}

const statusOrder = ['on-hold', 'active', 'closed'] as const satisfies readonly (typeof journeyStatuses)[number][];

export async function listPatients(
  client: DynamoDBDocumentClient,
  tableName: string,
  search: string,
): Promise<PatientRow[]> {
  const wanted = search.trim().toLowerCase();
  const rows: PatientRow[] = [];
  for (const status of statusOrder) {
    for (const journey of await listJourneysByStatus(client, tableName, status)) {
      const patientId = String(journey['patientId'] ?? '');
      const profile = await getItem(client, tableName, keys.profile(patientId));
      const name = `${String(profile?.['firstName'] ?? '')} ${String(profile?.['lastName'] ?? '')}`.trim() || patientId;
      if (wanted !== '' && !name.toLowerCase().includes(wanted) && !patientId.toLowerCase().includes(wanted)) continue;
      const hold = journey['hold'] as { since?: string } | null | undefined;
      rows.push({
        patientId,
        name,
        phase: String(journey['phase'] ?? ''),
        status,
        ...(typeof hold?.since === 'string' ? { holdSince: hold.since } : {}),
      });
    }
  }
  return rows;
}

export function patientsSection(rows: readonly PatientRow[], search: string, timeZone: string): Html {
  const form = html`<form method="get" action="/portal/patients"><div class="field"><label for="q">Search by name or id</label><input type="text" id="q" name="q" value="${search}"></div><button type="submit">Search</button></form>`;
  if (rows.length === 0) return html`${form}<p>No patient matches.</p>`;
  const blocks = rows.map(
    (row) => html`<section class="measure"><h3>${row.name}</h3><dl class="facts">
<div><dt>Id</dt><dd>${row.patientId}</dd></div>
<div><dt>Phase</dt><dd>${row.phase}</dd></div>
${row.holdSince === undefined ? html`<div><dt>Status</dt><dd>${row.status}</dd></div>` : html`<div><dt>Hold</dt><dd>On hold since ${formatInZone(row.holdSince, timeZone)}</dd></div>`}
</dl></section>`,
  );
  return html`${form}${join(blocks)}`;
}
