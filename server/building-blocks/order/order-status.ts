import type { DbOrTx } from '../db/client';
import type { OrderStatus, Prisma } from '../db/generated/client';
import { type OrderRow, updateOrderStatus } from './order.repository';

/**
 * An order's life. Every move goes through moveOrder below: one conditional UPDATE (`... WHERE id = $1
 * AND status IN (...)`), so two requests can never both make the same move, and a move not drawn here
 * is refused before it reaches the database.
 *
 *   CREATED ──confirm──▶ CONFIRMING ──Toss DONE, effect applied──▶ APPROVED ──refund, part──▶ PARTIALLY_CANCELED
 *      │                    │ ├──Toss refused───────────────────▶ FAILED        │                  │ └─part──┐
 *      │                    │ ├──no answer / 5xx / timeout──────▶ IN_DOUBT      │                  │ ◀───────┘
 *      │                    │ │                                     │           └──refund, rest──▶ CANCELED ◀──rest──┘
 *      │                    │ │   ◀──confirm again / janitor────────┘
 *      │                    │ └──Toss DONE, effect impossible───▶ CANCEL_PENDING ──Toss cancel──▶ CANCELED
 *      │                    └──process died (janitor re-claims after staleConfirmingMs)──▶ CONFIRMING
 *      ├──shopper cancelled / card refused (fail page)──────────▶ FAILED
 *      └──Toss approved it without our confirm (webhook)───────▶ CONFIRMING
 *
 * A balance purchase (wallet.pay) is born APPROVED, in the same transaction as the debit. Refunds
 * (card or balance, ours or made at Toss) move APPROVED or PARTIALLY_CANCELED on once the refunds done
 * add up: all of it → CANCELED, part → PARTIALLY_CANCELED.
 */
export const ORDER_MOVES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATED: ['CONFIRMING', 'FAILED'],
  CONFIRMING: ['APPROVED', 'FAILED', 'IN_DOUBT', 'CANCEL_PENDING', 'CONFIRMING'],
  IN_DOUBT: ['CONFIRMING'],
  CANCEL_PENDING: ['CANCELED'],
  APPROVED: ['PARTIALLY_CANCELED', 'CANCELED'],
  PARTIALLY_CANCELED: ['PARTIALLY_CANCELED', 'CANCELED'],
  FAILED: [],
  CANCELED: [],
};

/** Statuses from which our confirm may (re)start: nothing was granted, and Toss may be asked again. */
export const CONFIRMABLE_STATUSES: OrderStatus[] = ['CREATED', 'IN_DOUBT'];

/** Statuses a refund may start from (something was paid, and not all of it given back). */
export const REFUNDABLE_STATUSES: OrderStatus[] = ['APPROVED', 'PARTIALLY_CANCELED'];

/**
 * Moves an order from one of `from` to `to` in one conditional UPDATE. Returns the updated order, or
 * null when it was not in one of `from` (another request moved it first: re-read instead of assuming).
 * A move the machine does not allow is a programming error and throws, changing nothing.
 */
export function moveOrder(
  db: DbOrTx,
  orderId: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  data: Omit<Prisma.OrderUpdateManyMutationInput, 'status'> = {},
  extraWhere: Prisma.OrderWhereInput = {},
): Promise<OrderRow | null> {
  const illegal = from.find((status) => !ORDER_MOVES[status].includes(to));
  if (illegal) throw new Error(`an order never moves ${illegal} → ${to}`);
  return updateOrderStatus(db, orderId, from, to, data, extraWhere);
}
