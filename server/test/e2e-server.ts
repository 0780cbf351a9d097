// The server Playwright tests run against: the production build (`next build` first) on a fresh
// database of its own, with the demo courses seeded. Started by playwright.config.ts.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase, withDatabase } from '../db/postgres-server';
import { testPostgres } from './postgres';

const PREFIX = 'course_payments_e2e_';
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
process.env.PORT = process.env.E2E_PORT ?? '3210';
process.env.SEED_DEMO_DATA = 'true';
process.env.TOSS_SANDBOX = 'on';
process.env.TOSS_SANDBOX_CONTROL_SECRET = randomBytes(32).toString('base64url');
// Every browser test signs up from this one machine.
process.env.AUTH_RATE_LIMIT_PER_ADDRESS = '100000';
process.env.RECOVERY_INTERVAL_MS = '1000';
process.on('exit', () => void server.stop());

await import('../cli/start');
