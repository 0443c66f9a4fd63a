import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import type { PatientContext } from '../functions/patient/patient-context.ts';
import { eligibilityAnswer, treatmentPlanAnswer } from '../functions/links/answers/clinician-answers.ts';
import type { LinkItem, StepItem } from '../functions/links/step-store.ts';
import { emptyForm, formWithErrors } from '../functions/pages/form-fields.ts';
import { parseFormBody } from '../functions/pages/form-body.ts';
import { page } from '../functions/pages/layout.ts';
import { clinicianPages } from '../functions/pages/clinician-page-registry.ts';
import { patientPages } from '../functions/pages/patient-page-registry.ts';
import type { PageView, PurposePage } from '../functions/pages/page-view.ts';
import { linkPurposes, type LinkPurpose } from '../functions/domain/schemas/link.ts';
import { audienceOf } from '../functions/links/purposes.ts';
import { adverseEventKinds, adverseEventReporters } from '../functions/domain/schemas/adverse-event.ts';
import { evaluationModalities } from '../functions/domain/schemas/evaluation.ts';
import { journeyPhases } from '../functions/domain/schemas/journey.ts';
import { medicalConditions } from '../functions/domain/schemas/questionnaires.ts';
import { bladderCheckSchema } from '../functions/domain/schemas/assessment.ts';
import { screeningOutcomes } from '../functions/domain/schemas/screening-result.ts';

const now = new Date('2026-05-04T13:00:00.000Z');

function viewFor(purpose: LinkItem['purpose'], screeningOutcome: 'ELIGIBLE' | 'NEEDS_REVIEW' = 'ELIGIBLE'): PageView {
  const step = {
    patientId: 'p1',
    journeyId: 'j1',
    stepKey: purpose === 'check-in' ? 'session-1-a1-check-in' : purpose,
    purpose,
    person: { kind: 'clinician', id: 'dr-rivera' },
    status: 'pending',
    round: 1,
    taskToken: 't',
    stage: 'first',
    expiresAt: '2026-05-07T13:00:00.000Z',
    notified: [],
    linkHashes: [],
    createdAt: now.toISOString(),
    version: 1,
  } as StepItem;
  const link = {
    tokenHash: 'a'.repeat(64),
    purpose,
    person: step.person,
    patientId: 'p1',
    journeyId: 'j1',
    stepKey: step.stepKey,
    stepRound: 1,
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: step.expiresAt,
    version: 1,
  } as LinkItem;
  const scores = {
    ageYears: 36,
    gad7: { total: 12, band: 'moderate' },
    phq9: { total: 14, band: 'moderate', item9: 1 },
    auditC: { total: 1, positive: false },
    dast10: { total: 0, band: 'none' },
    cssrs: { risk: 'low' },
    restingBp: { systolic: 128, diastolic: 82 },
  };
  const patient = {
    patient: {
      id: 'p1',
      firstName: 'Jamie',
      lastName: 'Doe',
      dateOfBirth: '1990-02-03',
      sexAtBirth: 'female',
      timeZone: 'America/Chicago',
      email: 'j@example.net',
      assignedClinicianId: 'dr-rivera',
    },
    journey: {
      id: 'j1',
      patientId: 'p1',
      phase: 'eligibility',
      status: 'active',
      hold: null,
      onHold: false,
      version: 1,
    },
    plans: [],
    sessions: [
      { number: 1, plannedStart: '2026-05-04T14:00:00.000Z', status: 'planned', checkInRef: null, journalRef: null },
    ],
    journalEntries: [],
    fills: [],
    evaluations: [
      { clinicianId: 'dr-rivera', notes: 'Seen by video', modality: 'telehealth', evaluatedAt: now.toISOString() },
    ],
    screenings: [
      {
        outcome: screeningOutcome,
        reasons:
          screeningOutcome === 'NEEDS_REVIEW'
            ? [{ code: 'phq9-item9-positive', message: 'PHQ-9 item 9 is 1', severity: 'review' }]
            : [],
        scores,
        urgentAlert: false,
        protocolVersion: defaultProtocol.version,
        decidedAt: now.toISOString(),
        screeningId: 's1',
      },
    ],
    assessments: [],
    adverseEvents: [],
    intake: undefined,
  } as unknown as PatientContext;
  return {
    link,
    step,
    patient,
    protocol: defaultProtocol,
    clinic: {
      clinicName: 'C',
      senderEmail: 'c@example.org',
      defaultTimeZone: 'America/New_York',
      opsAlertEmail: 'o@example.org',
      clinicians: [{ id: 'dr-rivera', name: 'Dr. Ana Rivera', email: 'a@example.org' }],
    },
    now,
    timeZone: 'America/New_York',
    language: 'en',
  };
}

