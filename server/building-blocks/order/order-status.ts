import type { OrderStatus } from '../db/generated/client';

/**
 * An order's life. Every move is a conditional UPDATE (order.repository transitionOrder), so two
 * requests can never both make the same move.
 *
 *   CREATED ──confirm──▶ CONFIRMING ──Toss DONE, effect applied──▶ APPROVED
 *      │                    │ ├──Toss refused───────────────────▶ FAILED
 *      │                    │ ├──no answer / 5xx / timeout──────▶ IN_DOUBT ──confirm again (same key)──▶ CONFIRMING
 *      │                    │ └──Toss DONE, effect impossible───▶ CANCEL_PENDING ──Toss cancel──▶ CANCELED
 *      └──shopper cancelled / card refused (fail page)──────────▶ FAILED
 *
 * A balance purchase (wallet.pay) is born APPROVED, in the same transaction as the debit.
 */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['APPROVED', 'FAILED', 'CANCELED'];

/** Statuses from which our confirm may (re)start: nothing was granted, and Toss may be asked again. */
export const CONFIRMABLE_STATUSES: OrderStatus[] = ['CREATED', 'IN_DOUBT'];
