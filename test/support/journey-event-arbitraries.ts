import * as fc from 'fast-check';
import { adverseEventKinds, type AdverseEventKind } from '../../functions/domain/schemas/adverse-event.ts';
import {
  sideEffectSymptoms,
  type SideEffectSeverity,
  type SideEffectSymptom,
} from '../../functions/domain/schemas/side-effect-report.ts';
import { type HoldChoice } from './journey-driver.ts';

/** The random events thrown at a running clinic: their types, their fast-check arbitraries, and how they read in a log. */

// ------------------------------------------------------------------ the events

export type CheckInVariant = 'clear' | 'high-bp' | 'emergency-bp' | 'crisis-bp-rechecked' | 'chest-pain' | 'no-monitor';

export type JourneyEvent =
  /** the virtual clock jumps: minutes to weeks */
  | { readonly type: 'clock'; readonly seconds: number }
  /**
   * The patient checks in for the next session, the clock first moved to the window's opening (when the
   * link is emailed) if no check-in link is open, then to the session's start plus the offset: inside the
   * window or after it closes.
   */
  | {
      readonly type: 'check-in';
      readonly variant: CheckInVariant;
      readonly offsetMinutes: number;
      readonly double: boolean;
    }
  | {
      readonly type: 'journal';
      readonly symptom: SideEffectSymptom;
      readonly severity: SideEffectSeverity;
      readonly double: boolean;
    }
  | { readonly type: 'assessment' }
  /** a session as it should go: a clear check-in half an hour before, the journal after, the assessment if one is asked */
  | { readonly type: 'session-as-planned' }
  /** staff report an adverse event through the staff API */
  | { readonly type: 'adverse-event'; readonly kind: AdverseEventKind }
  /** staff report an adverse event, and the clinician resumes some hours later */
  | { readonly type: 'hold-and-resume'; readonly kind: AdverseEventKind; readonly afterHours: number }
  | { readonly type: 'hold-decision'; readonly choice: HoldChoice; readonly double: boolean }
  /** the clinician approves a new plan when one is asked for */
  | { readonly type: 'new-plan' }
  | { readonly type: 'missing-journal'; readonly choice: 'ASK_AGAIN' | 'DISCHARGE' }
  /** the clock jumps to the last fill + the protocol's interval + an offset (either side of the due time) */
  | { readonly type: 'to-refill-due'; readonly offsetHours: number }
  | { readonly type: 'pdmp-check' }
  /** the patient asks for the refill, the clock first moved to the refill window if no request link is open */
  | {
      readonly type: 'refill-request';
      readonly lostOrStolen: boolean;
      readonly pdmpFirst: boolean;
      readonly afterOpeningHours: number;
      readonly double: boolean;
    }
  /** the clinician decides the refill, some hours after the link came (past 72 h it has expired) */
  | {
      readonly type: 'refill-decision';
      readonly approve: boolean;
      readonly afterHours: number;
      readonly double: boolean;
    }
  /** a month as it should go: PDMP check, request in the window, the clinician approves */
  | { readonly type: 'refill-month'; readonly afterOpeningHours: number; readonly approvalAfterHours: number }
  /** the same form POSTed again on a link already used */
  | { readonly type: 'replay'; readonly pick: number }
  /** a POST on a link that is no longer open (expired, superseded, ended by a hold, used) */
  | { readonly type: 'stale-link'; readonly pick: number }
  /** a workflow function invoked again with the payload of one of its recent calls */
  | { readonly type: 'retry'; readonly pick: number };

const clockJump = fc.oneof(
  fc.integer({ min: 5, max: 120 }).map((minutes) => minutes * 60),
  fc.integer({ min: 1, max: 36 }).map((hours) => hours * 3600),
  fc.integer({ min: 2, max: 10 }).map((days) => days * 86400),
  fc.integer({ min: 1, max: 3 }).map((weeks) => weeks * 7 * 86400),
);
const pick = fc.nat({ max: 1000 });
const adverseKind = fc.constantFrom(...adverseEventKinds);

const common = {
  clock: clockJump.map((seconds): JourneyEvent => ({ type: 'clock', seconds })),
  adverseEvent: adverseKind.map((kind): JourneyEvent => ({ type: 'adverse-event', kind })),
  holdAndResume: fc
    .record({ kind: adverseKind, afterHours: fc.integer({ min: 0, max: 30 }) })
    .map((r): JourneyEvent => ({ type: 'hold-and-resume', ...r })),
  replay: pick.map((p): JourneyEvent => ({ type: 'replay', pick: p })),
  staleLink: pick.map((p): JourneyEvent => ({ type: 'stale-link', pick: p })),
  retry: pick.map((p): JourneyEvent => ({ type: 'retry', pick: p })),
};

