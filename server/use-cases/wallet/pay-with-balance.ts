import type { SessionClaims } from '../../building-blocks/auth/session-token';
import {
  enrollOnce,
  findCourse,
  findEnrollmentGrantedBy,
  linkEnrollmentToOrder,
  removeEnrollment,
} from '../../building-blocks/course/course.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { runIdempotent } from '../../building-blocks/idempotency/run-idempotent';
import {
  canMoveInOneStatement,
  moveBalance,
  payForCourseOnce,
  refuseEndedSession,
  withWalletLock,
} from '../../building-blocks/ledger/ledger';
import { findLedgerEntry } from '../../building-blocks/ledger/wallet.repository';
import { deleteOrder, hasPaymentInProgress, insertOrder } from '../../building-blocks/order/order.repository';
import { newOrderId } from '../../building-blocks/order/order-id';
import { insertPayment } from '../../building-blocks/payment/payment.repository';

/**
 * Pays for a course with the balance and enrolls the user, in one transaction. The price comes from
 * the database. The enrollment is claimed before the debit, so two purchases of one course (even with different
 * requestIds, e.g. three fast clicks) cannot both pay. The purchase is an order like a card purchase
 * (method BALANCE, born APPROVED, with its payment record), so history, refunds and reconciliation see
 * one kind of thing. With the atomic strategy the whole purchase, the session check included, is one SQL
 * statement (payForCourseOnce), writing the same rows; the other strategies run it as an interactive
 * transaction and check the session in it. A session that is not live is UNAUTHORIZED and changes nothing.
 */
export async function payWithBalance(
  db: Db,
  learner: SessionClaims,
  input: { courseId: string; requestId: string },
) {
  const { userId, sessionId } = learner;
  const request = {
    userId,
    sessionId,
    requestId: input.requestId,
    operation: 'wallet.pay',
    payload: { courseId: input.courseId },
  };
  if (canMoveInOneStatement()) {
    const paid = await payForCourseOnce(db, request, { courseId: input.courseId, orderId: newOrderId() });
    const { entry, balance, orderId, enrollment } = paid;
    if (!enrollment) throw purchaseRefunded(orderId);
    return { transaction: entry, balance, enrollment, orderId };
  }
  return withWalletLock(db, userId, () =>
    runIdempotent(
      db,
      request,
      async (tx) => {
        const course = await findCourse(tx, input.courseId);
        if (!course) return { ok: false, reason: 'NOT_FOUND' };
        if (course.retiredAt) return { ok: false, reason: 'COURSE_RETIRED' };
        // A card payment of this course is being confirmed: paying again now could charge twice.
        if (await hasPaymentInProgress(tx, userId, course.id))
          return { ok: false, reason: 'PAYMENT_IN_PROGRESS' };
        const enrollment = await enrollOnce(tx, userId, course.id);
        if (!enrollment) return { ok: false, reason: 'ALREADY_PURCHASED' };

        // The order first: the ledger row names it.
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
        const moved = await moveBalance(tx, {
          userId,
          type: 'PAYMENT',
          amount: -course.price,
          requestId: input.requestId,
          courseId: course.id,
          orderId: order.id,
        });
        if (!moved.ok) {
          // A refusal leaves nothing behind (the key records only the refusal).
          await removeEnrollment(tx, enrollment.id);
          await deleteOrder(tx, order.id);
          return moved;
        }
        await insertPayment(tx, { orderId: order.id, method: 'BALANCE', amount: course.price, approvedAt });
        const linked = await linkEnrollmentToOrder(tx, enrollment.id, order.id);
        return {
          ok: true,
          transactionId: moved.entry.id,
          value: { transaction: moved.entry, balance: moved.balance, enrollment: linked, orderId: order.id },
        };
      },
      async (tx, transactionId) => {
        // The first answer, from what never changes: the ledger entry and the enrollment as the purchase
        // granted it, even if a refund has ended it since or the course was bought again.
        const transaction = await findLedgerEntry(tx, transactionId);
        const { orderId } = transaction;
        if (!orderId) throw new Error(`payment ${transactionId} has no order`);
        const enrollment = await findEnrollmentGrantedBy(tx, orderId);
        if (!enrollment) throw purchaseRefunded(orderId);
        return { transaction, balance: transaction.balanceAfter, enrollment, orderId };
      },
      (tx) => refuseEndedSession(tx, learner),
    ),
  );
}

/** The first answer to a purchase whose enrollment was ended before ended enrollments were kept (an older database): that answer is gone. */
function purchaseRefunded(orderId: string) {
  return new DomainError(
    'PURCHASE_REFUNDED',
    `This purchase (order ${orderId}) went through and was refunded since; see the order.`,
  );
}
