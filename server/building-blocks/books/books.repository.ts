import type { DbOrTx } from '../db/client';

/**
 * Read-only queries over the books, for the operator's reports: settlement (sums by day, course and
 * method, and the wallets' ledger), reconciliation (our side of each card payment) and the invariant checks.
 */

export interface DaySum {
  day: string;
  /** COURSE (a sale) or CHARGE (a wallet top-up: prepaid money, not a sale). */
  type: 'COURSE' | 'CHARGE';
  course_id: string | null;
  method: 'BALANCE' | 'CARD';
  total: bigint;
}

/**
 * Orders approved in [start, end), summed by Korean day, order type, course and method. A composite
 * order counts twice: its card part under CARD, its wallet part under BALANCE.
 */
export function salesByDay(db: DbOrTx, start: Date, end: Date) {
  return db.$queryRaw<DaySum[]>`
    SELECT to_char(o.approved_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD') AS day, o.type::text AS type,
           o.course_id::text, part.method, sum(part.amount) AS total
      FROM orders o,
           LATERAL (VALUES (o.method::text, o.amount - o.wallet_amount), ('BALANCE', o.wallet_amount))
             AS part(method, amount)
     WHERE o.approved_at >= ${start} AND o.approved_at < ${end} AND o.method IS NOT NULL
       AND o.status IN ('APPROVED', 'PARTIALLY_CANCELED', 'CANCELED') AND part.amount > 0
     GROUP BY 1, 2, 3, 4`;
}

/** Refunds done in [start, end), summed by Korean day, order type, course and method. */
export function refundsByDay(db: DbOrTx, start: Date, end: Date) {
  return db.$queryRaw<DaySum[]>`
    SELECT to_char(r.updated_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD') AS day, o.type::text AS type,
           o.course_id::text, r.method::text AS method, sum(r.amount) AS total
      FROM refund r JOIN orders o ON o.id = r.order_id
     WHERE r.status = 'DONE' AND r.updated_at >= ${start} AND r.updated_at < ${end}
     GROUP BY 1, 2, 3, 4`;
}

export interface LedgerSum {
  /** The ledger entry type (WalletTransactionType), as the database spells it. */
  type: string;
  /**
   * Where a CHARGE came from, by its system requestId: `card` (a wallet-charge order paid by card,
   * `sys:order:<id>`), `cancel-refused` (a charge cancel Toss refused, given back,
   * `sys:charge-cancel-refused:<refundId>`); empty for everything else.
   */
  origin: string;
  entries: bigint;
  credited: bigint;
  debited: bigint;
  /** Sum of the amounts before `start`, and before `end`: the wallets' total balance at each instant. */
  before_start: bigint;
  before_end: bigint;
}

/**
 * The ledger in [start, end), summed by entry type (and a CHARGE's origin), with what all wallets held
 * at `start` and at `end` (a wallet's balance is the sum of its ledger). One statement, so one snapshot:
 * the balance at `end` is exactly the balance at `start` plus the movements.
 */
export function ledgerMovements(db: DbOrTx, start: Date, end: Date) {
  return db.$queryRaw<LedgerSum[]>`
    SELECT type::text AS type,
           CASE WHEN type = 'CHARGE' AND request_id LIKE 'sys:order:%' THEN 'card'
                WHEN type = 'CHARGE' AND request_id LIKE 'sys:charge-cancel-refused:%' THEN 'cancel-refused'
                ELSE '' END AS origin,
           count(*) FILTER (WHERE created_at >= ${start}) AS entries,
           coalesce(sum(amount) FILTER (WHERE created_at >= ${start} AND amount > 0), 0) AS credited,
           coalesce(sum(-amount) FILTER (WHERE created_at >= ${start} AND amount < 0), 0) AS debited,
           coalesce(sum(amount) FILTER (WHERE created_at < ${start}), 0) AS before_start,
           coalesce(sum(amount), 0) AS before_end
      FROM wallet_transaction
     WHERE created_at < ${end}
     GROUP BY 1, 2`;
}

/** Card payments approved in [start, end). */
export function cardPaymentsApproved(db: DbOrTx, start: Date, end: Date) {
  return db.payment.findMany({
    where: { method: 'CARD', approvedAt: { gte: start, lt: end }, paymentKey: { not: null } },
    select: { orderId: true, paymentKey: true, amount: true },
  });
}

/** Approvals we cancelled at once because we could not deliver (CANCEL_PENDING → CANCELED). */
export function undeliverableApprovals(db: DbOrTx, start: Date, end: Date) {
  return db.order.findMany({
    where: {
      status: { in: ['CANCELED', 'CANCEL_PENDING'] },
      failureCode: 'EFFECT_NOT_APPLICABLE',
      paymentKey: { not: null },
      updatedAt: { gte: start, lt: end },
    },
    select: { id: true, paymentKey: true, amount: true, walletAmount: true, status: true },
  });
}

