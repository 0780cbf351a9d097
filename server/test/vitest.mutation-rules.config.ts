import { defineConfig } from 'vitest/config';
import base from './vitest.mutation.config';

/**
 * The quick mutation run (`npm run test:mutation:rules`, stryker.rules.config.mjs): the money core's
 * building blocks with their own tests only (the rules as plain functions; the ledger, runIdempotent and
 * the status machine against a real database); no HTTP server, no Toss sandbox.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'server/building-blocks/ledger/balance-rules*.test.ts',
      'server/building-blocks/ledger/ledger.test.ts',
      'server/building-blocks/order/*.test.ts',
      'server/building-blocks/refund/toss-cancels*.test.ts',
      'server/building-blocks/idempotency/*.test.ts',
    ],
  },
});
