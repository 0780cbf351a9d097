import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nextEnv from '@next/env';
import { createDb } from '../../building-blocks/db/client';
import { migrate } from '../../building-blocks/db/migrate';
import {
  ensureDatabase,
  startEmbeddedPostgres,
  withDatabase,
} from '../../building-blocks/db/postgres-server';
import type { TossMode } from '../../building-blocks/toss/toss-config';
import { seed } from './demo-data';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
export const DATA_DIR = path.join(PROJECT_ROOT, '.data');

/**
 * The database the app will use: DATABASE_URL when given, otherwise an embedded PostgreSQL kept in
 * .data/postgres (so `npm start` works on a machine with no database at all).
 */
export async function resolveDatabase(log: (line: string) => void) {
  if (process.env.DATABASE_URL) return { databaseUrl: process.env.DATABASE_URL, stop: async () => {} };
  const dir = process.env.EMBEDDED_POSTGRES_DIR ?? path.join(DATA_DIR, 'postgres');
  log(`DATABASE_URL is not set: starting the embedded PostgreSQL in ${path.relative(PROJECT_ROOT, dir)}`);
  const server = await startEmbeddedPostgres(dir, log);
  return { databaseUrl: withDatabase(server.adminUrl, 'course_payments'), stop: server.stop };
}

/** Creates the database if needed, applies pending migrations and (optionally) the demo seed. */
export async function prepareDatabase(
  databaseUrl: string,
  opts: { seed: boolean; log: (line: string) => void },
) {
  await ensureDatabase(databaseUrl);
  const result = await migrate(databaseUrl, { log: opts.log });
  if (result.applied.length === 0) opts.log('database schema is up to date');
  if (opts.seed) {
    const db = createDb(databaseUrl, 2);
    try {
      await seed(db);
    } finally {
      await db.$disconnect();
    }
  }
}

/**
 * Without DATABASE_URL this is a local demo: its secrets (the session secret, the sandbox's control
 * secret) are made once and kept in .data/, readable by this user only.
 */
export async function localSecret(name: 'session-secret' | 'sandbox-control-secret'): Promise<string> {
  const file = path.join(DATA_DIR, name);
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(48).toString('base64url');
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The environment as the app will see it: first the `.env*` files, loaded as Next.js loads them (so the
 * checks below and the pages agree), then the embedded-database demo's defaults: the offline Toss
 * sandbox (unless real keys are given) and secrets kept in .data/. With a real DATABASE_URL nothing is
 * defaulted: sandbox mode and the secrets must be asked for.
 */
export async function prepareEnvironment(options: { dev?: boolean } = {}): Promise<void> {
  nextEnv.loadEnvConfig(PROJECT_ROOT, options.dev ?? false, { info: () => {}, error: console.error });
  if (process.env.DATABASE_URL) return;
  process.env.TOSS_SANDBOX ??= process.env.TOSS_SECRET_KEY ? 'off' : 'on';
  process.env.SESSION_SECRET ||= await localSecret('session-secret');
  if (process.env.TOSS_SANDBOX === 'on')
    process.env.TOSS_SANDBOX_CONTROL_SECRET ||= await localSecret('sandbox-control-secret');
}

/**
 * Whether to seed the demo: its accounts' passwords are published and its learner's balance comes from
 * the test charge, so by default only the embedded sandbox demo gets it; asked for (SEED_DEMO_DATA=true)
 * it is allowed in any test mode, and refused with live Toss keys.
 */
export function shouldSeedDemoData(
  given: 'true' | 'false' | undefined,
  mode: TossMode,
  demo: boolean,
): boolean {
  if (given === 'true' && mode === 'live') {
    throw new Error(
      'Invalid environment configuration:\n  - SEED_DEMO_DATA: must not be true with live Toss keys ' +
        '(the demo accounts have published passwords and a balance no card paid for)',
    );
  }
  return given ? given === 'true' : demo && mode === 'sandbox';
}
