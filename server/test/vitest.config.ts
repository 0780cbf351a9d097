import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  root,
  resolve: { alias: { '@': root } },
  test: {
    include: ['server/**/*.test.ts', 'app/**/*.test.ts'],
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
