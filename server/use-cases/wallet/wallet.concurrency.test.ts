import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../building-blocks/db/client';
import { disconnectRedis, redisLockStrategy } from '../../building-blocks/ledger/strategies/redis-lock';
import { createInnerContext } from '../../entry-points/trpc/context';
import { createCaller } from '../../entry-points/trpc/router';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, signedInCaller, TEST_AUTH } from '../../test/fixtures';
import { MONEY_MODES, useMoneyMode } from '../../test/money-modes';

/**
 * Races against one real PostgreSQL, once per balance strategy (the atomic one with group commit on and off). Half the calls go through a second
 * Prisma client (its own connection pool). Both clients live in this one process, so even the
 * in-process lock passes here; wallet.multi-instance.test.ts runs separate processes.
 */

let t: TestDatabase;
let secondInstance: Db;
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 20 });
  secondInstance = createDb(t.url, 20);
});
afterAll(async () => {
  await disconnectRedis();
  await secondInstance.$disconnect();
  await t.drop();
});

async function learner() {
  const first = await signedInCaller(t.db);
  const ctx = createInnerContext({
    db: secondInstance,
    auth: TEST_AUTH,
    user: first.user,
    sessionId: first.sessionId,
    sandboxMode: true,
  });
  const second = createCaller(ctx);
  const callers = [first.caller, second];
  return { ...first, on: (i: number) => callers[i % 2] ?? first.caller };
}

function reasonOf(result: PromiseSettledResult<unknown>): string | undefined {
  if (result.status === 'fulfilled') return undefined;
  const error = result.reason;
  if (error instanceof TRPCError)
    return (error.cause as { reason?: string } | undefined)?.reason ?? error.code;
  throw error;
}

async function ledger(userId: string) {
  const rows = await t.db.walletTransaction.findMany({
    where: { userId },
    select: { amount: true, balanceAfter: true },
  });
  return { count: rows.length, sum: rows.reduce((s, r) => s + r.amount, 0), rows };
}

