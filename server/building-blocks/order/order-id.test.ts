import { describe, expect, it } from 'vitest';
import { newOrderId } from './order-id';

describe('newOrderId', () => {
  it('makes ULIDs that never repeat, sort in the order made, and spread their random part over every character', () => {
    const ids: string[] = [];
    // 300 different milliseconds, each a fresh random part (16 bytes): past the 4,096-byte pool once.
    for (let ms = 0; ms < 300; ms += 1) {
      const now = Date.now();
      while (Date.now() === now) {
        // wait for the next millisecond
      }
      ids.push(newOrderId(), newOrderId());
    }
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const randomChars = new Set(ids.flatMap((id) => [...id.slice(10)]));
    expect(randomChars.size).toBe(32);
    // And still after the pool was drawn afresh: the last 40 milliseconds' ids alone.
    const lateChars = new Set(ids.slice(-80).flatMap((id) => [...id.slice(10)]));
    expect(lateChars.size).toBeGreaterThan(20);
  });
});
