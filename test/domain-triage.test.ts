import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alwaysAdverseEventSymptoms, defaultProtocol, resolveProtocol } from '../functions/domain/protocol.ts';
import { adverseEventKinds } from '../functions/domain/schemas/adverse-event.ts';
import {
  sideEffectReportSchema,
  sideEffectSeverities,
  sideEffectSymptoms,
  type SideEffectReport,
} from '../functions/domain/schemas/side-effect-report.ts';
import { triageSideEffects, triageStaffReport, type ReportedSeverity } from '../functions/domain/triage.ts';

function report(symptoms: SideEffectReport['symptoms']): SideEffectReport {
  return sideEffectReportSchema.parse({
    sessionNumber: 2,
    symptoms,
    freeText: '',
    submittedAt: '2026-05-12T18:00:00Z',
  });
}
const symptomsOf = (...entries: [string, ReportedSeverity][]) => ({
  symptoms: entries.map(([symptom, severity]) => ({ symptom, severity })),
});

describe('triage of a side-effect report', () => {
  it.each([
    { given: 'nothing', symptoms: [], outcome: 'NONE', codes: ['NO_SIGNIFICANT_SIDE_EFFECTS'] },
    {
      given: 'mild nausea and dizziness',
      symptoms: [
        { symptom: 'nausea', severity: 'mild' },
        { symptom: 'dizziness', severity: 'mild' },
      ],
      outcome: 'NONE',
      codes: ['NO_SIGNIFICANT_SIDE_EFFECTS'],
    },
    {
      given: 'a symptom marked none',
      symptoms: [{ symptom: 'headache', severity: 'none' }],
      outcome: 'NONE',
      codes: ['NO_SIGNIFICANT_SIDE_EFFECTS'],
    },
    {
      given: 'moderate dissociation',
      symptoms: [{ symptom: 'dissociation', severity: 'moderate' }],
      outcome: 'MONITOR',
      codes: ['SIDE_EFFECT_TO_WATCH'],
    },
    {
      given: 'mild urinary symptoms',
      symptoms: [{ symptom: 'urinary-symptoms', severity: 'mild' }],
      outcome: 'MONITOR',
      codes: ['WATCHED_SYMPTOM'],
    },
    {
      given: 'severe vomiting',
      symptoms: [{ symptom: 'vomiting', severity: 'severe' }],
      outcome: 'ADVERSE_EVENT',
      codes: ['SEVERE_SIDE_EFFECT'],
    },
    {
      given: 'severe low mood with moderate anxiety',
      symptoms: [
        { symptom: 'low-mood', severity: 'severe' },
        { symptom: 'anxiety', severity: 'moderate' },
      ],
      outcome: 'ADVERSE_EVENT',
      codes: ['SEVERE_SIDE_EFFECT', 'SIDE_EFFECT_TO_WATCH'],
    },
  ] as const)('$given → $outcome', ({ symptoms, outcome, codes }) => {
    const decision = triageSideEffects(report([...symptoms]), defaultProtocol);
    expect(decision.outcome).toBe(outcome);
    expect(decision.reasons.map((r) => r.code)).toEqual(codes);
    expect(decision.protocolVersion).toBe(defaultProtocol.version);
    expect(decision.holdSignal === null).toBe(outcome !== 'ADVERSE_EVENT');
  });

  it('says which mild effects it let pass', () => {
    const decision = triageSideEffects(report([{ symptom: 'nausea', severity: 'mild' }]), defaultProtocol);
    expect(decision.reasons).toEqual([
      { code: 'NO_SIGNIFICANT_SIDE_EFFECTS', message: 'only expected effects: mild nausea' },
    ]);
  });

  it.each(alwaysAdverseEventSymptoms.map((symptom) => ({ symptom })))(
    '$symptom is an adverse event even when called mild',
    ({ symptom }) => {
      const decision = triageSideEffects(symptomsOf([symptom, 'mild']), defaultProtocol);
      expect(decision.outcome).toBe('ADVERSE_EVENT');
      expect(decision.reasons.map((r) => r.code)).toEqual(['ALWAYS_ADVERSE_SYMPTOM']);
      // in words, as the clinician reads it in the hold's alert ("mild chest pain", not "chest-pain")
      expect(decision.holdSignal?.description).toContain(`mild ${symptom.replace(/-/g, ' ')}:`);
    },
  );

  it.each([
    { symptom: 'suicidal-thoughts', kind: 'suicidal-ideation' },
    { symptom: 'signs-of-misuse', kind: 'misuse-signs' },
    { symptom: 'chest-pain', kind: 'severe-side-effect' },
    { symptom: 'blood-in-urine', kind: 'severe-side-effect' },
  ])('files $symptom as a $kind adverse event', ({ symptom, kind }) => {
    expect(triageSideEffects(symptomsOf([symptom, 'moderate']), defaultProtocol).holdSignal?.kind).toBe(kind);
  });

  it('files suicidal thoughts first when reported with other adverse events, and describes them all', () => {
    const decision = triageSideEffects(
      symptomsOf(['vomiting', 'severe'], ['suicidal-thoughts', 'mild']),
      defaultProtocol,
    );
    expect(decision.holdSignal?.kind).toBe('suicidal-ideation');
    expect(decision.holdSignal?.description).toBe(
      'severe vomiting: severe or worse is an adverse event; mild suicidal thoughts: always an adverse event under protocol 2026-12-default-3',
    );
  });

  it('takes its severities and lists from the protocol', () => {
    const cautious = resolveProtocol({
      version: 'cautious-1',
      triage: { adverseEventAtSeverity: 'moderate', monitorAtSeverity: 'mild', monitorAtAnySeverity: [] },
    });
    expect(triageSideEffects(symptomsOf(['dissociation', 'moderate']), cautious)).toMatchObject({
      outcome: 'ADVERSE_EVENT',
      protocolVersion: 'cautious-1',
    });
    expect(triageSideEffects(symptomsOf(['nausea', 'mild']), cautious).outcome).toBe('MONITOR');
  });

  it('is never calmer than the worst symptom, and every adverse event carries a hold signal', () => {
    const symptom = fc.constantFrom<string>(...sideEffectSymptoms, ...alwaysAdverseEventSymptoms);
    const entry = fc.record({ symptom, severity: fc.constantFrom(...sideEffectSeverities) });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.symptom, maxLength: 6 }), (symptoms) => {
        const decision = triageSideEffects({ symptoms }, defaultProtocol);
        const present = symptoms.filter((s) => s.severity !== 'none');
        const mustHold = present.some(
          (s) => s.severity === 'severe' || (alwaysAdverseEventSymptoms as readonly string[]).includes(s.symptom),
        );
        const mustWatch = present.some((s) => s.severity === 'moderate' || s.symptom === 'urinary-symptoms');
        expect(decision.outcome).toBe(mustHold ? 'ADVERSE_EVENT' : mustWatch ? 'MONITOR' : 'NONE');
        expect(decision.holdSignal !== null).toBe(mustHold);
        expect(decision.reasons.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('triage of a staff-reported adverse event', () => {
  it.each(adverseEventKinds.map((kind) => ({ kind })))(
    'a staff report of $kind always puts the patient on hold',
    ({ kind }) => {
      const decision = triageStaffReport(
        { kind, reportedBy: 'staff', description: 'reported by phone' },
        defaultProtocol,
      );
      expect(decision.outcome).toBe('ADVERSE_EVENT');
      expect(decision.holdSignal).toEqual({ kind, description: 'reported by phone' });
      expect(decision.reasons.map((r) => r.code)).toEqual(['STAFF_REPORTED_ADVERSE_EVENT']);
      expect(decision.protocolVersion).toBe(defaultProtocol.version);
    },
  );

  it('describes the hold even when the report has no description', () => {
    expect(
      triageStaffReport({ kind: 'pregnancy', reportedBy: 'staff', description: '  ' }, defaultProtocol).holdSignal
        ?.description,
    ).toBe('pregnancy reported by staff');
  });
});
