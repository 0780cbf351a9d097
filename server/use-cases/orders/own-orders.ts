import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { findOrder, listOrders, type OrderRow } from '../../building-blocks/order/order.repository';
import type { OrderView } from '../../building-blocks/schemas/order.schemas';

export function toOrderView(order: OrderRow): OrderView {
  const { id, userId: _userId, ...rest } = order;
  return { orderId: id, ...rest };
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
