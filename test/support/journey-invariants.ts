import type { Protocol } from '../../functions/domain/protocol.ts';
import { fillQuantity } from '../../functions/domain/fill-quantity.ts';
import { addCalendarMonths, localDate } from '../../functions/domain/local-time.ts';
import { journeyPhases } from '../../functions/domain/schemas/journey.ts';
import { isStepPurpose, purposeSpecs } from '../../functions/links/purposes.ts';
import { renderEmail, type EmailKind } from '../../functions/email/templates.ts';
import { type JourneyDriver, type JourneyView, type ObservedEmail } from './journey-driver.ts';
import { executionsOf, type PatientExecution } from './journey-executions.ts';
import type { PatientUnderTest } from './journey-patients.ts';
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from '../../functions/domain/durations.ts';

/**
 * The invariants a patient's record must keep whatever happened, read only from what the system left
 * behind: the patient partition (staff API), its audit trail, the SES emulator's emails and the patient's
 * executions.
 */

// ------------------------------------------------------------------ the invariants

export interface Observation {
  readonly view: JourneyView;
  /** emails to the patient's address */
  readonly patientEmails: readonly ObservedEmail[];
  /** emails to the clinician's address since the patient was enrolled (other patients' journeys are stopped) */
  readonly clinicianEmails: readonly ObservedEmail[];
  readonly executions: readonly PatientExecution[];
}

export async function observe(driver: JourneyDriver, under: PatientUnderTest): Promise<Observation> {
  await driver.settle();
  const since = await driver.emailsSince(under.emailMark);
  return {
    view: await driver.journeyOf(under.patient.patientId),
    patientEmails: since.filter((e) => e.to.includes(under.patient.email)),
    clinicianEmails: since.filter((e) => e.to.includes(under.clinicianEmail)),
    executions: await executionsOf(driver, under.patient),
  };
}

type AuditEntry = JourneyView['audit'][number];

interface HoldPeriod {
  readonly from: number;
  /** Infinity while the hold stands */
  readonly to: number;
}

export const ms = (iso: unknown): number => (typeof iso === 'string' ? Date.parse(iso) : Number.NaN);

const closingActions = new Set([
  'journey.closed',
  'journey.phase-discharged',
  'journey.phase-declined',
  'journey.phase-ineligible',
]);
const endsHold = (e: AuditEntry) => e.action === 'journey.hold-lifted' || closingActions.has(e.action ?? '');

/**
 * The hold periods, from the audit trail: from a placement to the clinician's lift or the journey's
 * closing (which clears the hold). Only a lift or a closing, both caused by a person's decision, can end a
 * hold, and the runner starts every event at an instant of its own: so at one instant the hold a decision
 * ends comes before a hold its consequences place.
 */
export function holdPeriods(audit: readonly AuditEntry[]): HoldPeriod[] {
  const order = (e: AuditEntry) => (endsHold(e) ? 0 : 1);
  const events = audit
    .filter((e) => e.action === 'journey.hold-placed' || endsHold(e))
    .sort((a, b) => ms(a.at) - ms(b.at) || order(a) - order(b));
  const periods: HoldPeriod[] = [];
  let since: number | undefined;
  for (const event of events) {
    if (event.action === 'journey.hold-placed' && since === undefined) since = ms(event.at);
    if (endsHold(event) && since !== undefined) {
      periods.push({ from: since, to: ms(event.at) });
      since = undefined;
    }
  }
  if (since !== undefined) periods.push({ from: since, to: Infinity });
  return periods;
}

/** When the journey closed (discharged, declined, ineligible), if it did. */
export function closedAt(audit: readonly AuditEntry[]): number | undefined {
  const times = audit.filter((e) => closingActions.has(e.action ?? '')).map((e) => ms(e.at));
  return times.length === 0 ? undefined : Math.min(...times);
}

/** Strictly inside a hold: events of the very instant a hold was placed or lifted are not judged (same millisecond, no order). */
function onHoldAt(periods: readonly HoldPeriod[], at: number): HoldPeriod | undefined {
  return periods.find((period) => period.from < at && at < period.to);
}

const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : 'still on hold');

/**
 * Every invariant of the running system, as a list of violations (empty when all hold):
 * - no session without a passed check-in;
 * - no dosing step, reminder or fill while on hold;
 * - no fill within the protocol's interval of the previous one, nor beyond the refill caps;
 * - no reminder sent twice;
 * - every decision has reasons and a protocol version;
 * - at most one decision per waiting step round, and no execution failed.
 */
