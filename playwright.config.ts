import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  throw new Error(
    `Chromium not found at ${chromium}. Install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH; ` +
      "Playwright's own browser download needs the internet.",
  );
}

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;
const realPort = Number(process.env.E2E_REAL_PORT ?? 3211);
// The sandbox's fault-injection secret for this run, shared by the server and the tests (e2e/helpers.ts):
// set once here, in the runner, whose environment the workers and the web servers inherit.
process.env.E2E_SANDBOX_CONTROL_SECRET ??= randomBytes(32).toString('base64url');

/**
 * End-to-end tests in a real Chromium (Debian's package: Playwright's own browser download cannot work
 * offline) against the production build, started by server/test/e2e-server.ts on a fresh database.
 */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    locale: 'ko-KR',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  // LOG_LEVEL=warn: a JSON line per request would bury Playwright's report; warnings and errors still show.
  webServer: [
    {
      command: 'npx tsx server/test/e2e-server.ts',
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: { E2E_PORT: String(port), NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' },
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The same build outside sandbox mode (Toss's test keys): e2e/real-mode.spec.ts.
      command: 'npx tsx server/test/e2e-server.ts',
      url: `http://localhost:${realPort}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        E2E_MODE: 'toss-test',
        E2E_REAL_PORT: String(realPort),
        NEXT_TELEMETRY_DISABLED: '1',
        LOG_LEVEL: 'warn',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
