import * as z from 'zod/mini';
import { resolveProtocol, type Protocol } from '../domain/protocol.ts';
import { timeZone } from '../domain/schemas/common.ts';
import { issueMessage } from '../domain/schemas/field-errors.ts';
import { InvalidClinicConfig } from './platform-errors.ts';

/**
 * The clinic's own settings: who its clinicians are, where mail comes from, its default time zone, and
 * its protocol overrides. Validated by the CDK app at synth (from `clinic.config.json`) and by the local
 * runtime at start; handed to every function as the `CLINIC_CONFIG` environment variable.
 */
export const clinicianSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{2,40}$/, 'expected a short id of lowercase letters, digits and dashes')),
  name: z.string().check(z.minLength(1)),
  email: z.email(),
  /** the clinician who receives this one's approvals when they go unanswered */
  backupId: z.optional(z.string()),
});

/** A member of the clinic's staff who signs in to the portal (enrols patients, books consults); never decides a clinician's step. */
export const staffMemberSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{2,40}$/, 'expected a short id of lowercase letters, digits and dashes')),
  name: z.string().check(z.minLength(1)),
  email: z.email(),
});

export const clinicConfigSchema = z
  .strictObject({
    clinicName: z.string().check(z.minLength(1)),
    /** the From address of every email; it must be in `senderDomain` when that is set */
    senderEmail: z.email(),
    /**
     * the clinic's mail domain, verified in SES with Easy DKIM and a custom MAIL FROM domain so mail passes
     * the clinic's DMARC; without it only the address is verified (a sandbox trial: mail is sent and signed
     * by amazonses.com, and a clinic with DMARC quarantine or reject loses it)
     */
    senderDomain: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            'expected a domain name in lowercase, e.g. riverside-wellness.example',
          ),
        ),
    ),
    defaultTimeZone: timeZone,
    opsAlertEmail: z.email(),
    clinicians: z.array(clinicianSchema).check(z.minLength(1, 'at least one clinician is needed to approve anything')),
    /** the staff who sign in to the portal (the clinic portal, #15); a clinician needs no entry here */
    staff: z.optional(z.array(staffMemberSchema)),
    /** overrides of functions/domain/protocol.ts; must carry a version of their own, with approvedBy and approvedOn */
    protocolOverrides: z.optional(z.record(z.string(), z.unknown())),
  })
  .check(
    z.superRefine((config, ctx) => {
      const ids = new Set(config.clinicians.map((c) => c.id));
      config.clinicians.forEach((clinician, index) => {
        if (clinician.backupId !== undefined && !ids.has(clinician.backupId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['clinicians', index, 'backupId'],
            message: `no clinician has id "${clinician.backupId}"`,
          });
        }
        if (clinician.backupId === clinician.id) {
          ctx.addIssue({
            code: 'custom',
            path: ['clinicians', index, 'backupId'],
            message: 'a clinician cannot be their own backup',
          });
        }
      });
      if (config.senderDomain !== undefined && !isInDomain(config.senderEmail, config.senderDomain)) {
        ctx.addIssue({
          code: 'custom',
          path: ['senderEmail'],
          message: `"${config.senderEmail}" is not an address of senderDomain "${config.senderDomain}"`,
        });
      }
      if (config.protocolOverrides !== undefined) {
        try {
          resolveProtocol(config.protocolOverrides, { requireApproval: true });
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: ['protocolOverrides'], message: (error as Error).message });
        }
      }
    }),
  );

/** The address's domain is the domain or one of its subdomains, which a verified domain identity covers. */
function isInDomain(address: string, domain: string): boolean {
  const addressDomain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return addressDomain === domain || addressDomain.endsWith(`.${domain}`);
}

export type ClinicConfig = z.infer<typeof clinicConfigSchema>;
export type Clinician = z.infer<typeof clinicianSchema>;
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** Parses a clinic config, with an error that names each bad field. */
export function parseClinicConfig(raw: unknown, source = 'clinic config'): ClinicConfig {
  const parsed = clinicConfigSchema.safeParse(raw, { error: issueMessage });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new InvalidClinicConfig(`${source} is invalid:\n${problems.join('\n')}`);
}

export function protocolOf(config: ClinicConfig): Protocol {
  return resolveProtocol(config.protocolOverrides, { requireApproval: true });
}
