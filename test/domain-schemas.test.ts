import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { ValidationFailed, isDomainError } from '../functions/domain/domain-errors.ts';
import * as schemas from '../functions/domain/schemas/index.ts';
import { aPatient, aTreatmentPlan, anIntake } from './support/domain-fixtures.ts';

const at = '2026-06-15T16:00:00Z';

/** A valid value of every schema at the edges, by name. */
const valid: Array<[string, z.ZodMiniType, Record<string, unknown>]> = [
  ['patient', schemas.patientSchema, aPatient({ phone: '+15551234567' })],
  [
    'journey',
    schemas.journeySchema,
    { id: 'journey-1', patientId: 'patient-1', phase: 'intake', status: 'active', hold: null, version: 0 },
  ],
  ['gad7', schemas.gad7Schema, anIntake().gad7],
  ['phq9', schemas.phq9Schema, anIntake().phq9],
  ['cssrs', schemas.cssrsScreenerSchema, anIntake().cssrs],
  ['auditC', schemas.auditCSchema, anIntake().auditC],
  ['dast10', schemas.dast10Schema, anIntake().dast10],
  ['medical history', schemas.medicalHistorySchema, anIntake().medicalHistory],
  ['current medications', schemas.currentMedicationsSchema, anIntake().currentMedications],
  ['vitals', schemas.vitalsSchema, anIntake().vitals],
  ['intake', schemas.intakeSchema, anIntake()],
  [
    'evaluation',
    schemas.evaluationSchema,
    { clinicianId: 'dr-lee', notes: 'Good candidate.', modality: 'telehealth', evaluatedAt: at },
  ],
  [
    'screening result',
    schemas.screeningResultSchema,
    {
      outcome: 'NEEDS_REVIEW',
      reasons: [{ code: 'seizures', message: 'relative contraindication: seizures', severity: 'review' }],
      scores: {
        ageYears: 36,
        gad7: { total: 11, band: 'moderate' },
        phq9: { total: 12, band: 'moderate', item9: 0 },
        auditC: { total: 2, positive: false },
        dast10: { total: 1, band: 'low' },
        cssrs: { risk: 'none' },
        restingBp: { systolic: 122, diastolic: 78 },
      },
      urgentAlert: false,
      protocolVersion: '2026-11-default-1',
      decidedAt: at,
    },
  ],
  ['treatment plan', schemas.treatmentPlanSchema, { ...aTreatmentPlan(), approvedBy: 'dr-lee', approvedAt: at }],
  [
    'session',
    schemas.sessionSchema,
    { number: 1, plannedStart: at, status: 'planned', checkInRef: null, journalRef: null },
  ],
  [
    'check-in',
    schemas.checkInSchema,
    {
      monitorPresent: true,
      fastingHours: 5,
      lastAlcoholOrCannabisHoursAgo: null,
      lastBenzodiazepineHoursAgo: 72,
      stimulantOrOpioidToday: false,
      heldMedicationsConfirmed: true,
      bpReadings: [
        { systolic: 124, diastolic: 80 },
        { systolic: 122, diastolic: 79 },
      ],
      redFlagSymptoms: [],
      noDrivingAcknowledged: true,
      submittedAt: at,
    },
  ],
  [
    'journal entry',
    schemas.journalEntrySchema,
    { sessionNumber: 1, text: 'Calm afterwards.', mood: 7, submittedAt: at },
  ],
  [
    'side-effect report',
    schemas.sideEffectReportSchema,
    { sessionNumber: 1, symptoms: [{ symptom: 'nausea', severity: 'mild' }], freeText: '', submittedAt: at },
  ],
  [
    'adverse event',
    schemas.adverseEventSchema,
    {
      id: 'ae-1',
      patientId: 'patient-1',
      kind: 'red-flag-at-check-in',
      reportedBy: 'system',
      reporterId: 'check-in-gate',
      description: 'chest pain at check-in',
      reportedAt: at,
      status: 'open',
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
    },
  ],
  [
    'assessment',
    schemas.assessmentSchema,
    {
      gad7: anIntake().gad7,
      phq9: anIntake().phq9,
      bladderCheck: { frequency: false, urgency: false, painOnUrination: false, bloodInUrine: false },
      takenAt: at,
    },
  ],
  [
    'fill',
    schemas.fillSchema,
    { fillNumber: 1, filledAt: at, daysOfSupply: 30, quantity: 8, pdmpCheckedAt: at, lostOrStolenReplacement: false },
  ],
  [
    'link',
    schemas.linkSchema,
    {
      tokenHash: 'a'.repeat(64),
      purpose: 'eligibility',
      person: { kind: 'clinician', id: 'dr-lee' },
      patientId: 'patient-1',
      journeyId: 'journey-1',
      stepKey: 'eligibility',
      stepRound: 1,
      createdAt: at,
      expiresAt: '2026-06-18T16:00:00Z',
      status: 'used',
    },
  ],
  [
    'audit event',
    schemas.auditEventSchema,
    {
      version: 1,
      eventId: 'e1',
      patientId: 'patient-1',
      at,
      createdAt: at,
      actor: { type: 'clinician', id: 'dr-lee' },
      action: 'step.decided',
      reason: 'reviewed BP',
      protocolVersion: '2026-11-default-1',
      details: { purpose: 'eligibility', decision: 'APPROVED' },
      changes: [{ PK: 'PATIENT#patient-1', SK: 'STEP#eligibility', kind: 'update', label: 'step', version: 2 }],
    },
  ],
];

