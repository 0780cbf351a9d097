import type pg from 'pg';
import { type Db, type DbOrTx, driverPool, type Tx } from '../db/client';
import type { Prisma, WalletTransactionType } from '../db/generated/client';

/**
 * The wallet's and the ledger's SQL. Balances move only through ledger.ts, which calls these and the
 * balance strategy's conditional UPDATE.
 */

export const walletSelect = {
  id: true,
  userId: true,
  balance: true,
  held: true,
  createdAt: true,
  updatedAt: true,
} as const;

export const ledgerEntrySelect = {
  id: true,
  walletId: true,
  type: true,
  amount: true,
  balanceAfter: true,
  requestId: true,
  orderId: true,
  courseId: true,
  createdAt: true,
  course: { select: { title: true } },
} as const;

export type LedgerEntry = Prisma.WalletTransactionGetPayload<{ select: typeof ledgerEntrySelect }>;

/** Returns the user's wallet, creating it on first use; concurrent first calls still make one. */
export async function ensureWallet(db: DbOrTx, userId: string) {
  const existing = await db.wallet.findUnique({ where: { userId }, select: walletSelect });
  if (existing) return existing;
  await db.wallet.createMany({ data: [{ userId }], skipDuplicates: true });
  return db.wallet.findUniqueOrThrow({ where: { userId }, select: walletSelect });
}

export interface NewLedgerEntry {
  walletId: string;
  userId: string;
  type: WalletTransactionType;
  amount: number;
  balanceAfter: number;
  requestId: string;
  courseId?: string;
  orderId?: string;
}

/** Whose request a one-statement change or purchase is, and its idempotency key with its fingerprint. */
export interface StatementKey {
  /** The learner's session: the statement changes nothing unless it is live (session_is_live). */
  sessionId: string;
  userId: string;
  requestId: string;
  operation: string;
  requestHash: string;
}

export interface BalanceChangeOnce extends StatementKey {
  type: WalletTransactionType;
  amount: number;
  /** The refusal to record when the balance would leave 0..100,000. */
  refusal: string;
}

/** The key's outcome, and the ledger entry when it succeeded (now or on an earlier call). */
export interface BalanceChangeOnceRow {
  outcome: 'SUCCEEDED' | 'REFUSED' | null;
  requestHash: string;
  refusalReason: string | null;
  transactionId: string | null;
  walletId: string | null;
  type: WalletTransactionType | null;
  amount: number | null;
  balanceAfter: number | null;
  createdAt: Date | null;
}

/**
 * Whole idempotent balance changes of signed-in learners (check the session, claim the key, conditional
 * UPDATE, ledger row, outcome), one or many, as one SQL statement in one transaction: the
 * `wallet_change_many` function (see its migration). Answers one row per change, in the order given:
 * null when the change's session was not live (nothing was claimed or changed), else the key's outcome,
 * the earlier one when the key was claimed before.
 */
export async function walletChangeMany(
  db: Db,
  changes: readonly BalanceChangeOnce[],
  /** Fail (and drop the connection) when PostgreSQL has not answered by then; none when left out. */
  timeoutMs?: number,
): Promise<(BalanceChangeOnceRow | null)[]> {
  // On the driver, not Prisma: this runs for every charge (see driverPool).
  // query_timeout is the driver's (pg's types leave it out): past it the query fails and its connection is
  // dropped.
  const statement: pg.QueryConfig & { query_timeout?: number } = {
    query_timeout: timeoutMs,
    text: `SELECT item, signed_in AS "signedIn", outcome::text AS outcome, request_hash AS "requestHash",
            refusal_reason AS "refusalReason", transaction_id AS "transactionId", wallet_id AS "walletId",
            type::text AS type, amount, balance_after AS "balanceAfter", created_at AS "createdAt"
       FROM wallet_change_many($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],
                               $6::wallet_transaction_type[], $7::int[], $8::text[])`,
    values: [
      changes.map((c) => c.sessionId),
      changes.map((c) => c.userId),
      changes.map((c) => c.requestId),
      changes.map((c) => c.operation),
      changes.map((c) => c.requestHash),
      changes.map((c) => c.type),
      changes.map((c) => c.amount),
      changes.map((c) => c.refusal),
    ],
  };
  const { rows } = await driverPool(db).query<BalanceChangeOnceRow & { item: number; signedIn: boolean }>(
    statement,
  );
  return answersByItem('wallet_change_many', changes, rows);
}

