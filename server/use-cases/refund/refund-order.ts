import { randomUUID } from 'node:crypto';
import { raiseAlert } from '../../building-blocks/alert/operator-alert.repository';
import type { Db, Tx } from '../../building-blocks/db/client';
import type { Refund } from '../../building-blocks/db/generated/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { requestHash } from '../../building-blocks/idempotency/request-hash';
import {
  applyBalanceChange,
  ensureWallet,
  insertLedgerEntry,
} from '../../building-blocks/ledger/wallet.repository';
import { errorField, logger } from '../../building-blocks/log';
import { findOrder, type OrderRow } from '../../building-blocks/order/order.repository';
import { takeChargeBack } from '../../building-blocks/refund/charge-back';
import {
  bookRefundDone,
  findRefundByRequestId,
  lockOrderAndFindRefund,
  reserveRefund,
} from '../../building-blocks/refund/refund.repository';
import { keyOfAnsweredCancel } from '../../building-blocks/refund/toss-cancels';
import { settleCancelsMadeAtToss } from '../card/cancels-made-at-toss';
import type { PaymentDeps } from '../card/confirm-card-payment';
import { recoverOrder } from '../card/recover-order';
import { toOrderView } from '../orders/order.service';

/**
 * Refunds and cancels (payment.cancel).
 *
 * Policy: a learner may cancel their own order in full within 7 days of purchase; an admin may cancel
 * any order, in full or in part, at any time. Every refund first reserves its amount on the order
 * (`refunded_amount + amount <= amount`, one conditional UPDATE), so concurrent refunds can never add
 * up to more than was paid. Then:
 * - card: Toss's cancel API with Idempotency-Key `refund-<refundId>`, outside any transaction; a card
 *   wallet charge first takes the amount back out of the wallet (refused if the balance does not
 *   allow it) and gives it back if Toss refuses;
 * - balance: a REFUND ledger entry, in the same transaction as the reservation. If it would lift the
 *   wallet past 100,000 won, the refund is owed by bank transfer instead: recorded as such, and put
 *   before an operator.
 * A full cancel of a course ends the enrollment.
 */

export const LEARNER_REFUND_WINDOW_MS = 7 * 24 * 3_600_000;

export interface CancelInput {
  orderId: string;
  reason: string;
  amount?: number;
  requestId?: string;
}

export interface RefundDeps extends PaymentDeps {
  staleConfirmingMs: number;
}

export async function cancelOrder(
  deps: RefundDeps,
  actor: { id: string; admin: boolean },
  input: CancelInput,
) {
  let order = await findOrder(deps.db, input.orderId);
  if (!order || (!actor.admin && order.userId !== actor.id)) throw new DomainError('ORDER_NOT_FOUND');

  const request: RefundRequest = {
    requestedBy: actor.id,
    requestId: input.requestId ?? randomUUID(),
    requestHash: requestHash('payment.cancel', {
      orderId: order.id,
      requestedBy: actor.id,
      reason: input.reason,
      amount: input.amount,
    }),
    reason: input.reason,
  };
  const earlier = await findRefundByRequestId(deps.db, order.id, request.requestId);
  if (earlier) return replay(deps.db, earlier, request);

  // Settle any doubt about the payment before touching it.
  if (order.status === 'IN_DOUBT' || order.status === 'CONFIRMING' || order.status === 'CANCEL_PENDING') {
    await recoverOrder(deps, order.id);
    order = (await findOrder(deps.db, order.id)) ?? order;
    if (order.status === 'IN_DOUBT' || order.status === 'CONFIRMING')
      throw new DomainError('PAYMENT_IN_DOUBT');
  }
  if (order.status !== 'APPROVED' && order.status !== 'PARTIALLY_CANCELED')
    throw new DomainError('NOT_REFUNDABLE');

  const remaining = order.amount - order.refundedAmount;
  const amount = input.amount ?? remaining;
  if (!actor.admin) {
    const fresh = order.approvedAt && Date.now() - order.approvedAt.getTime() <= LEARNER_REFUND_WINDOW_MS;
    if (!fresh || amount !== order.amount || order.refundedAmount > 0)
      throw new DomainError('REFUND_WINDOW_CLOSED');
  }
  if (amount < 1 || amount > remaining) throw new DomainError('REFUND_EXCEEDS_PAYMENT');

  const reserved = await reserve(deps.db, order, request, amount);
  if ('earlier' in reserved) return replay(deps.db, reserved.earlier, request);
  const { refund } = reserved;
  if (refund.destination !== 'CARD') return answer(deps.db, refund);
  return answer(deps.db, await cancelAtToss(deps, order, refund));
}

