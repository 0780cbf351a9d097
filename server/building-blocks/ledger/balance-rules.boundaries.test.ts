import { describe, expect, it } from 'vitest';
import { requestIdSchema } from '../schemas/wallet.schemas';
import { canApply, MAX_BALANCE, MIN_BALANCE, refusalFor } from './balance-rules';

/**
 * The edges of the balance rules that balance-rules.test.ts leaves out: both ends of 0..100,000 from
 * either side, and the requestIds callers may not use. Added where mutation testing showed them
 * unchecked.
 */

describe('0..100,000 at its edges', () => {
  it.each([
    // [balance, delta, allowed]
    [MAX_BALANCE - 1, 1, true],
    [MAX_BALANCE, 1, false],
    [MAX_BALANCE, -1, true],
    [MAX_BALANCE, 0, true],
    [MIN_BALANCE + 1, -1, true],
    [MIN_BALANCE, -1, false],
    [MIN_BALANCE, 1, true],
    [MIN_BALANCE, MAX_BALANCE + 1, false],
    [MAX_BALANCE, -MAX_BALANCE, true],
    [MAX_BALANCE, -MAX_BALANCE - 1, false],
  ])('balance %i moved by %i is allowed: %s', (balance, delta, allowed) => {
    expect(canApply(balance, delta)).toBe(allowed);
  });

  it('a credit that does not fit hits the ceiling; a debit that does not fit hits the floor', () => {
    expect(refusalFor(1)).toBe('BALANCE_LIMIT_EXCEEDED');
    expect(refusalFor(-1)).toBe('INSUFFICIENT_BALANCE');
  });
});

describe('requestIds', () => {
  it('accepts 128 characters, not 129', () => {
    expect(requestIdSchema.parse('x'.repeat(128))).toBe('x'.repeat(128));
    expect(requestIdSchema.safeParse('x'.repeat(129)).success).toBe(false);
  });

  it('keeps "sys:" for the system, but not the same letters elsewhere in the id', () => {
    const reserved = requestIdSchema.safeParse('sys:order:abc');
    expect(reserved.success).toBe(false);
    expect(reserved.error?.issues[0]?.message).toMatch(/reserved for the system/);
    expect(requestIdSchema.parse('order:sys:')).toBe('order:sys:');
    expect(requestIdSchema.parse('SYS-1')).toBe('SYS-1');
  });

  it('refuses lone UTF-16 surrogates but accepts whole characters outside the BMP', () => {
    expect(requestIdSchema.safeParse('a\ud800b').success).toBe(false);
    expect(requestIdSchema.parse('결제-😀')).toBe('결제-😀');
  });
});
