import pg from 'pg';
import { signSessionToken } from '../building-blocks/auth/session-token';

export interface BenchFixtures {
  /** A signed session token per wallet, in wallet order (n = 1, 2, ...). */
  tokens: string[];
  /** The courses on sale, in course order (n = 1, 2, ...). */
  courseIds: string[];
}

/**
 * Bench fixtures straight in SQL (10,000 sign-ups through scrypt would take minutes): users, sessions
 * and wallets holding 50,000 won each, with the CHARGE ledger entry that put it there, so the books'
 * invariants hold from the start; and `courses` courses of 1 won each, so that every purchase can buy
 * one its wallet does not own yet (50,000 of them per wallet). `bench_wallet(n, id, user_id, session_id)`
 * and `bench_course(n, id)` number them for pgbench.
 */
export async function seedBenchWallets(
  databaseUrl: string,
  count: number,
  sessionSecret: string,
  courses: number,
): Promise<BenchFixtures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`
      CREATE TABLE bench_wallet (
        n int PRIMARY KEY, id uuid NOT NULL, user_id uuid NOT NULL,
        session_id uuid NOT NULL DEFAULT gen_random_uuid());
      WITH u AS (
        INSERT INTO users (email, name, password_hash)
        SELECT 'bench-' || g || '@example.com', 'bench ' || g, 'scrypt$1$1$1$none$none' FROM generate_series(1, ${count}) g
        RETURNING id, email)
      INSERT INTO bench_wallet (n, id, user_id)
      SELECT split_part(split_part(email, '-', 2), '@', 1)::int, gen_random_uuid(), id FROM u;
      INSERT INTO wallet (id, user_id, balance) SELECT id, user_id, 50000 FROM bench_wallet;
      INSERT INTO wallet_transaction (wallet_id, user_id, type, amount, balance_after, request_id)
      SELECT id, user_id, 'CHARGE', 50000, 50000, 'sys:bench-seed' FROM bench_wallet;
      CREATE TABLE bench_course (n int PRIMARY KEY, id uuid NOT NULL);
      INSERT INTO bench_course (n, id) SELECT g, gen_random_uuid() FROM generate_series(1, ${courses}) g;
      INSERT INTO course (id, title, description, price)
      SELECT id, 'bench course ' || n, 'bench', 1 FROM bench_course;`);
    const courseIds = await client.query<{ id: string }>('SELECT id FROM bench_course ORDER BY n');
    await client.query(`
      INSERT INTO session (id, user_id, expires_at)
      SELECT session_id, user_id, now() + interval '1 day' FROM bench_wallet`);
    const sessions = await client.query<{ id: string; user_id: string }>(
      'SELECT session_id AS id, user_id FROM bench_wallet ORDER BY n',
    );
    await client.query('COMMIT');
    const expiresAt = new Date(Date.now() + 86_400_000);
    const tokens = await Promise.all(
      sessions.rows.map((s) =>
        signSessionToken({ userId: s.user_id, sessionId: s.id }, expiresAt, sessionSecret),
      ),
    );
    return { tokens, courseIds: courseIds.rows.map((c) => c.id) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
