import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '../functions/domain/protocol.ts';
import { renderEmail, type EmailKind } from '../functions/email/templates.ts';
import type { PatientContext } from '../functions/patient/patient-context.ts';
import type { LinkItem, StepItem } from '../functions/links/step-store.ts';
import { crisisResources } from '../functions/pages/crisis-resources.ts';
import { emptyFormIn, formWithErrors } from '../functions/pages/form-fields.ts';
import { page } from '../functions/pages/layout.ts';
import { catalogue } from '../functions/pages/message-catalogue.ts';
import { en } from '../functions/pages/messages-en.ts';
import { englishIn, englishOnly, readable, stringLeaves, withoutInstruments } from './support/language-leaks.ts';
import { es } from '../functions/pages/messages-es.ts';
import { titleOf, type PageView, type PurposePage } from '../functions/pages/page-view.ts';
import { patientPages } from '../functions/pages/patient-page-registry.ts';
import { gad7Fields } from '../functions/pages/questionnaire-fields.ts';
import * as status from '../functions/pages/status-pages.ts';
import type { PreferredLanguage } from '../functions/domain/schemas/patient.ts';

const now = new Date('2026-05-04T13:00:00.000Z');

/** The catalogue's shape: every key path, with `fn` for a function and `text` for a string. */
function shapeOf(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return [`${path}: text`];
  if (typeof value === 'function') return [`${path}: fn(${value.length})`];
  if (Array.isArray(value)) return value.flatMap((item, i) => shapeOf(item, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => shapeOf(item, path === '' ? key : `${path}.${key}`));
  return [`${path}: ${typeof value}`];
}

function viewFor(purpose: LinkItem['purpose'], language: PreferredLanguage): PageView {
  const step = {
    patientId: 'p1',
    journeyId: 'j1',
    stepKey: purpose === 'check-in' || purpose === 'preparation' ? 'session-1-a1-check-in' : purpose,
    purpose,
    person: { kind: 'patient', id: 'p1' },
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
  const patient = {
    patient: {
      id: 'p1',
      firstName: 'Ana',
      lastName: 'Doe',
      dateOfBirth: '1990-02-03',
      sexAtBirth: 'female',
      timeZone: 'America/Chicago',
      email: 'a@example.net',
      assignedClinicianId: 'dr-rivera',
      preferredLanguage: language,
    },
    journey: {
      id: 'j1',
      patientId: 'p1',
      phase: 'induction',
      status: 'active',
      hold: null,
      onHold: false,
      version: 1,
      consultAt: '2026-05-05T15:00:00.000Z',
      consultJoinUrl: 'https://video.example.org/join/room-1',
    },
    plan: { preparationGuidance: 'Light breakfast.' },
    plans: [],
    sessions: [
      { number: 1, plannedStart: '2026-05-04T15:00:00.000Z', status: 'planned', checkInRef: null, journalRef: null },
    ],
    journalEntries: [],
    fills: [],
    evaluations: [],
    screenings: [],
    assessments: [],
    adverseEvents: [],
    intake: undefined,
  } as unknown as PatientContext;
  const clinic = {
    clinicName: 'C',
    senderEmail: 'c@example.org',
    defaultTimeZone: 'America/New_York',
    opsAlertEmail: 'o@example.org',
    clinicians: [{ id: 'dr-rivera', name: 'Dr. Ana Rivera', email: 'a@example.org' }],
  };
  return { link, step, patient, protocol: defaultProtocol, clinic, now, timeZone: 'America/Chicago', language };
}

/** A patient page as served: the title, the form or the answer's page, in the view's language. */
function served(purposePage: PurposePage, view: PageView, body: ReturnType<PurposePage['render']>): string {
  return page(titleOf(purposePage, view.language), body, catalogue[view.language].htmlLang);
}

const purposes = Object.keys(patientPages) as LinkItem['purpose'][];
const patientEmailKinds: readonly EmailKind[] = [
  'patient-form',
  'patient-form-reminder',
  'recovery-reminder',
  'consult-reminder',
  'follow-up-reminder',
  'session-prep-reminder',
  'refill-window-reminder',
  'please-contact-clinic',
];

describe('the message catalogue', () => {
  it('has every key in both languages, each of the same kind (text, or a function of as many values)', () => {
    const english = shapeOf({ ...en, instruments: {} });
    expect(shapeOf({ ...es, instruments: {} })).toEqual(english);
    expect(english.length).toBeGreaterThan(200);
  });

  it('has no empty message in either language, and a Spanish word for every English sentence and label', () => {
    for (const messages of Object.values(catalogue))
      expect(stringLeaves(messages).filter((text) => text.trim() === '')).toEqual([]);
    // a few long sentences that would be the first to be forgotten are English only, so a leak is caught
    expect(englishOnly).toContain(en.form.tickAll);
    expect(englishOnly).toContain(en.checkIn.bpCrisisWarning);
    expect(englishOnly.length).toBeGreaterThan(150);
  });

  it('says every message differently in Spanish, but for the words both languages share ("No", "Alcohol")', () => {
    const same = (a: unknown, b: unknown, path: string): string[] => {
      if (typeof a === 'string') return a === b ? [path] : [];
      if (typeof a === 'function' && typeof b === 'function')
        return String(a(7, 8, 'Ω')) === String(b(7, 8, 'Ω')) ? [path] : [];
      if (typeof a === 'object' && a !== null)
        return Object.entries(a).flatMap(([key, value]) =>
          same(value, (b as Record<string, unknown>)[key], `${path}.${key}`),
        );
      return [];
    };
    expect(same({ ...en, instruments: {} }, { ...es, instruments: {} }, '')).toEqual([
      '.form.no',
      '.questionnaires.auditCLegend',
      '.labels.pregnancy.no',
    ]);
  });

  it('holds no Spanish questionnaire of its own: the instruments wait for their official translations', () => {
    expect(es.instruments).toEqual({});
    expect(Object.keys(en.instruments).sort()).toEqual(['auditC', 'cssrs', 'dast10', 'gad7', 'phq9']);
  });

  it("can hold an instrument's official translation: the page then shows it, with no English block and no note", () => {
    const official = {
      ...es,
      instruments: {
        gad7: {
          instruction: 'INSTRUCCIÓN OFICIAL',
          items: [
            'Ítem oficial 1',
            'Ítem oficial 2',
            'Ítem oficial 3',
            'Ítem oficial 4',
            'Ítem oficial 5',
            'Ítem oficial 6',
            'Ítem oficial 7',
          ],
          options: ['O0', 'O1', 'O2', 'O3'],
        },
      },
    };
    const withOfficial = gad7Fields({ ...emptyFormIn('es') }, 'gad7').value;
    expect(withOfficial).toContain('<div lang="en">');
    expect(withOfficial).toContain(es.questionnaires.originalLanguageNote);
    // the same render with a catalogue that holds the official text
    catalogue.es.instruments.gad7 = official.instruments.gad7;
    try {
      const shown = gad7Fields({ ...emptyFormIn('es') }, 'gad7').value;
      expect(shown).toContain('INSTRUCCIÓN OFICIAL');
      expect(shown).toContain('7. Ítem oficial 7');
      expect(shown).toContain('>O3</label>');
      expect(shown).not.toContain('lang="en"');
      expect(shown).not.toContain(es.questionnaires.originalLanguageNote);
    } finally {
      delete catalogue.es.instruments.gad7;
    }
  });
});

describe('a Spanish-speaking patient reads every page in Spanish', () => {
  it.each(purposes)(
    'the %s page: lang="es", a Spanish title, and no English outside the questionnaires kept in their original language',
    (purpose) => {
      const purposePage = patientPages[purpose] as PurposePage;
      const view = viewFor(purpose, 'es');
      const body = served(purposePage, view, purposePage.render(view, emptyFormIn('es')));
      expect(body).toContain('<html lang="es">');
      expect(body).toContain(`<title>${titleOf(purposePage, 'es')}</title>`);
      expect(titleOf(purposePage, 'es')).not.toBe(purposePage.title);
      expect(englishIn(readable(body))).toEqual([]);
    },
  );

  it.each(purposes.filter((p) => patientPages[p]?.rule !== undefined))(
    'the %s page sent back with errors says them in Spanish',
    (purpose) => {
      const purposePage = patientPages[purpose] as PurposePage;
      const view = viewFor(purpose, 'es');
      const rule = purposePage.rule;
      if (rule === undefined) throw new Error('no rule');
      const values = Object.assign(Object.create(null) as Record<string, string[]>, { purpose: [purpose] });
      const judged = rule(purposePage.answerFrom(values, view), {
        step: view.step,
        patient: view.patient,
        protocol: defaultProtocol,
        now,
        actor: { type: 'patient', id: 'p1' },
      });
      expect(judged.ok).toBe(false);
      if (judged.ok) return;
      const body = served(purposePage, view, purposePage.render(view, formWithErrors(values, judged.errors, 'es')));
      expect(body).toContain('Hay un problema');
      expect(englishIn(readable(body))).toEqual([]);
      expect(withoutInstruments(readable(body))).not.toMatch(/expected|required|choose one answer/);
    },
  );

  it.each(purposes.filter((p) => patientPages[p]?.rule !== undefined))(
    'the %s page after an answer (with crisis resources) is Spanish',
    (purpose) => {
      const purposePage = patientPages[purpose] as PurposePage;
      const view = viewFor(purpose, 'es');
      for (const [decision, output, pageOnly] of [
        ['SUBMITTED', {}, { crisisResources: true }],
        ['SUBMITTED', { triage: 'ADVERSE_EVENT' }, {}],
        ['CLEARED', {}, {}],
        ['POSTPONED', { suggestedStart: '2026-05-05T15:00:00.000Z' }, {}],
        ['POSTPONED', { reasons: ['BP_CRISIS_PERSISTENT'] }, {}],
        ['EMERGENCY', {}, {}],
        ['RECOVERED', {}, {}],
        ['NOT_RECOVERED', { holdCalledFor: true }, { crisisResources: true }],
      ] as const) {
        const body = served(purposePage, view, purposePage.done(view, decision, output, pageOnly));
        expect(englishIn(readable(body, true)), `${purpose} ${decision}`).toEqual([]);
      }
    },
  );

  it("a rule's own sentence is said in Spanish when the catalogue has it (the journal's No with a symptom marked)", () => {
    const purposePage = patientPages.journal as PurposePage;
    const view = viewFor('journal', 'es');
    const values = Object.assign(Object.create(null) as Record<string, string[]>, {
      purpose: ['journal'],
      'journal.text': ['Bien'],
      'sideEffects.any': ['no'],
      'sideEffects.nausea': ['mild'],
    });
    const rule = purposePage.rule;
    if (rule === undefined) throw new Error('no rule');
    const judged = rule(purposePage.answerFrom(values, view), {
      step: { ...view.step, stepKey: 'session-1-a1-journal' },
      patient: view.patient,
      protocol: defaultProtocol,
      now,
      actor: { type: 'patient', id: 'p1' },
    });
    if (judged.ok) throw new Error('the journal was accepted');
    const text = readable(purposePage.render(view, formWithErrors(values, judged.errors, 'es')).value);
    expect(text).toContain(es.rules.sideEffectsNoButMarked.replace(/^r/, 'R'));
    expect(englishIn(text)).toEqual([]);
  });

  it('crisis resources name 988 in Spanish (press 2, text AYUDA) and 911', () => {
    const text = readable(crisisResources(es).value);
    expect(text).toContain('Llame al 988');
    expect(text).toContain('oprima 2');
    expect(text).toContain('AYUDA');
    expect(text).toContain('llame al 911');
    expect(englishIn(text)).toEqual([]);
  });

  it("the status pages of a Spanish-speaking patient's link are Spanish", () => {
    const pages = [
      status.notFoundPage(es),
      status.expiredPage(es),
      status.supersededPage(es),
      status.alreadyDecidedPage(es.status.you, 'lun, 4 may 2026', es),
      status.stoppedPage(es),
      status.wrongPurposePage(es),
      status.unsupportedMediaTypePage(es),
      status.viewOnlyPage(es),
      status.tooManyRequestsPage(es),
      status.methodNotAllowedPage(es),
      status.errorPage(es),
    ];
    for (const shown of pages) {
      expect(shown.body).toContain('<html lang="es">');
      expect(englishIn(readable(shown.body))).toEqual([]);
    }
  });
});

describe("a patient's emails are in their language; clinicians' stay in English", () => {
  it.each(patientEmailKinds)('the %s email', (kind) => {
    const variables = {
      firstName: 'Ana',
      link: 'https://clinic.example.org/p/abc',
      when: 'lun, 4 may 2026, 10:00 a.m. CDT',
    };
    const spanish = renderEmail(kind, { ...variables, language: 'es' });
    expect(spanish.text.startsWith('Hola, Ana:')).toBe(true);
    expect(spanish.text).toContain('Abrir la página segura: https://clinic.example.org/p/abc');
    expect(englishIn(`${spanish.subject}\n${spanish.text}`)).toEqual([]);
    expect(englishIn(readable(spanish.html))).toEqual([]);
    const english = renderEmail(kind, variables);
    expect(english.subject).not.toBe(spanish.subject);
    expect(english.text.startsWith('Hello Ana,')).toBe(true);
  });

  it('a clinician email is English even when the variables carry a language', () => {
    const email = renderEmail('clinician-decision', {
      link: 'https://clinic.example.org/c/abc',
      step: { name: 'Eligibility decision', dueBy: 'Thu 9:00' },
      language: 'es',
    });
    expect(email.subject).toBe('Eligibility decision due by Thu 9:00');
    expect(email.text.startsWith('Hello,')).toBe(true);
  });
});
