import { describe, expect, it } from 'vitest';
import { localDateOf, phiIn, useJourneyDriver } from './support/journey-driver.ts';
import {
  auditOf,
  awaitRefillRequest,
  branchClinicConfig,
  careTeam,
  clinicianLinkFor,
  DAY,
  expectPageStatus,
  fillTimesOf,
  HOUR,
  later,
  mainText,
  MINUTE,
  refillOnce,
  requestRefillAtOnce,
  stepRequestedAt,
  toMaintenance,
} from './support/journey-scenarios.ts';

const local = useJourneyDriver({ clinicConfig: branchClinicConfig });

const FLOW_TIMEOUT = 300_000;

describe('refill cycles: the gate through the flow', () => {
  it(
    'a refill requested 27 days after the last fill is refused and waits; at 28 days it goes to the clinician and is filled',
    async () => {
      const d = local.driver;
      const team = careTeam(1);
      const { patient } = await toMaintenance(d, { team });
      const lastFill = await refillOnce(d, patient, team);

      const request = await awaitRefillRequest(d, patient);
      await d.advanceTo(later(lastFill, 27 * DAY));
      await d.recordPdmpCheck(patient.patientId);
      expectPageStatus(await d.requestRefill(request), 200, 'refill request at 27 days');

      const [early] = (await auditOf(d, patient, 'refill.gate-decided')).filter((e) => e.details?.['cycle'] === 2);
      expect(early?.reason).toMatch(/^REFUSED: 27 day\(s\) since the last fill/);
      expect(early?.details?.['reasonCodes']).toEqual(['TOO_EARLY']);
      expect(early?.details?.['allowedFrom']).toBe(later(lastFill, 28 * DAY).toISOString());
      expect(early?.protocolVersion).toEqual(expect.any(String));

      // nothing reaches the clinician before the 28 days are up
      await d.advanceTo(later(lastFill, 28 * DAY - MINUTE));
      await expect(clinicianLinkFor(d, patient, 'refill-approval', team.email)).rejects.toThrow(
        /no open refill-approval link/,
      );
      expect(await fillTimesOf(d, patient)).toHaveLength(2);

      await d.advanceTo(later(lastFill, 28 * DAY + MINUTE));
      const decided = (await auditOf(d, patient, 'refill.gate-decided')).filter((e) => e.details?.['cycle'] === 2);
      expect(decided.map((e) => String(e.reason).split(':')[0])).toEqual(['REFUSED', 'APPROVABLE']);
      expectPageStatus(
        await d.approveRefill(await clinicianLinkFor(d, patient, 'refill-approval', team.email)),
        200,
        'refill approval',
      );
      const fills = await fillTimesOf(d, patient);
      expect(fills).toHaveLength(3);
      expect((fills.at(-1) as Date).getTime() - lastFill.getTime()).toBeGreaterThanOrEqual(28 * DAY);
    },
    FLOW_TIMEOUT,
  );

  it(
    'lost medication is never replaced early: the report holds the patient, and after the clinician resumes, the replacement still waits for day 28',
    async () => {
      const d = local.driver;
      const team = careTeam(2);
      const { patient } = await toMaintenance(d, { team });
      const lastFill = await refillOnce(d, patient, team);

      // the window opens 3 days early; the patient asks at once for a replacement of lost medication
      const request = await awaitRefillRequest(d, patient);
      expect(d.now().getTime() - lastFill.getTime()).toBeLessThan(28 * DAY);
      await d.recordPdmpCheck(patient.patientId);
      expectPageStatus(await d.requestRefill(request, { lostOrStolen: true }), 200, 'lost-medication request');

      let view = await d.journeyOf(patient.patientId);
      expect(view.journey.onHold).toBe(true);
      expect(view.adverseEvents.map((e) => e['kind'])).toContain('lost-or-stolen-medication');
      expect(await fillTimesOf(d, patient)).toHaveLength(2);

      // the clinician reviews and resumes; the patient asks again, still before day 28
      expectPageStatus(
        await d.decideHold(await clinicianLinkFor(d, patient, 'hold-decision', team.email), 'RESUME'),
        200,
        'hold decision',
      );
      view = await d.journeyOf(patient.patientId);
      expect(view.journey.onHold).not.toBe(true);
      const again = await d.awaitLink(patient.email, 'refill-request', { withinSeconds: 2 * 24 * 3600 });
      expect(d.now().getTime() - lastFill.getTime()).toBeLessThan(28 * DAY);
      await d.recordPdmpCheck(patient.patientId);
      expectPageStatus(await d.requestRefill(again, { lostOrStolen: true }), 200, 'second lost-medication request');

      const refused = (await auditOf(d, patient, 'refill.gate-decided'))
        .filter((e) => e.details?.['cycle'] === 2)
        .at(-1);
      expect(refused?.details?.['reasonCodes']).toEqual(['TOO_EARLY', 'LOST_OR_STOLEN_NEVER_EARLY']);
      expect(refused?.details?.['allowedFrom']).toBe(later(lastFill, 28 * DAY).toISOString());

      await d.advanceTo(later(lastFill, 28 * DAY - MINUTE));
      await expect(clinicianLinkFor(d, patient, 'refill-approval', team.email)).rejects.toThrow(
        /no open refill-approval link/,
      );
      expect(await fillTimesOf(d, patient)).toHaveLength(2);

      await d.advanceTo(later(lastFill, 28 * DAY + MINUTE));
      const approval = await clinicianLinkFor(d, patient, 'refill-approval', team.email);
      expect(mainText(approval.html)).toMatch(/lost or stolen/i);
      expectPageStatus(await d.approveRefill(approval), 200, 'replacement approval');
      const fills = await fillTimesOf(d, patient);
      expect(fills).toHaveLength(3);
      expect((fills.at(-1) as Date).getTime() - lastFill.getTime()).toBeGreaterThanOrEqual(28 * DAY);
    },
    FLOW_TIMEOUT,
  );

  it(
    'a refill more than 6 months after the prescription was issued is refused for good: no approval is asked, no fill, the clinician is told',
    async () => {
      const d = local.driver;
      const team = careTeam(3);
      // an existing prescription, issued 170 days before the plan is approved (3 days from now)
      const issuedOn = localDateOf(later(d.now(), (3 - 170) * DAY), branchClinicConfig.defaultTimeZone);
      const { patient } = await toMaintenance(d, { team, plan: { prescriptionIssuedOn: issuedOn } });

      const mark = await d.mark();
      await requestRefillAtOnce(d, patient);

      // the first request comes after the follow-up date, past day 28; no wait can cure an expired
      // prescription: the cycle ends for the clinician's review
      const [decision] = (await auditOf(d, patient, 'refill.gate-decided')).filter((e) => e.details?.['cycle'] === 1);
      expect(decision?.details?.['reasonCodes']).toEqual(['PRESCRIPTION_TOO_OLD']);
      expect(decision?.details?.['allowedFrom']).toBeUndefined();
      expect(decision?.reason).toContain(issuedOn);
      expect(decision?.details?.['retryable']).toBe(false);
      expect(await auditOf(d, patient, 'refill.refused')).toHaveLength(1);
      const notices = (await d.emailsSince(mark)).filter((email) => email.to.includes(team.email));
      expect(notices).toHaveLength(1);
      expect(phiIn(notices[0] as (typeof notices)[number], patient.lastName)).toEqual([]);

      // days later: still no approval link, no fill, and the cycle has ended without starting another
      await d.advanceBy(4 * 24 * 3600);
      await expect(clinicianLinkFor(d, patient, 'refill-approval', team.email)).rejects.toThrow(
        /no open refill-approval link/,
      );
      expect(await fillTimesOf(d, patient)).toHaveLength(1);
      expect((await d.execution(`${patient.journeyId}-refill-1`))?.status).toBe('SUCCEEDED');
      expect(await d.execution(`${patient.journeyId}-refill-2`)).toBeUndefined();
    },
    FLOW_TIMEOUT,
  );

  it(
    'a refill approval that expires is "not approved": reminder at 24 h, the backup clinician at 48 h with a link that works, no fill at 72 h',
    async () => {
      const d = local.driver;
      const team = careTeam(4);
      const { patient } = await toMaintenance(d, { team });
      const lastFill = (await fillTimesOf(d, patient)).at(-1) as Date;
      await requestRefillAtOnce(d, patient);
      // the gate waits for day 28, then asks the clinician
      await d.advanceTo(later(lastFill, 28 * DAY + MINUTE));
      const first = await clinicianLinkFor(d, patient, 'refill-approval', team.email);
      const askedAt = await stepRequestedAt(d, patient, 'refill-1-approval');
      expect(askedAt.getTime()).toBeGreaterThanOrEqual(later(lastFill, 28 * DAY).getTime());
      const mark = await d.mark();
      const aboutThisRefill = async () =>
        (await d.emailsSince(mark)).filter((email) =>
          [patient.email, team.email, team.backupEmail].some((to) => email.to.includes(to)),
        );

      await d.advanceTo(later(askedAt, 24 * HOUR - MINUTE));
      expect(await aboutThisRefill()).toEqual([]);
      await d.advanceTo(later(askedAt, 24 * HOUR + MINUTE));
      expect((await aboutThisRefill()).map((e) => [e.to.join(), e.subject])).toEqual([
        [team.email, expect.stringMatching(/^Reminder: refill approval due by /)],
      ]);

      await d.advanceTo(later(askedAt, 48 * HOUR - MINUTE));
      expect((await aboutThisRefill()).filter((email) => email.to.includes(team.backupEmail))).toEqual([]);
      await d.advanceTo(later(askedAt, 48 * HOUR + MINUTE));
      expect((await aboutThisRefill()).filter((email) => email.to.includes(team.backupEmail))).toHaveLength(1);
      for (const email of await aboutThisRefill()) expect(phiIn(email, patient.lastName)).toEqual([]);
      const backupLink = await clinicianLinkFor(d, patient, 'refill-approval', team.backupEmail);
      // both links open the decision page until expiry (GET changes nothing)
      expect((await d.openLink(backupLink.url)).status).toBe(200);
      expect((await d.openLink(first.url)).status).toBe(200);

      await d.advanceTo(later(askedAt, 72 * HOUR + MINUTE));
      expect((await d.openLink(first.url)).status).toBe(410);
      expect((await d.openLink(backupLink.url)).status).toBe(410);
      expect(await fillTimesOf(d, patient)).toHaveLength(1);
      expect(await auditOf(d, patient, 'refill.not-approved')).toHaveLength(1);
      const toPatient = (await aboutThisRefill()).filter(
        (email) => email.to.includes(patient.email) && /contact the clinic/i.test(email.text ?? ''),
      );
      expect(toPatient).toHaveLength(1);
      // an expired approval is never an approval, not even a late POST
      expect((await d.approveRefill(first)).status).toBe(410);
      expect(await fillTimesOf(d, patient)).toHaveLength(1);
    },
    FLOW_TIMEOUT,
  );
});
