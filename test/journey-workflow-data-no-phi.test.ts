import { describe, expect, it } from 'vitest';
import {
  eligibleIntake,
  useJourneyDriver,
  type EnrolledPatient,
  type IntakeAnswers,
} from './support/journey-driver.ts';
import { executionHistory, eventFields } from './support/execution-history.ts';
import {
  clinicianEmail,
  clinicianLinkFor,
  expectPageStatus,
  refillOnce,
  throughEvaluation,
} from './support/journey-scenarios.ts';
import { sfnClientFor } from './support/local-clinic.ts';
import { stateMachineCatalogue } from '../statemachines/definitions.ts';

/**
 * Execution history (and so the state machines' logs, which keep every step's data) holds no health
 * information: whole journeys run on the local clinic through the doors people use, with values no
 * workflow could carry by chance (names, a rare medication, unusual vitals, free-text words), and then
 * every event of every execution of every state machine is read with its data.
 */
const local = useJourneyDriver();

const patientDetails = {
  reviewed: {
    firstName: 'Ottoline',
    lastName: 'Farquharson',
    email: 'ottoline.farquharson@patients.example.net',
    dateOfBirth: '1961-02-27',
  },
  excluded: {
    firstName: 'Bartholomew',
    lastName: 'Thistlewaite',
    email: 'b.thistlewaite@patients.example.net',
    dateOfBirth: '1979-11-03',
  },
  declined: {
    firstName: 'Persephone',
    lastName: 'Ravensworth',
    email: 'persephone.r@patients.example.net',
    dateOfBirth: '1990-06-19',
  },
} as const;

/** NEEDS_REVIEW: a medication of a made-up name (unrecognised names go to review), and a resting blood pressure in the review range. */
const reviewedIntake: Partial<IntakeAnswers> = {
  medications: ['Zuranolexiprine'],
  priorTreatments: [{ name: 'Marigoldwave counselling', kind: 'psychotherapy' }],
  restingBp: [
    { systolic: 143, diastolic: 91 },
    { systolic: 139, diastolic: 87 },
  ],
};
/** INELIGIBLE: intent to act on suicidal thoughts (and the clinician's same-day alert). */
const excludedIntake: Partial<IntakeAnswers> = {
  cssrs: { ...eligibleIntake.cssrs, wishToBeDead: true, suicidalThoughts: true, intentToAct: true },
  priorTreatments: [{ name: 'Heliotrope group sessions', kind: 'psychotherapy' }],
};
/** ELIGIBLE, and declined by the clinician with a note. */
const declinedIntake: Partial<IntakeAnswers> = {
  priorTreatments: [{ name: 'Quillfeather tablets', kind: 'medication' }],
};

const freeText = {
  override: 'Zuranolexiprine taper agreed with the Bellwether pharmacy',
  decline: 'Prefers the Ashgrove programme instead',
  monitoringNotes: 'Monitor Clementine stays overnight',
  preparation: 'Avoid grapefruit and listen to Sibelius',
  journal: 'Saw periwinkle kaleidoscopes and felt calm',
  adverseEvent: 'Fainted near the Brambleford bandstand',
  holdNote: 'Seen at Wrenfield clinic and safe to continue',
} as const;
/** The check-in readings of every session: a pair nobody else uses. */
const checkInBp = [
  { systolic: 127, diastolic: 83 },
  { systolic: 126, diastolic: 81 },
];

/** Words and values that only a patient's record holds; none may appear anywhere in execution history. */
const distinctiveValues = [
  ...Object.values(patientDetails).flatMap((p) => [p.firstName, p.lastName, p.email, p.dateOfBirth]),
  'Zuranolexiprine',
  'Marigoldwave',
  'Heliotrope',
  'Quillfeather',
  'Bellwether',
  'Ashgrove',
  'Clementine',
  'grapefruit',
  'Sibelius',
  'periwinkle',
  'kaleidoscopes',
  'Brambleford',
  'Wrenfield',
  // the evaluation notes the driver records for every patient
  'history reviewed with the patient',
  'Doing well after induction',
  '143/91',
  '139/87',
  '127/83',
  '126/81',
];

/**
 * Field names of the health records (intake, check-in, journal, side effects, assessment, screening scores,
 * treatment plan, adverse event): workflow data holding one of these carries a questionnaire item, a score,
 * a vital sign, a dose or free text, whatever its value.
 */
const healthFieldNames = new Set([
  'gad7',
  'phq9',
  'auditC',
  'dast10',
  'cssrs',
  'items',
  'answers',
  'total',
  'item9',
  'band',
  'scores',
  'baseline',
  'latest',
  'fallPercent',
  'vitals',
  'restingBp',
  'bpReadings',
  'systolic',
  'diastolic',
  'fastingHours',
  'redFlagSymptoms',
  'bladderCheck',
  'bloodInUrine',
  'medicalHistory',
  'conditions',
  'priorTreatments',
  'lastManiaOn',
  'currentMedications',
  'medications',
  'doseMg',
  'route',
  'daysOfSupply',
  'quantity',
  'monitoring',
  'preparationGuidance',
  'text',
  'mood',
  'notes',
  'note',
  'freeText',
  'overrideReason',
  'description',
  'message',
  'triageReasons',
]);
/** The instruments' names only appear in wording about scores ("PHQ-9 14 and GAD-7 12 are..."). */
const instrumentNames = /PHQ-9|GAD-7|C-SSRS|AUDIT-C|DAST-10/;

