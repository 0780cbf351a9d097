import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { type SignedInIds, usersWithSessions } from '../../test/fixtures';
import { createDb, type Db, driverPool } from '../db/client';
import { type BalanceChangeOnce, ensureWallet, walletChangeMany } from './wallet.repository';

/**
 * The one-statement balance changes (wallet_change_many) straight against PostgreSQL: a batch's items
 * one after another, each on its own; the session checked first; batches that overlap in users and keys
 * never deadlock; and the race the app rarely hits, a user's wallet being created by someone else while
 * the statement runs.
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

type User = SignedInIds;

const newUsers = (count: number) => usersWithSessions(t.db, count, 'race');

function change(user: User, amount: number, requestId: string = randomUUID()): BalanceChangeOnce {
  return {
    ...user,
    requestId,
    operation: 'wallet.charge',
    requestHash: `charge ${amount}`,
    type: 'CHARGE',
    amount,
    refusal: amount > 0 ? 'BALANCE_LIMIT_EXCEEDED' : 'INSUFFICIENT_BALANCE',
  };
}

async function firstCharge(user: User) {
  const [answer] = await walletChangeMany(t.db, [change(user, 500)]);
  if (!answer) throw new Error('the session was live');
  return answer;
}

async function balanceOf(userId: string): Promise<number | null> {
  const { rows } = await driverPool(t.db).query<{ balance: number }>(
    'SELECT balance FROM wallet WHERE user_id = $1',
    [userId],
  );
  return rows[0]?.balance ?? null;
}

async function keysOf(userId: string): Promise<number> {
  const { rows } = await driverPool(t.db).query<{ n: number }>(
    'SELECT count(*)::int AS n FROM idempotency_key WHERE user_id = $1',
    [userId],
  );
  return rows[0]?.n ?? -1;
}

describe('wallet_change_many', () => {
  it('applies a batch item by item, each against the balance the ones before it left', async () => {
    const [a, b] = (await newUsers(2)) as [User, User];
    const answers = await walletChangeMany(t.db, [
      change(a, 70_000, 'a-1'),
      change(b, 1_000, 'b-1'),
      change(a, 40_000, 'a-2'), // would pass 100,000 after a-1: refused, alone
      change(a, 30_000, 'a-3'),
      change(a, 70_000, 'a-1'), // a-1 again, in the same batch: its outcome, not a second charge
      change(a, -100_001, 'a-4'),
    ]);
    expect(answers.map((x) => [x?.outcome, x?.refusalReason ?? null, x?.balanceAfter ?? null])).toEqual([
      ['SUCCEEDED', null, 70_000],
      ['SUCCEEDED', null, 1_000],
      ['REFUSED', 'BALANCE_LIMIT_EXCEEDED', null],
      ['SUCCEEDED', null, 100_000],
      ['SUCCEEDED', null, 70_000],
      ['REFUSED', 'INSUFFICIENT_BALANCE', null],
    ]);
    expect(answers[4]?.transactionId).toBe(answers[0]?.transactionId);
    expect(await balanceOf(a.userId)).toBe(100_000);
    expect(await balanceOf(b.userId)).toBe(1_000);
  });

  it('changes and records nothing for an item whose session is not live, and applies the others', async () => {
    const [a, b] = (await newUsers(2)) as [User, User];
    await driverPool(t.db).query('DELETE FROM session WHERE id = $1', [b.sessionId]);
    const [c] = (await newUsers(1)) as [User];
    await driverPool(t.db).query(
      `UPDATE session SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [c.sessionId],
    );
    const answers = await walletChangeMany(t.db, [
      change(a, 500),
      change(b, 500), // signed out
      change(c, 500), // expired
      change({ userId: a.userId, sessionId: b.sessionId }, 500), // another user's session
      change({ userId: b.userId, sessionId: a.sessionId }, 500), // another user's session
    ]);
    expect(answers.map((x) => x?.outcome ?? 'SIGNED_OUT')).toEqual([
      'SUCCEEDED',
      'SIGNED_OUT',
      'SIGNED_OUT',
      'SIGNED_OUT',
      'SIGNED_OUT',
    ]);
    expect(await balanceOf(a.userId)).toBe(500);
    expect(await balanceOf(b.userId)).toBeNull();
    expect(await balanceOf(c.userId)).toBeNull();
    expect([await keysOf(a.userId), await keysOf(b.userId), await keysOf(c.userId)]).toEqual([1, 0, 0]);
  });

  it('never deadlocks: batches sharing users and keys, in any order, from two pools at once', async () => {
    const users = await newUsers(4);
    // Open every connection first, so that the batches below reach the database together.
    await Promise.all(
      [t.db, other].flatMap((db) =>
        Array.from({ length: 20 }, () => driverPool(db).query('SELECT pg_sleep(0.05)')),
      ),
    );
    const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;
    const sent: BalanceChangeOnce[] = [];
    for (let round = 0; round < 5; round += 1) {
      // Each round, 40 batches of 8 changes in random order over 4 users and 6 fresh keys per user: the
      // same key is in flight in several batches at once, as when a client retries on another instance.
      const keys = Array.from({ length: 6 }, () => randomUUID());
      const batches = Array.from({ length: 40 }, () =>
        Array.from({ length: 8 }, () => {
          const user = pick(users);
          return change(user, 10, `${user.userId}-${pick(keys)}`);
        }),
      );
      sent.push(...batches.flat());
      const results = await Promise.allSettled(
        batches.map((batch, b) => walletChangeMany(b % 2 ? other : t.db, batch)),
      );
      expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    }
    // Each key charged once, whatever the number of batches it was in.
    for (const user of users) {
      const distinct = new Set(sent.filter((c) => c.userId === user.userId).map((c) => c.requestId));
      expect(await balanceOf(user.userId)).toBe(distinct.size * 10);
    }
  });

  it('never refuses a first charge while another connection creates the wallet', async () => {
    const users = await newUsers(400);
    const outcomes = await Promise.all(
      users.map(async (user) => {
        const [charged] = await Promise.all([firstCharge(user), ensureWallet(other, user.userId)]);
        return charged.outcome;
      }),
    );
    expect(outcomes.filter((o) => o !== 'SUCCEEDED')).toEqual([]);
    const { rows } = await driverPool(t.db).query<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM wallet WHERE user_id = ANY($1::uuid[]) AND balance <> 500`,
      [users.map((u) => u.userId)],
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
      const [user] = (await newUsers(1)) as [User];
      const charging = firstCharge(user);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await ensureWallet(other, user.userId);
      const charged = await charging;
      expect(charged.outcome).toBe('SUCCEEDED');
      expect(charged.balanceAfter).toBe(500);
    } finally {
      await pool.query('DROP TRIGGER test_pause ON wallet; DROP FUNCTION test_pause();');
    }
  });
});
