import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Files that run alone, one at a time, after the others: they start processes (app servers, CLIs) or
 * hold the code under test to the clock (timeouts, the janitor's waits, lock waits, races timed with
 * sleeps), so a second test process on these two-core machines could make them fail for being slow.
 * Every other file runs two at a time: each has its own database, so only CPU is shared.
 */
const ALONE = [
  // Start processes.
  'server/use-cases/card/crash.test.ts',
  'server/use-cases/wallet/wallet.multi-instance.test.ts',
  'server/entry-points/http/shutdown.test.ts',
  'server/entry-points/http/python-caller.test.ts',
  'server/entry-points/cli/start.test.ts',
  'server/entry-points/cli/service-key.test.ts',
  'server/test/exit-code/exit-code.test.ts',
  'server/test/architecture.test.ts',
  'server/use-cases/admin/admin.test.ts',
  'server/use-cases/auth/admin-role.test.ts',
  // Thousands of HTTP calls. It was once two files; run side by side, each took four times as long as
  // alone (130 s against 30 to 40 s, measured).
  'server/entry-points/http/fuzz.test.ts',
  // Held to the clock.
  'server/use-cases/card/money.model.test.ts',
  'server/use-cases/wallet/wallet.concurrency.test.ts',
  'server/use-cases/card/cancels-made-at-toss.test.ts',
  'server/use-cases/card/card-settlement.test.ts',
  'server/use-cases/card/composite.test.ts',
  'server/use-cases/card/confirm*.test.ts',
  'server/use-cases/card/recovery.test.ts',
  'server/use-cases/refund/*.test.ts',
  'server/use-cases/orders/orders.test.ts',
  'server/use-cases/events/outgoing-events.test.ts',
  'server/use-cases/webhook/toss-webhook.test.ts',
  'server/use-cases/admin/explain-payment.test.ts',
  'server/use-cases/admin/settlement.test.ts',
  'server/building-blocks/ledger/wallet-change-many.test.ts',
  'server/building-blocks/ledger/wallet-pay-many.test.ts',
  'server/building-blocks/toss/toss-client.test.ts',
  'server/building-blocks/auth/password.test.ts',
  'server/entry-points/http/observability.test.ts',
];

const ALL = ['server/**/*.test.ts', 'app/**/*.test.ts'];

export default defineConfig({
  root,
  resolve: { alias: { '@': root } },
  test: {
    // Two groups, one after the other: first the files that may share the machine, two at a time;
    // then ALONE, one at a time, with the machine to themselves.
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ALL, exclude: ALONE, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
    globalSetup: ['server/test/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: 'test',
      // Tests run against the offline Toss sandbox; CLIs they spawn inherit it.
      TOSS_SANDBOX: 'on',
      // One JSON line per request would bury the test report; tests that read the log capture it.
      LOG_LEVEL: 'warn',
    },
    // Only with --coverage (npm run test:coverage). Code that runs only in child processes (the CLIs,
    // the servers the crash and multi-instance tests start) is not counted.
    coverage: {
      provider: 'v8',
      include: ['server/**/*.ts'],
      exclude: [
        'server/**/*.test.ts',
        'server/test/**',
        'server/building-blocks/db/generated/**',
        'server/bench/**',
        'server/sandbox/**',
      ],
      reporter: ['text-summary', 'json-summary', 'html'],
      reportsDirectory: 'reports/coverage',
      // One failing test (a bug of its own) should not hide the coverage of the other few hundred.
      reportOnFailure: true,
    },
  },
});
