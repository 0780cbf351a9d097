import { z } from 'zod';

/** A range of Korean calendar days (Toss's and our reports count days in Asia/Seoul), inclusive. */
export const dayRangeSchema = z
  .object({
    from: z.iso.date({ error: 'from must be a date like 2026-11-01' }),
    to: z.iso.date({ error: 'to must be a date like 2026-11-30' }),
  })
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