export function journeyInvariantViolations(observation: Observation, protocol: Protocol, timeZone: string): string[] {
  const { view } = observation;
  const violations: string[] = [];
  const audit = view.audit;
  const holds = holdPeriods(audit);

  // the hold flag in the store agrees with the audit trail (else the periods above mean nothing)
  const lastHold = holds.at(-1);
  const standing = lastHold !== undefined && lastHold.to === Infinity;
  if (view.journey.onHold === true && !standing)
    violations.push('the journey is on hold but the audit trail shows no standing hold');
  if (view.journey.onHold === false && standing)
    violations.push('the audit trail shows a standing hold but the journey is not on hold');

  // --- no session without a passed check-in; no dosing step while on hold
  const sessionMinutes = protocol.induction.sessionDurationMinutes;
  for (const session of view.sessions) {
    if (session.status !== 'completed') continue;
    const number = session['number'];
    const completedAt = ms(session['completedAt']);
    const startedAt = completedAt - sessionMinutes * MINUTE;
    const checkIns = view.checkIns
      .filter((c) => c['sessionNumber'] === number && ms(c['submittedAt']) <= completedAt)
      .sort((a, b) => ms(a['submittedAt']) - ms(b['submittedAt']));
    const last = checkIns.at(-1);
    if (last === undefined || last['outcome'] !== 'CLEARED') {
      violations.push(
        `session ${String(number)} completed at ${iso(completedAt)} without a passed check-in (last check-in: ${last === undefined ? 'none' : String(last['outcome'])})`,
      );
    } else {
      const checkedInAt = ms(last['submittedAt']);
      const opens = startedAt - protocol.checkIn.opensHoursBefore * HOUR;
      const closes = startedAt + protocol.checkIn.closesHoursAfter * HOUR;
      if (checkedInAt < opens || checkedInAt > closes)
        violations.push(
          `session ${String(number)} started at ${iso(startedAt)} on a check-in of ${iso(checkedInAt)}, outside its window`,
        );
      const heldBetween = holds.find((h) => h.from > checkedInAt && h.from < completedAt);
      if (heldBetween !== undefined)
        violations.push(
          `session ${String(number)} completed at ${iso(completedAt)} on a check-in of ${iso(checkedInAt)} although a hold was placed at ${iso(heldBetween.from)} in between`,
        );
    }
    const held = holds.find((h) => h.from < completedAt && h.to > startedAt);
    if (held !== undefined)
      violations.push(
        `session ${String(number)} (${iso(startedAt)} to ${iso(completedAt)}) ran while the patient was on hold (${iso(held.from)} to ${iso(held.to)})`,
      );
  }
  for (const event of audit) {
    if (event.action !== 'session.completed') continue;
    const number = event.details?.['sessionNumber'];
    if (!view.sessions.some((s) => s['number'] === number && s.status === 'completed'))
      violations.push(`the audit trail completes session ${String(number)} that the store does not show completed`);
  }

  // --- no reminder and no fill while on hold, and no dosing step, reminder or fill once the journey closed
  const closed = closedAt(audit);
  for (const event of audit) {
    const at = ms(event.at);
    const kind = event.action ?? '';
    if (kind.startsWith('reminder.') || kind.startsWith('fill.') || kind === 'session.completed') {
      const held = onHoldAt(holds, at);
      if (held !== undefined && kind !== 'session.completed')
        violations.push(`${kind} at ${iso(at)} while on hold (${iso(held.from)} to ${iso(held.to)})`);
      if (closed !== undefined && at > closed)
        violations.push(`${kind} at ${iso(at)} after the journey closed at ${iso(closed)}`);
    }
  }
  // the steps that let a dose or a fill through are refused during a hold
  for (const checkIn of view.checkIns) {
    const held = checkIn['outcome'] === 'CLEARED' ? onHoldAt(holds, ms(checkIn['submittedAt'])) : undefined;
    if (held !== undefined)
      violations.push(
        `a check-in for session ${String(checkIn['sessionNumber'])} was cleared at ${String(checkIn['submittedAt'])} while on hold (${iso(held.from)} to ${iso(held.to)})`,
      );
  }
  for (const event of audit) {
    const approvedRefill =
      event.action === 'step.decided' &&
      event.details?.['purpose'] === 'refill-approval' &&
      event.details['decision'] === 'APPROVED';
    const passedGate = event.action === 'refill.gate-decided' && String(event.reason).startsWith('APPROVABLE');
    const held = approvedRefill || passedGate ? onHoldAt(holds, ms(event.at)) : undefined;
    if (held !== undefined)
      violations.push(
        `${approvedRefill ? 'a refill was approved' : 'the refill gate passed a request'} at ${String(event.at)} while on hold (${iso(held.from)} to ${iso(held.to)})`,
      );
  }
  for (const fill of view.fills) {
    const held = onHoldAt(holds, ms(fill.filledAt));
    if (held !== undefined)
      violations.push(
        `fill ${String(fill.cycle)} at ${String(fill.filledAt)} while on hold (${iso(held.from)} to ${iso(held.to)})`,
      );
  }

  // --- every maintenance dose is a supplied one: a session after induction's ran only on a fill that supplied it, after that fill
  const inductionSessions = Math.max(
    0,
    ...view.treatmentPlans
      .filter((plan) => plan['approvedAt'] !== undefined)
      .map((plan) => Number(plan['sessionCount'])),
  );
  for (const session of view.sessions) {
    const number = Number(session.number);
    if (session.status !== 'completed' || number <= inductionSessions) continue;
    const supplier = view.fills.find(
      (f) =>
        typeof f['firstSessionNumber'] === 'number' &&
        typeof f['quantity'] === 'number' &&
        number >= f['firstSessionNumber'] &&
        number < f['firstSessionNumber'] + f['quantity'],
    );
    if (supplier === undefined)
      violations.push(
        `maintenance session ${number} completed at ${String(session['completedAt'])} but no fill supplies it`,
      );
    else if (ms(session['completedAt']) < ms(supplier.filledAt))
      violations.push(
        `maintenance session ${number} completed at ${String(session['completedAt'])}, before the fill that supplies it (${String(supplier.filledAt)})`,
      );
  }

  // --- no fill within the interval of the previous one, nor beyond the caps
  const fills = [...view.fills].sort((a, b) => (a.cycle ?? 0) - (b.cycle ?? 0));
  const interval = protocol.refill.minimumDaysSinceLastFill * DAY;
  fills.forEach((fill, index) => {
    const previous = fills[index - 1];
    if (previous !== undefined && ms(fill.filledAt) - ms(previous.filledAt) < interval) {
      violations.push(
        `fill ${String(fill.cycle)} at ${String(fill.filledAt)} is within ${protocol.refill.minimumDaysSinceLastFill} days of fill ${String(previous.cycle)} at ${String(previous.filledAt)}`,
      );
    }
    const cycle = fill.cycle ?? 0;
    // fill numbers count fills, whatever the cycle (a cycle may end without one, or be restarted)
    if (fill['fillNumber'] !== index + 1)
      violations.push(
        `fill of cycle ${cycle} at ${String(fill.filledAt)} is numbered ${String(fill['fillNumber'])}, but it is fill ${index + 1}`,
      );
    if (cycle === 0) return;
    const plan = planInForceAt(view, ms(fill.filledAt));
    if (plan === undefined) {
      violations.push(`refill ${cycle} at ${String(fill.filledAt)} without an approved plan`);
      return;
    }
    // a refill supplies the plan's maintenance doses for its period, never more than the protocol's cap
    const expected = fillQuantity(
      {
        doseMg: Number(plan['doseMg']),
        daysOfSupply: Number(plan['daysOfSupply']),
        maintenanceIntervalDays: Number(plan['maintenanceIntervalDays']),
      },
      protocol,
    ).doses;
    if (fill['quantity'] !== expected)
      violations.push(
        `refill ${cycle} at ${String(fill.filledAt)} supplies ${String(fill['quantity'])} doses; the plan gives ${expected}`,
      );
    if (Number(fill['quantity']) > protocol.maintenance.maxDosesPerFill)
      violations.push(
        `refill ${cycle} supplies ${String(fill['quantity'])} doses, above the protocol's cap of ${protocol.maintenance.maxDosesPerFill}`,
      );
    const allowed = Math.min(protocol.refill.maxRefills, Number(plan['refillsAllowed']));
    if (index > allowed)
      violations.push(
        `refill ${index} (cycle ${cycle}) at ${String(fill.filledAt)} is beyond the ${allowed} refills allowed`,
      );
    const lastValidDay = addCalendarMonths(
      String(plan['prescriptionIssuedOn']),
      protocol.refill.maxMonthsFromPrescription,
    );
    const filledOn = localDate(new Date(ms(fill.filledAt)), timeZone);
    if (filledOn > lastValidDay) {
      violations.push(
        `refill ${cycle} filled on ${filledOn}, after ${lastValidDay} (${protocol.refill.maxMonthsFromPrescription} months from the prescription of ${String(plan['prescriptionIssuedOn'])})`,
      );
    }
  });
  const refills = fills.filter((f) => (f.cycle ?? 0) > 0).length;
  if (refills > protocol.refill.maxRefills)
    violations.push(`${refills} refills recorded; the protocol allows ${protocol.refill.maxRefills}`);

  // --- no reminder sent twice
  violations.push(...reminderViolations(observation));

  // --- every decision has reasons and a protocol version
  violations.push(...decisionViolations(view, protocol));

  // --- a waiting step is decided at most once per round it was opened
  const requested = new Map<string, number>();
  const decided = new Map<string, number>();
  for (const event of audit) {
    const stepKey = event.details?.['stepKey'];
    if (typeof stepKey !== 'string') continue;
    if (event.action === 'step.requested') requested.set(stepKey, (requested.get(stepKey) ?? 0) + 1);
    if (event.action === 'step.decided') decided.set(stepKey, (decided.get(stepKey) ?? 0) + 1);
  }
  for (const [stepKey, count] of decided) {
    const rounds = requested.get(stepKey) ?? 0;
    // the staff API may decide a step before its link went out (consult booking): one round at least
    if (count > Math.max(rounds, 1))
      violations.push(`step ${stepKey} was decided ${count} times in ${rounds} round(s)`);
  }

  // --- nothing asks the patient to act during a hold or after the journey closed
  for (const event of audit) {
    if (event.action !== 'step.person-notified' || !isPatientPurpose(event.details?.['linkPurpose'])) continue;
    const at = ms(event.at);
    const held = onHoldAt(holds, at);
    if (held !== undefined)
      violations.push(
        `the patient was sent a ${String(event.details?.['linkPurpose'])} link at ${iso(at)} while on hold (${iso(held.from)} to ${iso(held.to)})`,
      );
    if (closed !== undefined && at > closed)
      violations.push(
        `the patient was sent a ${String(event.details?.['linkPurpose'])} link at ${iso(at)} after the journey closed at ${iso(closed)}`,
      );
  }

  // --- notices say only what happened: "approved, but refused at recording" only after an approval
  for (const event of audit.filter((e) => e.action === 'refill.refused' && e.details?.['atFill'] === true)) {
    const approved = audit.some(
      (e) =>
        e.action === 'step.decided' &&
        e.details?.['purpose'] === 'refill-approval' &&
        e.details['decision'] === 'APPROVED' &&
        ms(e.at) <= ms(event.at) &&
        String(e.details['stepKey']).startsWith(`refill-${String(event.details?.['cycle'])}-`),
    );
    if (!approved)
      violations.push(
        `refill cycle ${String(event.details?.['cycle'])} is recorded as refused at recording after an approval, but nobody approved it`,
      );
  }

  // --- the journey is in a phase the design defines
  if (!(journeyPhases as readonly string[]).includes(String(view.journey.phase)))
    violations.push(`the journey is in an undefined phase ${String(view.journey.phase)}`);

  // --- the executions: none failed, and one journey at a time (the journey or one refill cycle)
  for (const execution of observation.executions) {
    if (execution.status === 'FAILED' || execution.status === 'TIMED_OUT')
      violations.push(`execution ${execution.name} ${execution.status}`);
  }
  const running = observation.executions.filter(
    (e) => e.status === 'RUNNING' && (e.stateMachine === 'journey' || e.stateMachine === 'refill-cycle'),
  );
  if (running.length > 1)
    violations.push(`${running.length} journey-level executions run at once: ${running.map((e) => e.name).join(', ')}`);
  return violations;
}

