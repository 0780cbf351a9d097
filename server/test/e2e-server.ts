// The server Playwright tests run against: the production build (`next build` first) on a fresh
// database of its own, with the demo courses seeded. Started by playwright.config.ts.
import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, withDatabase } from '../db/postgres-server';
import { testPostgres } from './postgres';

const server = await testPostgres(console.log);
const databaseUrl = withDatabase(server.adminUrl, process.env.E2E_DATABASE ?? 'course_payments_e2e');
await dropDatabase(databaseUrl);
await ensureDatabase(databaseUrl);

process.env.DATABASE_URL = databaseUrl;
process.env.SESSION_SECRET = randomBytes(32).toString('base64url');
process.env.PORT = process.env.E2E_PORT ?? '3210';
process.env.SEED_DEMO_DATA = 'true';
process.on('exit', () => void server.stop());

await import('../cli/start');
