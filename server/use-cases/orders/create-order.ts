import { findCourse, findEnrollment } from '../../building-blocks/course/course.repository';
import type { DbOrTx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { canApply } from '../../building-blocks/ledger/balance-rules';
import { ensureWallet } from '../../building-blocks/ledger/wallet.repository';
import { hasPaymentInProgress, insertOrder } from '../../building-blocks/order/order.repository';
import { newOrderId } from '../../building-blocks/order/order-id';
import { toOrderView } from './own-orders';

/**
 * Opens an order to be paid by card. The server fixes the amount and name: the course's price, or the
 * charge amount (a signed checkout link may name the charge: `orderName`, already checked). Refusals
 * happen here, before any card is touched.
 */
export async function createOrder(
  db: DbOrTx,
  userId: string,
  input: { type: 'COURSE'; courseId: string } | { type: 'CHARGE'; amount: number; orderName?: string },
) {
  if (input.type === 'COURSE') {
    const course = await findCourse(db, input.courseId);
    if (!course) throw new DomainError('NOT_FOUND');
    // An order opened before the course was retired can still be paid: its amount and name are its own.
    if (course.retiredAt) throw new DomainError('COURSE_RETIRED');
    if (await findEnrollment(db, userId, course.id)) throw new DomainError('ALREADY_PURCHASED');
    // A payment of this course still being confirmed may yet enroll the learner: wait for it to settle.
    // (A new order could not be confirmed meanwhile anyway: see orders_one_payment_in_progress.)
    if (await hasPaymentInProgress(db, userId, course.id)) throw new DomainError('PAYMENT_IN_PROGRESS');
    const order = await insertOrder(db, {
      id: newOrderId(),
      userId,
      type: 'COURSE',
      courseId: course.id,
      amount: course.price,
      orderName: course.title.slice(0, 100), // Toss takes at most 100 characters
    });
    return toOrderView(order);
  }
  const wallet = await ensureWallet(db, userId);
  if (!canApply(wallet.balance, input.amount)) throw new DomainError('BALANCE_LIMIT_EXCEEDED');
  const order = await insertOrder(db, {
    id: newOrderId(),
    userId,
    type: 'CHARGE',
    amount: input.amount,
    orderName: input.orderName ?? `지갑 충전 ${input.amount.toLocaleString('ko-KR')}원`,
  });
  return toOrderView(order);
}