function validOf(name: string): Record<string, unknown> {
  const found = valid.find(([candidate]) => candidate === name);
  if (found === undefined) throw new Error(`no valid ${name} in the table`);
  return found[2];
}

function errorsOf(schema: z.ZodMiniType, value: unknown): schemas.FieldError[] {
  const parsed = schemas.safeParseFields(schema, value);
  if (parsed.success) throw new Error('expected the value to be rejected');
  return parsed.errors;
}

describe('schemas accept well-formed values', () => {
  it.each(valid)('%s', (_name, schema, value) => {
    expect(schema.parse(value)).toEqual(value);
  });
});

describe('schemas reject unknown fields at the edges', () => {
  it.each(valid)('%s', (_name, schema, value) => {
    expect(errorsOf(schema, { ...value, surprise: 1 })).toEqual([
      { field: 'surprise', message: 'surprise: is not a known field; remove it' },
    ]);
  });

  it('rejects unknown fields in nested objects too, naming the full path', () => {
    const intake = anIntake();
    const withExtra = { ...intake, vitals: { ...intake.vitals, pulse: 70 } };
    expect(errorsOf(schemas.intakeSchema, withExtra)).toEqual([
      { field: 'vitals.pulse', message: 'vitals.pulse: is not a known field; remove it' },
    ]);
  });
});

