import type { Db, DbOrTx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { findOrder, type OrderRow } from '../../building-blocks/order/order.repository';
import type { UserRef } from '../../building-blocks/schemas/service.schemas';
import { openOrder } from '../orders/create-order';
import { listOrderHistory, toOrderView } from '../orders/own-orders';
import type { ServiceCaller } from './authenticate-service';
import { runServiceRequest } from './service-request';
import { resolveUser } from './service-users';

/**
 * Orders a service opens and reads for a learner: the same orders (and refusals) as the learner's own
 * order.create, opened once per requestId, with the checkout page to send the learner to.
 */

/** The order as a service sees it: whose it is, and where its learner pays while it awaits payment. */
function serviceView(order: OrderRow, origin: string | null) {
  return {
    ...toOrderView(order),
    userId: order.userId,
    checkoutUrl: order.status === 'CREATED' ? `${origin ?? ''}/checkout/${order.id}` : null,
  };
}

async function orderOrThrow(db: DbOrTx, orderId: string) {
  const order = await findOrder(db, orderId);
  if (!order) throw new DomainError('ORDER_NOT_FOUND');
  return order;
}

export async function createServiceOrder(
  db: Db,
  service: ServiceCaller,
  origin: string | null,
  input: UserRef & {
    type: 'COURSE' | 'CHARGE';
    courseId?: string;
    amount?: number;
    requestId: string;
  },
) {
  const userId = await resolveUser(db, input);
  const order =
    input.type === 'COURSE'
      ? { type: 'COURSE' as const, courseId: input.courseId ?? '' }
      : { type: 'CHARGE' as const, amount: input.amount ?? 0 };
  return runServiceRequest(
    db,
    {
      serviceKeyId: service.id,
      requestId: input.requestId,
      operation: 'service.orders.create',
      payload: { userId, ...order },
    },
    async (tx) => {
      const created = await openOrder(tx, userId, order);
      return {
        subjectId: created.orderId,
        value: serviceView(await orderOrThrow(tx, created.orderId), origin),
      };
    },
    async (tx, orderId) => serviceView(await orderOrThrow(tx, orderId), origin),
  );
}

/** Any learner's order, by its id. */
export async function getServiceOrder(db: Db, orderId: string, origin: string | null) {
  return serviceView(await orderOrThrow(db, orderId), origin);
}

/** A learner's orders, newest first, a page at a time (as their own 내 결제 내역). */
export async function listServiceOrders(db: Db, input: UserRef & { limit: number; cursor?: string | null }) {
  const userId = await resolveUser(db, input);
  return listOrderHistory(db, userId, { limit: input.limit, cursor: input.cursor ?? undefined });
}
