import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidKeyPart,
  PATIENT_SK_PREFIX,
  journeyStatusIndexKeys,
  keys,
  pendingLinkIndexKeys,
  type ItemKey,
} from '../functions/store/table-design.ts';
import { hashLinkToken } from '../functions/links/link-token.ts';

// Mostly a few shared ids, so two builders are often handed the same one: that is where collisions hide.
const id = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('1', '001', 'p1', 'LINK', 'AUDIT') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('#')) },
);
const sessionNumber = fc.oneof(fc.constantFrom(1, 10), fc.integer({ min: 0, max: 999 }));
const cycle = fc.oneof(fc.constantFrom(1, 10), fc.integer({ min: 0, max: 9999 }));
const instant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const tokenHash = fc.string({ minLength: 1, maxLength: 20 }).map(hashLinkToken);

interface KeyArgs {
  readonly patient: string;
  readonly other: string;
  readonly n: number;
  readonly cycle: number;
  readonly at: Date;
  readonly hash: string;
}
const keyArgs = fc.record({ patient: id, other: id, n: sessionNumber, cycle, at: instant, hash: tokenHash });

/** One key of every item type, all built from the same arguments. */
function everyKey(a: KeyArgs): { type: string; key: ItemKey }[] {
  return [
    { type: 'profile', key: keys.profile(a.patient) },
    { type: 'journey', key: keys.journey(a.patient) },
    { type: 'evaluation', key: keys.evaluation(a.patient, a.other) },
    { type: 'screening', key: keys.screening(a.patient, a.other) },
    { type: 'treatmentPlan', key: keys.treatmentPlan(a.patient, a.other) },
    { type: 'session', key: keys.session(a.patient, a.n) },
    { type: 'checkIn', key: keys.checkIn(a.patient, a.n, a.other) },
    { type: 'journalEntry', key: keys.journalEntry(a.patient, a.n) },
    { type: 'sideEffectReport', key: keys.sideEffectReport(a.patient, a.other) },
    { type: 'adverseEvent', key: keys.adverseEvent(a.patient, a.other) },
    { type: 'fill', key: keys.fill(a.patient, a.cycle) },
    { type: 'assessment', key: keys.assessment(a.patient, a.other) },
    { type: 'reminderSent', key: keys.reminderSent(a.patient, a.other) },
    { type: 'step', key: keys.step(a.patient, a.other, a.other) },
    { type: 'intake', key: keys.intake(a.patient, a.other) },
    { type: 'await', key: keys.await(a.patient, a.other) },
    { type: 'audit', key: keys.audit(a.patient, a.at, a.other) },
    { type: 'link', key: keys.link(a.hash) },
    { type: 'linkRate', key: keys.linkRate(a.hash, a.other) },
    { type: 'idempotency', key: keys.idempotency(a.other) },
  ];
}

const same = (a: ItemKey, b: ItemKey): boolean => a.PK === b.PK && a.SK === b.SK;

describe('the key design', () => {
  it('never gives items of two different types the same key', () => {
    fc.assert(
      fc.property(keyArgs, keyArgs, (first, second) => {
        for (const a of everyKey(first)) {
          for (const b of everyKey(second)) {
            if (a.type !== b.type && same(a.key, b.key)) {
              throw new Error(`${a.type} and ${b.type} share the key ${a.key.PK} / ${a.key.SK}`);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never lets a type-prefix query of the patient partition return another type', () => {
    fc.assert(
      fc.property(keyArgs, (args) => {
        for (const item of everyKey(args)) {
          for (const [type, prefix] of Object.entries(PATIENT_SK_PREFIX)) {
            if (type !== item.type && item.key.PK.startsWith('PATIENT#')) {
              expect(item.key.SK.startsWith(prefix), `${item.type} key ${item.key.SK} starts with ${prefix}`).toBe(
                false,
              );
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an id containing "#", so no caller can forge another type\'s key', () => {
    expect(() => keys.evaluation('p1', 'x#SESSION')).toThrow(InvalidKeyPart);
    expect(() => keys.profile('p1#SK')).toThrow(InvalidKeyPart);
    expect(() => keys.reminderSent('p1', '')).toThrow(InvalidKeyPart);
  });

  it('refuses session and fill numbers that would not sort in numeric order', () => {
    expect(() => keys.session('p1', 1000)).toThrow(InvalidKeyPart);
    expect(() => keys.session('p1', 1.5)).toThrow(InvalidKeyPart);
    expect(() => keys.fill('p1', -1)).toThrow(InvalidKeyPart);
  });

  it('sorts sessions and fills by number and audit events by time', () => {
    fc.assert(
      fc.property(sessionNumber, sessionNumber, cycle, cycle, instant, instant, (s1, s2, c1, c2, t1, t2) => {
        expect(keys.session('p', s1).SK < keys.session('p', s2).SK).toBe(s1 < s2);
        expect(keys.fill('p', c1).SK < keys.fill('p', c2).SK).toBe(c1 < c2);
        expect(keys.audit('p', t1, 'e').SK < keys.audit('p', t2, 'e').SK).toBe(t1.getTime() < t2.getTime());
      }),
    );
  });

  it('finds a link by the SHA-256 of its token and never stores the token in a key', () => {
    const token = 'k3Jq9v0Yx2b8ZxL0QmO7n1hB4cT6dE5fG8hJ2kL9mN0';
    const key = keys.link(hashLinkToken(token));
    expect(key).toEqual({
      PK: `LINK#${hashLinkToken(token)}`,
      SK: 'LINK',
    });
    expect(hashLinkToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(key)).not.toContain(token);
    expect(() => keys.link(token)).toThrow(InvalidKeyPart);
  });

  it('puts pending links under their person and journeys under their status and phase', () => {
    const hash = hashLinkToken('t');
    expect(pendingLinkIndexKeys('clin-1', '2026-03-01T10:00:00Z', hash)).toEqual({
      GSI1PK: 'PERSON#clin-1',
      GSI1SK: `LINK#2026-03-01T10:00:00.000Z#${hash}`,
    });
    expect(journeyStatusIndexKeys('ON_HOLD', 'INDUCTION', 'p1')).toEqual({
      GSI2PK: 'JOURNEY_STATUS#ON_HOLD',
      GSI2SK: 'PHASE#INDUCTION#p1',
    });
  });
});
