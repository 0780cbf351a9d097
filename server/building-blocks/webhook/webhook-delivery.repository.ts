import type { DbOrTx } from '../db/client';

/** Toss webhook deliveries, as received (deduplicated by Toss's transmission id) and once acted on. */

/** Records a delivery; null when this transmission id was recorded before (a duplicate). */
export async function recordDelivery(
  db: DbOrTx,
  delivery: { transmissionId: string; eventType: string; orderId: string | null; payload: object },
) {
  const inserted = await db.webhookDelivery.createManyAndReturn({
    data: [delivery],
    skipDuplicates: true,
    select: { id: true },
  });
  return inserted[0] ?? null;
}

/** The webhooks Toss sent about an order, oldest first. */
export function findDeliveriesOfOrder(db: DbOrTx, orderId: string) {
  return db.webhookDelivery.findMany({
    where: { orderId },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, eventType: true, payload: true, receivedAt: true, processedAt: true },
  });
}

export function findDelivery(db: DbOrTx, deliveryId: string) {
  return db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { orderId: true, processedAt: true, receivedAt: true },
  });
}

/**
 * Marks deliveries acted on: every unprocessed one for the order received by `receivedBy` (what Toss
 * just said covers them all), or the one delivery when it names no order.
 */
export async function markDeliveriesProcessed(
  db: DbOrTx,
  which: { orderId: string; receivedBy: Date } | { deliveryId: string },
) {
  await db.webhookDelivery.updateMany({
    where:
      'orderId' in which
        ? { orderId: which.orderId, processedAt: null, receivedAt: { lte: which.receivedBy } }
        : { id: which.deliveryId, processedAt: null },
    data: { processedAt: new Date() },
  });
}

/** Deliveries recorded before `receivedBefore` and never acted on (the process died after answering). */
export async function findUnprocessedDeliveries(db: DbOrTx, receivedBefore: Date, limit: number) {
  const rows = await db.webhookDelivery.findMany({
    where: { processedAt: null, receivedAt: { lt: receivedBefore } },
    select: { id: true },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/** Deliveries not yet acted on: how many, and when the oldest was received. */
export async function unprocessedDeliveries(
  db: DbOrTx,
): Promise<{ count: number; oldestReceivedAt: Date | null }> {
  const found = await db.webhookDelivery.aggregate({
    where: { processedAt: null },
    _count: { _all: true },
    _min: { receivedAt: true },
  });
  return { count: found._count._all, oldestReceivedAt: found._min.receivedAt };
}