export interface CoursePurchaseOnce extends StatementKey {
  /** As the caller sent it; a string that is no UUID names no course (refused NOT_FOUND). */
  courseId: string;
  /** The id the new order gets if the purchase goes through. */
  orderId: string;
}

/** The key's outcome, with the ledger entry and the enrollment of the purchase when it succeeded. */
export interface CoursePurchaseOnceRow extends BalanceChangeOnceRow {
  orderId: string | null;
  courseId: string | null;
  courseTitle: string | null;
  enrollmentId: string | null;
  enrollmentUserId: string | null;
  enrollmentCourseId: string | null;
  enrollmentOrderId: string | null;
  enrollmentCreatedAt: Date | null;
}

/**
 * Whole idempotent balance purchases of signed-in learners (check the session, claim the key, check the
 * course, lock the wallet, claim the enrollment, write the order, debit, payment record, ledger row,
 * outcome), one or many, as one SQL statement in one transaction: the `wallet_pay_many` function (see its
 * migration). Answers one row per purchase, in the order given: null when its session was not live
 * (nothing was claimed or changed), else the key's outcome, the earlier one when the key was claimed
 * before, with the enrollment the purchase granted (current or ended since).
 */
export async function walletPayMany(
  db: Db,
  purchases: readonly CoursePurchaseOnce[],
  /** Fail (and drop the connection) when PostgreSQL has not answered by then; none when left out. */
  timeoutMs?: number,
): Promise<(CoursePurchaseOnceRow | null)[]> {
  // On the driver, not Prisma, like the one-statement charge (see driverPool).
  const statement: pg.QueryConfig & { query_timeout?: number } = {
    query_timeout: timeoutMs,
    text: `SELECT item, signed_in AS "signedIn", outcome::text AS outcome, request_hash AS "requestHash",
            refusal_reason AS "refusalReason", transaction_id AS "transactionId", wallet_id AS "walletId",
            type::text AS type, amount, balance_after AS "balanceAfter", created_at AS "createdAt",
            order_id AS "orderId", course_id AS "courseId", course_title AS "courseTitle",
            enrollment_id AS "enrollmentId", enrollment_user_id AS "enrollmentUserId",
            enrollment_course_id AS "enrollmentCourseId", enrollment_order_id AS "enrollmentOrderId",
            enrollment_created_at AS "enrollmentCreatedAt"
       FROM wallet_pay_many($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    values: [
      purchases.map((p) => p.sessionId),
      purchases.map((p) => p.userId),
      purchases.map((p) => p.requestId),
      purchases.map((p) => p.operation),
      purchases.map((p) => p.requestHash),
      purchases.map((p) => p.courseId),
      purchases.map((p) => p.orderId),
    ],
  };
  const { rows } = await driverPool(db).query<CoursePurchaseOnceRow & { item: number; signedIn: boolean }>(
    statement,
  );
  return answersByItem('wallet_pay_many', purchases, rows);
}

/** A batch statement's rows (numbered from 1 as the items were given) as one answer per item, in order. */
function answersByItem<Row>(
  statement: string,
  items: readonly { requestId: string }[],
  rows: readonly (Row & { item: number; signedIn: boolean })[],
): (Row | null)[] {
  const byItem = new Map(rows.map((row) => [row.item, row]));
  return items.map((item, i) => {
    const row = byItem.get(i + 1);
    if (!row) throw new Error(`${statement} returned nothing for ${item.requestId}`);
    if (!row.signedIn) return null;
    const { item: _item, signedIn: _signedIn, ...answer } = row;
    return answer as Row;
  });
}

export function insertLedgerEntry(tx: Tx, entry: NewLedgerEntry): Promise<LedgerEntry> {
  return tx.walletTransaction.create({ data: entry, select: ledgerEntrySelect });
}

export function findLedgerEntry(db: DbOrTx, id: string) {
  return db.walletTransaction.findUniqueOrThrow({ where: { id }, select: ledgerEntrySelect });
}

/** The user's ledger, newest first, `limit` entries after `cursor` (an entry id). */
export function findLedgerPage(db: DbOrTx, userId: string, limit: number, cursor?: string) {
  return db.walletTransaction.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: ledgerEntrySelect,
  });
}