const pages = { ...patientPages, ...clinicianPages } as Record<LinkPurpose, PurposePage>;

describe('link pages', () => {
  it('every purpose has one page, served by the function of the audience its links go to', () => {
    for (const purpose of linkPurposes) {
      const audience = audienceOf(purpose);
      expect({ purpose, patient: purpose in patientPages, clinician: purpose in clinicianPages }).toEqual({
        purpose,
        patient: audience === 'patient',
        clinician: audience === 'clinician',
      });
    }
  });

  it.each(Object.keys(pages) as LinkItem['purpose'][])(
    'the %s page labels every input, loads nothing external and runs no script',
    (purpose) => {
      const body = page(pages[purpose].title, pages[purpose].render(viewFor(purpose), emptyForm));
      expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(body).not.toMatch(/<script|<img|<link|<iframe|\bsrc=|href="https?:/i);
      const ids = [...body.matchAll(/<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g)].map(
        (m) => m[1],
      );
      for (const id of ids) expect(body, `input ${id} has no label`).toMatch(new RegExp(`<label[^>]* for="${id}"`));
      if (pages[purpose].rule !== undefined)
        expect(body).toContain(`<input type="hidden" name="purpose" value="${purpose}">`);
    },
  );

  it("a treatment plan over the protocol's dose limit comes back with the error next to the dose and the answers kept", () => {
    const view = viewFor('treatment-plan');
    const parsed = parseFormBody(
      new URLSearchParams({
        decision: 'APPROVED',
        'plan.doseMg': '600',
        'plan.route': 'sublingual',
        'plan.sessionCount': '4',
        'plan.intervalDays': '7',
        'plan.plannedSessionTimes[0]': '2026-05-11T10:00',
        'plan.plannedSessionTimes[1]': '2026-05-18T10:00',
        'plan.plannedSessionTimes[2]': '2026-05-25T10:00',
        'plan.plannedSessionTimes[3]': '2026-06-01T10:00',
        'plan.monitoring.adultMonitorRequired': 'yes',
        'plan.monitoring.bloodPressureBeforeEachSession': 'yes',
        'plan.monitoring.notes': '',
        'plan.followUpAt': '2026-06-15T10:00',
        'plan.preparationGuidance': 'Fast for 4 hours',
        'plan.prescriptionIssuedOn': '2026-05-04',
        'plan.daysOfSupply': '30',
        'plan.refillsAllowed': '5',
        'plan.maintenanceIntervalDays': '14',
      }).toString(),
    );
    const values = parsed.values;
    const judged = treatmentPlanAnswer(pages['treatment-plan'].answerFrom(values, view), {
      step: view.step,
      patient: view.patient,
      protocol: defaultProtocol,
      now,
      actor: { type: 'clinician', id: 'dr-rivera' },
    });
    expect(judged.ok).toBe(false);
    if (judged.ok) return;
    // over the protocol's 450 mg, with no weight on record (the mg/kg limit cannot be checked), over the
    // first-dose limit, and no PDMP check: every problem at once
    expect(judged.errors.map((e) => e.field)).toEqual([
      'plan.doseMg',
      'plan.doseMg',
      'plan.doseMg',
      'plan.prescribing',
    ]);
    const body = pages['treatment-plan'].render(view, formWithErrors(values, judged.errors)).value;
    expect(body).toMatch(
      /<p class="error" id="f-plan_doseMg-error">Dose per session \(mg\): expected at most 450 mg per session/,
    );
    expect(body).toContain('name="plan.doseMg" inputmode="decimal" value="600"');
    expect(body).toContain('>Fast for 4 hours</textarea>');
  });

  it('a relative contraindication is approved only with a written override reason', () => {
    const view = viewFor('eligibility', 'NEEDS_REVIEW');
    const context = {
      step: view.step,
      patient: view.patient,
      protocol: defaultProtocol,
      now,
      actor: { type: 'clinician' as const, id: 'dr-rivera' },
    };
    const without = eligibilityAnswer({ decision: 'APPROVED', overrideReason: '  ' }, context);
    expect(without.ok ? [] : without.errors.map((e) => e.field)).toEqual(['overrideReason']);
    const withReason = eligibilityAnswer(
      { decision: 'APPROVED', overrideReason: 'Passive thoughts only, safety plan in place' },
      context,
    );
    expect(withReason.ok && withReason.decision).toBe('APPROVED');
    expect(withReason.ok && withReason.output).toEqual({ overridden: true });
    const declined = eligibilityAnswer({ decision: 'DECLINED' }, context);
    expect(declined.ok && declined.decision).toBe('DECLINED');
  });

  it('the notice page of an escalated patient step says which step is overdue and until when its link works', () => {
    const view = viewFor('notice');
    const body = pages.notice.render(
      { ...view, step: { ...view.step, purpose: 'journal', stepKey: 'session-1-journal' } },
      emptyForm,
    ).value;
    expect(body).toContain('<td>Jamie Doe</td>');
    expect(body).toContain(
      'The patient has not yet completed a session journal (session 1). Their link stays valid until Thu, May 7, 2026, 9:00 AM EDT.',
    );
  });

  it('the notice page of a clinician alert names the patient and shows its urgency, message and time', () => {
    const view = viewFor('notice');
    const alert = {
      urgency: 'urgent' as const,
      message: 'C-SSRS screener indicates imminent risk: intent in the past month',
      raisedAt: now.toISOString(),
    };
    const body = pages.notice.render({ ...view, step: { ...view.step, alert } }, emptyForm).value;
    expect(body).toContain('<td>Jamie Doe</td>');
    expect(body).toContain('<p class="urgent" role="status">Urgent: please review today</p>');
    expect(body).toContain('<p>C-SSRS screener indicates imminent risk: intent in the past month</p>');
    expect(body).toContain('<th>Raised</th><td>Mon, May 4, 2026, 9:00 AM EDT</td>');
    expect(body).not.toContain('has not yet completed');
    const notice = pages.notice.render(
      { ...view, step: { ...view.step, alert: { ...alert, urgency: 'notice' } } },
      emptyForm,
    ).value;
    expect(notice).toContain('<p class="notice" role="status">For your attention</p>');
  });

  it('the eligibility page shows the screening outcome, its reasons and the scores', () => {
    const body = pages.eligibility.render(viewFor('eligibility', 'NEEDS_REVIEW'), emptyForm).value;
    expect(body).toContain('Screening: needs your review (a relative contraindication)');
    expect(body).toContain('Review: PHQ-9 item 9 is 1');
    expect(body).toContain('<th>PHQ-9</th><td>14 (moderate); item 9: 1</td>');
    expect(body).toContain('name="decision" value="APPROVED">Approve</button>');
  });

  it('the hold-decision page offers only the decisions the waiting workflow accepts, and the answer refuses the others', () => {
    const view = viewFor('hold-decision');
    const everything = pages['hold-decision'].render(view, emptyForm).value;
    expect([...everything.matchAll(/name="decision" value="([A-Z_]+)"/g)].map((m) => m[1])).toEqual([
      'RESUME',
      'NEW_PLAN',
      'DISCHARGE',
    ]);

    const narrowed = { ...view, step: { ...view.step, context: { decisions: ['RESUME', 'DISCHARGE'] } } };
    const body = pages['hold-decision'].render(narrowed, emptyForm).value;
    expect([...body.matchAll(/name="decision" value="([A-Z_]+)"/g)].map((m) => m[1])).toEqual(['RESUME', 'DISCHARGE']);
    expect(body).not.toContain('New plan');
    const rule = pages['hold-decision'].rule;
    if (rule === undefined) throw new Error('the hold-decision page has no answer rule');
    const context = {
      step: narrowed.step,
      patient: view.patient,
      protocol: defaultProtocol,
      now,
      actor: { type: 'clinician' as const, id: 'dr-rivera' },
    };
    const refused = rule({ decision: 'NEW_PLAN' }, context);
    expect(refused.ok ? [] : refused.errors.map((e) => e.field)).toEqual(['decision']);
    expect(rule({ decision: 'DISCHARGE' }, context).ok).toBe(true);
  });
});

/** The text a person reads on a page: no tags, no attribute values (field names stay in `name="..."`). */
function visibleText(body: string): string {
  return body
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('clinician pages say coded values in words', () => {
  // the codes a clinician page could leak: enum values, field names, step keys ("in-person" and "follow-up" are also plain English)
  const codes = [
    ...adverseEventKinds,
    ...adverseEventReporters.map((r) => `(${r})`),
    ...journeyPhases.filter((p) => p.includes('-') && p !== 'follow-up'),
    ...medicalConditions.filter((c) => c.includes('-')),
    ...Object.keys(bladderCheckSchema.shape).filter((name) => /[A-Z]/.test(name)),
    ...evaluationModalities.filter((m) => m !== 'in-person').map((m) => `(${m})`),
    ...screeningOutcomes.filter((o) => o.includes('_')),
    'session-2-',
    'dr-rivera',
  ];
  const coded = (purpose: LinkPurpose): PageView => {
    const view = viewFor(purpose, 'NEEDS_REVIEW');
    const since = now.toISOString();
    return {
      ...view,
      step: { ...view.step, stepKey: `session-2-a1-${purpose}` },
      patient: {
        ...view.patient,
        journey: {
          ...view.patient.journey,
          phase: 'closed-before-treatment',
          hold: { since, reason: 'adverse event reported by the clinic: severe side effect', adverseEventId: 'ae-1' },
        },
        adverseEvents: [
          {
            id: 'ae-1',
            patientId: 'p1',
            kind: 'severe-side-effect',
            reportedBy: 'staff',
            reporterId: 'staff-1',
            description: 'Fainted at home.',
            reportedAt: since,
            status: 'open',
            resolvedAt: null,
            resolvedBy: null,
            resolution: null,
          },
        ],
        evaluations: [
          { clinicianId: 'dr-rivera', notes: 'Seen in clinic', modality: 'in-person', evaluatedAt: since },
          { clinicianId: 'dr-rivera', notes: 'Seen by video', modality: 'telehealth', evaluatedAt: since },
        ],
        screenings: [
          {
            ...view.patient.screenings[0],
            reasons: [
              { code: 'urinary-symptoms', message: 'relative contraindication: urinary-symptoms', severity: 'review' },
              {
                code: 'psychotic-disorder',
                message: 'absolute contraindication: psychotic-disorder',
                severity: 'exclusion',
              },
            ],
          },
        ],
        assessments: [
          {
            assessmentId: 'a1',
            gad7: { items: [1, 1, 1, 1, 1, 1, 1] },
            phq9: { items: [1, 1, 1, 1, 1, 1, 1, 1, 0] },
            bladderCheck: { frequency: true, urgency: true, painOnUrination: true, bloodInUrine: true },
            takenAt: since,
          },
        ],
      },
    } as unknown as PageView;
  };

  it.each(Object.keys(clinicianPages) as LinkPurpose[])(
    'the %s page shows no code, field name, step key or clinician id',
    (purpose) => {
      const text = visibleText(page(pages[purpose].title, pages[purpose].render(coded(purpose), emptyForm)));
      expect(codes.filter((code) => text.includes(code))).toEqual([]);
    },
  );

  it("names them from the label sources: the intake's words for a condition, the clinic's name for a clinician, the bladder questions' symptoms", () => {
    const text = (purpose: LinkPurpose) => visibleText(pages[purpose].render(coded(purpose), emptyForm).value);
    expect(text('eligibility')).toContain(
      'Review: relative contraindication: Bladder or urinary problems (pain, urgency, going often, or blood in the urine)',
    );
    expect(text('eligibility')).toContain('Exclusion: absolute contraindication: A psychotic disorder');
    expect(text('eligibility')).toContain('Consult evaluation (in person)');
    expect(text('treatment-plan')).toContain('Dr. Ana Rivera, Mon, May 4, 2026');
    expect(text('refill-approval')).toContain(
      'passing urine more often, sudden urges to pass urine, pain passing urine, blood in the urine',
    );
    expect(text('hold-decision')).toContain('Severe side effect, reported by the clinic: Fainted at home.');
    expect(text('hold-decision')).toContain('Journey phase Closed before treatment');
    expect(text('journal-missing')).toContain('has not written the journal for session 2.');
    expect(text('missed-check-ins')).toContain('missed the check-in for session 2 3 times');
  });
});

describe('what the clinician and patient pages say about the path ahead', () => {
  it('the evaluation and plan pages warn when a telehealth-only patient would lose refills at the telehealth cut-off', () => {
    const view = viewFor('treatment-plan');
    const late = { ...view, protocol: { ...defaultProtocol, telehealth: { prescribingValidUntil: '2026-08-31' } } };
    for (const purpose of ['consult-evaluation', 'treatment-plan'] as const) {
      const body = page('t', pages[purpose].render({ ...late, step: { ...late.step, purpose } }, emptyForm));
      expect(body).toContain('Prescribing by telehealth alone is allowed until 2026-08-31');
      expect(body).toContain('in-person evaluation');
    }
    // an in-person evaluation on record, or a cut-off after the prescription's refills: nothing to say
    const inPerson = {
      ...late,
      patient: { ...late.patient, evaluations: [{ ...late.patient.evaluations[0], modality: 'in-person' }] },
    } as PageView;
    expect(page('t', pages['treatment-plan'].render(inPerson, emptyForm))).not.toContain(
      'Prescribing by telehealth alone',
    );
    expect(page('t', pages['treatment-plan'].render(view, emptyForm))).not.toContain('Prescribing by telehealth alone');
  });

  it("the check-in page shows the plan's preparation guidance; without a plan it says nothing of it", () => {
    const view = viewFor('check-in');
    const withPlan = {
      ...view,
      patient: { ...view.patient, plan: { preparationGuidance: 'Light breakfast before 09:00; bring an eye mask.' } },
    } as unknown as PageView;
    expect(page('t', pages['check-in'].render(withPlan, emptyForm))).toContain(
      'Light breakfast before 09:00; bring an eye mask.',
    );
    expect(page('t', pages['check-in'].render(view, emptyForm))).not.toContain('Your preparation notes');
  });
});

describe('patient pages speak plainly and show crisis resources when an answer calls for them', () => {
  it('the intake and check-in forms show written-out labels, not codes turned into words', () => {
    const intake = pages.intake.render(viewFor('intake'), emptyForm).value;
    expect(intake).toContain('An aneurysm, an arteriovenous malformation (AVM), or bleeding in the brain');
    expect(intake).toContain('Sleep apnea (breathing stops during sleep)');
    expect(intake).toContain('Are you pregnant now, planning to become pregnant, or breastfeeding?');
    expect(intake).toContain('I cannot become pregnant');
    expect(intake).not.toMatch(/>Aneurysmal vascular disease|>Maoi|now or in the past\?/);
    const checkIn = pages['check-in'].render(viewFor('check-in'), emptyForm).value;
    expect(checkIn).toContain('Shortness of breath or trouble breathing');
    expect(checkIn).not.toContain('>Breathing difficulty');
    const journal = pages.journal.render(viewFor('journal'), emptyForm).value;
    expect(journal).toContain('Thoughts of harming or killing yourself');
    expect(journal).not.toMatch(/>Signs of misuse|>Hallucinations beyond session/);
  });

  it.each(['intake', 'assessment', 'refill-request', 'journal'] as const)(
    'the %s page leads with 988 and emergency services after a risk answer, and not otherwise',
    (purpose) => {
      const view = viewFor(purpose);
      const withRisk = pages[purpose].done(view, 'SUBMITTED', {}, { crisisResources: true }).value;
      expect(withRisk).toContain('Call or text <strong>988</strong> (the 988 Suicide &amp; Crisis Lifeline)');
      expect(withRisk).toContain('call <strong>911</strong>');
      expect(withRisk).not.toContain('Doe');
      expect(pages[purpose].done(view, 'SUBMITTED', {}, { crisisResources: false }).value).not.toContain('988');
    },
  );
});

describe('bad input and plain words on every page', () => {
  const hostile = parseFormBody(
    'constructor=1&__proto__=2&toString=3&hasOwnProperty=4&valueOf=5&decision=__proto__&note=constructor',
  ).values;
  const context = (view: PageView) => ({
    step: view.step,
    patient: view.patient,
    protocol: defaultProtocol,
    now,
    actor: { type: 'clinician' as const, id: 'dr-rivera' },
  });

  it.each(Object.keys(pages) as LinkPurpose[])(
    'the %s page reads a form of prototype field names as unanswered, and renders it back',
    (purpose) => {
      const view = viewFor(purpose);
      const answer = pages[purpose].answerFrom(hostile, view);
      const judged = pages[purpose].rule?.(answer, context(view));
      if (judged !== undefined) expect(judged.ok).toBe(false);
      const body = pages[purpose].render(
        view,
        formWithErrors(hostile, judged !== undefined && !judged.ok ? judged.errors : []),
      ).value;
      expect(body).not.toContain('[object');
      expect(body).not.toContain('function ');
    },
  );

  it('an empty intake comes back naming each question in words: no internal field name and no "expected" anywhere a person reads', () => {
    const view = viewFor('intake');
    const empty = parseFormBody('purpose=intake').values;
    const judged = pages.intake.rule?.(pages.intake.answerFrom(empty, view), context(view));
    if (judged === undefined || judged.ok) throw new Error('an empty intake was accepted');
    const body = pages.intake.render(view, formWithErrors(empty, judged.errors)).value;
    const read = [...body.matchAll(/<(?:li|p class="error"[^>]*)>([\s\S]*?)<\/(?:li|p)>/g)].map((m) =>
      (m[1] as string).replace(/<[^>]+>/g, ''),
    );
    expect(read.length).toBeGreaterThan(judged.errors.length);
    expect(read).toContain(
      'Anxiety questionnaire, question 1 (Feeling nervous, anxious or on edge): choose one answer',
    );
    expect(read).toContain(
      'Self-harm questions, question 1 (Have you wished you were dead or wished you could go to sleep and not wake up): choose one answer',
    );
    expect(read).toContain('Your weight in kilograms: enter a number from 25 to 350');
    for (const line of read) {
      expect(line).not.toMatch(/gad7|phq9|cssrs|auditC|dast10|vitals\.|\.items\[|expected|true or false/);
    }
    expect(body).toContain('<h2 class="error">There is a problem</h2>');
    expect(body).toContain('<a href="#f-gad7_items_0_">');
  });

  it('the journal asks "Any side effects?" first, with the symptom list inside the part shown only after Yes', () => {
    const body = pages.journal.render(viewFor('journal'), emptyForm).value;
    const reveal = body.indexOf('<div class="reveal">');
    const question = body.indexOf('Have you had any side effects since your session?');
    const list = body.indexOf('<div class="if-yes">');
    expect(reveal).toBeGreaterThan(-1);
    expect([reveal < question, question < list, list < body.indexOf('name="sideEffects.nausea"')]).toEqual([
      true,
      true,
      true,
    ]);
    expect(body).not.toMatch(/>(Maoi|None Mild|Blurred vision avm)</);
    expect(body).toContain('>None</label>');
  });

  it('a journal with "No side effects" is recorded with every symptom at none; No with a symptom marked, or Yes with none, comes back to be settled', () => {
    const view = viewFor('journal');
    const completed = {
      ...view,
      patient: { ...view.patient, sessions: [{ ...view.patient.sessions[0], status: 'completed' }] },
    } as PageView;
    const journalView = { ...completed, step: { ...completed.step, stepKey: 'session-1-journal' } };
    const judge = (body: string) =>
      pages.journal.rule?.(pages.journal.answerFrom(parseFormBody(body).values, journalView), context(journalView));
    const quick = judge('purpose=journal&journal.text=Calm&sideEffects.any=no');
    expect(quick?.ok && quick.output['triage']).toBe('NONE');
    const contradicting = judge('purpose=journal&journal.text=Calm&sideEffects.any=no&sideEffects.nausea=mild');
    expect(contradicting?.ok === false && contradicting.errors.map((e) => e.field)).toEqual(['sideEffects.any']);
    const empty = judge('purpose=journal&journal.text=Calm&sideEffects.any=yes');
    expect(empty?.ok === false && empty.errors.map((e) => e.field)).toEqual(['sideEffects.any']);
    const unanswered = judge('purpose=journal&journal.text=Calm');
    expect(unanswered?.ok === false && unanswered.errors.map((e) => e.message)).toEqual([
      'sideEffects.any: expected yes or no',
    ]);
    const body = pages.journal.render(
      journalView,
      formWithErrors(
        parseFormBody('journal.text=Calm').values,
        unanswered !== undefined && !unanswered.ok ? unanswered.errors : [],
      ),
    ).value;
    expect(body).toContain('Have you had any side effects since your session? Choose one answer.');
  });
});

describe('the follow-up decision page', () => {
  it('says why remission is "No" from a baseline under the threshold, and shows each measure as a card, not a wide table', () => {
    const view = viewFor('follow-up-decision');
    // GAD-7 baseline 7 (under 10) falling to 0; PHQ-9 baseline 14 falling to 3
    const intake = { gad7: { items: [1, 1, 1, 1, 1, 1, 1] }, phq9: { items: [2, 2, 2, 2, 2, 1, 1, 1, 1] } };
    const latest = {
      gad7: { items: [0, 0, 0, 0, 0, 0, 0] },
      phq9: { items: [1, 1, 1, 0, 0, 0, 0, 0, 0] },
      takenAt: now.toISOString(),
      bladderCheck: { frequency: false, urgency: false, painOnUrination: false, bloodInUrine: false },
    };
    const withScores = { ...view, patient: { ...view.patient, intake, assessments: [latest] } } as unknown as PageView;
    const body = pages['follow-up-decision'].render(withScores, emptyForm).value;
    const text = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('GAD-7 (anxiety) Baseline 7 Latest 0 Change fell 100 % Response Yes .');
    expect(text).toContain(
      'Remission No, not judged . Remission is judged only from a GAD-7 baseline of 10 or more; this baseline was 7.',
    );
    expect(text).toContain('PHQ-9 (depression) Baseline 14 Latest 3');
    expect(text).toContain('Remission Yes . PHQ-9 is 3, below 5, from a baseline of 14.');
    expect(body).not.toContain('<th>Remission</th>');
  });
});

describe('the consult page behind the consult reminder', () => {
  it('shows the time in the patient zone and the join link from the booking; without one, says the clinic will send it', () => {
    const view = viewFor('consult');
    const booked = {
      ...view,
      timeZone: 'America/Chicago',
      patient: {
        ...view.patient,
        journey: {
          ...view.patient.journey,
          consultAt: '2026-05-06T15:00:00.000Z',
          consultJoinUrl: 'https://video.example.org/room/1',
        },
      },
    } as PageView;
    const body = pages.consult.render(booked, emptyForm).value;
    expect(body).toContain('Wed, May 6, 2026, 10:00 AM CDT');
    expect(body).toContain(
      '<a class="join" href="https://video.example.org/room/1" rel="noopener noreferrer">Join the video call</a>',
    );
    const unbooked = pages.consult.render(
      {
        ...booked,
        patient: { ...booked.patient, journey: { ...booked.patient.journey, consultJoinUrl: null } },
      } as PageView,
      emptyForm,
    ).value;
    expect(unbooked).toContain('Your clinic will send you the way to join the call.');
    expect(unbooked).not.toContain('class="join"');
    expect(unbooked).toContain('<a href="?calendar" download="appointment.ics">Add to my calendar</a>');
  });
});

describe('the treatment plan page', () => {
  it("asks for the session and follow-up times in the patient's zone, says the clinic's beside it, and reads them in the patient's zone", () => {
    const view = { ...viewFor('treatment-plan'), timeZone: 'America/New_York' };
    const patientZone = view.patient.patient.timeZone;
    expect(patientZone).toBe('America/Chicago');
    const body = pages['treatment-plan'].render(view, emptyForm).value.replace(/&#39;/g, "'");
    expect(body).toContain('Session 1 start (America/Chicago)');
    expect(body).toContain('Follow-up appointment (America/Chicago)');
    expect(body).toContain(
      "Times are in the patient's time zone, America/Chicago. Now it is Mon, May 4, 2026, 8:00 AM CDT for the patient and Mon, May 4, 2026, 9:00 AM EDT at the clinic.",
    );
    const answer = pages['treatment-plan'].answerFrom(
      parseFormBody('plan.plannedSessionTimes[0]=2026-05-11T10:00&plan.followUpAt=2026-06-15T10:00').values,
      view,
    ) as { plan: { plannedSessionTimes: string[]; followUpAt: string } };
    expect([answer.plan.plannedSessionTimes[0], answer.plan.followUpAt]).toEqual([
      '2026-05-11T15:00:00.000Z',
      '2026-06-15T15:00:00.000Z',
    ]);
  });
});
