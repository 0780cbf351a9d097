import { describe, expect, it } from 'vitest';
import { shortWon, valueAxis } from './chart-scale';

describe('the chart value axis', () => {
  it('steps roundly from 0 past the highest day', () => {
    expect(valueAxis([18_000, 5_000, 0])).toEqual({
      min: 0,
      max: 20_000,
      ticks: [0, 5_000, 10_000, 15_000, 20_000],
    });
    expect(valueAxis([30_000])).toMatchObject({ min: 0, max: 30_000 });
  });

  it('goes below 0 for a day with more refunds than sales', () => {
    const axis = valueAxis([12_000, -7_000]);
    expect(axis.min).toBeLessThanOrEqual(-7_000);
    expect(axis.max).toBeGreaterThanOrEqual(12_000);
    expect(axis.ticks).toContain(0);
  });

  it('still draws an axis when every day is zero', () => {
    expect(valueAxis([0, 0, 0])).toEqual({ min: 0, max: 10_000, ticks: [0, 2_500, 5_000, 7_500, 10_000] });
    expect(valueAxis([])).toMatchObject({ min: 0, max: 10_000 });
  });

  it('says won the short Korean way', () => {
    expect(shortWon(0)).toBe('0');
    expect(shortWon(5_000)).toBe('5천');
    expect(shortWon(15_000)).toBe('1.5만');
    expect(shortWon(1_200_000)).toBe('120만');
  });
});
