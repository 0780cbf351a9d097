import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createDb, type Db, driverPool } from '../db/client';
import { changeBalanceOnce, ensureWallet } from './wallet.repository';

/**
 * The one-statement charge (wallet_change_once) straight against PostgreSQL, under the race the app
 * rarely hits: a user's wallet being created by someone else while the statement runs.
 */

let t: TestDatabase;
let other: Db;
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 20 });
  other = createDb(t.url, 20);
});
afterAll(async () => {
  await other.$disconnect();
  await t.drop();
});

async function newUsers(count: number): Promise<string[]> {
  const { rows } = await driverPool(t.db).query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash)
     SELECT 'race-' || gen_random_uuid() || '@example.com', 'race', 'none' FROM generate_series(1, $1)
     RETURNING id`,
    [count],
  );
  return rows.map((r) => r.id);
}

function firstCharge(userId: string) {
  return changeBalanceOnce(t.db, {
    userId,
    requestId: randomUUID(),
    operation: 'wallet.charge',
    requestHash: 'test',
    type: 'CHARGE',
    amount: 500,
    refusal: 'BALANCE_LIMIT_EXCEEDED',
  });
}

describe('wallet_change_once', () => {
  it('never refuses a first charge while another connection creates the wallet', async () => {
    const users = await newUsers(400);
    const outcomes = await Promise.all(
      users.map(async (userId) => {
        const [charged] = await Promise.all([firstCharge(userId), ensureWallet(other, userId)]);
        return charged.outcome;
      }),
    );
    expect(outcomes.filter((o) => o !== 'SUCCEEDED')).toEqual([]);
    const { rows } = await driverPool(t.db).query<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM wallet WHERE user_id = ANY($1::uuid[]) AND balance <> 500`,
      [users],
    );
    expect(rows[0]?.wrong).toBe(0);
  });

  it('never refuses a first charge when the wallet is created between its UPDATE and what follows', async () => {
    // Widen the race deterministically: after every UPDATE of wallet (even one that matched no row),
    // sleep 300 ms, and create the wallet from another connection during that sleep.
    const pool = driverPool(t.db);
    await pool.query(`
      CREATE FUNCTION test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
      CREATE TRIGGER test_pause AFTER UPDATE ON wallet FOR EACH STATEMENT EXECUTE FUNCTION test_pause();`);
    try {
      const [userId = ''] = await newUsers(1);
      const charging = firstCharge(userId);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await ensureWallet(other, userId);
      const charged = await charging;
      expect(charged.outcome).toBe('SUCCEEDED');
      expect(charged.balanceAfter).toBe(500);
    } finally {
      await pool.query('DROP TRIGGER test_pause ON wallet; DROP FUNCTION test_pause();');
    }
  });
});
