import type { DbOrTx } from '../db/client';

/**
 * Operator alerts: what only a person can settle (an order still in doubt, a cancel Toss keeps refusing,
 * a refund owed by bank transfer, a cancel made at Toss). One alert per order and kind, however many
 * times it is raised, so callers may raise it on every attempt.
 */
export async function raiseAlert(db: DbOrTx, orderId: string, kind: string, message: string) {
  await db.operatorAlert.createMany({ data: [{ orderId, kind, message }], skipDuplicates: true });
}

/** Alerts nobody has resolved yet, newest first. */
export function listOpenAlerts(db: DbOrTx, limit: number) {
  return db.operatorAlert.findMany({
    where: { resolvedAt: null },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, orderId: true, kind: true, message: true, createdAt: true },
  });
}
