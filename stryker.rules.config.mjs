// @ts-check
import base from './stryker.config.mjs';

/**
 * The quick part of the mutation run: the money rules that have tests of their own (balance limits,
 * request fingerprints and idempotency verdicts, which of Toss's cancels are ours), in minutes instead
 * of the hour or more `npm run test:mutation` takes on 2 cores. `npm run test:mutation:rules`.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  ...base,
  vitest: { configFile: 'server/test/vitest.mutation-rules.config.ts', related: false },
  mutate: [
    'server/building-blocks/ledger/balance-rules.ts',
    'server/building-blocks/idempotency/**/*.ts',
    'server/building-blocks/refund/toss-cancels.ts',
    '!**/*.test.ts',
  ],
  htmlReporter: { fileName: 'reports/mutation-rules/index.html' },
  jsonReporter: { fileName: 'reports/mutation-rules/mutation.json' },
  incrementalFile: 'reports/mutation-rules/stryker-incremental.json',
};
