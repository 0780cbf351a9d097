import { describe, expect, it } from 'vitest';
import { requestHash } from '../idempotency/request-hash';
import { amountSchema, requestIdSchema } from '../schemas/wallet.schemas';
import { canApply, refusalFor } from './balance-rules';

describe('balance rules', () => {
  it.each([
    [0, 100_000, true],
    [1, 100_000, false],
    [50_000, -50_000, true],
    [49_999, -50_000, false],
    [0, 0, true],
  ])('balance %i moved by %i is allowed: %s', (balance, delta, allowed) => {
    expect(canApply(balance, delta)).toBe(allowed);
  });

  it('names the limit a refused change hit', () => {
    expect(refusalFor(1_000)).toBe('BALANCE_LIMIT_EXCEEDED');
    expect(refusalFor(-1_000)).toBe('INSUFFICIENT_BALANCE');
  });

  it.each([1, 999, 100_000])('accepts an amount of %i won', (amount) => {
    expect(amountSchema.parse(amount)).toBe(amount);
  });

  it.each([
    [0, /at least 1/],
    [-5, /at least 1/],
    [100_001, /at most 100,000/],
    [1.5, /whole number/],
    [Number.NaN, /number/],
    ['100', /number/],
  ])('refuses an amount of %s with a message naming the problem', (amount, message) => {
    const result = amountSchema.safeParse(amount);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('refuses empty or overlong requestIds', () => {
    expect(requestIdSchema.safeParse('').success).toBe(false);
    expect(requestIdSchema.safeParse('   ').success).toBe(false);
    expect(requestIdSchema.safeParse('x'.repeat(129)).success).toBe(false);
    expect(requestIdSchema.safeParse('a\u0000b').success).toBe(false);
    expect(requestIdSchema.parse(' abc ')).toBe('abc');
  });
});

describe('requestHash', () => {
  it('ignores key order but not values or the operation', () => {
    expect(requestHash('op', { a: 1, b: 'x' })).toBe(requestHash('op', { b: 'x', a: 1 }));
    expect(requestHash('op', { a: 1 })).not.toBe(requestHash('op', { a: 2 }));
    expect(requestHash('op', { a: 1 })).not.toBe(requestHash('other', { a: 1 }));
    expect(requestHash('op', { a: '1' })).not.toBe(requestHash('op', { a: 1 }));
  });
});
