import { randomUUID } from 'node:crypto';
import { type AdminActor, recordAdminAction } from '../../building-blocks/audit/admin-action.repository';
import type { Db } from '../../building-blocks/db/client';
import type { Refund } from '../../building-blocks/db/generated/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { requestHash } from '../../building-blocks/idempotency/request-hash';
import { cardAmountOf, findOrder, type OrderRow } from '../../building-blocks/order/order.repository';
import { REFUNDABLE_STATUSES } from '../../building-blocks/order/order-status';
import { takeChargeBack } from '../../building-blocks/refund/charge-back';
import {
  findRefund,
  findRefundByRequestId,
  insertRefund,
  lockOrderAndFindRefund,
  reserveRefund,
  sumRefundsTo,
} from '../../building-blocks/refund/refund.repository';
import { learnerRefundPolicy } from '../../building-blocks/refund/refund-policy';
import { recoverOrder } from '../card/recover-order';
import { toOrderView } from '../orders/own-orders';
import type { RecoveryDeps } from '../payment-deps';
import { sendRefundToToss } from './refund-at-toss';
import { bookRefundToWallet, walletPartRequestId } from './refund-to-wallet';

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
 * A full cancel of a course ends the enrollment. An admin's refund is written to the audit log in the
 * transaction that reserves it, so the log has it iff the refund exists.
 *
 * A composite order (part wallet, part card) gives back the card part first, then the wallet part:
 * a refund that spans both is two refund rows, the card one under the caller's requestId (sent to
 * Toss, and what the answer shows) and the wallet one under `sys:wallet-part:<requestId>`, booked
 * with the card one's success and failed with its refusal. The wallet part obeys the 100,000 limit as a
 * balance refund does (else bank transfer).
 */

export interface CancelInput {
  orderId: string;
  reason: string;
  amount?: number;
  requestId?: string;
}

/**
 * Who asks: a learner for their own order, an admin (with the email the audit log names), or another
 * service with `refunds:write` (`service`: its public key id), which may refund as an admin may. An
 * admin's refund is in the audit log; a service's names the key's row id as its requester.
 */
export type RefundActor =
  | { id: string; admin: false }
  | (AdminActor & { admin: true })
  | { id: string; admin: true; service: string };

export async function cancelOrder(deps: RecoveryDeps, actor: RefundActor, input: CancelInput) {
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
  if (!REFUNDABLE_STATUSES.includes(order.status)) throw new DomainError('NOT_REFUNDABLE');

  const remaining = order.amount - order.refundedAmount;
  const amount = input.amount ?? remaining;
  if (!actor.admin && (!learnerRefundPolicy(order).allowed || amount !== order.amount))
    throw new DomainError('REFUND_WINDOW_CLOSED');
  if (amount < 1 || amount > remaining) throw new DomainError('REFUND_EXCEEDS_PAYMENT');

  const reserved = await reserve(
    deps.db,
    order,
    request,
    amount,
    actor.admin && 'email' in actor ? actor : null,
  );
  if ('earlier' in reserved) return replay(deps.db, reserved.earlier, request);
  const { refund } = reserved;
  if (refund.destination !== 'CARD') return answer(deps.db, refund);
  return answer(deps.db, await sendRefundToToss(deps, order, refund));
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
  admin: AdminActor | null,
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
    const audit = async (refund: Refund) => {
      if (!admin) return;
      await recordAdminAction(tx, {
        admin,
        action: 'ORDER_REFUND',
        subjectType: 'ORDER',
        subjectId: order.id,
        details: {
          refundId: refund.id,
          amount,
          method,
          refundedBefore: order.refundedAmount,
          refundedAfter: order.refundedAmount + amount,
          orderAmount: order.amount,
        },
        reason,
      });
    };

    const toWallet = async (amountBack: number, walletRequestId: string) => {
      const refund = await insertRefund(tx, {
        ...recorded,
        requestId: walletRequestId,
        amount: amountBack,
        method: 'BALANCE',
        destination: 'WALLET',
      });
      await bookRefundToWallet(tx, order, refund);
      return refund;
    };

    if (method === 'BALANCE') {
      const refund = await toWallet(amount, requestId);
      await audit(refund);
      return { refund: await findRefund(tx, refund.id) };
    }

    if (order.walletAmount > 0) {
      // Composite: the card part is given back first (Toss), then the wallet part. Counted under the
      // order's lock, so concurrent refunds never take more than either part. A wallet part alone is
      // booked now; beside a card part it is only reserved (REQUESTED) and booked, or failed, with the
      // card part's answer from Toss (refund-at-toss.ts), so a refused cancel never leaves it given.
      const card = Math.min(amount, cardAmountOf(order) - (await sumRefundsTo(tx, order.id, 'CARD')));
      const wallet = amount - card;
      if (card === 0) {
        const refund = await toWallet(wallet, requestId);
        await audit(refund);
        return { refund: await findRefund(tx, refund.id) };
      }
      if (wallet > 0) {
        await insertRefund(tx, {
          ...recorded,
          requestId: walletPartRequestId(requestId),
          amount: wallet,
          method: 'BALANCE',
          destination: 'WALLET',
        });
      }
      const refund = await insertRefund(tx, { ...recorded, amount: card, method, destination: 'CARD' });
      await audit(refund);
      return { refund };
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
    const refund = await insertRefund(tx, { ...recorded, method, destination: 'CARD' });
    await audit(refund);
    return { refund };
  });
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
