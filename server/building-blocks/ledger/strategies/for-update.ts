import { canApply } from '../balance-rules';
import type { BalanceStrategy } from './balance-strategy';

/** Pessimistic: lock the row (SELECT ... FOR UPDATE) until the transaction ends, then write. */
export const forUpdateStrategy: BalanceStrategy = {
  name: 'for-update',
  singleStatement: false,
  async apply(tx, walletId, delta) {
    const rows = await tx.$queryRaw<{ balance: number; held: number }[]>`
      SELECT balance, held FROM wallet WHERE id = ${walletId}::uuid FOR UPDATE`;
    const current = rows[0];
    if (!current || !canApply(current.balance, delta, current.held)) return null;
    await tx.$executeRaw`
      UPDATE wallet SET balance = ${current.balance + delta}, version = version + 1, updated_at = now()
       WHERE id = ${walletId}::uuid`;
    return current.balance + delta;
  },
  around: (_walletId, work) => work(),
};
