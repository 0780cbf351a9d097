/**
 * The days the operator's reports ask about: Korean calendar days (Asia/Seoul, UTC+9 all year, no
 * daylight saving), as YYYY-MM-DD, the way the date fields and the server (report-range.ts) count them.
 */

const KST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

export interface DayRangeInput {
  from: string;
  to: string;
}

/** The Korean day `offsetDays` from the day of `now` (0 today, -1 yesterday). */
export function kstDay(offsetDays = 0, now = Date.now()): string {
  return new Date(now + KST_OFFSET_MS + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

/** The quick choices beside the date fields: 오늘, 어제, 지난 7일 (today and the six days before). */
export const RANGE_PRESETS = [
  { label: '오늘', range: (now?: number) => ({ from: kstDay(0, now), to: kstDay(0, now) }) },
  { label: '어제', range: (now?: number) => ({ from: kstDay(-1, now), to: kstDay(-1, now) }) },
  { label: '지난 7일', range: (now?: number) => ({ from: kstDay(-6, now), to: kstDay(0, now) }) },
] as const;

export function sameRange(a: DayRangeInput, b: DayRangeInput): boolean {
  return a.from === b.from && a.to === b.to;
}
