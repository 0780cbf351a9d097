import type { DbOrTx } from '../db/client';
import type { OrderStatus, Prisma } from '../db/generated/client';

export const orderSelect = {
  id: true,
  userId: true,
  type: true,
  courseId: true,
  amount: true,
  orderName: true,
  status: true,
  method: true,
  paymentKey: true,
  approvedAt: true,
  failureCode: true,
  failureMessage: true,
  refundedAmount: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type OrderRow = Prisma.OrderGetPayload<{ select: typeof orderSelect }>;

export function insertOrder(db: DbOrTx, data: Prisma.OrderUncheckedCreateInput) {
  return db.order.create({ data, select: orderSelect });
}

export function findOrder(db: DbOrTx, orderId: string) {
  return db.order.findUnique({ where: { id: orderId }, select: orderSelect });
}

export function listOrders(db: DbOrTx, userId: string, limit: number) {
  return db.order.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: orderSelect,
  });
}

/**
 * Moves an order from one of `from` to `to` in one conditional UPDATE (`... WHERE id = $1 AND status IN
 * (...)`). Returns the updated order, or null when it was not in an expected status: another request
 * moved it first, and the caller must re-read instead of assuming.
 */
export async function transitionOrder(
  db: DbOrTx,
  orderId: string,
  from: OrderStatus[],
  to: OrderStatus,
  data: Omit<Prisma.OrderUpdateManyMutationInput, 'status'> = {},
  extraWhere: Prisma.OrderWhereInput = {},
): Promise<OrderRow | null> {
  const rows = await db.order.updateManyAndReturn({
    where: { id: orderId, status: { in: from }, ...extraWhere },
    data: { ...data, status: to },
    select: orderSelect,
  });
  return rows[0] ?? null;
}