describe.each(MONEY_MODES)('concurrency with $name', (mode) => {
  beforeAll(() => {
    // The Redis strategy needs a Redis; these machines run one at 127.0.0.1:6379 (TEST_REDIS_URL overrides).
    process.env.REDIS_URL ??= process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    useMoneyMode(mode);
  });

  it('20 parallel first wallet reads create exactly one wallet', async () => {
    const me = await learner();
    const wallets = await Promise.all(Array.from({ length: 20 }, (_, i) => me.on(i).wallet.get()));
    expect(new Set(wallets.map((w) => w.id)).size).toBe(1);
    expect(await t.db.wallet.count({ where: { userId: me.user.id } })).toBe(1);
  });

  it('20 parallel first charges of a learner with no wallet create one wallet holding them all', async () => {
    const me = await learner();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => me.on(i).wallet.charge({ amount: 500, requestId: randomUUID() })),
    );
    expect(new Set(results.map((r) => r.transaction.walletId)).size).toBe(1);
    expect(await t.db.wallet.count({ where: { userId: me.user.id } })).toBe(1);
    expect((await me.caller.wallet.get()).balance).toBe(10_000);
    expect(await ledger(me.user.id)).toMatchObject({ count: 20, sum: 10_000 });
  });

  it('first charges racing first wallet reads are never refused (40 new learners)', async () => {
    const learners = await Promise.all(Array.from({ length: 40 }, () => learner()));
    const results = await Promise.allSettled(
      learners.flatMap((me) =>
        Array.from({ length: 6 }, (_, i) =>
          i % 2 ? me.on(i).wallet.get() : me.on(i).wallet.charge({ amount: 700, requestId: randomUUID() }),
        ),
      ),
    );
    expect(results.map(reasonOf).filter(Boolean)).toEqual([]);
    for (const me of learners) expect((await me.caller.wallet.get()).balance).toBe(2_100);
  });

  it('100 parallel charges of 1,000 end at exactly 100,000 with 100 ledger rows', async () => {
    const me = await learner();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        me.on(i).wallet.charge({ amount: 1_000, requestId: randomUUID() }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await me.caller.wallet.get()).balance).toBe(100_000);
    const rows = await ledger(me.user.id);
    expect(rows.count).toBe(100);
    expect(rows.sum).toBe(100_000);
    // Every balance from 1,000 to 100,000 was reached exactly once: no lost update.
    expect(rows.rows.map((r) => r.balanceAfter).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => (i + 1) * 1_000),
    );
  });

  it('150 parallel charges of 1,000: exactly 100 succeed and 50 are refused for the limit', async () => {
    const me = await learner();
    const results = await Promise.allSettled(
      Array.from({ length: 150 }, (_, i) =>
        me.on(i).wallet.charge({ amount: 1_000, requestId: randomUUID() }),
      ),
    );
    const reasons = results.map(reasonOf);
    expect(reasons.filter((r) => r === undefined)).toHaveLength(100);
    expect(reasons.filter((r) => r === 'BALANCE_LIMIT_EXCEEDED')).toHaveLength(50);
    expect((await me.caller.wallet.get()).balance).toBe(100_000);
    expect(await ledger(me.user.id)).toMatchObject({ count: 100, sum: 100_000 });
  });

  it('20 parallel charges sharing one requestId apply once, and every answer is that one transaction', async () => {
    const me = await learner();
    const requestId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => me.on(i).wallet.charge({ amount: 3_000, requestId })),
    );
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.balance))).toEqual(new Set([3_000]));
    expect((await me.caller.wallet.get()).balance).toBe(3_000);
    expect(await ledger(me.user.id)).toMatchObject({ count: 1, sum: 3_000 });
  });

  it('20 parallel payments sharing one requestId pay once', async () => {
    const me = await learner();
    const course = await createCourse(t.db, 7_000);
    await me.caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const requestId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => me.on(i).wallet.pay({ courseId: course.id, requestId })),
    );
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect((await me.caller.wallet.get()).balance).toBe(43_000);
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(1);
  });

  it('three fast clicks with different requestIds buy the course once', async () => {
    const me = await learner();
    const course = await createCourse(t.db, 10_000);
    await me.caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const results = await Promise.allSettled(
      [0, 1, 2].map((i) => me.on(i).wallet.pay({ courseId: course.id, requestId: randomUUID() })),
    );
    expect(results.map(reasonOf).sort()).toEqual(['ALREADY_PURCHASED', 'ALREADY_PURCHASED', undefined]);
    expect((await me.caller.wallet.get()).balance).toBe(40_000);
    expect(await ledger(me.user.id)).toMatchObject({ count: 2, sum: 40_000 });
  });

  it('payments racing for a small balance never take it below 0', async () => {
    const me = await learner();
    const courses = await Promise.all(Array.from({ length: 10 }, () => createCourse(t.db, 3_000)));
    await me.caller.wallet.charge({ amount: 10_000, requestId: randomUUID() });
    const results = await Promise.allSettled(
      courses.map((course, i) => me.on(i).wallet.pay({ courseId: course.id, requestId: randomUUID() })),
    );
    const reasons = results.map(reasonOf);
    expect(reasons.filter((r) => r === undefined)).toHaveLength(3);
    expect(reasons.filter((r) => r === 'INSUFFICIENT_BALANCE')).toHaveLength(7);
    expect((await me.caller.wallet.get()).balance).toBe(1_000);
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(3);
  });

  it('random concurrent charges and payments keep balance = ledger sum, within 0..100,000', async () => {
    let seed = 20261123;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const me = await learner();
    const courses = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        createCourse(t.db, 1_000 + Math.floor(random() * 20) * 1_000, `r${i}`),
      ),
    );
    for (let round = 0; round < 3; round++) {
      const ops = Array.from({ length: 60 }, (_, i) => {
        const caller = me.on(i);
        if (random() < 0.6) {
          return caller.wallet.charge({ amount: 1 + Math.floor(random() * 30_000), requestId: randomUUID() });
        }
        const course = courses[Math.floor(random() * courses.length)];
        return caller.wallet.pay({ courseId: course?.id ?? '', requestId: randomUUID() });
      });
      const results = await Promise.allSettled(ops);
      for (const reason of results.map(reasonOf)) {
        expect([undefined, 'BALANCE_LIMIT_EXCEEDED', 'INSUFFICIENT_BALANCE', 'ALREADY_PURCHASED']).toContain(
          reason,
        );
      }
      const balance = (await me.caller.wallet.get()).balance;
      const rows = await ledger(me.user.id);
      expect(balance).toBe(rows.sum);
      expect(balance).toBeGreaterThanOrEqual(0);
      expect(balance).toBeLessThanOrEqual(100_000);
      for (const row of rows.rows) {
        expect(row.balanceAfter).toBeGreaterThanOrEqual(0);
        expect(row.balanceAfter).toBeLessThanOrEqual(100_000);
      }
      const paid = await t.db.walletTransaction.count({ where: { userId: me.user.id, type: 'PAYMENT' } });
      expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(paid);
    }
  });
});

describe('the Redis lock’s fencing', () => {
  it('a holder whose lock expired cannot overwrite a newer holder’s write: it applies on top of it', async () => {
    process.env.REDIS_URL ??= process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const me = await learner();
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    const wallet = await me.caller.wallet.get();
    const redis = new Redis(process.env.REDIS_URL ?? '');
    let newer = 0n;
    const balance = await redisLockStrategy.around(wallet.id, async () =>
      t.db.$transaction(async (tx) => {
        // Meanwhile our lock expired; a newer holder took the next token and wrote 5,000.
        newer = BigInt(await redis.incr(`fence:wallet:${wallet.id}`));
        await t.db
          .$executeRaw`UPDATE wallet SET balance = 5000, fence = ${newer} WHERE id = ${wallet.id}::uuid`;
        return redisLockStrategy.apply(tx, wallet.id, 100);
      }),
    );
    await redis.quit();
    expect(balance).toBe(5_100); // applied on top of the newer write, not over it (1,100)
    const row = await t.db.wallet.findUniqueOrThrow({ where: { id: wallet.id } });
    expect(row.balance).toBe(5_100);
    expect(row.fence > newer).toBe(true);
  });
});
