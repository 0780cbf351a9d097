import { enrollOnce } from '../../building-blocks/course/course.repository';
import { crashPoint } from '../../building-blocks/crash-points';
import type { Db } from '../../building-blocks/db/client';
import type { OrderStatus, Prisma } from '../../building-blocks/db/generated/client';
import { captureHold, markHoldConfirming, moveBalance, voidHold } from '../../building-blocks/ledger/ledger';
import { findHold } from '../../building-blocks/ledger/wallet-hold.repository';
import { errorField, logger } from '../../building-blocks/log';
import {
  cardAmountOf,
  findOrder,
  nextConfirmAttempt,
  type OrderRow,
} from '../../building-blocks/order/order.repository';
import { moveOrder } from '../../building-blocks/order/order-status';
import { insertPayment } from '../../building-blocks/payment/payment.repository';
import type { TossPayment } from '../../building-blocks/toss/toss-types';
import type { PaymentDeps } from '../payment-deps';

/**
 * Card settlement: the one code path that turns what Toss says about an order's payment into our
 * books. Confirm (the success page), recovery (the janitor) and webhooks all end here, so an effect is
 * applied in exactly one place, once: the order must be CONFIRMING, claimed by the caller, and every move out of it is a
 * conditional UPDATE.
 *
 * A composite order (part wallet, part card: `walletAmount` > 0) is settled by the same path: Toss is
 * told and checked against the card part only (cardAmountOf); its approval captures the wallet part's
 * hold in the same transaction as the rest of the effect, and a definite refusal voids it in the same
 * transaction as FAILED. An unknown outcome leaves the hold CONFIRMING for the janitor to resolve.
 */

/**
 * Confirm attempts are numbered: a retry of an attempt whose answer we never read must reuse its key
 * (Toss then replays its first answer instead of paying twice), but once a lookup shows the payment
 * still unconfirmed, the next attempt needs a fresh key, since Toss replays errors too.
 */
export const confirmIdempotencyKey = (orderId: string, attempt: number) => `confirm-${orderId}-${attempt}`;
export const cancelIdempotencyKey = (orderId: string) => `auto-cancel-${orderId}`;

/**
 * Claims an order for confirming: `from` → CONFIRMING with this paymentKey, unless another key holds it
 * (null then). A composite order's hold becomes CONFIRMING in the same transaction, before Toss is asked:
 * from then on nothing voids it but Toss's own answer. A hold neither PENDING nor already CONFIRMING
 * (the wallet part is gone) refuses the claim: Toss is never asked to take the card part without it.
 */
export function claimForConfirm(
  db: Db,
  orderId: string,
  from: readonly OrderStatus[],
  paymentKey: string,
): Promise<OrderRow | null> {
  return db.$transaction(async (tx) => {
    const claimed = await moveOrder(
      tx,
      orderId,
      [...from],
      'CONFIRMING',
      { paymentKey },
      {
        OR: [{ paymentKey: null }, { paymentKey }],
      },
    );
    if (claimed && claimed.walletAmount > 0) {
      const confirming = (await markHoldConfirming(tx, orderId)) ?? (await findHold(tx, orderId));
      if (confirming?.status !== 'CONFIRMING') {
        throw new Error(
          `order ${orderId} has no open hold for its wallet part (${confirming?.status ?? 'none'})`,
        );
      }
    }
    return claimed;
  });
}

/** A payment Toss has not settled yet: it may still be approved. */
const STILL_OPEN = new Set(['READY', 'IN_PROGRESS', 'WAITING_FOR_DEPOSIT']);

/** Asks Toss to confirm, with a new numbered Idempotency-Key. */
export async function confirmWithToss(deps: PaymentDeps, order: OrderRow): Promise<OrderRow> {
  const paymentKey = order.paymentKey as string;
  const attempt = await nextConfirmAttempt(deps.db, order.id);
  const answer = await deps.toss.confirm(
    { paymentKey, orderId: order.id, amount: cardAmountOf(order) },
    confirmIdempotencyKey(order.id, attempt),
  );
  crashPoint('after-toss-answer');

  if (answer.kind === 'ok') return applyTossPayment(deps, order, answer.body, { mayConfirm: false });
  if (answer.kind === 'unknown') {
    return markInDoubt(deps.db, order, answer.code ?? 'NO_ANSWER', answer.message ?? answer.reason);
  }
  if (answer.code === 'ALREADY_PROCESSED_PAYMENT') {
    // Typically our own earlier confirm, whose answer we never read: ask Toss what happened.
    const lookup = await deps.toss.getPayment(paymentKey, order.id);
    if (lookup.kind === 'ok' && isApprovalOf(lookup.body, order)) return approve(deps, order, lookup.body);
    // Still being processed at Toss (another confirm of ours in flight): it may yet be approved, so the
    // order is never failed now; the janitor or the next confirm asks again.
    const stillOpen = lookup.kind === 'ok' && STILL_OPEN.has(lookup.body.status);
    if (lookup.kind === 'unknown' || stillOpen)
      return markInDoubt(deps.db, order, answer.code, answer.message);
  }
  return markFailed(deps.db, order, answer.code, answer.message);
}

