import { describe, expect, it } from 'vitest';
import { shouldSeedDemoData } from './prepare-database';

describe('the demo seed (published passwords, a balance no card paid for)', () => {
  it('is planted by default only in the embedded sandbox demo', () => {
    expect(shouldSeedDemoData(undefined, 'sandbox', true)).toBe(true);
    expect(shouldSeedDemoData(undefined, 'live', true)).toBe(false);
    expect(shouldSeedDemoData(undefined, 'toss-test', true)).toBe(false);
    expect(shouldSeedDemoData(undefined, 'sandbox', false)).toBe(false);
  });

  it('is planted on request in test modes, and refused with live keys', () => {
    expect(shouldSeedDemoData('true', 'sandbox', false)).toBe(true);
    expect(shouldSeedDemoData('true', 'toss-test', false)).toBe(true);
    expect(shouldSeedDemoData('false', 'sandbox', true)).toBe(false);
    expect(() => shouldSeedDemoData('true', 'live', true)).toThrow(
      /SEED_DEMO_DATA: must not be true with live/,
    );
  });
});
