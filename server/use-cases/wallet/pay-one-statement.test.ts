import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BalanceStrategyName,
  // Renamed: Biome takes any use… call for a React hook.
  useBalanceStrategy as chooseStrategy,
} from '../../building-blocks/ledger/strategies';
import { moveOrder } from '../../building-blocks/order/order-status';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { checkInvariants } from '../admin/invariants';
import { createOrder } from '../orders/create-order';

/**
 * Under the atomic strategy a balance purchase is one SQL statement (wallet_pay_many); under the others
 * an interactive transaction. Both must leave the same books: each scenario runs once per path, for two
 * new learners, with the same courses and the same requestIds, and everything the learners' calls left
 * in the database (wallet, ledger, orders, payment records, enrollments, holds, idempotency keys,
 * outgoing events) and every answer must be the same, up to generated ids and times. The interactive
 * path runs under `for-update`; the one column it writes that the statement does not is the wallet's
 * `version`, the optimistic strategy's counter, which no other strategy reads.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  chooseStrategy('atomic');
  expect(await checkInvariants(t.db)).toEqual([]);
});
afterAll(async () => {
  await t.drop();
});

const PATHS = { statement: 'atomic', interactive: 'for-update' } as const satisfies Record<
  string,
  BalanceStrategyName
>;

const learner = () => signedInCaller(t.db, 'parity');
type Learner = Awaited<ReturnType<typeof learner>>;

/** A call's answer, or its refusal's reason. */
async function outcome(call: Promise<unknown>): Promise<unknown> {
  let answer: unknown;
  const reason = await reasonOf(call.then((value) => (answer = value)));
  return reason === 'OK' ? answer : reason;
}