/** What in one field of workflow data is health information, by the rules above. */
function healthDataIn(value: unknown, path: string): string[] {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    const found = distinctiveValues.filter((v) => lower.includes(v.toLowerCase())).map((v) => `${path} holds "${v}"`);
    const instrument = instrumentNames.exec(value);
    if (instrument !== null) found.push(`${path} names ${instrument[0]}: "${value.slice(0, 160)}"`);
    return found;
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => healthDataIn(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [
      ...(healthFieldNames.has(key)
        ? [`${path}.${key} is a health record field (${JSON.stringify(inner).slice(0, 120)})`]
        : []),
      ...healthDataIn(inner, `${path}.${key}`),
    ]);
  }
  return [];
}

/** A field's text as data: JSON is read as JSON (an assigned variable, a task's output, a Lambda error's cause). */
function asData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function reviewedPatientToMaintenanceWithHold(patient: EnrolledPatient): Promise<void> {
  const d = local.driver;
  expectPageStatus(
    await d.decideEligibility(await clinicianLinkFor(d, patient, 'eligibility'), { override: freeText.override }),
    200,
    'eligibility with an override',
  );
  const plan = {
    ...d.defaultPlan(),
    doseMg: 173,
    monitoringNotes: freeText.monitoringNotes,
    preparationGuidance: freeText.preparation,
  };
  // the plan needs a PDMP check on record within the protocol's window
  await d.recordPdmpCheck(patient.patientId);
  expectPageStatus(
    await d.approvePlan(await clinicianLinkFor(d, patient, 'treatment-plan'), plan),
    200,
    'plan approval',
  );
  for (let n = 1; n <= plan.sessionCount; n += 1) {
    const start = new Date(
      Date.parse(String((await d.journeyOf(patient.patientId)).sessions.find((s) => s.number === n)?.plannedStart)),
    );
    await d.advanceTo(new Date(start.getTime() - 2 * 3600_000));
    expectPageStatus(
      await d.checkIn(await d.latestLinkFor(patient.email, 'check-in'), { bpReadings: checkInBp }),
      200,
      `check-in ${n}`,
    );
    await d.advanceTo(new Date(start.getTime() + 61 * 60_000));
    expectPageStatus(
      await d.writeJournal(await d.latestLinkFor(patient.email, 'journal'), { nausea: 'mild' }, freeText.journal),
      200,
      `journal ${n}`,
    );
    if (n === 2 || n === plan.sessionCount)
      expectPageStatus(
        await d.submitAssessment(await d.latestLinkFor(patient.email, 'assessment')),
        200,
        `assessment ${n}`,
      );
  }
  await d.advanceTo(plan.followUpAt);
  expectPageStatus(
    await d.decideFollowUp(
      await clinicianLinkFor(d, patient, 'follow-up-decision'),
      'MAINTENANCE',
      'Doing well after induction',
    ),
    200,
    'follow-up',
  );
  await refillOnce(d, patient);
  expect(
    (await d.reportAdverseEvent(patient.patientId, { kind: 'severe-side-effect', description: freeText.adverseEvent }))
      .status,
  ).toBe(201);
  expectPageStatus(
    await d.decideHold(
      await d.latestLinkFor(clinicianEmail, 'hold-decision', { mentioning: patient.lastName }),
      'RESUME',
      freeText.holdNote,
    ),
    200,
    'hold decision',
  );
}

describe('workflow data', () => {
  it('holds no name, medication, vital sign, score, questionnaire answer or free text in any event of any execution of any state machine', async () => {
    const d = local.driver;
    const [reviewed, excluded, declined] = await throughEvaluation(
      d,
      [reviewedIntake, excludedIntake, declinedIntake],
      Object.values(patientDetails),
    );
    if (reviewed === undefined || excluded === undefined || declined === undefined)
      throw new Error('a patient is missing');
    expectPageStatus(
      await d.decideEligibility(await clinicianLinkFor(d, declined, 'eligibility'), 'decline', freeText.decline),
      200,
      'eligibility declined',
    );
    await reviewedPatientToMaintenanceWithHold(reviewed);

    // the journeys went where the values had to be used: each screening outcome, a hold, a fill after the first
    const views = await Promise.all([reviewed, excluded, declined].map((p) => d.journeyOf(p.patientId)));
    expect(views.map((view) => view.screenings[0]?.outcome)).toEqual(['NEEDS_REVIEW', 'INELIGIBLE', 'ELIGIBLE']);
    expect(views[0]?.adverseEvents).toHaveLength(1);
    expect(views[0]?.fills.length).toBeGreaterThanOrEqual(2);
    expect(views[0]?.journalEntries).toHaveLength(4);

    const sfn = sfnClientFor(local.clinic);
    const executions = await d.executions();
    expect(new Set(executions.map((e) => e.stateMachine))).toEqual(
      new Set(stateMachineCatalogue.map((spec) => spec.id)),
    );
    const findings: string[] = [];
    let fieldsRead = 0;
    const patientIdsSeen = new Set<string>();
    for (const execution of executions) {
      for (const { event, state } of await executionHistory(sfn, execution.executionArn)) {
        for (const field of eventFields(event)) {
          fieldsRead += 1;
          for (const patient of [reviewed, excluded, declined])
            if (field.value.includes(patient.patientId)) patientIdsSeen.add(patient.patientId);
          for (const finding of healthDataIn(asData(field.value), field.path)) {
            findings.push(
              `${execution.stateMachine} › ${execution.name} › state "${state}" › ${event.type} ${finding}`,
            );
          }
        }
      }
    }
    // the history was read with its data: the ids the workflows do carry are there
    expect(fieldsRead).toBeGreaterThan(1000);
    expect(patientIdsSeen.size).toBe(3);
    expect(findings).toEqual([]);
  }, 240_000);
});
