import { enrollOnce } from '../course/course.repository';
import type { Db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { DomainError } from '../errors/domain-error';
import { findOrder, type OrderRow, transitionOrder } from '../order/order.repository';
import { getOwnOrder, toOrderView } from '../order/order.service';
import { CONFIRMABLE_STATUSES } from '../order/order-status';
import type { TossClient } from '../toss/toss-client';
import type { TossPayment } from '../toss/toss-types';
import { applyBalanceChange, ensureWallet, insertLedgerEntry } from '../wallet/wallet.repository';
import { insertPayment } from './payment.repository';

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

export interface PaymentDeps {
  db: Db;
  toss: TossClient;
  /** How long a concurrent confirm waits for the one in progress before answering with its status. */
  waitForConfirmMs: number;
}

export interface ConfirmInput {
  paymentKey: string;
  orderId: string;
  amount: number;
}

export const confirmIdempotencyKey = (orderId: string) => `confirm-${orderId}`;
export const cancelIdempotencyKey = (orderId: string) => `auto-cancel-${orderId}`;

export async function confirmPayment(deps: PaymentDeps, userId: string, input: ConfirmInput) {
  let order = await getOwnOrder(deps.db, userId, input.orderId);
  if (input.amount !== order.amount) throw new DomainError('AMOUNT_MISMATCH');

  const deadline = Date.now() + deps.waitForConfirmMs;
  for (;;) {
    if (order.paymentKey !== null && order.paymentKey !== input.paymentKey) {
      throw new DomainError('ORDER_NOT_PAYABLE', 'This order is being paid with another payment.');
    }
    if (CONFIRMABLE_STATUSES.includes(order.status)) {
      const claimed = await claim(deps.db, order, input.paymentKey);
      if (claimed) return result(deps.db, await callToss(deps, claimed));
    } else if (order.status === 'CONFIRMING' && Date.now() < deadline) {
      await sleep(100);
    } else {
      return result(deps.db, order);
    }
    order = (await findOrder(deps.db, order.id)) ?? order;
  }
}

async function claim(db: Db, order: OrderRow, paymentKey: string) {
  try {
    return await transitionOrder(
      db,
      order.id,
      CONFIRMABLE_STATUSES,
      'CONFIRMING',
      { paymentKey },
      {
        OR: [{ paymentKey: null }, { paymentKey }],
      },
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new DomainError('ORDER_NOT_PAYABLE', 'This paymentKey belongs to another order.');
    }
    throw error;
  }
}

async function callToss(deps: PaymentDeps, order: OrderRow & { paymentKey: string | null }) {
  const paymentKey = order.paymentKey as string;
  const answer = await deps.toss.confirm(
    { paymentKey, orderId: order.id, amount: order.amount },
    confirmIdempotencyKey(order.id),
  );

  if (answer.kind === 'ok') {
    if (isApprovalOf(answer.body, order)) return approve(deps, order, answer.body);
    return markInDoubt(deps.db, order, 'UNEXPECTED_PAYMENT', `Toss answered ${answer.body.status}`);
  }
  if (answer.kind === 'unknown') {
    return markInDoubt(deps.db, order, answer.code ?? 'NO_ANSWER', answer.message ?? answer.reason);
  }
  if (answer.code === 'ALREADY_PROCESSED_PAYMENT') {
    // Typically our own earlier confirm, whose answer we never read: ask Toss what happened.
    const lookup = await deps.toss.getPayment(paymentKey, order.id);
    if (lookup.kind === 'ok' && isApprovalOf(lookup.body, order)) return approve(deps, order, lookup.body);
    if (lookup.kind === 'unknown') return markInDoubt(deps.db, order, answer.code, answer.message);
  }
  return markFailed(deps.db, order, answer.code, answer.message);
}

function isApprovalOf(payment: TossPayment, order: OrderRow): boolean {
  return payment.status === 'DONE' && payment.orderId === order.id && payment.totalAmount === order.amount;
}

class EffectImpossible extends Error {}

async function approve(deps: PaymentDeps, order: OrderRow, payment: TossPayment): Promise<OrderRow> {
  const approvedAt = payment.approvedAt ? new Date(payment.approvedAt) : new Date();
  try {
    return await deps.db.$transaction(async (tx) => {
      const approved = await transitionOrder(tx, order.id, ['CONFIRMING'], 'APPROVED', {
        method: 'CARD',
        approvedAt,
        failureCode: null,
        failureMessage: null,
      });
      if (!approved) throw new Error(`order ${order.id} left CONFIRMING while we held the claim`);
      await insertPayment(tx, {
        orderId: order.id,
        method: 'CARD',
        amount: order.amount,
        approvedAt,
        paymentKey: payment.paymentKey,
        tossMethod: payment.method ?? null,
        tossPayment: payment as Prisma.InputJsonValue,
      });
      if (order.type === 'COURSE' && order.courseId) {
        const enrollment = await enrollOnce(tx, order.userId, order.courseId, order.id);
        if (!enrollment) throw new EffectImpossible('the course was already owned');
      } else {
        const wallet = await ensureWallet(tx, order.userId);
        const balance = await applyBalanceChange(tx, wallet.id, order.amount);
        if (balance === null) throw new EffectImpossible('the charge would pass the 100,000 won limit');
        await insertLedgerEntry(tx, {
          walletId: wallet.id,
          userId: order.userId,
          type: 'CHARGE',
          amount: order.amount,
          balanceAfter: balance,
          requestId: `order:${order.id}`,
          orderId: order.id,
        });
      }
      return approved;
    });
  } catch (error) {
    if (!(error instanceof EffectImpossible)) throw error;
    return cancelApproval(deps, order, payment, error.message);
  }
}

/** Toss took the money but we cannot deliver: give it back, and say so on the order. */
async function cancelApproval(deps: PaymentDeps, order: OrderRow, payment: TossPayment, why: string) {
  const pending = await transitionOrder(deps.db, order.id, ['CONFIRMING'], 'CANCEL_PENDING', {
    failureCode: 'EFFECT_NOT_APPLICABLE',
    failureMessage: why,
  });
  if (!pending) return (await findOrder(deps.db, order.id)) ?? order;
  const reason =
    order.type === 'CHARGE'
      ? '잔액 한도(100,000원) 초과로 충전할 수 없어 자동 취소'
      : '이미 보유한 강의라 자동 취소';
  const cancel = await deps.toss.cancel(
    payment.paymentKey,
    { cancelReason: reason },
    cancelIdempotencyKey(order.id),
    order.id,
  );
  if (cancel.kind !== 'ok') return pending; // stays CANCEL_PENDING: the cancel is retried later, never forgotten
  return (await transitionOrder(deps.db, order.id, ['CANCEL_PENDING'], 'CANCELED')) ?? pending;
}

async function markFailed(db: Db, order: OrderRow, code: string, message: string) {
  const failed = await transitionOrder(db, order.id, ['CONFIRMING'], 'FAILED', {
    failureCode: code,
    failureMessage: message,
  });
  return failed ?? (await findOrder(db, order.id)) ?? order;
}

async function markInDoubt(db: Db, order: OrderRow, code: string, message: string) {
  const doubtful = await transitionOrder(db, order.id, ['CONFIRMING'], 'IN_DOUBT', {
    failureCode: code,
    failureMessage: message,
  });
  return doubtful ?? (await findOrder(db, order.id)) ?? order;
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

export async function recordShopperFailure(
  db: Db,
  userId: string,
  input: { orderId: string; code: string; message: string },
) {
  const order = await getOwnOrder(db, userId, input.orderId);
  if (!SHOPPER_FAILURE_CODES.has(input.code)) return toOrderView(order);
  const failed = await transitionOrder(db, order.id, ['CREATED'], 'FAILED', {
    failureCode: input.code,
    failureMessage: input.message.slice(0, 500),
  });
  return toOrderView(failed ?? order);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
