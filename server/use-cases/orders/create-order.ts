import { findCourse, findEnrollment } from '../../building-blocks/course/course.repository';
import type { Db, Tx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import {
  MONEY_TRANSACTION_OPTIONS,
  runIdempotentOrder,
} from '../../building-blocks/idempotency/run-idempotent';
import { canApply } from '../../building-blocks/ledger/balance-rules';
import { placeHold } from '../../building-blocks/ledger/ledger';
import { balanceStrategy } from '../../building-blocks/ledger/strategies';
import { ensureWallet } from '../../building-blocks/ledger/wallet.repository';
import { HOLD_MINUTES, splitRefusal } from '../../building-blocks/order/composite-split';
import { findOrder, hasPaymentInProgress, insertOrder } from '../../building-blocks/order/order.repository';
import { newOrderId } from '../../building-blocks/order/order-id';
import { toOrderView } from './own-orders';

type OrderView = ReturnType<typeof toOrderView>;

type OrderRequest =
  | { type: 'COURSE'; courseId: string; walletAmount?: number }
  | { type: 'CHARGE'; amount: number; orderName?: string };

/**
 * Opens an order to be paid by card. The server fixes the amount and name: the course's price, or the
 * charge amount (a signed checkout link may name the charge: `orderName`, already checked). Refusals
 * happen here, before any card is touched.
 *
 * A course may be paid partly from the wallet (`walletAmount`, composite payment): that part is held in
 * the same transaction as the order is made (refused, with no order, when the wallet has less
 * available), and the card is asked for the rest only. The hold is captured with the card's approval
 * and voided with its refusal (card-settlement.ts), or by the janitor once it expires unpaid.
 *
 * With a `requestId` (the learner's API requires one when part of the wallet is held), the order is
 * opened once per (user, requestId): the same request sent again gets that order back as it now stands,
 * with its one hold, and another request under the same requestId is IDEMPOTENCY_KEY_REUSED.
 */
export async function createOrder(
  db: Db,
  userId: string,
  input: OrderRequest & { requestId?: string },
): Promise<OrderView> {
  const { requestId, ...request } = input;
  if (!requestId) return db.$transaction((tx) => openOrder(tx, userId, request), MONEY_TRANSACTION_OPTIONS);
  const payload =
    request.type === 'COURSE'
      ? { type: request.type, courseId: request.courseId, walletAmount: request.walletAmount ?? 0 }
      : { type: request.type, amount: request.amount, orderName: request.orderName };
  return runIdempotentOrder(
    db,
    { userId, requestId, operation: 'order.create', payload },
    async (tx) => {
      const view = await openOrder(tx, userId, request);
      return { orderId: view.orderId, value: view };
    },
    async (tx, orderId) => {
      const order = await findOrder(tx, orderId);
      if (!order) throw new Error(`idempotency key names order ${orderId}, which does not exist`);
      return toOrderView(order);
    },
  );
}

/**
 * The order itself, in the caller's transaction (the order and its hold commit together): createOrder's,
 * or a service request's, keyed by the service's own requestId.
 */
export async function openOrder(db: Tx, userId: string, input: OrderRequest): Promise<OrderView> {
  if (input.type === 'COURSE') {
    const course = await findCourse(db, input.courseId);
    if (!course) throw new DomainError('NOT_FOUND');
    // An order opened before the course was retired can still be paid: its amount and name are its own.
    if (course.retiredAt) throw new DomainError('COURSE_RETIRED');
    if (await findEnrollment(db, userId, course.id)) throw new DomainError('ALREADY_PURCHASED');
    // A payment of this course still being confirmed may yet enroll the learner: wait for it to settle.
    // (A new order could not be confirmed meanwhile anyway: see orders_one_payment_in_progress.)
    if (await hasPaymentInProgress(db, userId, course.id)) throw new DomainError('PAYMENT_IN_PROGRESS');
    const walletAmount = input.walletAmount ?? 0;
    const split = walletAmount > 0 ? splitRefusal(course.price, walletAmount) : null;
    if (split) throw new DomainError(split);
    // The seed's in-memory lock strategy writes a balance it read without a guard; a hold captured
    // or voided beside it could be overwritten. It is a lesson in what fails, so it gets no holds.
    if (walletAmount > 0 && balanceStrategy().name === 'in-process-lock') {
      throw new DomainError('COMPOSITE_UNAVAILABLE');
    }
    const order = {
      id: newOrderId(),
      userId,
      type: 'COURSE' as const,
      courseId: course.id,
      amount: course.price,
      walletAmount,
      orderName: course.title.slice(0, 100), // Toss takes at most 100 characters
    };
    const created = await insertOrder(db, order);
    if (walletAmount > 0) {
      const expiresAt = new Date(Date.now() + HOLD_MINUTES * 60_000);
      const held = await placeHold(db, { userId, orderId: created.id, amount: walletAmount, expiresAt });
      // Thrown inside the transaction: the order is rolled back with the refused hold.
      if (!held.ok) throw new DomainError('INSUFFICIENT_BALANCE');
    }
    return toOrderView(created);
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
