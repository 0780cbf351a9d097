import { endEnrollmentsOf } from '../course/course.repository';
import type { Tx } from '../db/client';
import type { OrderRow } from '../order/order.repository';
import { moveOrder, REFUNDABLE_STATUSES } from '../order/order-status';
import { lockOrder, markPaymentCanceled, sumDoneRefunds, updateRefund } from './refund.repository';

/**
 * Marks a refund done (with its cancel's transactionKey at Toss, when known) and moves the order on:
 * CANCELED once the refunds actually done add up to the payment (one still waiting for Toss's answer
 * does not count yet), PARTIALLY_CANCELED before that. A full cancel of a course ends the enrollment.
 * The order's row is locked first, so two refunds booked at once both see each other's DONE.
 */
export async function bookRefundDone(
  tx: Tx,
  order: Pick<OrderRow, 'id' | 'amount' | 'type'>,
  refundId: string,
  tossTransactionKey: string | null = null,
) {
  await lockOrder(tx, order.id);
  await updateRefund(tx, refundId, { status: 'DONE', ...(tossTransactionKey ? { tossTransactionKey } : {}) });
  const fully = (await sumDoneRefunds(tx, order.id)) >= order.amount;
  const moved = await moveOrder(tx, order.id, REFUNDABLE_STATUSES, fully ? 'CANCELED' : 'PARTIALLY_CANCELED');
  if (!moved) throw new Error(`order ${order.id} took a refund but is no longer refundable`);
  if (fully) {
    await markPaymentCanceled(tx, order.id);
    if (order.type === 'COURSE') await endEnrollmentsOf(tx, order.id);
  }
}
