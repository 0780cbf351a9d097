import { findAdminActions } from '../../building-blocks/audit/admin-action.repository';
import { findAccountByEmail, findAccountById } from '../../building-blocks/auth/auth.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { findOrder, searchOrders } from '../../building-blocks/order/order.repository';
import { findTossExchangeLogOfOrder } from '../../building-blocks/payment/payment.repository';
import { maskTossBody } from '../../building-blocks/toss/mask-toss-body';
import { findDeliveriesOfOrder } from '../../building-blocks/webhook/webhook-delivery.repository';
import { timelineOf } from '../orders/order-timeline';
import { toOrderView } from '../orders/own-orders';
import { listAlerts } from './operator-alerts';

/**
 * The operator's view of payments: find one in one search (an order number, a Toss paymentKey or a
 * learner's email), then everything that explains it on one page: the learner's timeline, every
 * exchange with Toss (secrets and personal numbers masked), the webhooks Toss sent, the refunds, the
 * alerts and what admins did to it.
 */

/** How many of a learner's orders one search shows (newest first). */
const SEARCH_LIMIT = 50;

export async function findPayments(db: Db, query: string) {
  const key = query.trim();
  let rows: Awaited<ReturnType<typeof searchOrders>>;
  if (key.includes('@')) {
    const user = await findAccountByEmail(db, key.toLowerCase());
    rows = user ? await searchOrders(db, { userId: user.id }, SEARCH_LIMIT) : [];
  } else {
    rows = await searchOrders(db, { key }, SEARCH_LIMIT);
  }
  return rows.map(({ user, ...order }) => ({ ...toOrderView(order), email: user.email }));
}

export async function explainPayment(db: Db, orderId: string) {
  const order = await findOrder(db, orderId);
  if (!order) throw new DomainError('ORDER_NOT_FOUND');
  const [timeline, exchanges, webhooks, alerts, actions, learner] = await Promise.all([
    timelineOf(db, order),
    findTossExchangeLogOfOrder(db, order.id),
    findDeliveriesOfOrder(db, order.id),
    listAlerts(db, { orderId: order.id }),
    findAdminActions(db, { subjectIds: [order.id] }, 100),
    findAccountById(db, order.userId),
  ]);
  return {
    ...timeline,
    learner: learner && { id: learner.id, email: learner.email, name: learner.name },
    exchanges: exchanges.map((e) => ({
      ...e,
      requestBody: maskTossBody(e.requestBody),
      responseBody: maskTossBody(e.responseBody),
    })),
    webhooks: webhooks.map((w) => ({ ...w, payload: maskTossBody(w.payload) })),
    alerts,
    actions,
  };
}
