import { describe, expect, it } from 'vitest';
import { matchMedication } from '../functions/domain/medication-names.ts';
import { defaultProtocol, resolveProtocol, reviewMedicationClasses } from '../functions/domain/protocol.ts';
import { screen } from '../functions/domain/screening.ts';
import { NOW, aPatient, anIntake } from './support/domain-fixtures.ts';

const match = (typed: string) => matchMedication(typed, defaultProtocol);

describe('medications are matched by what the patient types, not by how they file it', () => {
  it.each([
    ['Xanax', ['benzodiazepine']],
    ['xanax 0.5mg at night', ['benzodiazepine']],
    ['ALPRAZOLAM', ['benzodiazepine']],
    ['Klonopin (clonazepam) 1 mg', ['benzodiazepine']],
    ['Adderall XR 20mg', ['stimulant']],
    ['lisdexamfetamine (Vyvanse)', ['stimulant']],
    ['Provigil', ['stimulant']],
    ['Nardil', ['maoi']],
    ['selegiline patch (Emsam)', ['maoi']],
    ['Tylenol with codeine', ['opioid']],
    ['Tylenol #3', ['opioid']],
    ['Suboxone 8/2 mg', ['opioid']],
    ['Ambien 10 mg', ['other-cns-depressant']],
    ['gabapentin 300mg three times a day', ['other-cns-depressant']],
    ['Tylenol PM', ['other-cns-depressant']],
    ['Xanax and Adderall', ['benzodiazepine', 'stimulant']],
  ])('"%s" is %j', (typed, classes) => {
    const result = match(typed);
    expect([...result.classes].sort()).toEqual([...classes].sort());
    expect(result.recognised).toBe(true);
  });

  it.each(['sertraline 50 mg', 'Zoloft', 'levothyroxine 50 mcg daily', 'Vitamin D', 'escitalopram 10mg once a day'])(
    '"%s" is a recognised medication that does not interact',
    (typed) => {
      expect(match(typed)).toEqual({ classes: [], recognised: true });
    },
  );

  it.each(['xanex', 'my blood pressure pill', 'Tylenol Extra Strength', 'lamotrigine', 'sertraline and trazodone', ''])(
    '"%s" is not recognised: it goes to the clinician',
    (typed) => {
      expect(match(typed)).toEqual({ classes: [], recognised: false });
    },
  );

  it('every interacting class has names in the default table', () => {
    for (const medicationClass of reviewMedicationClasses)
      expect(defaultProtocol.medications.interacting[medicationClass].length).toBeGreaterThan(3);
  });

  it('a clinic can add a name to a class', () => {
    const clinic = resolveProtocol({
      version: 'clinic-names',
      medications: {
        interacting: {
          ...defaultProtocol.medications.interacting,
          benzodiazepine: [...defaultProtocol.medications.interacting.benzodiazepine, 'etizolam'],
        },
      },
    });
    expect(matchMedication('etizolam 1mg', clinic).classes).toEqual(['benzodiazepine']);
    expect(match('etizolam 1mg').recognised).toBe(false);
  });
});

describe('screening reads medications by name', () => {
  const screenWithMedication = (name: string, medicationClass?: 'benzodiazepine' | 'other') => {
    const intake = anIntake();
    intake.currentMedications.medications = [
      { name, ...(medicationClass === undefined ? {} : { class: medicationClass }) },
    ];
    return screen(intake, aPatient(), defaultProtocol, NOW);
  };

  it('flags a benzodiazepine the patient filed as "other"', () => {
    const result = screenWithMedication('Ativan 0.5 mg', 'other');
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(result.reasons.map((r) => r.code)).toEqual(['medication-benzodiazepine']);
  });

  it('keeps a class the patient gives, even for a name the table does not know', () => {
    expect(screenWithMedication('my sleeping tablets', 'benzodiazepine').reasons.map((r) => r.code)).toEqual([
      'medication-benzodiazepine',
    ]);
  });

  it('sends an unrecognised name to the clinician, naming it: it never passes silently', () => {
    const result = screenWithMedication('lamotrigine 100mg');
    expect(result.outcome).toBe('NEEDS_REVIEW');
    expect(result.reasons).toEqual([
      {
        code: 'medication-unrecognised',
        severity: 'review',
        message: "medication(s) the protocol's table does not recognise, for the clinician to check: lamotrigine 100mg",
      },
    ]);
  });

  it('passes a recognised medication that does not interact', () => {
    expect(screenWithMedication('sertraline 100 mg').outcome).toBe('ELIGIBLE');
  });

  it('flags a medication of the new classes: a sleeping tablet is a CNS depressant', () => {
    expect(screenWithMedication('zolpidem').reasons.map((r) => r.code)).toEqual(['medication-other-cns-depressant']);
  });
});