describe('bad input gets a message naming the field and what was expected', () => {
  const intake = anIntake();
  it.each<[string, z.ZodMiniType, unknown, string, string]>([
    [
      'a GAD-7 answer of 4',
      schemas.gad7Schema,
      { items: [0, 1, 4, 0, 0, 0, 0] },
      'items[2]',
      'expected a whole number from 0 to 3',
    ],
    [
      'a PHQ-9 with 8 answers',
      schemas.phq9Schema,
      { items: [0, 0, 0, 0, 0, 0, 0, 0] },
      'items',
      'expected exactly 9 answers, each 0 to 3',
    ],
    [
      'an AUDIT-C answer of 5',
      schemas.auditCSchema,
      { items: [5, 0, 0] },
      'items[0]',
      'expected a whole number from 0 to 4',
    ],
    [
      'a DAST-10 answer that is not yes/no',
      schemas.dast10Schema,
      { answers: [...intake.dast10.answers.slice(0, 9), 'yes'] },
      'answers[9]',
      'expected yes or no',
    ],
    [
      'a fractional score',
      schemas.gad7Schema,
      { items: [0, 1.5, 0, 0, 0, 0, 0] },
      'items[1]',
      'expected a whole number from 0 to 3',
    ],
    [
      'a missing first name',
      schemas.patientSchema,
      { ...aPatient(), firstName: undefined },
      'firstName',
      'expected text',
    ],
    [
      'an unknown time zone',
      schemas.patientSchema,
      aPatient({ timeZone: 'Mars/Olympus_Mons' }),
      'timeZone',
      'expected an IANA time zone',
    ],
    [
      'an impossible date of birth',
      schemas.patientSchema,
      aPatient({ dateOfBirth: '1990-02-30' }),
      'dateOfBirth',
      'expected a calendar date as YYYY-MM-DD',
    ],
    [
      'a bad email',
      schemas.patientSchema,
      aPatient({ email: 'alex at example' }),
      'email',
      'expected an email address',
    ],
    [
      'a sex at birth not on the list',
      schemas.patientSchema,
      { ...aPatient(), sexAtBirth: 'f' },
      'sexAtBirth',
      'expected one of female, male, intersex',
    ],
    [
      'a time without offset',
      schemas.journalEntrySchema,
      { sessionNumber: 1, text: 'x', submittedAt: '2026-06-15T16:00:00' },
      'submittedAt',
      'expected an ISO 8601 date-time with a time zone offset',
    ],
    [
      'an unknown condition',
      schemas.medicalHistorySchema,
      { ...intake.medicalHistory, conditions: ['asthma'] },
      'conditions[0]',
      'expected one of ketamine-hypersensitivity',
    ],
    [
      'a medication class not on the list',
      schemas.medicationSchema,
      { name: 'x', class: 'ssri' },
      'class',
      'expected one of benzodiazepine, stimulant, maoi, opioid, other',
    ],
    [
      'a diastolic above the systolic',
      schemas.vitalsSchema,
      { ...intake.vitals, restingBp: [{ systolic: 80, diastolic: 120 }] },
      'restingBp[0].diastolic',
      'expected the diastolic (lower) number to be below',
    ],
    [
      'no blood pressure reading',
      schemas.vitalsSchema,
      { ...intake.vitals, restingBp: [] },
      'restingBp',
      'expected at least one blood pressure reading',
    ],
    [
      'behaviour without its date',
      schemas.cssrsScreenerSchema,
      { ...intake.cssrs, suicidalBehaviour: true },
      'behaviourLastOn',
      'expected the date of the most recent behaviour',
    ],
    [
      'a negative fasting time',
      schemas.checkInSchema,
      { ...validOf('check-in'), fastingHours: -1 },
      'fastingHours',
      'expected a number of hours that is 0 or more',
    ],
    [
      'an unknown red-flag symptom',
      schemas.checkInSchema,
      { ...validOf('check-in'), redFlagSymptoms: ['itch'] },
      'redFlagSymptoms[0]',
      'expected one of chest-pain',
    ],
    [
      'a hold on an active journey',
      schemas.journeySchema,
      { ...validOf('journey'), hold: { since: at, reason: 'x', adverseEventId: 'ae-1' } },
      'hold',
      'expected a hold exactly when the status is "on-hold"',
    ],
    [
      'a link that carries a task token',
      schemas.linkSchema,
      { ...validOf('link'), taskToken: 'task-token' },
      'taskToken',
      'is not a known field',
    ],
    [
      'a token hash that is not SHA-256',
      schemas.linkSchema,
      { ...validOf('link'), tokenHash: 'abc' },
      'tokenHash',
      'expected a SHA-256 hash',
    ],
    [
      'an actor written as one string',
      schemas.auditEventSchema,
      { ...validOf('audit event'), actor: 'clinician:dr-lee' },
      'actor',
      'expected object',
    ],
    [
      'an actor of an unknown kind',
      schemas.auditEventSchema,
      { ...validOf('audit event'), actor: { type: 'robot', id: 'r2' } },
      'actor.type',
      'expected one of patient, clinician, staff, system',
    ],
    [
      'approval by without approval at',
      schemas.treatmentPlanSchema,
      { ...aTreatmentPlan(), approvedBy: 'dr-lee' },
      'approvedAt',
      'expected approvedBy and approvedAt together',
    ],
    [
      'a severity not on the list',
      schemas.sideEffectReportSchema,
      { ...validOf('side-effect report'), symptoms: [{ symptom: 'nausea', severity: 'awful' }] },
      'symptoms[0].severity',
      'expected one of none, mild, moderate, severe',
    ],
    [
      'a missing questionnaire',
      schemas.intakeSchema,
      { ...intake, dast10: undefined },
      'dast10',
      'is required (expected object)',
    ],
    [
      'an item version of 0, below an exclusive bound',
      schemas.auditEventSchema,
      { ...validOf('audit event'), changes: [{ PK: 'P', SK: 'S', kind: 'update', version: 0 }] },
      'changes[0].version',
      'expected more than 0',
    ],
  ])('%s', (_name, schema, value, field, expected) => {
    const errors = errorsOf(schema, value);
    const error = errors.find((candidate) => candidate.field === field);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error?.message.startsWith(`${field}: `)).toBe(true);
    expect(error?.message).toContain(expected);
  });

  it('reports each bad field once, with the first (most basic) problem', () => {
    expect(errorsOf(schemas.phq9Schema, { items: 'none' })).toEqual([
      { field: 'items', message: 'items: expected a list of 9 answers, each 0 to 3' },
    ]);
  });

  it('names a whole value that is not an object as "(input)"', () => {
    expect(errorsOf(schemas.patientSchema, 'alex')).toEqual([
      { field: '(input)', message: '(input): expected object' },
    ]);
  });
});

describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(schemas.parseOrThrow(schemas.patientSchema, aPatient())).toEqual(aPatient());
  });

  it('throws ValidationFailed, a named domain error carrying every field error', () => {
    let caught: unknown;
    try {
      schemas.parseOrThrow(schemas.patientSchema, { ...aPatient(), email: 'nope', timeZone: 'Nowhere' }, 'patient');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationFailed);
    expect(isDomainError(caught)).toBe(true);
    const failure = caught as ValidationFailed;
    expect(failure.name).toBe('ValidationFailed');
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(failure.errors.map((error) => error.field)).toEqual(['timeZone', 'email']);
    expect(failure.message).toMatch(/^patient is invalid: timeZone: .*; email: /);
  });
});
