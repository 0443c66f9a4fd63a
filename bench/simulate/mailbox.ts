import type { LocalClinic } from '../../local/runtime/start-local-clinic.ts';
import type { SentEmail } from '../../local/services/ses-local.ts';
import type { ObservedEmail } from '../../test/support/journey-driver.ts';

/**
 * The cohort's inboxes, read from the SES emulator's store as its mail viewer reads it, but only the
 * mail that is new since the last look (`?since=`, the emulator's own filter, in its wall-clock
 * seconds): a year of a clinic's mail read whole at every step would cost more than the clinic itself.
 * Each email is stamped with the virtual time it was first seen, as the test driver does.
 */
export interface Mailbox {
  /** the emails sent since the last call, oldest first */
  poll(): Promise<ObservedEmail[]>;
  /** every email seen so far to this address, oldest first */
  to(address: string): readonly ObservedEmail[];
  readonly total: number;
}

interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to?: string[]; readonly cc?: string[]; readonly bcc?: string[] };
  readonly subject?: string;
  readonly body?: { readonly text?: string; readonly html?: string };
  readonly at: number;
}

export function createMailbox(clinic: LocalClinic): Mailbox {
  const seen = new Set<string>();
  const byAddress = new Map<string, ObservedEmail[]>();
  let sinceSeconds = 0;
  let total = 0;
  return {
    async poll() {
      const response = await fetch(`${clinic.urls.ses}/store?since=${sinceSeconds}`);
      if (!response.ok) throw new Error(`SES local answered ${response.status} to GET /store`);
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      const fresh: ObservedEmail[] = [];
      const seenAt = clinic.now();
      for (const stored of emails) {
        sinceSeconds = Math.max(sinceSeconds, stored.at);
        if (seen.has(stored.messageId)) continue;
        seen.add(stored.messageId);
        const email: SentEmail = {
          messageId: stored.messageId,
          from: stored.from,
          to: stored.destination.to ?? [],
          cc: stored.destination.cc ?? [],
          bcc: stored.destination.bcc ?? [],
          subject: stored.subject ?? '',
          text: stored.body?.text,
          // the invariants read the HTML only for a clinician's link sent to a patient: keep it only then
          html: /\/c\/[A-Za-z0-9_-]{20,}/.test(stored.body?.html ?? '') ? stored.body?.html : undefined,
          date: new Date(stored.at * 1000),
        };
        const observed = { ...email, seenAt };
        fresh.push(observed);
        total += 1;
        for (const address of new Set([...email.to, ...email.cc, ...email.bcc])) {
          const list = byAddress.get(address) ?? [];
          list.push(observed);
          byAddress.set(address, list);
        }
      }
      return fresh;
    },
    to: (address) => byAddress.get(address) ?? [],
    get total() {
      return total;
    },
  };
}
