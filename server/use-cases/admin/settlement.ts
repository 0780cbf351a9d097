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
  const sales = await db.$queryRaw<
    { day: string; course_id: string | null; method: 'BALANCE' | 'CARD'; total: bigint }[]
  >`
    SELECT to_char(approved_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD') AS day, course_id::text, method::text AS method,
           sum(amount) AS total
      FROM orders
     WHERE approved_at >= ${start} AND approved_at < ${end} AND method IS NOT NULL
       AND status IN ('APPROVED', 'PARTIALLY_CANCELED', 'CANCELED')
     GROUP BY 1, 2, 3`;
  const refunds = await db.$queryRaw<
    { day: string; course_id: string | null; method: 'BALANCE' | 'CARD'; total: bigint }[]
  >`
    SELECT to_char(r.updated_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD') AS day, o.course_id::text, r.method::text AS method,
           sum(r.amount) AS total
      FROM refund r JOIN orders o ON o.id = r.order_id
     WHERE r.status = 'DONE' AND r.updated_at >= ${start} AND r.updated_at < ${end}
     GROUP BY 1, 2, 3`;
  const titles = new Map(
    (await db.course.findMany({ select: { id: true, title: true } })).map((c) => [c.id, c.title] as const),
  );

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