/** Card refunds done in [start, end), with their order's paymentKey. */
export function cardRefundsDone(db: DbOrTx, start: Date, end: Date) {
  return db.refund.findMany({
    where: { method: 'CARD', status: 'DONE', updatedAt: { gte: start, lt: end } },
    select: { amount: true, order: { select: { id: true, paymentKey: true } } },
  });
}

/** Every wallet's balance beside the sum of its ledger. */
export function walletsWithLedgerSums(db: DbOrTx) {
  return db.$queryRaw<{ id: string; balance: number; ledger: bigint | null }[]>`
    SELECT w.id, w.balance, (SELECT sum(amount) FROM wallet_transaction t WHERE t.wallet_id = w.id) AS ledger
      FROM wallet w`;
}

/** Every (partly) approved order with its count of payment records and of effects (enrollment or credit). */
export function approvedOrdersWithEffects(db: DbOrTx) {
  return db.$queryRaw<{ id: string; type: string; method: string; payments: bigint; effects: bigint }[]>`
    SELECT o.id, o.type::text AS type, o.method::text AS method,
           (SELECT count(*) FROM payment p WHERE p.order_id = o.id) AS payments,
           CASE
             WHEN o.type = 'COURSE' THEN (SELECT count(*) FROM enrollment e WHERE e.order_id = o.id)
             ELSE (SELECT count(*) FROM wallet_transaction t
                    WHERE t.order_id = o.id AND t.type = 'CHARGE' AND t.request_id LIKE 'sys:order:%')
           END AS effects
      FROM orders o
     WHERE o.status IN ('APPROVED', 'PARTIALLY_CANCELED')`;
}

/** Orders whose refunds done add up to more than was paid. */
export function overRefundedOrders(db: DbOrTx) {
  return db.$queryRaw<{ id: string; amount: number; done: bigint }[]>`
    SELECT o.id, o.amount, coalesce(sum(r.amount) FILTER (WHERE r.status = 'DONE'), 0) AS done
      FROM orders o JOIN refund r ON r.order_id = o.id
     GROUP BY o.id, o.amount
    HAVING coalesce(sum(r.amount) FILTER (WHERE r.status = 'DONE'), 0) > o.amount`;
}

/** (user, requestId) pairs with more than one ledger entry. */
export function requestIdsAppliedTwice(db: DbOrTx) {
  return db.$queryRaw<{ user_id: string; request_id: string; n: bigint }[]>`
    SELECT user_id, request_id, count(*) AS n FROM wallet_transaction GROUP BY user_id, request_id HAVING count(*) > 1`;
}

/** Wallets whose `held` is not the sum of their open (PENDING or CONFIRMING) holds. */
export function walletsWithHeldMismatch(db: DbOrTx) {
  return db.$queryRaw<{ id: string; held: number; open: bigint }[]>`
    SELECT w.id, w.held,
           coalesce((SELECT sum(h.amount) FROM wallet_hold h
                      WHERE h.wallet_id = w.id AND h.status IN ('PENDING', 'CONFIRMING')), 0) AS open
      FROM wallet w
     WHERE w.held <> coalesce((SELECT sum(h.amount) FROM wallet_hold h
                                WHERE h.wallet_id = w.id AND h.status IN ('PENDING', 'CONFIRMING')), 0)`;
}

/**
 * Composite orders whose hold and status disagree: a CAPTURED hold without an approved order, an
 * approved composite order (wallet part > 0) without its captured hold, or a hold still open (PENDING,
 * CONFIRMING) on an order that is no longer being paid.
 */
export function compositeOrdersOutOfStep(db: DbOrTx) {
  return db.$queryRaw<{ id: string; status: string; hold: string | null }[]>`
    SELECT o.id, o.status::text AS status, h.status::text AS hold
      FROM orders o LEFT JOIN wallet_hold h ON h.order_id = o.id
     WHERE (h.status = 'CAPTURED'
            AND o.status NOT IN ('APPROVED', 'PARTIALLY_CANCELED', 'CANCELED'))
        OR (o.wallet_amount > 0 AND o.status IN ('APPROVED', 'PARTIALLY_CANCELED')
            AND h.status IS DISTINCT FROM 'CAPTURED')
        -- An open hold belongs to an order still to be paid: PENDING at checkout, CONFIRMING while
        -- Toss is asked. Anywhere else it would keep balance held that nothing will ever release.
        OR (h.status = 'PENDING' AND o.status <> 'CREATED')
        OR (h.status = 'CONFIRMING' AND o.status NOT IN ('CONFIRMING', 'IN_DOUBT'))`;
}
