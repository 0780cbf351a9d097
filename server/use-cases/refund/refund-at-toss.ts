import { raiseAlert } from '../../building-blocks/alert/operator-alert.repository';
import type { Tx } from '../../building-blocks/db/client';
import type { Refund } from '../../building-blocks/db/generated/client';
import { moveBalance } from '../../building-blocks/ledger/ledger';
import { errorField, logger } from '../../building-blocks/log';
import { findOrder, type OrderRow } from '../../building-blocks/order/order.repository';
import { bookRefundDone } from '../../building-blocks/refund/book-refund';
import {
  findCardRefundsToRetry,
  findRefund,
  findRefundByRequestId,
  lockRefund,
  releaseRefundReservation,
  updateRefund,
} from '../../building-blocks/refund/refund.repository';
import { keyOfAnsweredCancel } from '../../building-blocks/refund/toss-cancels';
import { settleCancelsMadeAtToss } from '../card/cancels-made-at-toss';
import type { PaymentDeps } from '../payment-deps';
import { bookRefundToWallet, walletPartRequestId } from './refund-to-wallet';

/**
 * A card refund at Toss: the cancel request (Idempotency-Key `refund-<refundId>`, the same on every
 * retry, outside any transaction), the booking of Toss's answer, and the janitor's retry of refunds
 * Toss has not answered. The refund itself is reserved by refund-order.ts.
 */

/**
 * Asks Toss to cancel (same key on every retry) and books the answer, with the transactionKey Toss gave
 * the cancel. Cancels made at Toss meanwhile could not be told from this one while it was unanswered,
 * so once it is settled the payment is re-read and they are booked (card/cancels-made-at-toss.ts).
 */
export async function sendRefundToToss(deps: PaymentDeps, order: OrderRow, refund: Refund): Promise<Refund> {
  // Always the exact amount: "everything left" could mean more than this refund if others are pending.
  const answer = await deps.toss.cancel(
    order.paymentKey as string,
    { cancelReason: refund.reason, cancelAmount: refund.amount },
    `refund-${refund.id}`,
    order.id,
  );
  const booked = await deps.db.$transaction(async (tx) => {
    // One booking per refund, however many janitors got an answer: the row is locked, then re-read.
    const current = await lockRefund(tx, refund.id);
    if (current.status === 'DONE' || current.status === 'FAILED') return { refund: current, settled: false };
    const latest = (await findOrder(tx, order.id)) ?? order;
    // A composite order's wallet part waits for this card part's answer, and shares its fate.
    const walletPart = await findRefundByRequestId(tx, order.id, walletPartRequestId(current.requestId));
    const waiting = walletPart?.status === 'REQUESTED' ? walletPart : null;
    if (answer.kind === 'ok') {
      await bookRefundDone(tx, latest, current.id, keyOfAnsweredCancel(answer.body, current.amount));
      if (waiting) await bookRefundToWallet(tx, latest, waiting);
    } else if (answer.kind === 'refused') {
      await undoReservation(tx, latest, current);
      const failure = { status: 'FAILED' as const, failureCode: answer.code, failureMessage: answer.message };
      await updateRefund(tx, current.id, failure);
      if (waiting) {
        await releaseRefundReservation(tx, order.id, waiting.amount);
        await updateRefund(tx, waiting.id, failure);
      }
    } else {
      await updateRefund(tx, current.id, {
        status: 'IN_DOUBT',
        failureCode: answer.code ?? 'NO_ANSWER',
        failureMessage: answer.reason,
      });
    }
    const after = await findRefund(tx, refund.id);
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
  await releaseRefundReservation(tx, order.id, refund.amount);
  if (order.type !== 'CHARGE') return;
  const returned = await moveBalance(tx, {
    userId: order.userId,
    type: 'CHARGE',
    amount: refund.amount,
    requestId: `sys:charge-cancel-refused:${refund.id}`,
    orderId: order.id,
  });
  if (!returned.ok) {
    await raiseAlert(
      tx,
      order.id,
      `REFUND_REVERT:${refund.id}`,
      'Could not give back a charge cancel Toss refused.',
    );
  }
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
  const refunds = await findCardRefundsToRetry(deps.db, stale, 50);
  for (const refund of refunds) {
    const order = await findOrder(deps.db, refund.orderId);
    if (!order) continue;
    const after = await sendRefundToToss(deps, order, refund);
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
