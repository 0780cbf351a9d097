import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The tests Stryker runs against each mutant of the money core (stryker.config.mjs): the in-process
 * test files that exercise the ledger, idempotency, the order status machine, card settlement and
 * refunds, against real PostgreSQL as always. Left out on purpose:
 * - files that spawn `tsx` child processes (crash, multi-instance, CLI, start-up tests): they fail in
 *   Stryker's sandbox, and the mutated code would not run in the child anyway;
 * - money.model.test.ts (one 15-20 s randomized test that covers nearly every mutant, so it would run
 *   for almost all of them) and wallet.concurrency.test.ts (races run once per balance strategy): both
 *   are too slow per mutant. They still run in `npm test`.
 * Update this list when the money core's test files are renamed or moved.
 */
export const MONEY_CORE_TESTS = [
  'server/building-blocks/ledger/*.test.ts',
  'server/building-blocks/idempotency/*.test.ts',
  'server/building-blocks/order/*.test.ts',
  'server/building-blocks/refund/*.test.ts',
  'server/use-cases/wallet/wallet.test.ts',
  'server/use-cases/wallet/wallet.replay.test.ts',
  'server/use-cases/card/confirm.test.ts',
  'server/use-cases/card/confirm.replay.test.ts',
  'server/use-cases/card/recovery.test.ts',
  'server/use-cases/card/cancels-made-at-toss.test.ts',
  'server/use-cases/card/*.boundaries.test.ts',
  'server/use-cases/refund/*.test.ts',
];

export default defineConfig({
  ...base,
  test: { ...base.test, include: MONEY_CORE_TESTS },
});
