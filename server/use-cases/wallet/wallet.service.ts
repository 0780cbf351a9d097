import {
  enrollOnce,
  findCourse,
  findEnrollmentGrantedBy,
  linkEnrollmentToOrder,
  removeEnrollment,
} from '../../building-blocks/course/course.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { requestHash } from '../../building-blocks/idempotency/request-hash';
import {
  type IdempotentRequest,
  judgeEarlierClaim,
  runIdempotent,
} from '../../building-blocks/idempotency/run-idempotent';
import { refusalFor } from '../../building-blocks/ledger/balance-rules';
import { balanceStrategy } from '../../building-blocks/ledger/strategies';
import {
  applyBalanceChange,
  changeBalanceOnce,
  ensureWallet,
  findLedgerEntry,
  findLedgerPage,
  insertLedgerEntry,
} from '../../building-blocks/ledger/wallet.repository';
import { insertOrder } from '../../building-blocks/order/order.repository';
import { newOrderId } from '../../building-blocks/order/order-id';
import { insertPayment } from '../../building-blocks/payment/payment.repository';

/**
 * The wallet's money rules. Every balance change is one atomic conditional UPDATE plus its ledger row,
 * in one transaction, under the caller's idempotency key (see runIdempotent).
 */

export function getWallet(db: Db, userId: string) {
  return ensureWallet(db, userId);
}

/**
 * The seed's test charge: adds `amount` won with no card involved. With the atomic strategy the whole
 * change is one SQL statement (see changeBalanceOnce); the other strategies run it as an interactive
 * transaction, since they need this process between reading the balance and writing it.
 */
export async function charge(db: Db, userId: string, input: { amount: number; requestId: string }) {
  const request = {
    userId,
    requestId: input.requestId,
    operation: 'wallet.charge',
    payload: { amount: input.amount },
  };
  if (balanceStrategy().singleStatement) return chargeInOneStatement(db, request, input.amount);

  const wallet = await ensureWallet(db, userId);
  return balanceStrategy().around(wallet.id, () =>
    runIdempotent(
      db,
      request,
      async (tx) => {
        const balance = await applyBalanceChange(tx, wallet.id, input.amount);
        if (balance === null) return { ok: false, reason: refusalFor(input.amount) };
        const transaction = await insertLedgerEntry(tx, {
          walletId: wallet.id,
          userId,
          type: 'CHARGE',
          amount: input.amount,
          balanceAfter: balance,
          requestId: input.requestId,
        });
        return { ok: true, transactionId: transaction.id, value: { transaction, balance } };
      },
      async (tx, transactionId) => {
        const transaction = await findLedgerEntry(tx, transactionId);
        return { transaction, balance: transaction.balanceAfter };
      },
    ),
  );
}

async function chargeInOneStatement(db: Db, request: IdempotentRequest, amount: number) {
  const hash = requestHash(request.operation, request.payload);
  const row = await changeBalanceOnce(db, {
    ...request,
    requestHash: hash,
    type: 'CHARGE',
    amount,
    refusal: refusalFor(amount),
  });
  const verdict = judgeEarlierClaim(row, hash);
  if (!verdict.ok) throw new DomainError(verdict.reason);
  const { walletId, type, balanceAfter, createdAt } = row;
  if (!walletId || !type || row.amount === null || balanceAfter === null || !createdAt) {
    throw new Error(`charge ${verdict.transactionId} has no ledger entry`);
  }
  const transaction = {
    id: verdict.transactionId,
    walletId,
    type,
    amount: row.amount,
    balanceAfter,
    requestId: request.requestId,
    orderId: null,
    courseId: null,
    createdAt,
    course: null,
  };
  return { transaction, balance: balanceAfter };
}

/**
 * Pays for a course with the balance and enrolls the user, in one transaction. The price comes from
 * the database. The enrollment is claimed first, so two purchases of one course (even with different
 * requestIds, e.g. three fast clicks) cannot both pay. The purchase is an order like a card purchase
 * (method BALANCE, born APPROVED, with its payment record), so history, refunds and reconciliation see
 * one kind of thing.
 */
export async function pay(db: Db, userId: string, input: { courseId: string; requestId: string }) {
  const wallet = await ensureWallet(db, userId);
  return balanceStrategy().around(wallet.id, () =>
    runIdempotent(
      db,
      { userId, requestId: input.requestId, operation: 'wallet.pay', payload: { courseId: input.courseId } },
      async (tx) => {
        const course = await findCourse(tx, input.courseId);
        if (!course) return { ok: false, reason: 'NOT_FOUND' };
        const enrollment = await enrollOnce(tx, userId, course.id);
        if (!enrollment) return { ok: false, reason: 'ALREADY_PURCHASED' };

        const balance = await applyBalanceChange(tx, wallet.id, -course.price);
        if (balance === null) {
          await removeEnrollment(tx, enrollment.id); // a refusal leaves nothing behind
          return { ok: false, reason: refusalFor(-course.price) };
        }
        const approvedAt = new Date();
        const order = await insertOrder(tx, {
          id: newOrderId(),
          userId,
          type: 'COURSE',
          courseId: course.id,
          amount: course.price,
          orderName: course.title,
          status: 'APPROVED',
          method: 'BALANCE',
          approvedAt,
        });
        await insertPayment(tx, { orderId: order.id, method: 'BALANCE', amount: course.price, approvedAt });
        const transaction = await insertLedgerEntry(tx, {
          walletId: wallet.id,
          userId,
          type: 'PAYMENT',
          amount: -course.price,
          balanceAfter: balance,
          requestId: input.requestId,
          courseId: course.id,
          orderId: order.id,
        });
        const linked = await linkEnrollmentToOrder(tx, enrollment.id, order.id);
        return {
          ok: true,
          transactionId: transaction.id,
          value: { transaction, balance, enrollment: linked, orderId: order.id },
        };
      },
      async (tx, transactionId) => {
        // The first answer, from what never changes: the ledger entry and the enrollment as the purchase
        // granted it, even if a refund has ended it since or the course was bought again.
        const transaction = await findLedgerEntry(tx, transactionId);
        const { orderId } = transaction;
        if (!orderId) throw new Error(`payment ${transactionId} has no order`);
        const enrollment = await findEnrollmentGrantedBy(tx, orderId);
        if (!enrollment) {
          // Ended before ended enrollments were kept (an older database): that answer is gone.
          throw new DomainError(
            'PURCHASE_REFUNDED',
            `This purchase (order ${orderId}) went through and was refunded since; see the order.`,
          );
        }
        return { transaction, balance: transaction.balanceAfter, enrollment, orderId };
      },
    ),
  );
}

export async function listTransactions(db: Db, userId: string, input: { limit: number; cursor?: string }) {
  const rows = await findLedgerPage(db, userId, input.limit, input.cursor);
  const items = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? (items.at(-1)?.id ?? null) : null;
  return { items, nextCursor };
}
