import { refundsByDay, salesByDay } from '../../building-blocks/books/books.repository';
import { listCourseTitles } from '../../building-blocks/course/course.repository';
import type { Db } from '../../building-blocks/db/client';
import { type DayRange, instantsOf } from './report-range';

/**
 * 정산 (settlement): per Korean day and per course, what was sold, what was refunded and the net, by
 * payment method. Wallet charges paid by card are prepaid money, not sales: they are reported on their
 * own line (courseId null, title "지갑 충전") so they are never counted twice as revenue.
 */

export interface SettlementRow {
  day: string;
  courseId: string | null;
  title: string;
  method: 'BALANCE' | 'CARD';
  gross: number;
  refunds: number;
  net: number;
}

export async function settlementReport(db: Db, range: DayRange): Promise<SettlementRow[]> {
  const { start, end } = instantsOf(range);
  const sales = await salesByDay(db, start, end);
  const refunds = await refundsByDay(db, start, end);
  const titles = new Map((await listCourseTitles(db)).map((c) => [c.id, c.title] as const));

  const rows = new Map<string, SettlementRow>();
  const row = (day: string, courseId: string | null, method: 'BALANCE' | 'CARD') => {
    const key = `${day}|${courseId ?? ''}|${method}`;
    let found = rows.get(key);
    if (!found) {
      found = {
        day,
        courseId,
        title: courseId ? (titles.get(courseId) ?? courseId) : '지갑 충전',
        method,
        gross: 0,
        refunds: 0,
        net: 0,
      };
      rows.set(key, found);
    }
    return found;
  };
  for (const s of sales) row(s.day, s.course_id, s.method).gross += Number(s.total);
  for (const r of refunds) row(r.day, r.course_id, r.method).refunds += Number(r.total);
  for (const r of rows.values()) r.net = r.gross - r.refunds;
  return [...rows.values()].sort(
    (a, b) =>
      a.day.localeCompare(b.day) || a.title.localeCompare(b.title) || a.method.localeCompare(b.method),
  );
}
