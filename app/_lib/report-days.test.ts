import { describe, expect, it } from 'vitest';
import { kstDay, RANGE_PRESETS } from './report-days';

const byLabel = (label: string) => RANGE_PRESETS.find((p) => p.label === label);

describe('the report day presets', () => {
  // 2026-11-30 23:30 in Seoul is still 14:30 UTC: the Korean day, not the UTC one, is "today".
  const lateEvening = Date.parse('2026-11-30T23:30:00+09:00');
  // 2026-12-01 00:10 in Seoul is 2026-11-30 in UTC.
  const justAfterMidnight = Date.parse('2026-12-01T00:10:00+09:00');

  it('count Korean days, whatever the day in UTC', () => {
    expect(kstDay(0, lateEvening)).toBe('2026-11-30');
    expect(kstDay(0, justAfterMidnight)).toBe('2026-12-01');
    expect(kstDay(-1, justAfterMidnight)).toBe('2026-11-30');
  });

  it('fill 오늘, 어제 and 지난 7일 (today and the six days before)', () => {
    expect(byLabel('오늘')?.range(justAfterMidnight)).toEqual({ from: '2026-12-01', to: '2026-12-01' });
    expect(byLabel('어제')?.range(justAfterMidnight)).toEqual({ from: '2026-11-30', to: '2026-11-30' });
    expect(byLabel('지난 7일')?.range(justAfterMidnight)).toEqual({ from: '2026-11-25', to: '2026-12-01' });
  });
});
