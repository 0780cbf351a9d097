import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { anonymousCaller, createCourse, signedInCaller } from '../../test/fixtures';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** The refusal a call ends with: its tRPC code and domain reason. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause as { reason?: string } | undefined;
    return {
      code: error.code,
      reason: cause?.reason ?? (error.code === 'BAD_REQUEST' ? 'INVALID_INPUT' : undefined),
    };
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

async function ledgerSum(userId: string) {
  const sum = await t.db.walletTransaction.aggregate({
    where: { userId },
    _sum: { amount: true },
    _count: true,
  });
  return { sum: sum._sum.amount ?? 0, count: sum._count };
}

describe('wallet.get', () => {
  it('creates an empty wallet on first use and returns the same one afterwards', async () => {
    const { caller, user } = await signedInCaller(t.db);
    const first = await caller.wallet.get();
    expect(first).toMatchObject({ userId: user.id, balance: 0 });
    expect((await caller.wallet.get()).id).toBe(first.id);
  });

  it('is refused to anonymous callers', async () => {
    expect(await refusal(anonymousCaller(t.db).wallet.get())).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('wallet.charge', () => {
  it('adds the amount, writes one CHARGE ledger row and returns the new balance', async () => {
    const { caller, user } = await signedInCaller(t.db);
    const result = await caller.wallet.charge({ amount: 30_000, requestId: randomUUID() });
    expect(result.balance).toBe(30_000);
    expect(result.transaction).toMatchObject({ type: 'CHARGE', amount: 30_000, balanceAfter: 30_000 });
    expect((await caller.wallet.get()).balance).toBe(30_000);
    expect(await ledgerSum(user.id)).toEqual({ sum: 30_000, count: 1 });
  });

  it('charges up to exactly 100,000 and refuses one won more with BALANCE_LIMIT_EXCEEDED', async () => {
    const { caller, user } = await signedInCaller(t.db);
    await caller.wallet.charge({ amount: 100_000, requestId: randomUUID() });
    expect(await refusal(caller.wallet.charge({ amount: 1, requestId: randomUUID() }))).toEqual({
      code: 'PRECONDITION_FAILED',
      reason: 'BALANCE_LIMIT_EXCEEDED',
    });
    expect((await caller.wallet.get()).balance).toBe(100_000);
    expect(await ledgerSum(user.id)).toEqual({ sum: 100_000, count: 1 });
  });

  it.each([
    ['zero', { amount: 0 }],
    ['negative', { amount: -1000 }],
    ['over the limit', { amount: 100_001 }],
    ['fractional', { amount: 10.5 }],
    ['a string', { amount: '1000' }],
    ['missing', {}],
  ])('refuses an amount that is %s with BAD_REQUEST and changes nothing', async (_label, input) => {
    const { caller, user } = await signedInCaller(t.db);
    const result = await refusal(
      caller.wallet.charge({ ...input, requestId: randomUUID() } as unknown as {
        amount: number;
        requestId: string;
      }),
    );
    expect(result.code).toBe('BAD_REQUEST');
    expect((await caller.wallet.get()).balance).toBe(0);
    expect(await ledgerSum(user.id)).toEqual({ sum: 0, count: 0 });
  });

  it('refuses a missing or empty requestId', async () => {
    const { caller } = await signedInCaller(t.db);
    expect((await refusal(caller.wallet.charge({ amount: 1000, requestId: '' }))).code).toBe('BAD_REQUEST');
    expect(
      (
        await refusal(
          caller.wallet.charge({ amount: 1000 } as unknown as { amount: number; requestId: string }),
        )
      ).code,
    ).toBe('BAD_REQUEST');
  });
});

describe('idempotency', () => {
  it('replays the same requestId and payload: same transaction, same balance after, no second effect', async () => {
    const { caller, user } = await signedInCaller(t.db);
    const requestId = randomUUID();
    const first = await caller.wallet.charge({ amount: 5_000, requestId });
    await caller.wallet.charge({ amount: 7_000, requestId: randomUUID() });
    const replay = await caller.wallet.charge({ amount: 5_000, requestId });
    expect(replay.transaction.id).toBe(first.transaction.id);
    expect(replay.balance).toBe(5_000);
    expect((await caller.wallet.get()).balance).toBe(12_000);
    expect(await ledgerSum(user.id)).toEqual({ sum: 12_000, count: 2 });
  });

  it('refuses the same requestId with a different payload as IDEMPOTENCY_KEY_REUSED', async () => {
    const { caller } = await signedInCaller(t.db);
    const requestId = randomUUID();
    await caller.wallet.charge({ amount: 5_000, requestId });
    expect(await refusal(caller.wallet.charge({ amount: 6_000, requestId }))).toEqual({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
    const course = await createCourse(t.db, 1_000);
    expect(await refusal(caller.wallet.pay({ courseId: course.id, requestId }))).toEqual({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect((await caller.wallet.get()).balance).toBe(5_000);
  });

  it('keeps a refusal: a replay is refused the same way even after the balance would allow it', async () => {
    const { caller } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 20_000);
    const requestId = randomUUID();
    expect((await refusal(caller.wallet.pay({ courseId: course.id, requestId }))).reason).toBe(
      'INSUFFICIENT_BALANCE',
    );
    await caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    expect((await refusal(caller.wallet.pay({ courseId: course.id, requestId }))).reason).toBe(
      'INSUFFICIENT_BALANCE',
    );
    expect((await caller.wallet.get()).balance).toBe(50_000);
    // A new intent (new requestId) is judged afresh.
    const paid = await caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    expect(paid.balance).toBe(30_000);
  });

  it('scopes requestIds to their user: two users may use the same one', async () => {
    const a = await signedInCaller(t.db, 'a');
    const b = await signedInCaller(t.db, 'b');
    const requestId = 'shared-request-id';
    const ra = await a.caller.wallet.charge({ amount: 1_000, requestId });
    const rb = await b.caller.wallet.charge({ amount: 2_000, requestId });
    expect(ra.transaction.id).not.toBe(rb.transaction.id);
    expect((await a.caller.wallet.get()).balance).toBe(1_000);
    expect((await b.caller.wallet.get()).balance).toBe(2_000);
  });
});

describe('wallet.pay', () => {
  it('pays the price from the database, enrolls the learner and records a PAYMENT', async () => {
    const { caller, user } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 39_000);
    await caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const input = { courseId: course.id, requestId: randomUUID(), amount: 1 } as {
      courseId: string;
      requestId: string;
    };
    const result = await caller.wallet.pay(input);
    expect(result.balance).toBe(11_000);
    expect(result.transaction).toMatchObject({
      type: 'PAYMENT',
      amount: -39_000,
      balanceAfter: 11_000,
      courseId: course.id,
    });
    expect(result.enrollment).toMatchObject({ userId: user.id, courseId: course.id });
    const catalogue = await caller.course.list();
    expect(catalogue.find((c) => c.id === course.id)?.purchased).toBe(true);
    expect(await ledgerSum(user.id)).toEqual({ sum: 11_000, count: 2 });
  });

  it('refuses INSUFFICIENT_BALANCE and leaves no enrollment and no ledger row', async () => {
    const { caller, user } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 39_000);
    await caller.wallet.charge({ amount: 10_000, requestId: randomUUID() });
    expect(await refusal(caller.wallet.pay({ courseId: course.id, requestId: randomUUID() }))).toEqual({
      code: 'PRECONDITION_FAILED',
      reason: 'INSUFFICIENT_BALANCE',
    });
    expect(await t.db.enrollment.count({ where: { userId: user.id } })).toBe(0);
    expect(await ledgerSum(user.id)).toEqual({ sum: 10_000, count: 1 });
  });

  it('refuses a second purchase of the same course with ALREADY_PURCHASED', async () => {
    const { caller } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 10_000);
    await caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    await caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    expect(await refusal(caller.wallet.pay({ courseId: course.id, requestId: randomUUID() }))).toEqual({
      code: 'CONFLICT',
      reason: 'ALREADY_PURCHASED',
    });
    expect((await caller.wallet.get()).balance).toBe(40_000);
  });

  it.each([
    ['a random uuid', randomUUID()],
    ['not a uuid', 'no-such-course'],
  ])('refuses an unknown course (%s) with NOT_FOUND', async (_label, courseId) => {
    const { caller } = await signedInCaller(t.db);
    await caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    expect(await refusal(caller.wallet.pay({ courseId, requestId: randomUUID() }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
    expect((await caller.wallet.get()).balance).toBe(50_000);
  });

  it('replays a retry that spells the course id in upper case', async () => {
    const { caller } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 10_000);
    await caller.wallet.charge({ amount: 10_000, requestId: randomUUID() });
    const requestId = randomUUID();
    const first = await caller.wallet.pay({ courseId: course.id, requestId });
    const retry = await caller.wallet.pay({ courseId: course.id.toUpperCase(), requestId });
    expect(retry.transaction.id).toBe(first.transaction.id);
  });

  it('replays a payment with its enrollment', async () => {
    const { caller } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 10_000);
    await caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const requestId = randomUUID();
    const first = await caller.wallet.pay({ courseId: course.id, requestId });
    const replay = await caller.wallet.pay({ courseId: course.id, requestId });
    expect(replay).toEqual(first);
    expect((await caller.wallet.get()).balance).toBe(40_000);
  });
});

describe('wallet.transactions', () => {
  it('pages the own ledger newest first and never shows another user’s entries', async () => {
    const me = await signedInCaller(t.db, 'me');
    const other = await signedInCaller(t.db, 'other');
    await other.caller.wallet.charge({ amount: 99, requestId: randomUUID() });
    for (let i = 1; i <= 5; i++)
      await me.caller.wallet.charge({ amount: i * 1000, requestId: `charge-${i}` });

    const first = await me.caller.wallet.transactions({ limit: 2 });
    expect(first.items.map((i) => i.amount)).toEqual([5000, 4000]);
    const second = await me.caller.wallet.transactions({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((i) => i.amount)).toEqual([3000, 2000]);
    const third = await me.caller.wallet.transactions({ limit: 2, cursor: second.nextCursor });
    expect(third.items.map((i) => i.amount)).toEqual([1000]);
    expect(third.nextCursor).toBeNull();
    expect((await me.caller.wallet.transactions()).items).toHaveLength(5);
  });

  it('refuses a malformed cursor or limit with BAD_REQUEST', async () => {
    const { caller } = await signedInCaller(t.db);
    expect((await refusal(caller.wallet.transactions({ limit: 0 }))).code).toBe('BAD_REQUEST');
    expect((await refusal(caller.wallet.transactions({ limit: 101 }))).code).toBe('BAD_REQUEST');
    expect((await refusal(caller.wallet.transactions({ limit: 5, cursor: 'nope' }))).code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('the database itself', () => {
  it('refuses a balance outside 0..100,000 even from raw SQL (CHECK constraint)', async () => {
    const { caller } = await signedInCaller(t.db);
    const wallet = await caller.wallet.get();
    await expect(
      t.db.$executeRaw`UPDATE wallet SET balance = 100001 WHERE id = ${wallet.id}::uuid`,
    ).rejects.toThrow(/wallet_balance_range/);
    await expect(
      t.db.$executeRaw`UPDATE wallet SET balance = -1 WHERE id = ${wallet.id}::uuid`,
    ).rejects.toThrow(/wallet_balance_range/);
  });

  it('keeps the ledger append-only', async () => {
    const { caller } = await signedInCaller(t.db);
    const { transaction } = await caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    await expect(
      t.db.$executeRaw`UPDATE wallet_transaction SET amount = 2000 WHERE id = ${transaction.id}::uuid`,
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.$executeRaw`DELETE FROM wallet_transaction WHERE id = ${transaction.id}::uuid`,
    ).rejects.toThrow(/append-only/);
  });
});
