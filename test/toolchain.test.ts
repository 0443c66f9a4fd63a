import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs the tests on Node 22 or newer, the version the stack declares', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major).toBeGreaterThanOrEqual(22);
  });
});
