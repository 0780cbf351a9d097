import type { DbOrTx, Tx } from '../db/client';
import { type Prisma, RefundStatus } from '../db/generated/client';

/** Refunds' SQL: reserving an amount on the order, recording refunds and their outcome, cancels made at Toss. */

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
  await lockOrder(tx, orderId);
  return findRefundByRequestId(tx, orderId, requestId);
}

/** Locks the order's row for the rest of `tx` (refunds of one order are booked one at a time). */
export async function lockOrder(tx: Tx, orderId: string) {
  await tx.$queryRaw`SELECT 1 FROM orders WHERE id = ${orderId} FOR UPDATE`;
}

/** Locks the refund's row for the rest of `tx`, then reads it. */
export async function lockRefund(tx: Tx, refundId: string) {
  await tx.$queryRaw`SELECT 1 FROM refund WHERE id = ${refundId}::uuid FOR UPDATE`;
  return findRefund(tx, refundId);
}

export function findRefund(db: DbOrTx, refundId: string) {
  return db.refund.findUniqueOrThrow({ where: { id: refundId } });
}

export function insertRefund(tx: Tx, data: Prisma.RefundUncheckedCreateInput) {
  return tx.refund.create({ data });
}

/**
 * Records what became of a refund: DONE with Toss's transactionKey, FAILED or IN_DOUBT with why, or
 * owed by bank transfer when the wallet could not take it back.
 */
export async function updateRefund(
  tx: Tx,
  refundId: string,
  data: Pick<
    Prisma.RefundUncheckedUpdateInput,
    'status' | 'destination' | 'tossTransactionKey' | 'failureCode' | 'failureMessage'
  >,
) {
  await tx.refund.update({ where: { id: refundId }, data, select: { id: true } });
}

/** Won of the order's refunds that are DONE. */
export async function sumDoneRefunds(tx: Tx, orderId: string): Promise<number> {
  const done = await tx.refund.aggregate({ where: { orderId, status: 'DONE' }, _sum: { amount: true } });
  return done._sum.amount ?? 0;
}

/** Won of the order's refunds to one destination that are not FAILED (done, or still being made). */
export async function sumRefundsTo(tx: Tx, orderId: string, destination: 'CARD' | 'WALLET'): Promise<number> {
  const taken = await tx.refund.aggregate({
    where: { orderId, destination, status: { not: 'FAILED' } },
    _sum: { amount: true },
  });
  return taken._sum.amount ?? 0;
}

/** Gives back a reservation whose refund did not happen (Toss refused the cancel). */
export async function releaseRefundReservation(tx: Tx, orderId: string, amount: number) {
  await tx.$executeRaw`UPDATE orders SET refunded_amount = refunded_amount - ${amount} WHERE id = ${orderId}`;
}

/** Card refunds Toss has not answered (IN_DOUBT), or never booked (REQUESTED, untouched since `staleBefore`). */
export function findCardRefundsToRetry(db: DbOrTx, staleBefore: Date, limit: number) {
  return db.refund.findMany({
    where: {
      destination: 'CARD',
      OR: [{ status: 'IN_DOUBT' }, { status: 'REQUESTED', updatedAt: { lt: staleBefore } }],
    },
    take: limit,
  });
}

/** A fully refunded order's payment record says when it was cancelled. */
export async function markPaymentCanceled(tx: Tx, orderId: string) {
  await tx.payment.updateMany({ where: { orderId }, data: { canceledAt: new Date() } });
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

/** How many refunds are in each status and their won, every status named (0 when none): for the metrics. */
export async function refundTotalsByStatus(
  db: DbOrTx,
): Promise<Record<RefundStatus, { count: number; amount: number }>> {
  const totals = Object.fromEntries(
    Object.values(RefundStatus).map((status) => [status, { count: 0, amount: 0 }]),
  ) as Record<RefundStatus, { count: number; amount: number }>;
  const groups = await db.refund.groupBy({ by: ['status'], _count: { _all: true }, _sum: { amount: true } });
  for (const group of groups)
    totals[group.status] = { count: group._count._all, amount: group._sum.amount ?? 0 };
  return totals;
}

/** Refunds in doubt (IN_DOUBT: Toss did not answer the cancel): how many, and when the oldest was asked. */
export async function refundsInDoubt(db: DbOrTx): Promise<{ count: number; oldestCreatedAt: Date | null }> {
  const found = await db.refund.aggregate({
    where: { status: 'IN_DOUBT' },
    _count: { _all: true },
    _min: { createdAt: true },
  });
  return { count: found._count._all, oldestCreatedAt: found._min.createdAt };
}

/** An order's refunds, oldest first, as the learner may see them. */
export function findRefundsOfOrder(db: DbOrTx, orderId: string) {
  return db.refund.findMany({
    where: { orderId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      amount: true,
      status: true,
      destination: true,
      reason: true,
      requestedBy: true,
      createdAt: true,
      updatedAt: true,
    },
  });
}
