import { type AdminActor, recordAdminAction } from '../../building-blocks/audit/admin-action.repository';
import { findAccountByEmail } from '../../building-blocks/auth/auth.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { runIdempotent } from '../../building-blocks/idempotency/run-idempotent';
import { moveBalance, withWalletLock } from '../../building-blocks/ledger/ledger';
import { findLedgerEntry, type LedgerEntry } from '../../building-blocks/ledger/wallet.repository';

/**
 * An admin credits or debits a learner's wallet by hand: through the ledger (an ADJUSTMENT entry, within
 * 0..100,000 like every change), once per the admin's requestId, and in the same transaction as its
 * audit row (who, whose wallet, the balance before and after, the reason). A refusal writes neither.
 *
 * The idempotency key belongs to the admin (it is their intent); the ledger row belongs to the learner,
 * under `sys:adjustment:<admin>:<requestId>`, so it can never collide with a requestId of the learner's.
 */
export interface Adjustment {
  email: string;
  direction: 'CREDIT' | 'DEBIT';
  amount: number;
  reason: string;
  requestId: string;
}

export interface AdjustmentResult {
  userId: string;
  email: string;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  entryId: string;
}

function resultOf(learner: { id: string; email: string }, entry: LedgerEntry): AdjustmentResult {
  return {
    userId: learner.id,
    email: learner.email,
    amount: entry.amount,
    balanceBefore: entry.balanceAfter - entry.amount,
    balanceAfter: entry.balanceAfter,
    entryId: entry.id,
  };
}

export async function adjustWallet(db: Db, admin: AdminActor, input: Adjustment): Promise<AdjustmentResult> {
  const learner = await findAccountByEmail(db, input.email);
  if (!learner) throw new DomainError('USER_NOT_FOUND');
  if (learner.id === admin.id) throw new DomainError('OWN_WALLET_ADJUSTMENT');
  const amount = input.direction === 'CREDIT' ? input.amount : -input.amount;

  return withWalletLock(db, learner.id, () =>
    runIdempotent(
      db,
      {
        userId: admin.id,
        requestId: input.requestId,
        operation: 'admin.adjustWallet',
        payload: { userId: learner.id, amount, reason: input.reason },
      },
      async (tx) => {
        const moved = await moveBalance(tx, {
          userId: learner.id,
          type: 'ADJUSTMENT',
          amount,
          requestId: `sys:adjustment:${admin.id}:${input.requestId}`,
        });
        if (!moved.ok) return { ok: false, reason: moved.reason };
        const result = resultOf(learner, moved.entry);
        await recordAdminAction(tx, {
          admin,
          action: 'WALLET_ADJUSTMENT',
          subjectType: 'USER',
          subjectId: learner.id,
          details: {
            email: learner.email,
            amount,
            before: { balance: result.balanceBefore },
            after: { balance: result.balanceAfter },
            ledgerEntryId: moved.entry.id,
          },
          reason: input.reason,
        });
        return { ok: true, transactionId: moved.entry.id, value: result };
      },
      async (tx, transactionId) => resultOf(learner, await findLedgerEntry(tx, transactionId)),
    ),
  );
}
