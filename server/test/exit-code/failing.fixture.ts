import { expect, it } from 'vitest';

// Run only by exit-code.test.ts: a test that fails on purpose.
it('fails on purpose', () => {
  expect('red').toBe('green');
});
