import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, type SignedInIds, usersWithSessions } from '../../test/fixtures';
import { createDb, type Db, driverPool } from '../db/client';
import { newOrderId } from '../order/order-id';
import { type CoursePurchaseOnce, walletChangeMany, walletPayMany } from './wallet.repository';

/**
 * The one-statement balance purchases (wallet_pay_many) straight against PostgreSQL: a batch's items
 * each on their own (refusals, replays, ended sessions), and batches that share learners, courses and
 * keys never deadlock.
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

async function fundedUsers(count: number, balance: number): Promise<User[]> {
  const users = await usersWithSessions(t.db, count, 'buyer');
  await walletChangeMany(
    t.db,
    users.map((user) => ({
      ...user,
      requestId: randomUUID(),
      operation: 'wallet.charge',
      requestHash: 'fund',
      type: 'CHARGE' as const,
      amount: balance,
      refusal: 'BALANCE_LIMIT_EXCEEDED',
    })),
  );
  return users;
}

function purchase(user: User, courseId: string, requestId: string = randomUUID()): CoursePurchaseOnce {
  return {
    ...user,
    requestId,
    operation: 'wallet.pay',
    requestHash: `pay ${courseId}`,
    courseId,
    orderId: newOrderId(),
  };
}

async function one<T>(sql: string, values: unknown[]): Promise<T> {
  const { rows } = await driverPool(t.db).query(sql, values);
  return rows[0] as T;
}

const balanceOf = (userId: string) =>
  one<{ balance: number }>('SELECT balance FROM wallet WHERE user_id = $1', [userId]).then((r) => r.balance);

/** Runs `work` while every `statement` on wallet sleeps 300 ms after it runs, to hold a race open. */
async function pausingAfterEach(statement: 'INSERT' | 'UPDATE', work: () => Promise<void>) {
  const pool = driverPool(t.db);
  await pool.query(`
    CREATE FUNCTION test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
    CREATE TRIGGER test_pause AFTER ${statement} ON wallet FOR EACH STATEMENT EXECUTE FUNCTION test_pause();`);
  try {
    await work();
  } finally {
    await pool.query('DROP TRIGGER test_pause ON wallet; DROP FUNCTION test_pause();');
  }
}