/**
 * Settles a claimed order from the Payment Toss reports for it: DONE → approve; authenticated but
 * not yet confirmed → confirm now; aborted, expired or cancelled → FAILED; anything else → IN_DOUBT.
 */
export async function applyTossPayment(
  deps: PaymentDeps,
  order: OrderRow,
  payment: TossPayment,
  options: { mayConfirm: boolean } = { mayConfirm: true },
): Promise<OrderRow> {
  if (payment.orderId !== order.id || (order.paymentKey && payment.paymentKey !== order.paymentKey)) {
    return markInDoubt(deps.db, order, 'PAYMENT_MISMATCH', `Toss reported payment ${payment.paymentKey}`);
  }
  if (isApprovalOf(payment, order)) return approve(deps, order, payment);
  if (payment.status === 'DONE') {
    return markInDoubt(deps.db, order, 'AMOUNT_MISMATCH_AT_TOSS', `Toss approved ${payment.totalAmount}`);
  }
  if ((payment.status === 'IN_PROGRESS' || payment.status === 'READY') && options.mayConfirm) {
    const withKey = order.paymentKey ? order : { ...order, paymentKey: payment.paymentKey };
    return confirmWithToss(deps, withKey);
  }
  if (payment.status === 'PARTIAL_CANCELED') {
    // Approved at Toss and partly cancelled there (its console) before we recorded it: what is left
    // cannot be delivered for part of the price, so the rest is cancelled too (and a wallet part voided).
    return cancelApproval(
      deps,
      { ...order, paymentKey: payment.paymentKey },
      'Toss partly cancelled the payment before we recorded its approval',
    );
  }
  if (payment.status === 'ABORTED' || payment.status === 'EXPIRED' || payment.status === 'CANCELED') {
    const failure = payment.failure ?? {
      code: payment.status,
      message: `The payment is ${payment.status} at Toss.`,
    };
    return markFailed(deps.db, order, failure.code, failure.message);
  }
  return markInDoubt(deps.db, order, 'UNEXPECTED_PAYMENT', `Toss reports ${payment.status}`);
}

export function isApprovalOf(payment: TossPayment, order: OrderRow): boolean {
  return (
    payment.status === 'DONE' && payment.orderId === order.id && payment.totalAmount === cardAmountOf(order)
  );
}

class EffectImpossible extends Error {}
const ALREADY_OWNED = 'the course was already owned';

export async function approve(deps: PaymentDeps, order: OrderRow, payment: TossPayment): Promise<OrderRow> {
  const reported = payment.approvedAt ? new Date(payment.approvedAt) : null;
  const approvedAt = reported && !Number.isNaN(reported.getTime()) ? reported : new Date();
  try {
    return await deps.db.$transaction(async (tx) => {
      const approved = await moveOrder(tx, order.id, ['CONFIRMING'], 'APPROVED', {
        method: 'CARD',
        approvedAt,
        failureCode: null,
        failureMessage: null,
      });
      if (!approved) throw new Error(`order ${order.id} left CONFIRMING while we held the claim`);
      await insertPayment(tx, {
        orderId: order.id,
        method: 'CARD',
        amount: cardAmountOf(order),
        approvedAt,
        paymentKey: payment.paymentKey,
        tossMethod: payment.method ?? null,
        tossPayment: payment as Prisma.InputJsonValue,
      });
      if (order.walletAmount > 0) {
        // The wallet part: the hold taken now, with its PAYMENT row. A hold already voided means the
        // wallet part is gone; the card's approval is then given back (never a course for half the price).
        const captured = await captureHold(tx, order.id, {
          requestId: `sys:hold:${order.id}`,
          courseId: order.courseId ?? undefined,
        });
        if (!captured.resolved) throw new EffectImpossible('the wallet part was no longer held');
      }
      if (order.type === 'COURSE' && order.courseId) {
        const enrollment = await enrollOnce(tx, order.userId, order.courseId, order.id);
        if (!enrollment) throw new EffectImpossible(ALREADY_OWNED);
      } else {
        const credited = await moveBalance(tx, {
          userId: order.userId,
          type: 'CHARGE',
          amount: order.amount,
          requestId: `sys:order:${order.id}`,
          orderId: order.id,
        });
        if (!credited.ok) throw new EffectImpossible('the charge would pass the 100,000 won limit');
      }
      crashPoint('inside-approval');
      return approved;
    });
  } catch (error) {
    if (error instanceof EffectImpossible) return cancelApproval(deps, order, error.message);
    // Toss approved but we could not record it (database trouble): leave it to the janitor, which asks
    // Toss again and applies the approval once. The order is never failed while Toss holds the money.
    logger.error(
      { err: errorField(error), orderId: order.id },
      'an approval could not be recorded; the janitor retries it',
    );
    return markInDoubt(deps.db, order, 'APPROVAL_NOT_RECORDED', 'Toss approved; recording it failed').catch(
      () => {
        throw error;
      },
    );
  }
}

