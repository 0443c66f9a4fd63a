import { describe, expect, it } from 'vitest';
import { sessionNumberOfKey } from '../functions/domain/session-step-key.ts';

describe('the session a step or reminder key belongs to', () => {
  it.each([
    ['session-2-a1-check-in', 2],
    ['session-12-prep', 12],
    ['session-1-a3-missed-check-ins', 1],
    ['intake-reminder-1', undefined],
    ['refill-3-window-opens', undefined],
    ['session-prep', undefined],
    ['follow-up-session-2-x', undefined],
  ])('%s is of session %s', (key, number) => {
    expect(sessionNumberOfKey(key)).toBe(number);
  });
});
