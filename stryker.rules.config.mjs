// @ts-check
import base from './stryker.config.mjs';

/**
 * The quick part of the mutation run: the money core's building blocks that have tests of their own
 * (balance limits and the ledger's one move, request fingerprints and idempotency verdicts, the order
 * status machine, which of Toss's cancels are ours), in minutes instead
 * of the hour or more `npm run test:mutation` takes on 2 cores. `npm run test:mutation:rules`.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  ...base,
  vitest: { configFile: 'server/test/vitest.mutation-rules.config.ts', related: false },
  mutate: [
    'server/building-blocks/ledger/balance-rules.ts',
    'server/building-blocks/ledger/ledger.ts',
    'server/building-blocks/idempotency/**/*.ts',
    'server/building-blocks/order/order-status.ts',
    'server/building-blocks/refund/toss-cancels.ts',
    '!**/*.test.ts',
  ],
  htmlReporter: { fileName: 'reports/mutation-rules/index.html' },
  jsonReporter: { fileName: 'reports/mutation-rules/mutation.json' },
  incrementalFile: 'reports/mutation-rules/stryker-incremental.json',
};
