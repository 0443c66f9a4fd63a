import { describe, expect, it } from 'vitest';
import { absoluteExclusionConditions } from '../functions/domain/protocol.ts';
import { eligibleIntake, phiIn, useJourneyDriver, type IntakeAnswers } from './support/journey-driver.ts';
import { clinicianEmail, throughEvaluation } from './support/journey-scenarios.ts';

const local = useJourneyDriver();

/**
 * One patient per absolute exclusion of the protocol (DESIGN.md section 3), all in one clinic, driven
 * through intake, consult and evaluation together: screening runs after the evaluation and must close
 * each journey as INELIGIBLE with the exclusion named, never asking the clinician to decide.
 */
const noRisk = eligibleIntake.cssrs;
const exclusions: readonly { readonly name: string; readonly code: string; readonly intake: Partial<IntakeAnswers> }[] =
  [
    ...absoluteExclusionConditions.map((condition) => ({
      name: condition,
      code: condition,
      intake: { conditions: [condition] },
    })),
    // six scoring "yes" answers (question 3 scores for "no", and is answered "yes" here)
    {
      name: 'DAST-10 of 6',
      code: 'dast10-at-exclusion-threshold',
      intake: { dast10: [true, true, true, true, true, true, true, false, false, false] },
    },
    {
      name: 'resting BP of exactly 160/100',
      code: 'resting-bp-at-exclusion-threshold',
      intake: {
        restingBp: [
          { systolic: 122, diastolic: 80 },
          { systolic: 160, diastolic: 100 },
        ],
      },
    },
    {
      name: 'C-SSRS intent to act',
      code: 'cssrs-imminent-risk',
      intake: { cssrs: { ...noRisk, wishToBeDead: true, suicidalThoughts: true, intentToAct: true } },
    },
    {
      name: 'C-SSRS plan with intent',
      code: 'cssrs-imminent-risk',
      intake: {
        cssrs: { ...noRisk, wishToBeDead: true, suicidalThoughts: true, thoughtsOfMethod: true, planWithIntent: true },
      },
    },
    {
      name: 'C-SSRS behaviour in the last 3 months',
      code: 'cssrs-imminent-risk',
      intake: { cssrs: { ...noRisk, suicidalBehaviour: true, behaviourLastOn: '2025-11-20' } },
    },
  ];

describe('every absolute exclusion closes the journey as ineligible', () => {
  it('each exclusion is screened INELIGIBLE with its reason and protocol version, the patient gets one gentle email and the journey closes without a clinician decision', async () => {
    const d = local.driver;
    const mark = await d.mark();
    const patients = await throughEvaluation(
      d,
      exclusions.map((e) => e.intake),
    );
    const emails = await d.emailsSince(mark);

    const failures: string[] = [];
    for (const [i, exclusion] of exclusions.entries()) {
      const patient = patients[i];
      if (patient === undefined) throw new Error('a patient is missing');
      const view = await d.journeyOf(patient.patientId);
      const screening = view.screenings[0];
      const codes = (screening?.reasons ?? []).map((reason) => reason.code);
      const toPatient = emails.filter((email) => email.to.includes(patient.email));
      const gentle = toPatient.filter((email) => /contact the clinic/i.test(email.text ?? ''));
      const audit = view.audit.filter((event) => event.action === 'screening.decided');
      const execution = await d.execution(patient.executionName);
      const problems = [
        view.screenings.length === 1 ? '' : `${view.screenings.length} screenings`,
        screening?.outcome === 'INELIGIBLE' ? '' : `outcome ${screening?.outcome}`,
        codes.includes(exclusion.code) ? '' : `reasons ${codes.join(', ') || 'none'} lack ${exclusion.code}`,
        typeof screening?.protocolVersion === 'string' && screening.protocolVersion !== ''
          ? ''
          : 'no protocol version on the screening',
        audit.length === 1 && typeof audit[0]?.protocolVersion === 'string'
          ? ''
          : `${audit.length} screening.decided audit events (with the protocol version)`,
        view.journey.status === 'closed' && view.journey.phase === 'ineligible'
          ? ''
          : `journey ${view.journey.status}/${view.journey.phase}`,
        gentle.length === 1
          ? ''
          : `${gentle.length} "contact the clinic" emails (${toPatient.map((e) => e.subject).join(' | ')})`,
        // the email tells nothing of the reason: the clinic talks to the patient
        gentle.every(
          (email) => phiIn(email, patient.lastName).length === 0 && !(email.text ?? '').includes(exclusion.code),
        )
          ? ''
          : 'the gentle email carries PHI or the reason',
        execution?.status === 'SUCCEEDED'
          ? ''
          : `journey execution ${execution?.status} ${execution?.error ?? ''} ${execution?.cause ?? ''}`,
      ].filter((p) => p !== '');
      if (problems.length > 0) failures.push(`${exclusion.name}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);

    // nobody is asked to decide eligibility for an excluded patient
    const eligibilityLinks = (await d.linkPagesFor(clinicianEmail)).filter((page) => page.purpose === 'eligibility');
    expect(eligibilityLinks).toEqual([]);
  });

  it('imminent suicide risk sends the clinician a same-day urgent email as well as closing the journey', async () => {
    const d = local.driver;
    const mark = await d.mark();
    const [patient] = await throughEvaluation(d, [
      { cssrs: { ...noRisk, wishToBeDead: true, suicidalThoughts: true, intentToAct: true } },
    ]);
    if (patient === undefined) throw new Error('no patient');
    const urgent = (await d.emailsSince(mark)).filter(
      (email) => email.to.includes(clinicianEmail) && /attention today/i.test(email.text ?? ''),
    );
    // the same day the intake arrives (the questionnaire triage), not only at screening after the consult
    expect(urgent.map((email) => email.seenAt.getTime())).toEqual([expect.any(Number), expect.any(Number)]);
    expect((urgent[0] as (typeof urgent)[number]).seenAt.getTime()).toBeLessThan(
      (urgent[1] as (typeof urgent)[number]).seenAt.getTime(),
    );
    for (const email of urgent) expect(phiIn(email, patient.lastName)).toEqual([]);
    const view = await d.journeyOf(patient.patientId);
    expect(view.journey.phase).toBe('ineligible');
    expect(
      view.audit.some(
        (event) =>
          event.action === 'email.clinician-urgent' && typeof event.reason === 'string' && event.reason.length > 0,
      ),
    ).toBe(true);
  });
});