describe('wallet_pay_many', () => {
  it('makes each purchase of a batch on its own: refusals, a replay and an ended session touch only themselves', async () => {
    const [a, b, c] = (await fundedUsers(3, 5_000)) as [User, User, User];
    const [cheap, dear] = await Promise.all([createCourse(t.db, 3_000), createCourse(t.db, 4_000)]);
    await driverPool(t.db).query('DELETE FROM session WHERE id = $1', [c.sessionId]);
    // Within a batch each learner's purchases go in request-id order (the lock order), so the ids here
    // are numbered in the order the test expects them made.
    const bought = purchase(b, cheap.id, `1-${randomUUID()}`);
    const batch = [
      purchase(a, cheap.id, `1-${randomUUID()}`), // a: 5,000 → 2,000
      purchase(a, dear.id, `2-${randomUUID()}`), // a: 2,000 left, 4,000 asked
      bought, // b: 5,000 → 2,000
      { ...bought, orderId: newOrderId() }, // the same key again in this batch: the first one's answer
      purchase(b, cheap.id, `2-${randomUUID()}`), // b again, another key: owned already
      purchase(b, dear.id, `3-${randomUUID()}`), // b: 2,000 left, 4,000 asked
      purchase(c, cheap.id), // c signed out
      purchase(a, 'not-a-course', `3-${randomUUID()}`),
    ];
    const answers = await walletPayMany(t.db, batch);
    expect(answers.map((x) => (x ? (x.refusalReason ?? x.outcome) : 'SIGNED_OUT'))).toEqual([
      'SUCCEEDED',
      'INSUFFICIENT_BALANCE',
      'SUCCEEDED',
      'SUCCEEDED',
      'ALREADY_PURCHASED',
      'INSUFFICIENT_BALANCE',
      'SIGNED_OUT',
      'NOT_FOUND',
    ]);
    // The repeated key made nothing of its own: it answers with the first one's order and entry.
    expect(answers[3]?.orderId).toBe(bought.orderId);
    expect(answers[3]?.transactionId).toBe(answers[2]?.transactionId);
    // Each success answers with its own order, ledger entry and enrollment.
    for (const i of [0, 2]) {
      const answer = answers[i];
      expect(answer?.orderId).toBe(batch[i]?.orderId);
      expect(answer?.amount).toBe(-3_000);
      expect(answer?.balanceAfter).toBe(2_000);
      expect(answer?.enrollmentCourseId).toBe(cheap.id);
    }
    expect([await balanceOf(a.userId), await balanceOf(b.userId)]).toEqual([2_000, 2_000]);
    const books = await one<{ orders: number; payments: number; enrollments: number; entries: number }>(
      `SELECT (SELECT count(*)::int FROM orders WHERE user_id = ANY($1::uuid[])) AS orders,
              (SELECT count(*)::int FROM payment p JOIN orders o ON o.id = p.order_id
                WHERE o.user_id = ANY($1::uuid[])) AS payments,
              (SELECT count(*)::int FROM enrollment WHERE user_id = ANY($1::uuid[])) AS enrollments,
              (SELECT count(*)::int FROM wallet_transaction
                WHERE user_id = ANY($1::uuid[]) AND type = 'PAYMENT') AS entries`,
      [[a.userId, b.userId, c.userId]],
    );
    expect(books).toEqual({ orders: 2, payments: 2, enrollments: 2, entries: 2 });
    // The signed-out learner's item claimed nothing: the same request succeeds once signed in again.
    const keys = await one<{ n: number }>(
      "SELECT count(*)::int AS n FROM idempotency_key WHERE user_id = $1 AND operation = 'wallet.pay'",
      [c.userId],
    );
    expect(keys.n).toBe(0);
  });

  it('never deadlocks when one learner buys the same course in two batches at once', async () => {
    // Batch A buys two courses for one learner; batch B, sent while A is between them, buys A's second
    // course again (a double click that reached another instance). Each UPDATE of a wallet sleeps 300 ms
    // here, so A holds the wallet while B arrives. Were the enrollment claimed before the wallet's lock,
    // B would hold the enrollment A needs while waiting for the wallet A holds: "deadlock detected".
    const [user] = (await fundedUsers(1, 10_000)) as [User];
    const [first, second] = await Promise.all([createCourse(t.db, 1_000), createCourse(t.db, 2_000)]);
    await pausingAfterEach('UPDATE', async () => {
      const batchA = walletPayMany(t.db, [
        purchase(user, first.id, `1-${randomUUID()}`),
        purchase(user, second.id, `2-${randomUUID()}`),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const batchB = walletPayMany(other, [purchase(user, second.id, `3-${randomUUID()}`)]);
      const [a, b] = await Promise.all([batchA, batchB]);
      expect(a.map((x) => x?.outcome)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(b[0]?.refusalReason).toBe('ALREADY_PURCHASED');
      expect(await balanceOf(user.userId)).toBe(7_000);
    });
  });

  it('never deadlocks when a learner with no wallet yet buys in two batches at once', async () => {
    // Batch A's first purchase makes the learner's wallet (no balance: every purchase is refused), and
    // each INSERT into wallet sleeps 300 ms here, so A holds the new wallet, uncommitted, when batch B
    // arrives for A's second course. Were the wallet made only when a purchase is refused, after its
    // enrollment claim, B would claim that enrollment and wait for A's wallet while A waits for B's
    // enrollment: "deadlock detected".
    const [user] = (await usersWithSessions(t.db, 1, 'walletless')) as [User];
    const [first, second] = await Promise.all([createCourse(t.db, 1_000), createCourse(t.db, 2_000)]);
    await pausingAfterEach('INSERT', async () => {
      const batchA = walletPayMany(t.db, [
        purchase(user, first.id, `1-${randomUUID()}`),
        purchase(user, second.id, `2-${randomUUID()}`),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const batchB = walletPayMany(other, [purchase(user, second.id, `3-${randomUUID()}`)]);
      const [a, b] = await Promise.all([batchA, batchB]);
      expect([...a, ...b].map((x) => x?.refusalReason)).toEqual([
        'INSUFFICIENT_BALANCE',
        'INSUFFICIENT_BALANCE',
        'INSUFFICIENT_BALANCE',
      ]);
      expect(await balanceOf(user.userId)).toBe(0);
    });
  });

  it('never deadlocks: batches sharing learners, courses and keys, in any order, from two pools at once', async () => {
    const users = await fundedUsers(3, 100_000);
    const courses = await Promise.all(Array.from({ length: 8 }, () => createCourse(t.db, 100)));
    // Open every connection first, so that the batches below reach the database together.
    await Promise.all(
      [t.db, other].flatMap((db) =>
        Array.from({ length: 20 }, () => driverPool(db).query('SELECT pg_sleep(0.05)')),
      ),
    );
    const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;
    for (let round = 0; round < 5; round += 1) {
      // 40 batches of 6 purchases over 3 learners and 8 courses: the same course bought by the same
      // learner in several batches at once (double clicks on two instances), and the same key in flight
      // in several batches (a retry).
      const keys = Array.from({ length: 4 }, () => randomUUID());
      const batches = Array.from({ length: 40 }, () =>
        Array.from({ length: 6 }, () => {
          const user = pick(users);
          return purchase(user, pick(courses).id, `${user.userId}-${pick(keys)}-${round}`);
        }),
      );
      const results = await Promise.allSettled(
        batches.map((batch, i) => walletPayMany(i % 2 ? other : t.db, batch)),
      );
      expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    }
    // Each learner owns each course at most once, paid once, and the books add up.
    for (const user of users) {
      const owned = await one<{ enrollments: number; distinct: number; entries: number; spent: number }>(
        `SELECT count(*)::int AS enrollments, count(DISTINCT course_id)::int AS distinct,
                (SELECT count(*)::int FROM wallet_transaction WHERE user_id = $1 AND type = 'PAYMENT') AS entries,
                (SELECT coalesce(-sum(amount), 0)::int FROM wallet_transaction
                  WHERE user_id = $1 AND type = 'PAYMENT') AS spent
           FROM enrollment WHERE user_id = $1`,
        [user.userId],
      );
      expect(owned.enrollments).toBe(owned.distinct);
      expect(owned.entries).toBe(owned.enrollments);
      expect(await balanceOf(user.userId)).toBe(100_000 - owned.spent);
      expect(owned.spent).toBe(owned.enrollments * 100);
    }
  });
});