/** Events of the induction: sessions, check-ins, journals, side effects, holds. */
export const inductionEvent: fc.Arbitrary<JourneyEvent> = fc.oneof(
  { weight: 2, arbitrary: common.clock },
  {
    weight: 6,
    arbitrary: fc
      .record({
        variant: fc.constantFrom<CheckInVariant>(
          'clear',
          'clear',
          'clear',
          'high-bp',
          'emergency-bp',
          'crisis-bp-rechecked',
          'chest-pain',
          'no-monitor',
        ),
        // the window is [-opensHoursBefore, +closesHoursAfter] around the start (-120 to +60 min by default); about one in five lands after it
        offsetMinutes: fc.integer({ min: -115, max: 100 }),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'check-in', ...r })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        symptom: fc.constantFrom(...sideEffectSymptoms),
        severity: fc.constantFrom<SideEffectSeverity>('none', 'none', 'none', 'mild', 'moderate', 'severe'),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'journal', ...r })),
  },
  { weight: 1, arbitrary: fc.constant<JourneyEvent>({ type: 'assessment' }) },
  { weight: 3, arbitrary: fc.constant<JourneyEvent>({ type: 'session-as-planned' }) },
  { weight: 1, arbitrary: common.adverseEvent },
  { weight: 1, arbitrary: common.holdAndResume },
  {
    weight: 2,
    arbitrary: fc
      .record({
        choice: fc.constantFrom<HoldChoice>('RESUME', 'RESUME', 'RESUME', 'NEW_PLAN', 'DISCHARGE'),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'hold-decision', ...r })),
  },
  { weight: 1, arbitrary: fc.constant<JourneyEvent>({ type: 'new-plan' }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<'ASK_AGAIN' | 'DISCHARGE'>('ASK_AGAIN', 'ASK_AGAIN', 'DISCHARGE')
      .map((choice): JourneyEvent => ({ type: 'missing-journal', choice })),
  },
  { weight: 1, arbitrary: common.replay },
  { weight: 1, arbitrary: common.staleLink },
  { weight: 2, arbitrary: common.retry },
);

/** Events of maintenance: refill requests (normal, lost or stolen), approvals, PDMP checks, each fill's doses (whole sessions), holds. */
export const maintenanceEvent: fc.Arbitrary<JourneyEvent> = fc.oneof(
  { weight: 2, arbitrary: common.clock },
  { weight: 3, arbitrary: fc.constant<JourneyEvent>({ type: 'session-as-planned' }) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        variant: fc.constantFrom<CheckInVariant>(
          'clear',
          'clear',
          'high-bp',
          'emergency-bp',
          'chest-pain',
          'no-monitor',
        ),
        offsetMinutes: fc.integer({ min: -115, max: 100 }),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'check-in', ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        symptom: fc.constantFrom(...sideEffectSymptoms),
        severity: fc.constantFrom<SideEffectSeverity>('none', 'none', 'mild', 'severe'),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'journal', ...r })),
  },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: -80, max: 60 })
      .map((offsetHours): JourneyEvent => ({ type: 'to-refill-due', offsetHours })),
  },
  { weight: 1, arbitrary: fc.constant<JourneyEvent>({ type: 'pdmp-check' }) },
  {
    weight: 5,
    arbitrary: fc
      .record({
        lostOrStolen: fc.constantFrom(false, false, false, true),
        pdmpFirst: fc.constantFrom(true, true, true, false),
        afterOpeningHours: fc.integer({ min: 0, max: 96 }),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'refill-request', ...r })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        approve: fc.constantFrom(true, true, true, false),
        afterHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 80 })),
        double: fc.boolean(),
      })
      .map((r): JourneyEvent => ({ type: 'refill-decision', ...r })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        afterOpeningHours: fc.integer({ min: 0, max: 72 }),
        approvalAfterHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 48 })),
      })
      .map((r): JourneyEvent => ({ type: 'refill-month', ...r })),
  },
  { weight: 1, arbitrary: common.adverseEvent },
  { weight: 1, arbitrary: common.holdAndResume },
  {
    weight: 2,
    arbitrary: fc
      .record({ choice: fc.constantFrom<HoldChoice>('RESUME', 'RESUME', 'RESUME', 'DISCHARGE'), double: fc.boolean() })
      .map((r): JourneyEvent => ({ type: 'hold-decision', ...r })),
  },
  { weight: 1, arbitrary: common.replay },
  { weight: 1, arbitrary: common.staleLink },
  { weight: 2, arbitrary: common.retry },
);

export function describeEvent(event: JourneyEvent): string {
  const { type, ...rest } = event;
  const args = Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return args === '' ? type : `${type} ${args}`;
}
