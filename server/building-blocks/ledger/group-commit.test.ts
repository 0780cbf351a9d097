import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, type SignedInIds, usersWithSessions } from '../../test/fixtures';
import { driverPool } from '../db/client';
import { newOrderId } from '../order/order-id';
import { DEFAULT_GROUP_COMMIT, sendBalanceChange, sendCoursePurchase, useGroupCommit } from './group-commit';
import type { BalanceChangeOnce } from './wallet.repository';

/**
 * Group commit: changes that arrive while a batch is at the database leave together as one statement,
 * each with its own answer; a database error in one costs only its own caller.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
});
afterEach(() => useGroupCommit(DEFAULT_GROUP_COMMIT));
afterAll(async () => {
  await t.drop();
});

type User = SignedInIds;

const newUsers = (count: number) => usersWithSessions(t.db, count, 'batch');

function change(user: User, amount: number): BalanceChangeOnce {
  return {
    ...user,
    requestId: randomUUID(),
    operation: 'wallet.charge',
    requestHash: `charge ${amount}`,
    type: 'CHARGE',
    amount,
    refusal: 'BALANCE_LIMIT_EXCEEDED',
  };
}

/** The statements calling `fn` (wallet_change_many unless said) sent while `work` runs. */
async function statementsDuring<T>(
  work: () => Promise<T>,
  fn = 'wallet_change_many',
): Promise<{ result: T; statements: number }> {
  let statements = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first] = args;
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string' && text.includes(fn)) statements += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return { result: await work(), statements };
  } finally {
    pg.Client.prototype.query = query;
  }
}

async function balanceOf(userId: string): Promise<number | null> {
  const { rows } = await driverPool(t.db).query<{ balance: number }>(
    'SELECT balance FROM wallet WHERE user_id = $1',
    [userId],
  );
  return rows[0]?.balance ?? null;
}

