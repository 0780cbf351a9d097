// A server Playwright tests run against: the production build (`next build` first) on a fresh database of
// its own. Started twice by playwright.config.ts: in sandbox mode with the demo seeded (E2E_PORT), and with
// Toss's test keys (E2E_MODE=toss-test, E2E_REAL_PORT), where no sandbox and no test charge may exist.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase, withDatabase } from '../building-blocks/db/postgres-server';
import { testPostgres } from './postgres';

const realMode = process.env.E2E_MODE === 'toss-test';
const PREFIX = realMode ? 'course_payments_e2e_real_' : 'course_payments_e2e_sandbox_';
const server = await testPostgres(console.log);

// Each run gets its own database. Playwright ends this server with a signal, so the database is dropped
// by the next run instead; one still in use (a concurrent run) refuses the drop and is left alone.
const admin = new pg.Client({ connectionString: server.adminUrl });
await admin.connect();
const { rows } = await admin.query<{ datname: string }>(
  'SELECT datname FROM pg_database WHERE datname LIKE $1',
  [`${PREFIX}%`],
);
for (const { datname } of rows)
  await admin.query(`DROP DATABASE ${pg.escapeIdentifier(datname)}`).catch(() => {});
await admin.end();

const databaseUrl = withDatabase(server.adminUrl, `${PREFIX}${randomBytes(4).toString('hex')}`);
await ensureDatabase(databaseUrl);

process.env.DATABASE_URL = databaseUrl;
process.env.SESSION_SECRET = randomBytes(32).toString('base64url');
if (realMode) {
  process.env.PORT = process.env.E2E_REAL_PORT ?? '3211';
  process.env.SEED_DEMO_DATA = 'false';
  // Toss's test keys, pointing nowhere: these tests never reach Toss, and nothing may fall back to the sandbox.
  process.env.TOSS_CLIENT_KEY = 'test_gck_e2e_not_a_real_key';
  process.env.TOSS_SECRET_KEY = 'test_gsk_e2e_not_a_real_key';
  process.env.TOSS_API_BASE = 'http://127.0.0.1:9';
} else {
  process.env.PORT = process.env.E2E_PORT ?? '3210';
  process.env.SEED_DEMO_DATA = 'true';
  process.env.TOSS_SANDBOX = 'on';
  // Playwright's config picks it, so the tests can inject faults (e2e/helpers.ts).
  process.env.TOSS_SANDBOX_CONTROL_SECRET =
    process.env.E2E_SANDBOX_CONTROL_SECRET ?? randomBytes(32).toString('base64url');
}
// Every browser test signs up from this one machine.
process.env.AUTH_RATE_LIMIT_PER_ADDRESS = '100000';
// Service keys can be made on the console (and their requests verified).
process.env.SERVICE_KEY_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
process.env.RECOVERY_INTERVAL_MS = '1000';
// Webhook endpoints' secrets are sealed with it (e2e/webhooks.spec.ts registers one); outgoing events
// are sent every 200 ms.
process.env.SERVICE_KEY_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
process.env.EVENT_DISPATCH_INTERVAL_MS = '200';
process.on('exit', () => void server.stop());

await import('../entry-points/cli/start');