/** Who asks for a refund, with which requestId, and the fingerprint of the request (its payload). */
interface RefundRequest {
  requestedBy: string;
  requestId: string;
  requestHash: string;
  reason: string;
}

/**
 * A requestId this order has seen: the same request gets its refund again, as it now stands (or its
 * refusal by Toss); any other request is refused. Refunds recorded without a fingerprint (before it was
 * kept) match their requester.
 */
function replay(db: Db, earlier: Refund, request: RefundRequest) {
  const same =
    earlier.requestHash === null
      ? earlier.requestedBy === request.requestedBy
      : earlier.requestHash === request.requestHash;
  if (!same) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return answer(db, earlier);
}

/**
 * Reserves the amount on the order and records the refund; balance refunds complete right here. A call
 * with a requestId already used (a duplicate sent at the same moment) gets the earlier refund instead.
 */
async function reserve(
  db: Db,
  order: OrderRow,
  request: RefundRequest,
  amount: number,
): Promise<{ refund: Refund } | { earlier: Refund }> {
  const { requestId, reason } = request;
  const recorded = {
    orderId: order.id,
    requestedBy: request.requestedBy,
    requestId,
    requestHash: request.requestHash,
    amount,
    reason,
  };
  return db.$transaction(async (tx) => {
    // Duplicates queue on the order's row here, and the later ones find the first one's refund.
    const earlier = await lockOrderAndFindRefund(tx, order.id, requestId);
    if (earlier) return { earlier };
    if (!(await reserveRefund(tx, order.id, amount))) throw new DomainError('REFUND_EXCEEDS_PAYMENT');
    const method = order.method ?? 'CARD';

    if (method === 'BALANCE') {
      const wallet = await ensureWallet(tx, order.userId);
      const balance = await applyBalanceChange(tx, wallet.id, amount);
      const destination = balance === null ? 'BANK_TRANSFER' : 'WALLET';
      const refund = await tx.refund.create({ data: { ...recorded, method, destination } });
      if (balance !== null) {
        await insertLedgerEntry(tx, {
          walletId: wallet.id,
          userId: order.userId,
          type: 'REFUND',
          amount,
          balanceAfter: balance,
          requestId: `sys:refund:${refund.id}`,
          orderId: order.id,
          courseId: order.courseId ?? undefined,
        });
      } else {
        await tx.operatorAlert.create({
          data: {
            orderId: order.id,
            kind: `BANK_TRANSFER_REFUND:${refund.id}`,
            message: `Refund ${amount} won by bank transfer: the wallet cannot hold it (limit 100,000).`,
          },
        });
      }
      await bookRefundDone(tx, order, refund.id);
      return { refund: await tx.refund.findUniqueOrThrow({ where: { id: refund.id } }) };
    }

    if (order.type === 'CHARGE') {
      // The charged won must leave the wallet before Toss gives them back to the card.
      const { owed } = await takeChargeBack(tx, order, requestId, amount);
      if (owed) {
        throw new DomainError(
          'INSUFFICIENT_BALANCE',
          'The wallet no longer holds the charged amount to give back.',
        );
      }
    }
    return { refund: await tx.refund.create({ data: { ...recorded, method, destination: 'CARD' } }) };
  });
}

/**
 * Asks Toss to cancel (same key on every retry) and books the answer, with the transactionKey Toss gave
 * the cancel. Cancels made at Toss meanwhile could not be told from this one while it was unanswered,
 * so once it is settled the payment is re-read and they are booked (external-cancel.ts).
 */
