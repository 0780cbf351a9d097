import type { DbOrTx, Tx } from '../db/client';
import { OrderStatus, Prisma } from '../db/generated/client';
import { DomainError } from '../errors/domain-error';

export const orderSelect = {
  id: true,
  userId: true,
  type: true,
  courseId: true,
  amount: true,
  walletAmount: true,
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

/**
 * What the card pays: the whole amount, or for a composite order the rest after its wallet part (which
 * a hold reserves; ledger.ts). Toss is only ever told, and only ever checked against, this.
 */
export function cardAmountOf(order: { amount: number; walletAmount: number }): number {
  return order.amount - order.walletAmount;
}

export function insertOrder(db: DbOrTx, data: Prisma.OrderUncheckedCreateInput) {
  return db.order.create({ data, select: orderSelect });
}

/** Only for an order whose purchase was refused in the transaction that created it (nothing refers to it). */
export async function deleteOrder(tx: Tx, orderId: string) {
  await tx.order.delete({ where: { id: orderId }, select: { id: true } });
}

/** Numbers the next confirm sent to Toss for this order (1, 2, ...): its Idempotency-Key depends on it. */
export async function nextConfirmAttempt(db: DbOrTx, orderId: string): Promise<number> {
  const rows = await db.order.updateManyAndReturn({
    where: { id: orderId },
    data: { confirmAttempts: { increment: 1 } },
    select: { confirmAttempts: true },
  });
  const row = rows[0];
  if (!row) throw new Error(`order ${orderId} vanished while being confirmed`);
  return row.confirmAttempts;
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
 * The operator's search: the order with this id or this Toss paymentKey, or a learner's orders (newest
 * first, `limit` of them), each with the learner's email.
 */
export function searchOrders(db: DbOrTx, match: { key: string } | { userId: string }, limit: number) {
  return db.order.findMany({
    where: 'key' in match ? { OR: [{ id: match.key }, { paymentKey: match.key }] } : { userId: match.userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { ...orderSelect, user: { select: { email: true } } },
  });
}

/** The partial unique index (a migration) that lets one card payment of a course be under way at a time. */
const PAYMENT_IN_PROGRESS_INDEX = 'orders_one_payment_in_progress';

/** Statuses in which a card payment is under way: sent to Toss, or its outcome unknown. */
export const IN_PROGRESS_STATUSES: OrderStatus[] = ['CONFIRMING', 'IN_DOUBT'];

/** Whether the user has a card payment of this course under way (CONFIRMING or IN_DOUBT). */
export async function hasPaymentInProgress(db: DbOrTx, userId: string, courseId: string) {
  const row = await db.order.findFirst({
    where: { userId, courseId, status: { in: IN_PROGRESS_STATUSES } },
    select: { id: true },
  });
  return row !== null;
}

/** The courses of which the user has a card payment under way. */
export async function courseIdsWithPaymentInProgress(db: DbOrTx, userId: string): Promise<Set<string>> {
  const rows = await db.order.findMany({
    where: { userId, courseId: { not: null }, status: { in: IN_PROGRESS_STATUSES } },
    select: { courseId: true },
  });
  return new Set(rows.flatMap((r) => (r.courseId ? [r.courseId] : [])));
}

/**
 * The user's orders, newest first, `limit + 1` of them after `cursor` (one of the user's own order ids;
 * null when it is not theirs, so another user's order id tells nothing), with the stored Toss payment.
 */
export async function findOrderHistoryPage(db: DbOrTx, userId: string, limit: number, cursor?: string) {
  let after: Prisma.OrderWhereInput = {};
  if (cursor) {
    const from = await db.order.findFirst({ where: { id: cursor, userId }, select: { createdAt: true } });
    if (!from) return null;
    after = {
      OR: [{ createdAt: { lt: from.createdAt } }, { createdAt: from.createdAt, id: { lt: cursor } }],
    };
  }
  return db.order.findMany({
    where: { userId, ...after },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: { ...orderSelect, payment: { select: { tossPayment: true } } },
  });
}

/** The status machine's one UPDATE (use moveOrder in order-status.ts, which checks the move first). */
export async function updateOrderStatus(
  db: DbOrTx,
  orderId: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  data: Omit<Prisma.OrderUpdateManyMutationInput, 'status'> = {},
  extraWhere: Prisma.OrderWhereInput = {},
): Promise<OrderRow | null> {
  try {
    const rows = await db.order.updateManyAndReturn({
      where: { id: orderId, status: { in: [...from] }, ...extraWhere },
      data: { ...data, status: to },
      select: orderSelect,
    });
    return rows[0] ?? null;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      // Another order of this course is CONFIRMING or IN_DOUBT (orders_one_payment_in_progress).
      if (JSON.stringify(error.meta ?? {}).includes(PAYMENT_IN_PROGRESS_INDEX)) {
        throw new DomainError('PAYMENT_IN_PROGRESS');
      }
      // The other unique column a move writes is paymentKey: a Toss payment belongs to one order.
      throw new DomainError('ORDER_NOT_PAYABLE', 'This paymentKey belongs to another order.');
    }
    throw error;
  }
}

/** IN_DOUBT or CANCEL_PENDING orders, and CONFIRMING ones not touched since `staleBefore`; oldest first. */
export async function findOrdersNeedingRecovery(db: DbOrTx, staleBefore: Date, limit: number) {
  const rows = await db.order.findMany({
    where: {
      OR: [
        { status: { in: ['IN_DOUBT', 'CANCEL_PENDING'] } },
        { status: 'CONFIRMING', updatedAt: { lt: staleBefore } },
      ],
    },
    orderBy: { updatedAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** How many orders are in each status, every status named (0 when none): for the metrics. */
export async function countOrdersByStatus(db: DbOrTx): Promise<Record<OrderStatus, number>> {
  const counts = Object.fromEntries(Object.values(OrderStatus).map((status) => [status, 0])) as Record<
    OrderStatus,
    number
  >;
  const groups = await db.order.groupBy({ by: ['status'], _count: { _all: true } });
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}

/** Orders in doubt (IN_DOUBT): how many, and when the oldest of them was created. */
export async function ordersInDoubt(db: DbOrTx): Promise<{ count: number; oldestCreatedAt: Date | null }> {
  const found = await db.order.aggregate({
    where: { status: 'IN_DOUBT' },
    _count: { _all: true },
    _min: { createdAt: true },
  });
  return { count: found._count._all, oldestCreatedAt: found._min.createdAt };
}
