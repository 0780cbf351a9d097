import { z } from 'zod';

/**
 * The days a report can be about. Any ISO date is not: a day of year 0000 starts in year -1 (UTC),
 * which the database driver cannot write (it was a 500), and no payment here predates 2000.
 */
const FIRST_DAY = '2000-01-01';
const LAST_DAY = '2099-12-31';

/**
 * Messages are Korean: an admin reads them as they are (app/_lib/admin-error.ts). A day that is wrong
 * is the one message about it (`abort`): the range's own checks are made only of two good days.
 */
const day = (label: '시작일' | '종료일') =>
  z.iso
    .date({ error: `${label}을 2026-11-01처럼 연-월-일로 입력해 주세요.`, abort: true })
    .refine((d) => d >= FIRST_DAY && d <= LAST_DAY, {
      error: `${label}은 ${FIRST_DAY}부터 ${LAST_DAY} 사이의 날짜여야 해요.`,
      abort: true,
    });

/** A range of Korean calendar days (Toss's and our reports count days in Asia/Seoul), inclusive. */
export const dayRangeSchema = z
  .object({ from: day('시작일'), to: day('종료일') })
  .refine((r) => r.from <= r.to, { error: '시작일은 종료일보다 늦을 수 없어요.', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= 366, {
    error: '기간은 1년을 넘을 수 없어요.',
    path: ['to'],
  });

export type DayRange = z.infer<typeof dayRangeSchema>;

/** [start, end) instants of the range: `from` 00:00 KST up to the day after `to`, 00:00 KST. */
export function instantsOf(range: DayRange): { start: Date; end: Date } {
  const start = new Date(`${range.from}T00:00:00+09:00`);
  const end = new Date(new Date(`${range.to}T00:00:00+09:00`).getTime() + 86_400_000);
  return { start, end };
}

/** The Korean calendar day of an instant, as YYYY-MM-DD. */
export function kstDay(date: Date): string {
  return new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Every day of the range, in order, `from` to `to` inclusive. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  const last = Date.parse(range.to);
  for (let at = Date.parse(range.from); at <= last; at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}