function isPatientPurpose(purpose: unknown): boolean {
  return typeof purpose === 'string' && isStepPurpose(purpose) && purposeSpecs[purpose].actor === 'patient';
}

/** The approved plan in force at an instant: the newest approved before it. */
function planInForceAt(view: JourneyView, at: number): Record<string, unknown> | undefined {
  return [...view.treatmentPlans]
    .filter((plan) => ms(plan['approvedAt']) <= at)
    .sort((a, b) => ms(a['approvedAt']) - ms(b['approvedAt']))
    .at(-1);
}

const sentOnceKinds: readonly EmailKind[] = [
  'consult-reminder',
  'session-prep-reminder',
  'refill-window-reminder',
  'please-contact-clinic',
  'clinician-urgent',
];

function subjectOf(kind: EmailKind): string {
  return renderEmail(kind, { firstName: 'x', link: 'http://x/p/x', when: 'x' }).subject;
}

/**
 * Each reminder (and each alert sent once) leaves a REMINDER_SENT marker before SES sends it: the emails of
 * each such kind must be exactly as many as their markers (a duplicate or an unmarked send breaks it),
 * and each link request is emailed at most once per stage and round.
 */
function reminderViolations(observation: Observation): string[] {
  const violations: string[] = [];
  const { view } = observation;
  const failedSends = new Set(
    view.audit.filter((e) => e.action === 'email.send-failed').map((e) => String(e.details?.['reminderKey'])),
  );
  for (const kind of sentOnceKinds) {
    const toClinician = kind === 'clinician-urgent';
    const emails = (toClinician ? observation.clinicianEmails : observation.patientEmails).filter(
      (e) => e.subject === subjectOf(kind),
    );
    const markers = view.remindersSent.filter(
      (m) =>
        m['emailKind'] === kind &&
        (toClinician ? m['recipient'] === 'clinician' : m['recipient'] === 'patient') &&
        !failedSends.has(String(m.reminderKey)),
    );
    if (emails.length !== markers.length) {
      violations.push(
        `${emails.length} "${kind}" email(s) for ${markers.length} marker(s) (${markers.map((m) => m.reminderKey).join(', ')})`,
      );
    }
  }
  const rounds = new Map<string, number>();
  const notified = new Map<string, number>();
  for (const event of view.audit) {
    const stepKey = event.details?.['stepKey'];
    if (typeof stepKey !== 'string') continue;
    if (event.action === 'step.requested') rounds.set(stepKey, (rounds.get(stepKey) ?? 0) + 1);
    if (event.action === 'step.person-notified') {
      const key = `${stepKey} ${String(event.details?.['stage'])}`;
      notified.set(key, (notified.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of notified) {
    const stepKey = key.split(' ')[0] ?? '';
    const limit = rounds.get(stepKey) ?? 0;
    if (count > limit) violations.push(`the link of ${key} was emailed ${count} times in ${limit} round(s)`);
  }
  const urls = observation.patientEmails.flatMap((e) =>
    [...`${e.text ?? ''}`.matchAll(/\/p\/[A-Za-z0-9_~.%-]+/g)].map((m) => m[0]),
  );
  if (new Set(urls).size !== urls.length) violations.push('the same link was emailed to the patient twice');
  if (observation.patientEmails.some((e) => /\/c\/[A-Za-z0-9_-]{43}/.test(`${e.text ?? ''}${e.html ?? ''}`)))
    violations.push("a patient was emailed a clinician's link");
  return violations;
}

/** Audit actions that record a decision made by a rule of the protocol. */
const ruleDecisions = new Set([
  'screening.decided',
  'refill.gate-decided',
  'fill.initial-recorded',
  'fill.refill-recorded',
  'session.completed',
  'session.postponed',
  'session.missed',
  'session.planned',
  'journey.follow-up-response',
  'step.decided',
]);

function decisionViolations(view: JourneyView, protocol: Protocol): string[] {
  const violations: string[] = [];
  const version = protocol.version;
  for (const event of view.audit) {
    const reason = typeof event.reason === 'string' ? event.reason.trim() : '';
    if (reason === '') violations.push(`audit event ${String(event.action)} at ${String(event.at)} has no reason`);
    if (ruleDecisions.has(event.action ?? '') && event.protocolVersion !== version) {
      violations.push(
        `decision ${String(event.action)} at ${String(event.at)} (${reason}) has protocol version ${String(event.protocolVersion)}, expected ${version}`,
      );
    }
  }
  for (const event of view.audit.filter((e) => e.action === 'refill.gate-decided')) {
    const codes = event.details?.['reasonCodes'];
    if (!Array.isArray(codes) || codes.length === 0)
      violations.push(`refill gate decision at ${String(event.at)} stores no reason codes`);
  }
  const stored = (
    what: string,
    items: readonly Record<string, unknown>[],
    outcomeField: string,
    reasonsField: string,
    reasonless: string,
  ) => {
    for (const item of items) {
      const reasons = item[reasonsField];
      if (item['protocolVersion'] !== version)
        violations.push(
          `${what} ${String(item[outcomeField])} stores protocol version ${String(item['protocolVersion'])}`,
        );
      if (!Array.isArray(reasons)) violations.push(`${what} ${String(item[outcomeField])} stores no reasons`);
      else if (item[outcomeField] !== reasonless && reasons.length === 0)
        violations.push(`${what} ${String(item[outcomeField])} stores an empty list of reasons`);
    }
  };
  stored('screening', view.screenings, 'outcome', 'reasons', 'ELIGIBLE');
  stored('check-in', view.checkIns, 'outcome', 'reasons', 'CLEARED');
  stored('side-effect triage', view.sideEffectReports, 'triage', 'triageReasons', 'NONE');
  return violations;
}
