import { canApply } from '../balance-rules';
import type { BalanceStrategy } from './balance-strategy';

/** Per wallet, the tail of a chain of promises: one money transaction at a time, in this process only. */
const queues = new Map<string, Promise<unknown>>();

/**
 * The seed's `synchronized`: a lock held in this process's memory around the whole transaction, then
 * an unguarded read-modify-write. It is correct while there is one app process and loses updates as
 * soon as there are two (see wallet.multi-instance.test.ts). Kept only to show exactly that.
 */
export const inProcessLockStrategy: BalanceStrategy = {
  name: 'in-process-lock',
  singleStatement: false,
  async apply(tx, walletId, delta) {
    const rows = await tx.$queryRaw<
      { balance: number; held: number }[]
    >`SELECT balance, held FROM wallet WHERE id = ${walletId}::uuid`;
    const current = rows[0];
    if (!current || !canApply(current.balance, delta, current.held)) return null;
    await tx.$executeRaw`
      UPDATE wallet SET balance = ${current.balance + delta}, updated_at = now() WHERE id = ${walletId}::uuid`;
    return current.balance + delta;
  },
  around(walletId, work) {
    const previous = queues.get(walletId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => {});
    queues.set(walletId, tail);
    void tail.then(() => {
      if (queues.get(walletId) === tail) queues.delete(walletId);
    });
    return run;
  },
};
