import type { DbOrTx, Tx } from '../db/client';
import type { WalletHoldStatus } from '../db/generated/client';

/**
 * The SQL of holds on a balance (composite payments). Only ledger.ts calls the statements that change
 * `wallet.held` or `wallet.balance`; each is one conditional UPDATE, so a hold moves exactly once
 * whoever races for it. Every one bumps `wallet.version`, so the read-modify-write strategies
 * (optimistic, redis-lock) notice a hold moved under them and read again.
 */

export const holdSelect = {
  id: true,
  walletId: true,
  userId: true,
  orderId: true,
  amount: true,
  status: true,
  expiresAt: true,
  createdAt: true,
  resolvedAt: true,
} as const;

export type WalletHoldRow = {
  id: string;
  walletId: string;
  userId: string;
  orderId: string;
  amount: number;
  status: WalletHoldStatus;
  expiresAt: Date;
  createdAt: Date;
  resolvedAt: Date | null;
};

/** Adds `amount` to what the wallet holds if that much is spendable; the wallet after, or null. */
export async function reserveOnWallet(tx: Tx, walletId: string, amount: number) {
  const rows = await tx.$queryRaw<{ balance: number; held: number }[]>`
    UPDATE wallet SET held = held + ${amount}, version = version + 1, updated_at = now()
     WHERE id = ${walletId}::uuid AND balance - held >= ${amount}
    RETURNING balance, held`;
  return rows[0] ?? null;
}

export function insertHold(
  tx: Tx,
  hold: { walletId: string; userId: string; orderId: string; amount: number; expiresAt: Date },
) {
  return tx.walletHold.create({ data: hold, select: holdSelect });
}

export function findHold(db: DbOrTx, orderId: string): Promise<WalletHoldRow | null> {
  return db.walletHold.findUnique({ where: { orderId }, select: holdSelect });
}

/**
 * Moves the order's hold from one of `from` to `to` (CAPTURED and VOIDED stamp resolved_at); the hold
 * as it now is, or null when it was not in `from` (another caller moved it first).
 */
export async function moveHoldStatus(
  tx: Tx,
  orderId: string,
  from: WalletHoldStatus[],
  to: WalletHoldStatus,
): Promise<WalletHoldRow | null> {
  const resolved = to === 'CAPTURED' || to === 'VOIDED';
  const { count } = await tx.walletHold.updateMany({
    where: { orderId, status: { in: from } },
    data: { status: to, ...(resolved ? { resolvedAt: new Date() } : {}) },
  });
  return count === 1 ? findHold(tx, orderId) : null;
}

/** Takes held won out of the wallet: balance and held go down together. The balance after. */
export async function takeHeld(tx: Tx, walletId: string, amount: number): Promise<number> {
  const rows = await tx.$queryRaw<{ balance: number }[]>`
    UPDATE wallet SET balance = balance - ${amount}, held = held - ${amount}, version = version + 1,
           updated_at = now()
     WHERE id = ${walletId}::uuid
    RETURNING balance`;
  const row = rows[0];
  if (!row) throw new Error(`wallet ${walletId} vanished under a captured hold`);
  return row.balance;
}

/** Gives held won back to what the wallet can spend; the balance is unchanged. */
export async function releaseHeld(tx: Tx, walletId: string, amount: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE wallet SET held = held - ${amount}, version = version + 1, updated_at = now()
     WHERE id = ${walletId}::uuid`;
}

/** Orders still CREATED whose PENDING hold expired before `now`, oldest first. */
export async function findExpiredHolds(db: DbOrTx, now: Date, limit: number): Promise<string[]> {
  const holds = await db.walletHold.findMany({
    where: { status: 'PENDING', expiresAt: { lt: now }, order: { status: 'CREATED' } },
    orderBy: { expiresAt: 'asc' },
    take: limit,
    select: { orderId: true },
  });
  return holds.map((h) => h.orderId);
}

/** A PENDING hold Toss may still pay: asked about again after `until`. */
export async function postponeHold(db: DbOrTx, orderId: string, until: Date): Promise<void> {
  await db.walletHold.updateMany({ where: { orderId, status: 'PENDING' }, data: { expiresAt: until } });
}
