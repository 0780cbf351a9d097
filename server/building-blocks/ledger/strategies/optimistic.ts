import { canApply } from '../balance-rules';
import type { BalanceStrategy } from './balance-strategy';

const MAX_ATTEMPTS = 100;

/**
 * Optimistic: read balance, held and version, write only if the version is still the one read (every
 * change bumps it, holds too); on a conflict read again. Under READ COMMITTED each read sees the latest committed version, so a retry
 * in the same transaction is enough.
 */
export const optimisticStrategy: BalanceStrategy = {
  name: 'optimistic',
  singleStatement: false,
  async apply(tx, walletId, delta) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const rows = await tx.$queryRaw<{ balance: number; held: number; version: number }[]>`
        SELECT balance, held, version FROM wallet WHERE id = ${walletId}::uuid`;
      const current = rows[0];
      if (!current || !canApply(current.balance, delta, current.held)) return null;
      const written = await tx.$executeRaw`
        UPDATE wallet SET balance = ${current.balance + delta}, version = version + 1, updated_at = now()
         WHERE id = ${walletId}::uuid AND version = ${current.version}`;
      if (written === 1) return current.balance + delta;
    }
    throw new Error(`optimistic balance update of wallet ${walletId} kept conflicting`);
  },
  around: (_walletId, work) => work(),
};