export async function cancelAtToss(deps: PaymentDeps, order: OrderRow, refund: Refund): Promise<Refund> {
  // Always the exact amount: "everything left" could mean more than this refund if others are pending.
  const answer = await deps.toss.cancel(
    order.paymentKey as string,
    { cancelReason: refund.reason, cancelAmount: refund.amount },
    `refund-${refund.id}`,
    order.id,
  );
  const booked = await deps.db.$transaction(async (tx) => {
    // One booking per refund, however many janitors got an answer: the row is locked, then re-read.
    await tx.$queryRaw`SELECT 1 FROM refund WHERE id = ${refund.id}::uuid FOR UPDATE`;
    const current = await tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
    if (current.status === 'DONE' || current.status === 'FAILED') return { refund: current, settled: false };
    const latest = (await findOrder(tx, order.id)) ?? order;
    if (answer.kind === 'ok') {
      await bookRefundDone(tx, latest, current.id, keyOfAnsweredCancel(answer.body, current.amount));
    } else if (answer.kind === 'refused') {
      await undoReservation(tx, latest, current);
      await tx.refund.update({
        where: { id: current.id },
        data: { status: 'FAILED', failureCode: answer.code, failureMessage: answer.message },
      });
    } else {
      await tx.refund.update({
        where: { id: current.id },
        data: { status: 'IN_DOUBT', failureCode: answer.code ?? 'NO_ANSWER', failureMessage: answer.reason },
      });
    }
    const after = await tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
    return { refund: after, settled: after.status === 'DONE' || after.status === 'FAILED' };
  });
  if (booked.settled) {
    // Our refund is booked whatever comes of this; a failure here leaves it to the next re-read.
    await settleCancelsMadeAtToss(deps, order.id).catch((error: unknown) => {
      logger.error(
        { err: errorField(error), orderId: order.id },
        're-reading the order for cancels made at Toss failed',
      );
    });
  }
  return booked.refund;
}

/** Toss refused the cancel: the reservation is released, and a card charge's won return to the wallet. */
async function undoReservation(tx: Tx, order: OrderRow, refund: Refund) {
  await tx.$executeRaw`UPDATE orders SET refunded_amount = refunded_amount - ${refund.amount} WHERE id = ${order.id}`;
  if (order.type !== 'CHARGE') return;
  const wallet = await ensureWallet(tx, order.userId);
  const balance = await applyBalanceChange(tx, wallet.id, refund.amount);
  if (balance === null) {
    await raiseAlert(
      tx,
      order.id,
      `REFUND_REVERT:${refund.id}`,
      'Could not give back a charge cancel Toss refused.',
    );
    return;
  }
  await insertLedgerEntry(tx, {
    walletId: wallet.id,
    userId: order.userId,
    type: 'CHARGE',
    amount: refund.amount,
    balanceAfter: balance,
    requestId: `sys:charge-cancel-refused:${refund.id}`,
    orderId: order.id,
  });
}

/** Refunds whose Toss cancel got no answer: the janitor retries them with the same key. */
/**
 * Card refunds whose Toss cancel got no answer, or was never booked (the process died after the
 * reservation): the janitor asks Toss again with the same key, so Toss replays or performs it once.
 * Past `giveUpMs` an operator is told as well.
 */
export async function retryRefundsInDoubt(
  deps: PaymentDeps,
  options: { staleMs?: number; giveUpMs?: number } = {},
) {
  const stale = new Date(Date.now() - (options.staleMs ?? 30_000));
  const refunds = await deps.db.refund.findMany({
    where: {
      destination: 'CARD',
      OR: [{ status: 'IN_DOUBT' }, { status: 'REQUESTED', updatedAt: { lt: stale } }],
    },
    take: 50,
  });
  for (const refund of refunds) {
    const order = await findOrder(deps.db, refund.orderId);
    if (!order) continue;
    const after = await cancelAtToss(deps, order, refund);
    if (
      after.status === 'IN_DOUBT' &&
      Date.now() - refund.createdAt.getTime() > (options.giveUpMs ?? 86_400_000)
    ) {
      await raiseAlert(
        deps.db,
        order.id,
        `REFUND_IN_DOUBT:${refund.id}`,
        `Toss has not answered refund ${refund.id}.`,
      );
    }
  }
}

async function answer(db: Db, refund: Refund) {
  if (refund.status === 'FAILED') {
    throw new DomainError(
      'NOT_REFUNDABLE',
      `Toss refused the cancel: ${refund.failureCode}: ${refund.failureMessage}`,
    );
  }
  const order = await findOrder(db, refund.orderId);
  if (!order) throw new DomainError('ORDER_NOT_FOUND');
  return {
    refund: {
      id: refund.id,
      orderId: refund.orderId,
      amount: refund.amount,
      status: refund.status,
      destination: refund.destination,
      reason: refund.reason,
    },
    order: toOrderView(order),
  };
}
