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

export interface BalanceChangeOnce {
  userId: string;
  requestId: string;
  operation: string;
  requestHash: string;
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
 * A whole idempotent balance change (claim the key, conditional UPDATE, ledger row, outcome) as one
 * SQL statement in its own transaction: the `wallet_change_once` function (see its migration). When
 * the key was claimed before, nothing changes and the earlier outcome comes back.
 */
export async function changeBalanceOnce(db: Db, change: BalanceChangeOnce): Promise<BalanceChangeOnceRow> {
  // On the driver, not Prisma: this runs for every charge (see driverPool).
  const { rows } = await driverPool(db).query<BalanceChangeOnceRow>(
    `SELECT outcome::text AS outcome, request_hash AS "requestHash",
            refusal_reason AS "refusalReason", transaction_id AS "transactionId", wallet_id AS "walletId",
            type::text AS type, amount, balance_after AS "balanceAfter", created_at AS "createdAt"
       FROM wallet_change_once($1::uuid, $2, $3, $4, $5::wallet_transaction_type, $6::int, $7)`,
    [
      change.userId,
      change.requestId,
      change.operation,
      change.requestHash,
      change.type,
      change.amount,
      change.refusal,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error(`wallet_change_once returned nothing for ${change.requestId}`);
  return row;
}

export interface CoursePurchaseOnce {
  userId: string;
  requestId: string;
  operation: string;
  requestHash: string;
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
 * A whole idempotent balance purchase (claim the key, check the course, claim the enrollment, write the
 * order, debit, payment record, ledger row, outcome) as one SQL statement in its own transaction: the
 * `wallet_pay_once` function (see its migration). When the key was claimed before, nothing changes and
 * the earlier outcome comes back, with the enrollment the purchase granted (current or ended since).
 */
export async function buyCourseOnce(db: Db, purchase: CoursePurchaseOnce): Promise<CoursePurchaseOnceRow> {
  // On the driver, not Prisma, like the one-statement charge (see driverPool).
  const { rows } = await driverPool(db).query<CoursePurchaseOnceRow>(
    `SELECT outcome::text AS outcome, request_hash AS "requestHash", refusal_reason AS "refusalReason",
            transaction_id AS "transactionId", wallet_id AS "walletId", type::text AS type, amount,
            balance_after AS "balanceAfter", created_at AS "createdAt", order_id AS "orderId",
            course_id AS "courseId", course_title AS "courseTitle", enrollment_id AS "enrollmentId",
            enrollment_user_id AS "enrollmentUserId", enrollment_course_id AS "enrollmentCourseId",
            enrollment_order_id AS "enrollmentOrderId", enrollment_created_at AS "enrollmentCreatedAt"
       FROM wallet_pay_once($1::uuid, $2, $3, $4, $5, $6)`,
    [
      purchase.userId,
      purchase.requestId,
      purchase.operation,
      purchase.requestHash,
      purchase.courseId,
      purchase.orderId,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error(`wallet_pay_once returned nothing for ${purchase.requestId}`);
  return row;
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
