import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import {
  cardAmountOf,
  findOrder,
  findOrderHistoryPage,
  listOrders,
  type OrderRow,
} from '../../building-blocks/order/order.repository';
import type { OrderView } from '../../building-blocks/schemas/order.schemas';

import { paymentDetails } from './payment-details';

export function toOrderView(order: OrderRow): OrderView {
  const { id, userId: _userId, ...rest } = order;
  // For a balance purchase the card pays nothing; otherwise the card pays what the wallet does not.
  const cardAmount = order.method === 'BALANCE' ? 0 : cardAmountOf(order);
  return { orderId: id, ...rest, cardAmount };
}

/** The user's own order; another user's order is indistinguishable from a missing one. */
export async function getOwnOrder(db: Db, userId: string, orderId: string): Promise<OrderRow> {
  const order = await findOrder(db, orderId);
  if (!order || order.userId !== userId) throw new DomainError('ORDER_NOT_FOUND');
  return order;
}

export async function listOwnOrders(db: Db, userId: string) {
  return (await listOrders(db, userId, 100)).map(toOrderView);
}

/**
 * 내 결제 내역: the user's orders (balance and card, courses and wallet charges), newest first, `limit`
 * at a time after `cursor` (the last order id of the previous page), each with its card when Toss named
 * one. A cursor that is not one of the user's orders is refused like a missing order.
 */
export async function listOrderHistory(db: Db, userId: string, input: { limit: number; cursor?: string }) {
  const rows = await findOrderHistoryPage(db, userId, input.limit, input.cursor);
  if (!rows) throw new DomainError('ORDER_NOT_FOUND');
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(({ payment, ...order }) => ({
      ...toOrderView(order),
      card: order.method === 'CARD' ? paymentDetails(payment?.tossPayment).card : null,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
