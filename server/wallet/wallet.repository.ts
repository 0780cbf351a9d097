import type { DbOrTx, Tx } from '../db/client';
import type { WalletTransactionType } from '../db/generated/client';
import { balanceStrategy } from './strategies';

/** The only code that reads or writes wallets and their ledger. */

export const walletSelect = {
  id: true,
  userId: true,
  balance: true,
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

/** Returns the user's wallet, creating it on first use; concurrent first calls still make one. */
export async function ensureWallet(db: DbOrTx, userId: string) {
  const existing = await db.wallet.findUnique({ where: { userId }, select: walletSelect });
  if (existing) return existing;
  await db.wallet.createMany({ data: [{ userId }], skipDuplicates: true });
  return db.wallet.findUniqueOrThrow({ where: { userId }, select: walletSelect });
}

/**
 * Moves the balance by `delta` inside `tx`, the way BALANCE_STRATEGY says (by default one atomic
 * conditional UPDATE; see strategies/). Returns the new balance, or null when the change would leave
 * 0..100,000 (nothing changed).
 */
export function applyBalanceChange(tx: Tx, walletId: string, delta: number): Promise<number | null> {
  return balanceStrategy().apply(tx, walletId, delta);
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

export function insertLedgerEntry(tx: Tx, entry: NewLedgerEntry) {
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
