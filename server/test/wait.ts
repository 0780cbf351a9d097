import pg from 'pg';
import type { Db } from '../building-blocks/db/client';

/** Polls an order until its status is one of `wanted` (or the time is up); returns the last status. */
export async function orderStatusEventually(db: Db, orderId: string, wanted: string[], timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
    if (wanted.includes(order.status) || Date.now() > deadline) return order.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One query on its own connection (for databases no Prisma client is open on). */
export async function queryOnce<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
