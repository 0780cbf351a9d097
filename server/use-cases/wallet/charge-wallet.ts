import type { Db } from '../../building-blocks/db/client';
import { runIdempotent } from '../../building-blocks/idempotency/run-idempotent';
import {
  canMoveInOneStatement,
  moveBalance,
  moveBalanceOnce,
  withWalletLock,
} from '../../building-blocks/ledger/ledger';
import { findLedgerEntry } from '../../building-blocks/ledger/wallet.repository';

/**
 * The test charge (sandbox mode only; the router refuses it elsewhere): adds `amount` won with no card
 * involved, once per requestId. With the atomic strategy the whole change is one SQL statement
 * (moveBalanceOnce); the other strategies run it as an interactive transaction, since they need this
 * process between reading the balance and writing it.
 */
export async function chargeWallet(db: Db, userId: string, input: { amount: number; requestId: string }) {
  const request = {
    userId,
    requestId: input.requestId,
    operation: 'wallet.charge',
    payload: { amount: input.amount },
  };
  if (canMoveInOneStatement()) {
    const { entry, balance } = await moveBalanceOnce(db, request, { type: 'CHARGE', amount: input.amount });
    return { transaction: entry, balance };
  }
  return withWalletLock(db, userId, () =>
    runIdempotent(
      db,
      request,
      async (tx) => {
        const moved = await moveBalance(tx, {
          userId,
          type: 'CHARGE',
          amount: input.amount,
          requestId: input.requestId,
        });
        if (!moved.ok) return moved;
        const { entry, balance } = moved;
        return { ok: true, transactionId: entry.id, value: { transaction: entry, balance } };
      },
      async (tx, transactionId) => {
        const transaction = await findLedgerEntry(tx, transactionId);
        return { transaction, balance: transaction.balanceAfter };
      },
    ),
  );
}
