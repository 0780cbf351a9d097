import { z } from 'zod';

/**
 * The days a report can be about. Any ISO date is not: a day of year 0000 starts in year -1 (UTC),
 * which the database driver cannot write (it was a 500), and no payment here predates 2000.
 */
const FIRST_DAY = '2000-01-01';
const LAST_DAY = '2099-12-31';

const day = (field: 'from' | 'to', example: string) =>
  z.iso
    .date({ error: `${field} must be a date like ${example}` })
    .refine(
      (d) => d >= FIRST_DAY && d <= LAST_DAY,
      `${field} must be a day from ${FIRST_DAY} to ${LAST_DAY}`,
    );

/** A range of Korean calendar days (Toss's and our reports count days in Asia/Seoul), inclusive. */
export const dayRangeSchema = z
  .object({ from: day('from', '2026-11-01'), to: day('to', '2026-11-30') })
  .refine((r) => r.from <= r.to, { error: 'from must not be after to', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= 366, {
    error: 'the range may span at most one year',
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
