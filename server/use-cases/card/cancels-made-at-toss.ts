import { raiseAlert } from '../../building-blocks/alert/operator-alert.repository';
import type { Tx } from '../../building-blocks/db/client';
import { withWalletLock } from '../../building-blocks/ledger/ledger';
import { findOrder, type OrderRow } from '../../building-blocks/order/order.repository';
import { bookRefundDone } from '../../building-blocks/refund/book-refund';
import { takeChargeBack } from '../../building-blocks/refund/charge-back';
import {
  claimCancelMadeAtToss,
  findCardRefunds,
  reserveRefund,
} from '../../building-blocks/refund/refund.repository';
import { cancelsMadeElsewhere, doneCancelsOf } from '../../building-blocks/refund/toss-cancels';
import type { TossCancel, TossPayment } from '../../building-blocks/toss/toss-types';
import type { PaymentDeps } from '../payment-deps';

/**
 * Cancels made at Toss, not through us (in the merchant console, by Toss's support): whenever a card
 * payment is re-read (a webhook, the janitor, reconciliation, our own refund's booking) and Toss lists
 * a cancel none of our refunds made, it is booked the way our refunds are, once:
 * - recorded as a refund with Toss's transactionKey, amount and reason; the key is unique, and claiming
 *   it is the first statement of the booking's transaction, so concurrent re-readers book it once;
 * - reserved on the order like any refund; a full cancel of a course ends the enrollment;
 * - a card wallet charge: the cancelled won leave the wallet when it still holds them; otherwise the
 *   balance is left alone and an operator is told what is owed;
 * - an operator is told in every case.
 * While a refund of ours on the order still waits for Toss's answer, its cancel cannot be told from the
 * others, so nothing is booked until it is settled; its booking then re-reads the payment.
 */

export type CancelsAtTossOutcome = 'booked' | 'nothing-new' | 'waiting-for-ours' | 'unknown';

/** Re-reads a (partly) approved card order's payment at Toss and books the cancels made there. */
export async function settleCancelsMadeAtToss(
  deps: PaymentDeps,
  orderId: string,
): Promise<CancelsAtTossOutcome> {
  const order = await findOrder(deps.db, orderId);
  if (!order?.paymentKey || order.method !== 'CARD') return 'nothing-new';
  if (order.status !== 'APPROVED' && order.status !== 'PARTIALLY_CANCELED') return 'nothing-new';
  const lookup = await deps.toss.getPayment(order.paymentKey, order.id);
  if (lookup.kind === 'unknown') return 'unknown';
  if (lookup.kind === 'refused') return 'nothing-new';
  return bookCancelsMadeAtToss(deps, order, lookup.body);
}

/** Books the cancels in `payment` (Toss's word, just read) that none of our refunds made. */
export async function bookCancelsMadeAtToss(
  deps: PaymentDeps,
  order: OrderRow,
  payment: TossPayment,
): Promise<CancelsAtTossOutcome> {
  if (payment.paymentKey !== order.paymentKey || payment.orderId !== order.id) return 'nothing-new';
  const cancels = doneCancelsOf(payment);
  if (!cancels) return 'unknown';
  if (cancels.length === 0) return 'nothing-new';
  // Read after Toss's list: a cancel of ours in that list was recorded here (REQUESTED) before it was sent.
  const split = cancelsMadeElsewhere(cancels, await findCardRefunds(deps.db, order.id));
  if (split.waitingForOurs) return 'waiting-for-ours';
  let booked = 0;
  for (const cancel of split.madeElsewhere) if (await bookOne(deps, order, cancel)) booked++;
  return booked > 0 ? 'booked' : 'nothing-new';
}

class NoRoomToRefund extends Error {}

async function bookOne(deps: PaymentDeps, order: OrderRow, cancel: TossCancel): Promise<boolean> {
  const book = () => deps.db.$transaction((tx) => bookInTransaction(tx, order, cancel));
  try {
    if (order.type !== 'CHARGE') return await book();
    return await withWalletLock(deps.db, order.userId, book);
  } catch (error) {
    if (!(error instanceof NoRoomToRefund)) throw error;
    // Nothing was booked (the transaction rolled back); the next re-read tries again.
    await raiseAlert(deps.db, order.id, `CANCEL_AT_TOSS_NOT_BOOKED:${cancel.transactionKey}`, error.message);
    return false;
  }
}

async function bookInTransaction(tx: Tx, order: OrderRow, cancel: TossCancel): Promise<boolean> {
  const amount = cancel.cancelAmount;
  const key = cancel.transactionKey;
  const reason = cancel.cancelReason?.trim() || 'cancelled at Toss';
  const refund = await claimCancelMadeAtToss(tx, { orderId: order.id, transactionKey: key, amount, reason });
  if (!refund) return false; // booked already, by this or another re-read

  if (!(await reserveRefund(tx, order.id, amount))) {
    const now = await findOrder(tx, order.id);
    throw new NoRoomToRefund(
      `Toss reports a cancel of ${won(amount)} (transaction ${key}) not made here, but the order ` +
        `(${now?.status}, ${won(now?.refundedAmount ?? 0)} of ${won(order.amount)} refunded or reserved) ` +
        'has no room for it. Nothing was booked; it is tried again on the next re-read.',
    );
  }
  const chargeBack =
    order.type === 'CHARGE' ? await takeChargeBack(tx, order, refund.requestId, amount) : null;
  await bookRefundDone(tx, order, refund.id);

  const after = await findOrder(tx, order.id);
  const ended = order.type === 'COURSE' && after?.status === 'CANCELED' ? '; the enrollment ended' : '';
  const wallet = !chargeBack
    ? ''
    : chargeBack.owed
      ? '; the wallet no longer holds it (see CHARGE_CANCEL_OWED)'
      : `; taken back out of the wallet (balance ${won(chargeBack.balance)})`;
  await raiseAlert(
    tx,
    order.id,
    `CANCELED_AT_TOSS:${key}`,
    `Cancelled at Toss, not here: ${won(amount)} (transaction ${key}, reason "${reason}"). ` +
      `Booked as a refund; the order is ${after?.status}${ended}${wallet}.`,
  );
  if (chargeBack?.owed) {
    await raiseAlert(
      tx,
      order.id,
      `CHARGE_CANCEL_OWED:${key}`,
      `Toss gave ${won(amount)} of this wallet charge back to the card, but the wallet holds only ` +
        `${won(chargeBack.balance)}: nothing was taken from it. The learner owes ${won(amount)}.`,
    );
  }
  return true;
}

const won = (amount: number) => `${amount.toLocaleString('en-US')} won`;
