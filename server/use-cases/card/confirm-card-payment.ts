import { findEnrollment } from '../../building-blocks/course/course.repository';
import { crashPoint } from '../../building-blocks/crash-points';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { canApply } from '../../building-blocks/ledger/balance-rules';
import { voidHold } from '../../building-blocks/ledger/ledger';
import { ensureWallet } from '../../building-blocks/ledger/wallet.repository';
import { cardAmountOf, findOrder, type OrderRow } from '../../building-blocks/order/order.repository';
import { CONFIRMABLE_STATUSES, moveOrder } from '../../building-blocks/order/order-status';
import { getOwnOrder, toOrderView } from '../orders/own-orders';
import type { PaymentDeps } from '../payment-deps';
import { claimForConfirm, confirmWithToss, settleFromToss } from './card-settlement';

/**
 * Confirming a card payment with Toss, exactly once.
 *
 * 1. Refuse without calling Toss: unknown or foreign order, amount ≠ the order's, not awaiting payment.
 * 2. Claim the order (CREATED|IN_DOUBT → CONFIRMING, one conditional UPDATE): only the claimer calls
 *    Toss; concurrent confirms wait for its outcome and return the same result.
 * 3. Call Toss outside any database transaction, with an Idempotency-Key derived from the order, so a
 *    retry after an unknown outcome replays Toss's first answer instead of paying twice.
 * 4. DONE → one transaction: APPROVED, the payment record, and the effect (enrollment or wallet credit).
 *    Refused → FAILED with Toss's code. Unknown → IN_DOUBT: nothing granted, nothing failed.
 *    DONE but the effect is impossible (the wallet filled up meanwhile) → CANCEL_PENDING, then Toss
 *    cancel → CANCELED: the learner is never charged for nothing.
 */

export interface ConfirmInput {
  paymentKey: string;
  orderId: string;
  amount: number;
}

export async function confirmPayment(deps: PaymentDeps, userId: string, input: ConfirmInput) {
  let order = await getOwnOrder(deps.db, userId, input.orderId);
  // The success URL's amount is what the card paid: the card part of a composite order.
  if (input.amount !== cardAmountOf(order)) throw new DomainError('AMOUNT_MISMATCH');

  const deadline = Date.now() + deps.waitForConfirmMs;
  for (;;) {
    if (order.paymentKey !== null && order.paymentKey !== input.paymentKey) {
      throw new DomainError('ORDER_NOT_PAYABLE', 'This order is being paid with another payment.');
    }
    if (CONFIRMABLE_STATUSES.includes(order.status)) {
      const wasInDoubt = order.status === 'IN_DOUBT';
      if (!wasInDoubt) await refuseImpossibleEffect(deps.db, order);
      const claimed = await claim(deps.db, order, input.paymentKey);
      if (claimed) {
        crashPoint('after-claim');
        // In doubt: ask Toss what happened first; a blind repeat could only replay an old answer.
        const settled = wasInDoubt
          ? await settleFromToss(deps, claimed)
          : await confirmWithToss(deps, claimed);
        crashPoint('after-approval');
        return result(deps.db, settled);
      }
    } else if (order.status === 'CONFIRMING' && Date.now() < deadline) {
      await sleep(100);
    } else {
      return result(deps.db, order);
    }
    order = (await findOrder(deps.db, order.id)) ?? order;
  }
}

/**
 * Refuses, before Toss is asked (so the card is never charged), a course the learner already owns or
 * a charge the wallet can no longer hold. A race after this check is still caught when the effect is
 * applied, and then the Toss payment is cancelled.
 */
async function refuseImpossibleEffect(db: Db, order: OrderRow) {
  if (order.type === 'COURSE' && order.courseId) {
    if (await findEnrollment(db, order.userId, order.courseId)) {
      // Never to be paid now: a composite order's wallet part is released at once (the card was only
      // authenticated; unconfirmed, Toss lets it lapse). Conditional: a confirm that claimed it wins.
      if (order.walletAmount > 0) await failUnpaid(db, order.id, 'ALREADY_PURCHASED');
      throw new DomainError('ALREADY_PURCHASED');
    }
    return;
  }
  const wallet = await ensureWallet(db, order.userId);
  if (!canApply(wallet.balance, order.amount)) throw new DomainError('BALANCE_LIMIT_EXCEEDED');
}

/** CREATED|IN_DOUBT → CONFIRMING with this paymentKey (and a composite order's hold with it). */
function claim(db: Db, order: OrderRow, paymentKey: string) {
  return claimForConfirm(db, order.id, CONFIRMABLE_STATUSES, paymentKey);
}

/**
 * What confirm answers, the same however often it is called: the order as it now stands and the wallet
 * balance; for a FAILED order, the refusal with Toss's code.
 */
async function result(db: Db, order: OrderRow) {
  if (order.status === 'FAILED') {
    throw new DomainError(
      'PAYMENT_FAILED',
      `${order.failureCode ?? 'FAILED'}: ${order.failureMessage ?? ''}`,
    );
  }
  const wallet = await ensureWallet(db, order.userId);
  return { order: toOrderView(order), balance: wallet.balance };
}

/** The fail page: the shopper cancelled in the widget or the card was refused, before any confirm. */
export const SHOPPER_FAILURE_CODES = new Set([
  'PAY_PROCESS_CANCELED',
  'PAY_PROCESS_ABORTED',
  'REJECT_CARD_COMPANY',
  'USER_CANCEL',
]);

/** CREATED → FAILED with `code`, voiding a composite order's PENDING hold in the same transaction. */
async function failUnpaid(db: Db, orderId: string, code: string, message = '') {
  return db.$transaction(async (tx) => {
    const moved = await moveOrder(tx, orderId, ['CREATED'], 'FAILED', {
      failureCode: code,
      failureMessage: message.slice(0, 500),
    });
    if (moved && moved.walletAmount > 0) await voidHold(tx, orderId, ['PENDING']);
    return moved;
  });
}

export async function recordShopperFailure(
  db: Db,
  userId: string,
  input: { orderId: string; code: string; message: string },
) {
  const order = await getOwnOrder(db, userId, input.orderId);
  if (!SHOPPER_FAILURE_CODES.has(input.code)) return toOrderView(order);
  // The card was refused before any confirm: a composite order's wallet part is released with it.
  const failed = await failUnpaid(db, order.id, input.code, input.message);
  // Not failed: a confirm claimed it meanwhile; answer with the order as it now stands.
  return toOrderView(failed ?? (await findOrder(db, order.id)) ?? order);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