/** Everything a learner's calls wrote, ids of rows made for them replaced by stable labels, times dropped. */
async function booksOf(userId: string, answers: unknown[]) {
  const db = t.db;
  const [wallet, ledger, orders, enrollments, ended, keys, events] = await Promise.all([
    db.wallet.findUnique({ where: { userId } }),
    db.walletTransaction.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    // Order ids are ULIDs from one process: they sort in the order the orders were made.
    db.order.findMany({
      where: { userId },
      orderBy: { id: 'asc' },
      include: { payment: true, walletHold: true, refunds: { orderBy: { createdAt: 'asc' } } },
    }),
    db.enrollment.findMany({ where: { userId } }),
    db.endedEnrollment.findMany({ where: { userId } }),
    db.idempotencyKey.findMany({ where: { userId }, orderBy: { requestId: 'asc' } }),
    db.outboxEvent.findMany({ where: { userId } }),
  ]);
  const labels = new Map<string, string>([[userId, 'the learner']]);
  if (wallet) labels.set(wallet.id, 'the wallet');
  orders.forEach((order, i) => {
    labels.set(order.id, `order ${i + 1}`);
    if (order.payment) labels.set(order.payment.id, `payment of order ${i + 1}`);
    if (order.walletHold) labels.set(order.walletHold.id, `hold of order ${i + 1}`);
    for (const [j, refund] of order.refunds.entries()) {
      // The cancel call makes the refund's own key: alike on both paths only in kind.
      const name = `refund ${j + 1} of order ${i + 1}`;
      labels.set(refund.id, name);
      if (refund.requestId) labels.set(refund.requestId, `the key of ${name}`);
      if (refund.requestHash) labels.set(refund.requestHash, `the fingerprint of ${name}`);
    }
  });
  for (const [i, entry] of ledger.entries()) labels.set(entry.id, `ledger entry ${i + 1}`);
  for (const enrollment of [...enrollments, ...ended]) {
    labels.set(enrollment.id, `enrollment by ${labels.get(enrollment.orderId ?? '') ?? 'no order'}`);
  }
  for (const key of keys) labels.set(key.id, `key ${key.requestId}`);

  const normalise = (value: unknown): unknown => {
    if (value instanceof Date) return 'a time';
    if (typeof value === 'string') {
      if (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return 'a time'; // in an event's JSON payload
      // A system requestId names the row that made it (sys:refund:<refund id>).
      return labels.get(value) ?? value.replace(/[0-9a-f-]{36}$/, (id) => labels.get(id) ?? id);
    }
    if (typeof value === 'bigint') return value.toString();
    if (Array.isArray(value)) return value.map(normalise);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
    }
    return value;
  };
  const sameTimes = orders.map(
    (o) => !o.payment || o.approvedAt?.getTime() === o.payment.approvedAt.getTime(),
  );
  const byLabel = <T extends { id: string }>(rows: T[]) =>
    rows.map((row) => normalise(row) as T).sort((a, b) => a.id.localeCompare(b.id));
  return {
    answers: normalise(answers),
    wallet: wallet && { balance: wallet.balance, held: wallet.held },
    ledger: normalise(ledger),
    orders: normalise(orders),
    ordersApprovedWhenPaid: sameTimes,
    enrollments: byLabel(enrollments),
    ended: byLabel(ended),
    keys: normalise(keys),
    // Which event the commit writes first may differ; what is written may not.
    events: events
      .map(({ id: _id, createdAt: _at, dispatchedAt, ...event }) => normalise({ ...event, dispatchedAt }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

/** Runs `scenario` for a new learner under `strategy`; returns the learner's books. */
async function booksUnder(strategy: BalanceStrategyName, scenario: (me: Learner) => Promise<unknown[]>) {
  chooseStrategy(strategy); // afterEach goes back to atomic
  const me = await learner();
  const answers = await scenario(me);
  return booksOf(me.user.id, answers);
}

/**
 * Runs `scenario` on each path, each for a new learner. The scenario must use only ids made before it
 * (shared courses, fixed requestIds), so both runs ask alike.
 */
async function onBothPaths(scenario: (me: Learner) => Promise<unknown[]>) {
  const statement = await booksUnder(PATHS.statement, scenario);
  const interactive = await booksUnder(PATHS.interactive, scenario);
  return { statement, interactive };
}

const charge = (me: Learner, amount: number, requestId = randomUUID()) =>
  outcome(me.caller.wallet.charge({ amount, requestId }));
const pay = (me: Learner, courseId: string, requestId = randomUUID()) =>
  outcome(me.caller.wallet.pay({ courseId, requestId }));

describe('wallet.pay in one statement and as an interactive transaction leave the same books', () => {
  it('a purchase and its replay', async () => {
    const course = await createCourse(t.db, 20_000);
    const [r1, r2] = [randomUUID(), randomUUID()];
    const books = await onBothPaths(async (me) => [
      await charge(me, 50_000, r1),
      await pay(me, course.id, r2),
      await pay(me, course.id, r2),
    ]);
    expect(books.statement).toEqual(books.interactive);
    // What the books hold, once, to know the comparison compared something.
    expect(books.statement.wallet).toEqual({ balance: 30_000, held: 0 });
    expect(books.statement.orders).toMatchObject([
      {
        status: 'APPROVED',
        method: 'BALANCE',
        amount: 20_000,
        payment: { method: 'BALANCE', amount: 20_000 },
      },
    ]);
    expect(books.statement.enrollments).toMatchObject([{ orderId: 'order 1' }]);
    expect(books.statement.keys).toMatchObject([
      { requestId: [r1, r2].sort()[0], outcome: 'SUCCEEDED' },
      { requestId: [r1, r2].sort()[1], outcome: 'SUCCEEDED' },
    ]);
    expect(books.statement.events.map((e) => (e as { type: string }).type).sort()).toEqual([
      'course.purchased',
      'order.approved',
      'wallet.changed',
      'wallet.changed',
    ]);
    expect(books.statement.ordersApprovedWhenPaid).toEqual([true]);
  });

  it('INSUFFICIENT_BALANCE for a learner with no wallet yet, kept after a charge', async () => {
    const course = await createCourse(t.db, 20_000);
    const [r1, r2] = [randomUUID(), randomUUID()];
    const books = await onBothPaths(async (me) => [
      await pay(me, course.id, r1),
      await charge(me, 50_000, r2),
      await pay(me, course.id, r1),
    ]);
    expect(books.statement).toEqual(books.interactive);
    expect(books.statement.answers).toMatchObject(['INSUFFICIENT_BALANCE', {}, 'INSUFFICIENT_BALANCE']);
    expect(books.statement.orders).toEqual([]);
    expect(books.statement.events).toHaveLength(1);
  });

  it('ALREADY_PURCHASED', async () => {
    const course = await createCourse(t.db, 10_000);
    const requestIds = [randomUUID(), randomUUID(), randomUUID()];
    const books = await onBothPaths(async (me) => [
      await charge(me, 50_000, requestIds[0]),
      await pay(me, course.id, requestIds[1]),
      await pay(me, course.id, requestIds[2]),
    ]);
    expect(books.statement).toEqual(books.interactive);
    expect(books.statement.answers).toMatchObject([{}, {}, 'ALREADY_PURCHASED']);
    expect(books.statement.wallet?.balance).toBe(40_000);
  });

  it('unknown courses (a UUID and not one) and a retired course, for a learner with no wallet yet', async () => {
    const retired = await createCourse(t.db, 1_000);
    await t.db.course.update({ where: { id: retired.id }, data: { retiredAt: new Date() } });
    const [unknown, requestIds] = [randomUUID(), [randomUUID(), randomUUID(), randomUUID()]];
    const books = await onBothPaths(async (me) => [
      await pay(me, unknown, requestIds[0]),
      await pay(me, 'no-such-course', requestIds[1]),
      await pay(me, retired.id, requestIds[2]),
    ]);
    expect(books.statement).toEqual(books.interactive);
    expect(books.statement.answers).toEqual(['NOT_FOUND', 'NOT_FOUND', 'COURSE_RETIRED']);
    // Both paths make the learner's wallet, as every wallet call does.
    expect(books.statement.wallet).toEqual({ balance: 0, held: 0 });
  });

  it('PAYMENT_IN_PROGRESS while a card payment of the course is being confirmed', async () => {
    const course = await createCourse(t.db, 10_000);
    const requestIds = [randomUUID(), randomUUID()];
    const books = await onBothPaths(async (me) => {
      const card = await createOrder(t.db, me.user.id, { type: 'COURSE', courseId: course.id });
      await moveOrder(t.db, card.orderId, ['CREATED'], 'CONFIRMING');
      return [await charge(me, 50_000, requestIds[0]), await pay(me, course.id, requestIds[1])];
    });
    expect(books.statement).toEqual(books.interactive);
    expect(books.statement.answers).toMatchObject([{}, 'PAYMENT_IN_PROGRESS']);
  });

  it('IDEMPOTENCY_KEY_REUSED: a charge’s key, and a purchase’s key for another course', async () => {
    const [first, second] = [await createCourse(t.db, 1_000), await createCourse(t.db, 2_000)];
    const [r1, r2] = [randomUUID(), randomUUID()];
    const books = await onBothPaths(async (me) => [
      await charge(me, 50_000, r1),
      await pay(me, first.id, r1),
      await pay(me, first.id, r2),
      await pay(me, second.id, r2),
    ]);
    expect(books.statement).toEqual(books.interactive);
    expect(books.statement.answers).toMatchObject([
      {},
      'IDEMPOTENCY_KEY_REUSED',
      {},
      'IDEMPOTENCY_KEY_REUSED',
    ]);
  });

  it('held won cannot be spent: only balance - held is available', async () => {
    const composite = await createCourse(t.db, 30_000);
    const [dear, cheap] = [await createCourse(t.db, 15_000), await createCourse(t.db, 10_000)];
    const requestIds = [randomUUID(), randomUUID(), randomUUID()];
    const books = await onBothPaths(async (me) => {
      const answers = [await charge(me, 30_000, requestIds[0])];
      await createOrder(t.db, me.user.id, { type: 'COURSE', courseId: composite.id, walletAmount: 20_000 });
      return [...answers, await pay(me, dear.id, requestIds[1]), await pay(me, cheap.id, requestIds[2])];
    });
    expect(books.statement).toEqual(books.interactive);
    expect(books.statement.answers).toMatchObject([{}, 'INSUFFICIENT_BALANCE', { balance: 20_000 }]);
    expect(books.statement.wallet).toEqual({ balance: 20_000, held: 20_000 });
  });

  it('a replay after a full refund ended the enrollment', async () => {
    const course = await createCourse(t.db, 20_000);
    const [r1, r2] = [randomUUID(), randomUUID()];
    const books = await onBothPaths(async (me) => {
      const answers = [await charge(me, 50_000, r1), await pay(me, course.id, r2)];
      const { orderId } = answers[1] as { orderId: string };
      await me.caller.payment.cancel({ orderId, reason: 'changed my mind' });
      return [...answers, await pay(me, course.id, r2)];
    });
    expect(books.statement).toEqual(books.interactive);
    const [, paid, replayed] = books.statement.answers as unknown[];
    expect(replayed).toEqual(paid);
    expect(books.statement.ended).toHaveLength(1);
  });
});

describe('a purchase made on one path is replayed on the other with the same answer', () => {
  it.each([
    ['statement', 'interactive'],
    ['interactive', 'statement'],
  ] as const)('first %s, replayed %s', async (first, replay) => {
    const me = await learner();
    await charge(me, 50_000);
    const course = await createCourse(t.db, 20_000);
    const requestId = randomUUID();
    chooseStrategy(PATHS[first]);
    const paid = await pay(me, course.id, requestId);
    chooseStrategy(PATHS[replay]);
    expect(await pay(me, course.id, requestId)).toEqual(paid);
    expect((await me.caller.wallet.get()).balance).toBe(30_000);
  });
});