/**
 * Toss took the money but we cannot deliver: give it back, and say so on the order. CANCEL_PENDING only
 * ever ends CANCELED, so a composite order's wallet part is released now, in the same transaction, not
 * once Toss has taken the cancel (which may be refused or unanswered for a long while).
 */
export async function cancelApproval(deps: PaymentDeps, order: OrderRow, why: string) {
  const pending = await deps.db.$transaction(async (tx) => {
    const moved = await moveOrder(tx, order.id, ['CONFIRMING'], 'CANCEL_PENDING', {
      failureCode: 'EFFECT_NOT_APPLICABLE',
      failureMessage: why,
      paymentKey: order.paymentKey,
    });
    if (moved && moved.walletAmount > 0) await voidHold(tx, order.id, ['PENDING', 'CONFIRMING']);
    return moved;
  });
  if (!pending) return (await findOrder(deps.db, order.id)) ?? order;
  return cancelUndeliverable(deps, pending);
}

/**
 * Asks Toss to cancel an approval we could not deliver (CANCEL_PENDING; the same key every time);
 * CANCELED once it has. Not a refund: nothing was granted, so nothing is taken back here.
 */
export async function cancelUndeliverable(deps: PaymentDeps, pending: OrderRow) {
  const order = pending;
  const reason =
    order.type === 'CHARGE'
      ? '잔액 한도(100,000원) 초과로 충전할 수 없어 자동 취소'
      : order.failureMessage === ALREADY_OWNED
        ? '이미 보유한 강의라 자동 취소'
        : '결제를 반영할 수 없어 자동 취소';
  const cancel = await deps.toss.cancel(
    order.paymentKey as string,
    { cancelReason: reason },
    cancelIdempotencyKey(order.id),
    order.id,
  );
  if (cancel.kind === 'unknown') return pending; // stays CANCEL_PENDING: retried later, never forgotten
  if (cancel.kind === 'refused') {
    // Refused, e.g. already cancelled (in Toss's console, or by an earlier try whose answer we lost):
    // whether the money is back is Toss's record to say. Until it says so, the cancel stays owed.
    const lookup = await deps.toss.getPayment(order.paymentKey as string, order.id);
    const backAtToss =
      lookup.kind === 'ok' && (lookup.body.status === 'CANCELED' || lookup.body.balanceAmount === 0);
    if (!backAtToss) return pending;
  }
  const canceled = await deps.db.$transaction(async (tx) => {
    const moved = await moveOrder(tx, order.id, ['CANCEL_PENDING'], 'CANCELED');
    // Released when the order became CANCEL_PENDING; kept here for an order that was already pending
    // before that (the void of a resolved hold does nothing).
    if (moved && moved.walletAmount > 0) await voidHold(tx, order.id, ['PENDING', 'CONFIRMING']);
    return moved;
  });
  return canceled ?? pending;
}

export async function markFailed(db: Db, order: OrderRow, code: string, message: string) {
  // The paymentKey is let go: it was never approved for this order, and keeping it would let a
  // confirm with someone else's key block that key's real order.
  const failed = await db.$transaction(async (tx) => {
    const moved = await moveOrder(tx, order.id, ['CONFIRMING'], 'FAILED', {
      failureCode: code,
      failureMessage: message,
      paymentKey: null,
    });
    // Toss's answer is final: a composite order's wallet part is spendable again, in the same step.
    if (moved && moved.walletAmount > 0) await voidHold(tx, order.id, ['PENDING', 'CONFIRMING']);
    return moved;
  });
  return failed ?? (await findOrder(db, order.id)) ?? order;
}

export async function markInDoubt(db: Db, order: OrderRow, code: string, message: string) {
  const doubtful = await moveOrder(db, order.id, ['CONFIRMING'], 'IN_DOUBT', {
    failureCode: code,
    failureMessage: message,
  });
  return doubtful ?? (await findOrder(db, order.id)) ?? order;
}

/**
 * Asks Toss what became of a claimed order's payment, and applies it (the janitor's way in). The payment
 * asked about is the one the order was claimed with (only that key can be confirmed for it); by order
 * number only when there is none, since Toss's answer by order number may be another, newer attempt of
 * the shopper's (a second tab), which would leave the order in doubt about the wrong payment forever.
 */
export async function settleFromToss(deps: PaymentDeps, order: OrderRow): Promise<OrderRow> {
  const lookup = order.paymentKey
    ? await deps.toss.getPayment(order.paymentKey, order.id)
    : await deps.toss.getPaymentByOrderId(order.id);
  if (lookup.kind === 'ok') return applyTossPayment(deps, order, lookup.body);
  if (lookup.kind === 'refused' && (lookup.code === 'NOT_FOUND_PAYMENT' || lookup.code === 'NOT_FOUND')) {
    // Toss has no payment for this order: nothing was taken, so nothing is granted.
    return markFailed(deps.db, order, lookup.code, lookup.message);
  }
  const reason = lookup.kind === 'refused' ? `${lookup.code}: ${lookup.message}` : lookup.reason;
  return markInDoubt(deps.db, order, order.failureCode ?? 'NO_ANSWER', `still unknown (${reason})`);
}
