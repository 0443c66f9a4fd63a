import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll } from 'vitest';
import type { SentEmail } from '../../local/services/ses-local.ts';
import { startLocalClinic, type LocalClinic, type LocalClinicOptions } from '../../local/runtime/start-local-clinic.ts';

/**
 * The whole local clinic for an integration test file: every service on a free port, data in memory
 * under a temporary directory, the virtual clock at a fixed start. One clinic per test file (the
 * functions read their configuration from process.env, and DynamoDB Local is a JVM).
 *
 *   const local = useLocalClinic();
 *   it('...', async () => { await local.clinic.advanceClock({ advanceSeconds: 3600 }); ... });
 */
export const testStartTime = new Date('2026-01-05T14:00:00.000Z');

export async function startTestClinic(options: Partial<LocalClinicOptions> = {}): Promise<LocalClinic> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'care-journeys-clinic-'));
  const clinic = await startLocalClinic({
    inMemory: true,
    startTime: testStartTime,
    ...options,
    dataDir,
    ports: { app: 0, sfn: 0, dynamodb: 0, ses: 0, ...options.ports },
  });
  const stop = clinic.stop;
  return {
    ...clinic,
    async stop() {
      await stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts a clinic before the file's tests and stops it after them. */
export function useLocalClinic(options: Partial<LocalClinicOptions> = {}): { readonly clinic: LocalClinic } {
  let started: LocalClinic | undefined;
  beforeAll(async () => {
    started = await startTestClinic(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get clinic(): LocalClinic {
      if (started === undefined) throw new Error('the local clinic is not started: use it inside a test');
      return started;
    },
  };
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A Step Functions client pointed at the clinic's engine, as a staff tool or a test would use it. */
export function sfnClientFor(clinic: LocalClinic): SFNClient {
  return new SFNClient({ endpoint: clinic.urls.sfn, region: 'us-east-1', credentials: localCredentials });
}

export function sesClientFor(clinic: LocalClinic): SESClient {
  return new SESClient({ endpoint: clinic.urls.ses, region: 'us-east-1', credentials: localCredentials });
}

/** Moves the virtual clock through the console's endpoint, the way a person or a journey test does. */
export async function advanceClockOverHttp(
  clinic: LocalClinic,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${clinic.urls.app}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** The emails sent to one address so far, oldest first. */
export async function emailsTo(clinic: LocalClinic, address: string): Promise<SentEmail[]> {
  return (await clinic.listEmails()).filter((email) => [...email.to, ...email.cc, ...email.bcc].includes(address));
}

/** The link-page URLs (`<app>/p/<token>` for patients, `<app>/c/<token>` for clinicians) an email carries, in order, each once. */
export function linksIn(clinic: LocalClinic, email: SentEmail): string[] {
  const base = clinic.urls.app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${base}/[pc]/[A-Za-z0-9_~.%-]+`, 'g');
  return [...new Set(`${email.text ?? ''}\n${email.html ?? ''}`.match(pattern) ?? [])];
}
