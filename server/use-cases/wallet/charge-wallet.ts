import type { SessionClaims } from '../../building-blocks/auth/session-token';
import type { Db } from '../../building-blocks/db/client';
import { runIdempotent } from '../../building-blocks/idempotency/run-idempotent';
import {
  canMoveInOneStatement,
  moveBalance,
  moveBalanceOnce,
  refuseEndedSession,
  withWalletLock,
} from '../../building-blocks/ledger/ledger';
import { findLedgerEntry } from '../../building-blocks/ledger/wallet.repository';

/**
 * The test charge (sandbox mode only; the router refuses it elsewhere): adds `amount` won with no card
 * involved, once per requestId, for the learner signed in as `learner`. With the atomic strategy the
 * whole change, the session check included, is one SQL statement (moveBalanceOnce); the other strategies
 * run it as an interactive transaction, since they need this process between reading the balance and
 * writing it, and check the session in it. A session that is not live is UNAUTHORIZED and changes nothing.
 */
export async function chargeWallet(
  db: Db,
  learner: SessionClaims,
  input: { amount: number; requestId: string },
) {
  const { userId, sessionId } = learner;
  const request = {
    userId,
    sessionId,
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
      (tx) => refuseEndedSession(tx, learner),
    ),
  );
}
