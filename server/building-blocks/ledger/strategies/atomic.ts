import { MAX_BALANCE, MIN_BALANCE } from '../balance-rules';
import type { BalanceStrategy } from './balance-strategy';

/**
 * One conditional UPDATE; concurrent writers queue on the row lock and each re-checks the condition
 * (never below what holds reserve, never above the ceiling).
 */
export const atomicStrategy: BalanceStrategy = {
  name: 'atomic',
  singleStatement: true,
  async apply(tx, walletId, delta) {
    const rows = await tx.$queryRaw<{ balance: number }[]>`
      UPDATE wallet
         SET balance = balance + ${delta}, updated_at = now()
       WHERE id = ${walletId}::uuid
         AND balance + ${delta} BETWEEN held + ${MIN_BALANCE} AND ${MAX_BALANCE}
      RETURNING balance`;
    return rows[0]?.balance ?? null;
  },
  around: (_walletId, work) => work(),
};
