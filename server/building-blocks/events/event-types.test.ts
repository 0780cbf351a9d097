import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, retryDelayMs } from './event-types';

const HOUR = 3_600_000;

describe('the retry schedule of an event delivery', () => {
  it('waits longer after each failed attempt, about three days in all, then gives up', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelayMs(i + 1, 1));
    expect(waits.at(-1)).toBeNull();
    const delays = waits.slice(0, -1) as number[];
    expect(delays).toEqual([...RETRY_DELAYS_MS]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1] as number);
    const total = delays.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThanOrEqual(60 * HOUR);
    expect(total).toBeLessThanOrEqual(84 * HOUR);
  });

  it('is scaled by the time scale (tests make it tiny)', () => {
    expect(retryDelayMs(1, 1)).toBe(RETRY_DELAYS_MS[0]);
    expect(retryDelayMs(2, 0.001)).toBe(Math.round((RETRY_DELAYS_MS[1] as number) * 0.001));
    expect(retryDelayMs(MAX_ATTEMPTS, 0.001)).toBeNull();
  });
});
