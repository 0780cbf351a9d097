import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The tests Stryker runs against each mutant of the money core (stryker.config.mjs): the in-process
 * test files that exercise the ledger, idempotency, the order status machine, card settlement and
 * refunds, against real PostgreSQL as always. Each mutant reruns only the tests that reached it.
 * Left out on purpose:
 * - files that spawn `tsx` child processes (crash, multi-instance, CLI, start-up tests): they fail in
 *   Stryker's sandbox, and the mutated code would not run in the child anyway;
 * - money.model.test.ts (one 15-20 s randomized test that reaches nearly every mutant, so every mutant
 *   would pay for it), wallet.concurrency.test.ts and wallet.replay.test.ts (run once per balance
 *   strategy), wallet-change-many.test.ts (races in SQL, not in the mutated TypeScript).
 * They all still run in `npm test`.
 * Update this list when the money core's test files are renamed or moved.
 */
export const MONEY_CORE_TESTS = [
  // The rules as plain functions (no database).
  'server/building-blocks/ledger/balance-rules*.test.ts',
  'server/building-blocks/refund/toss-cancels*.test.ts',
  'server/building-blocks/refund/refund-policy.test.ts',
  'server/use-cases/card/card-settlement*.test.ts',
  // The ledger's moveBalance, runIdempotent and the status machine against a real database.
  'server/building-blocks/ledger/ledger.test.ts',
  // Holds (composite payment): the ledger's part, then the whole card path with a wallet part.
  'server/building-blocks/ledger/wallet-hold.test.ts',
  'server/building-blocks/idempotency/*.test.ts',
  'server/building-blocks/order/*.test.ts',
  // Through the tRPC caller against a real database (and the in-process Toss sandbox).
  'server/use-cases/wallet/wallet.test.ts',
  // The one-statement purchase (atomic) against the interactive one (for-update): the same books.
  'server/use-cases/wallet/pay-one-statement.test.ts',
  'server/use-cases/card/confirm.test.ts',
  'server/use-cases/card/confirm.in-flight.test.ts',
  'server/use-cases/card/confirm.replay.test.ts',
  'server/use-cases/card/recovery.test.ts',
  'server/use-cases/card/cancels-made-at-toss.test.ts',
  'server/use-cases/card/composite.test.ts',
  'server/use-cases/webhook/toss-webhook.test.ts',
  'server/use-cases/orders/orders.test.ts',
  'server/use-cases/refund/*.test.ts',
  'server/use-cases/admin/explain-payment.test.ts',
  'server/use-cases/admin/settlement.test.ts',
  // The metrics that read the books (orders and refunds by status, in doubt).
  'server/entry-points/http/observability.test.ts',
];

// Stryker runs one list of files in one group (the main config's two groups are for `npm test`).
const { projects: _groups, ...baseTest } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...baseTest,
    include: MONEY_CORE_TESTS,
    // Modules stay loaded from one test file to the next (each file still makes its own database and
    // server): about twice as fast per mutant. Stryker switches mutants at run time, not by reloading.
    isolate: false,
  },
});
