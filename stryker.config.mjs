// @ts-check
/**
 * Mutation testing of the money core: `npm run test:mutation` (see docs/testing.md for how long it takes
 * and the last score). Stryker 9.6 (10 needs Node 22) with its Vitest runner, against the test list in
 * server/test/vitest.mutation.config.ts. Globs, not file names, so files renamed inside these folders
 * stay mutated; a folder that moves must be updated here.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'server/test/vitest.mutation.config.ts', related: false },
  mutate: [
    'server/building-blocks/ledger/*.ts',
    'server/building-blocks/ledger/strategies/atomic.ts',
    'server/building-blocks/idempotency/**/*.ts',
    'server/building-blocks/order/**/*.ts',
    'server/building-blocks/refund/**/*.ts',
    'server/use-cases/card/card-settlement.ts',
    'server/use-cases/refund/**/*.ts',
    '!**/*.test.ts',
  ],
  // Each mutant runs only the tests that reached it in the initial run.
  coverageAnalysis: 'perTest',
  // Mutants in module-level code (constants, schemas) would rerun every test: skipped, and reported as
  // "ignored", outside the score.
  ignoreStatic: true,
  concurrency: 2,
  // Generous: a timeout counts as killed, and on a busy shared machine Vitest's own start-up for one
  // mutant (a worker, the modules) has taken over 10 s; with 10 s, rule mutants whose tests take
  // milliseconds were reported as timeouts.
  timeoutMS: 60_000,
  timeoutFactor: 2,
  ignorePatterns: ['.next', '.data', 'test-results', 'playwright-report', 'e2e', 'app', 'public'],
  tempDirName: '.stryker-tmp',
  // `npm run test:mutation -- --incremental` retests only mutants whose code or covering tests changed.
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 80, low: 60, break: null },
};
