import { defineConfig } from 'vitest/config';
import base from './vitest.mutation.config';

/**
 * The quick mutation run (`npm run test:mutation:rules`, stryker.rules.config.mjs): the money rules
 * as plain functions and runIdempotent, with their own tests only; no HTTP server, no Toss sandbox.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'server/building-blocks/ledger/balance-rules*.test.ts',
      'server/building-blocks/refund/toss-cancels*.test.ts',
      'server/building-blocks/idempotency/*.test.ts',
    ],
  },
});
