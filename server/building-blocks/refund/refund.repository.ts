import { endEnrollmentsOf } from '../course/course.repository';
import type { DbOrTx, Tx } from '../db/client';
import type { OrderRow } from '../order/order.repository';

/** Refunds' SQL: reserving an amount on the order, booking a refund done, and cancels made at Toss. */

/**
 * Reserves `amount` on the order (`refunded_amount + amount <= amount`, one conditional UPDATE), so
 * concurrent refunds can never add up to more than was paid. False when it does not fit, or the order
 * is not (partly) approved.
 */
export async function reserveRefund(tx: Tx, orderId: string, amount: number): Promise<boolean> {
  const reserved = await tx.$executeRaw`
    UPDATE orders SET refunded_amount = refunded_amount + ${amount}, updated_at = now()
     WHERE id = ${orderId} AND status IN ('APPROVED', 'PARTIALLY_CANCELED')
       AND refunded_amount + ${amount} <= amount`;
  return reserved === 1;
}

/** The refund an order's requestId made, if any. */
export function findRefundByRequestId(db: DbOrTx, orderId: string, requestId: string) {
  return db.refund.findUnique({ where: { orderId_requestId: { orderId, requestId } } });
}

/**
 * Locks the order's row for the rest of `tx`, then looks for the refund `requestId` made: a concurrent
 * call with the same requestId waits here until the first one's transaction ends, then sees its refund.
 */
export async function lockOrderAndFindRefund(tx: Tx, orderId: string, requestId: string) {
  await tx.$queryRaw`SELECT 1 FROM orders WHERE id = ${orderId} FOR UPDATE`;
  return findRefundByRequestId(tx, orderId, requestId);
}

/**
 * Marks a refund done (with its cancel's transactionKey at Toss, when known) and the order partly or
 * fully cancelled; a full cancel of a course ends the enrollment. Fully cancelled only when the refunds
 * actually done add up to the payment: one still waiting for Toss's answer does not count yet. The
 * order's row is locked first, so two refunds booked at once both see each other's DONE.
 */
export async function bookRefundDone(
  tx: Tx,
  order: Pick<OrderRow, 'id' | 'amount' | 'type'>,
  refundId: string,
  tossTransactionKey: string | null = null,
) {
  await tx.$queryRaw`SELECT 1 FROM orders WHERE id = ${order.id} FOR UPDATE`;
  await tx.refund.update({
    where: { id: refundId },
    data: { status: 'DONE', ...(tossTransactionKey ? { tossTransactionKey } : {}) },
    select: { id: true },
  });
  const done = await tx.refund.aggregate({
    where: { orderId: order.id, status: 'DONE' },
    _sum: { amount: true },
  });
  const fully = (done._sum.amount ?? 0) >= order.amount;
  await tx.order.update({
    where: { id: order.id },
    data: { status: fully ? 'CANCELED' : 'PARTIALLY_CANCELED' },
    select: { id: true },
  });
  if (fully) {
    await tx.payment.updateMany({ where: { orderId: order.id }, data: { canceledAt: new Date() } });
    if (order.type === 'COURSE') await endEnrollmentsOf(tx, order.id);
  }
}

/** An order's refunds to the card, as needed to tell our cancels at Toss from the others. */
export function findCardRefunds(db: DbOrTx, orderId: string) {
  return db.refund.findMany({
    where: { orderId, destination: 'CARD' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, status: true, amount: true, tossTransactionKey: true, createdAt: true },
  });
}

export type CardRefundRow = Awaited<ReturnType<typeof findCardRefunds>>[number];

// Under "sys:", which callers may not use (requestIdSchema), so no request can take a cancel's key first.
export const cancelMadeAtTossRequestId = (transactionKey: string) => `sys:toss-cancel:${transactionKey}`;

/**
 * Claims a cancel made at Toss by recording it as a refund with its transactionKey (`INSERT ... ON
 * CONFLICT DO NOTHING`). Returns the new refund, or null when the cancel was claimed before: a
 * concurrent claim waits on the unique index and then gets null, so each cancel is booked once.
 */
export async function claimCancelMadeAtToss(
  tx: Tx,
  cancel: { orderId: string; transactionKey: string; amount: number; reason: string },
) {
  const rows = await tx.refund.createManyAndReturn({
    data: [
      {
        orderId: cancel.orderId,
        requestedBy: null,
        requestId: cancelMadeAtTossRequestId(cancel.transactionKey),
        amount: cancel.amount,
        reason: cancel.reason,
        method: 'CARD',
        destination: 'CARD',
        tossTransactionKey: cancel.transactionKey,
      },
    ],
    skipDuplicates: true,
    select: { id: true, requestId: true },
  });
  return rows[0] ?? null;
}