describe('group commit', () => {
  it('sends the changes that arrive while a batch is out as one statement, each answered on its own', async () => {
    useGroupCommit({ enabled: true, maxInFlight: 1 });
    const users = await newUsers(3);
    const changes = Array.from({ length: 30 }, (_, i) => change(users[i % 3] as User, 1_000 * (1 + (i % 3))));
    // One over the limit: refused alone, the others applied around it.
    changes.push(change(users[0] as User, 100_000));
    const { result, statements } = await statementsDuring(() =>
      Promise.all(changes.map((c) => sendBalanceChange(t.db, c))),
    );
    // The first went at once and alone; the rest gathered behind it and went together.
    expect(statements).toBe(2);
    expect(result.map((r) => r?.outcome)).toEqual([
      ...changes.slice(0, 30).map(() => 'SUCCEEDED'),
      'REFUSED',
    ]);
    expect(result.at(-1)?.refusalReason).toBe('BALANCE_LIMIT_EXCEEDED');
    expect(await Promise.all(users.map((u) => balanceOf(u.userId)))).toEqual([10_000, 20_000, 30_000]);
    // Each answer is its own change's: its amount, and the balance right after it.
    for (const [i, answer] of result.slice(0, 30).entries()) {
      expect(answer?.amount).toBe(changes[i]?.amount);
    }
    // Within a batch, changes go in lock order (user, request id), each on the balance the one before it
    // left: the first user's ten changes leave 1,000 to 10,000, one each.
    const first = result.slice(0, 30).filter((_, i) => i % 3 === 0);
    expect(first.map((r) => r?.balanceAfter).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
      Array.from({ length: 10 }, (_, k) => 1_000 * (k + 1)),
    );
  });

  it('sends the purchases that arrive together as one statement of their own, each answered on its own', async () => {
    useGroupCommit({ enabled: true, maxInFlight: 1 });
    const users = await newUsers(4);
    await Promise.all(users.map((u) => sendBalanceChange(t.db, change(u, 5_000))));
    const courses = await Promise.all(Array.from({ length: 5 }, () => createCourse(t.db, 1_000)));
    const purchases = users.flatMap((user) =>
      courses.map((course) => ({
        ...user,
        requestId: randomUUID(),
        operation: 'wallet.pay',
        requestHash: `pay ${course.id}`,
        courseId: course.id,
        orderId: newOrderId(),
      })),
    );
    // The first learner's sixth purchase finds nothing left: refused alone. (Within a batch a learner's
    // purchases go in request-id order, the lock order: this id sorts last.)
    const extra = await createCourse(t.db, 1_000);
    purchases.push({
      ...purchases[0],
      requestId: `z-${randomUUID()}`,
      courseId: extra.id,
      orderId: newOrderId(),
    } as (typeof purchases)[number]);
    const { result, statements } = await statementsDuring(
      () => Promise.all(purchases.map((p) => sendCoursePurchase(t.db, p))),
      'wallet_pay_many',
    );
    expect(statements).toBe(2);
    expect(result.map((r) => r?.refusalReason ?? r?.outcome)).toEqual([
      ...purchases.slice(0, 20).map(() => 'SUCCEEDED'),
      'INSUFFICIENT_BALANCE',
    ]);
    for (const [i, answer] of result.slice(0, 20).entries()) {
      expect(answer?.orderId).toBe(purchases[i]?.orderId);
      expect(answer?.enrollmentCourseId).toBe(purchases[i]?.courseId);
    }
    expect(await Promise.all(users.map((u) => balanceOf(u.userId)))).toEqual([0, 0, 0, 0]);
  });

  it('keeps one batch at the database at a time while batches are quick, though more may go', async () => {
    // Nothing is slow here: a batch would have to be out for a minute before another joined it.
    useGroupCommit({ enabled: true, maxInFlight: 2, slowBatchMs: 60_000 });
    const users = await newUsers(3);
    const changes = Array.from({ length: 30 }, (_, i) => change(users[i % 3] as User, 100));
    const { result, statements } = await statementsDuring(() =>
      Promise.all(changes.map((c) => sendBalanceChange(t.db, c))),
    );
    // The first alone, the other 29 together behind it (two at a time would have sent a second at once).
    expect(statements).toBe(2);
    expect(result.every((r) => r?.outcome === 'SUCCEEDED')).toBe(true);
    expect(await Promise.all(users.map((u) => balanceOf(u.userId)))).toEqual([1_000, 1_000, 1_000]);
  });

  it('lets other batches go, one after another, beside one that is stuck on a lock once it has been out for slowBatchMs', async () => {
    const slowBatchMs = 1_000;
    useGroupCommit({ enabled: true, maxInFlight: 2, slowBatchMs });
    const [stuck, free] = (await newUsers(2)) as [User, User];
    await Promise.all([stuck, free].map((u) => sendBalanceChange(t.db, change(u, 1_000))));
    // Another transaction holds the stuck learner's wallet, as a refund or a hold would for a moment.
    const holder = await driverPool(t.db).connect();
    let stuckAnswer: Promise<unknown> | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM wallet WHERE user_id = $1 FOR UPDATE', [stuck.userId]);
      let stuckDone = false;
      stuckAnswer = sendBalanceChange(t.db, change(stuck, 500)).finally(() => {
        stuckDone = true;
      });
      // The other learner's change arrives while that batch waits; it goes once the batch is slow.
      const freeAnswer = await sendBalanceChange(t.db, change(free, 500));
      expect(freeAnswer?.outcome).toBe('SUCCEEDED');
      // The stuck batch is still the youngest one out, and slow: the next changes go at once, each
      // alone, rather than waiting slowBatchMs after the one before (they would take 2 s at least).
      const started = performance.now();
      for (const amount of [100, 100]) {
        expect((await sendBalanceChange(t.db, change(free, amount)))?.outcome).toBe('SUCCEEDED');
      }
      expect(performance.now() - started).toBeLessThan(slowBatchMs);
      expect(await balanceOf(free.userId)).toBe(1_700);
      expect(stuckDone).toBe(false);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await stuckAnswer).toMatchObject({ outcome: 'SUCCEEDED', balanceAfter: 1_500 });
  });

  it('sends every change as its own statement when off', async () => {
    useGroupCommit({ enabled: false });
    const [user] = (await newUsers(1)) as [User];
    const { statements } = await statementsDuring(() =>
      Promise.all(Array.from({ length: 12 }, () => sendBalanceChange(t.db, change(user, 500)))),
    );
    expect(statements).toBe(12);
    expect(await balanceOf(user.userId)).toBe(6_000);
  });

  it('fails only the change a database error belongs to: its batch is sent again change by change', async () => {
    useGroupCommit({ enabled: true, maxInFlight: 1 });
    const users = await newUsers(2);
    const good = Array.from({ length: 10 }, (_, i) => change(users[i % 2] as User, 700));
    // A session id that is no UUID: PostgreSQL refuses the whole statement it is in.
    const broken = { ...change(users[0] as User, 700), sessionId: 'not-a-uuid' };
    const sent = [good[0] as BalanceChangeOnce, ...good.slice(1, 5), broken, ...good.slice(5)];
    const results = await Promise.allSettled(sent.map((c) => sendBalanceChange(t.db, c)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value?.outcome : 'ERROR'))).toEqual([
      ...Array.from({ length: 5 }, () => 'SUCCEEDED'),
      'ERROR',
      ...Array.from({ length: 5 }, () => 'SUCCEEDED'),
    ]);
    expect(await Promise.all(users.map((u) => balanceOf(u.userId)))).toEqual([3_500, 3_500]);
  });

  it('refuses a change at once, sending nothing, when 5,000 are already waiting', async () => {
    useGroupCommit({ enabled: true, maxInFlight: 1 });
    const users = await newUsers(50);
    const changes = Array.from({ length: 5_002 }, (_, i) => change(users[i % 50] as User, 1));
    const results = await Promise.allSettled(changes.map((c) => sendBalanceChange(t.db, c)));
    // One went at once, 5,000 waited behind it; the last found the queue full.
    expect(
      results.slice(0, 5_001).every((r) => r.status === 'fulfilled' && r.value?.outcome === 'SUCCEEDED'),
    ).toBe(true);
    const last = results.at(-1);
    expect(last?.status === 'rejected' && (last.reason as { reason?: string }).reason).toBe('BALANCE_BUSY');
    const { rows } = await driverPool(t.db).query<{ n: number }>(
      'SELECT count(*)::int AS n FROM idempotency_key WHERE request_id = $1',
      [changes.at(-1)?.requestId],
    );
    expect(rows[0]?.n).toBe(0);
    const sum = await driverPool(t.db).query<{ total: number }>(
      'SELECT sum(balance)::int AS total FROM wallet WHERE user_id = ANY($1::uuid[])',
      [users.map((u) => u.userId)],
    );
    expect(sum.rows[0]?.total).toBe(5_001);
  });

  it('answers a change whose session has ended with null, and applies the others of its batch', async () => {
    useGroupCommit({ enabled: true, maxInFlight: 1 });
    const [a, b] = (await newUsers(2)) as [User, User];
    await driverPool(t.db).query('DELETE FROM session WHERE id = $1', [b.sessionId]);
    const results = await Promise.all(
      [change(a, 100), change(b, 100), change(a, 100)].map((c) => sendBalanceChange(t.db, c)),
    );
    expect(results.map((r) => r?.outcome ?? null)).toEqual(['SUCCEEDED', null, 'SUCCEEDED']);
    expect([await balanceOf(a.userId), await balanceOf(b.userId)]).toEqual([200, null]);
  });
});
