import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTossClient } from '../../building-blocks/toss/toss-client';
import { DOCS_TEST_KEYS } from '../../building-blocks/toss/toss-config';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { clearFaults, injectFault, shopperApproves } from '../../test/sandbox';

/** payment.confirm end to end: tRPC caller → confirm use case → Toss client → sandbox over HTTP → database. */

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
});
afterEach(async () => {
  await clearFaults(server.sandboxUrl);
});
afterAll(async () => {
  await server.close();
  await t.drop();
});

async function learner(readTimeoutMs?: number) {
  const toss = readTimeoutMs
    ? createTossClient({ baseUrl: server.sandboxUrl, secretKey: DOCS_TEST_KEYS.secretKey, readTimeoutMs })
    : server.toss();
  return signedInCaller(t.db, 'card', { toss, waitForConfirmMs: 10_000 });
}

type Caller = Awaited<ReturnType<typeof learner>>['caller'];

/** What the shopper does in the widget, for the order's amount (or a tampered one). */
async function payInWidget(order: { orderId: string; amount: number; orderName: string }) {
  return shopperApproves(server.sandboxUrl, {
    orderId: order.orderId,
    amount: order.amount,
    orderName: order.orderName,
  });
}

const confirmsSent = (orderId: string) =>
  t.db.tossExchange.count({ where: { orderId, operation: 'confirm' } });

async function buyCourseByCard(caller: Caller, price = 30_000) {
  const course = await createCourse(t.db, price);
  const order = await caller.order.create({ type: 'COURSE', courseId: course.id });
  const session = await payInWidget(order);
  return { course, order, session };
}

describe('order.create', () => {
  it('fixes the amount and name on the server', async () => {
    const { caller } = await learner();
    const course = await createCourse(t.db, 42_000, '카드 강의');
    const order = await caller.order.create({ type: 'COURSE', courseId: course.id });
    expect(order).toMatchObject({
      type: 'COURSE',
      amount: 42_000,
      orderName: '카드 강의',
      status: 'CREATED',
    });
    expect(order.orderId).toMatch(/^[A-Za-z0-9_-]{6,64}$/);
    const charge = await caller.order.create({ type: 'CHARGE', amount: 20_000 });
    expect(charge).toMatchObject({ type: 'CHARGE', amount: 20_000, status: 'CREATED' });
    expect(charge.orderId > order.orderId).toBe(true); // time-sortable
    expect((await caller.order.list()).map((o) => o.orderId)).toEqual([charge.orderId, order.orderId]);
  });

  it('refuses an owned course, an unknown course, and a charge past the limit, before any card', async () => {
    const { caller } = await learner();
    const course = await createCourse(t.db, 10_000);
    await caller.wallet.charge({ amount: 95_000, requestId: randomUUID() });
    await caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    expect(await reasonOf(caller.order.create({ type: 'COURSE', courseId: course.id }))).toBe(
      'ALREADY_PURCHASED',
    );
    expect(await reasonOf(caller.order.create({ type: 'COURSE', courseId: randomUUID() }))).toBe('NOT_FOUND');
    expect(await reasonOf(caller.order.create({ type: 'CHARGE', amount: 15_001 }))).toBe(
      'BALANCE_LIMIT_EXCEEDED',
    );
    expect(await reasonOf(caller.order.create({ type: 'CHARGE', amount: 15_000 }))).toBe('OK');
    expect(await reasonOf(caller.order.create({ type: 'CHARGE', amount: 50 }))).toBe('INVALID_INPUT');
  });

  it('shows a learner only their own orders', async () => {
    const a = await learner();
    const b = await learner();
    const order = await a.caller.order.create({ type: 'CHARGE', amount: 1_000 });
    expect(await reasonOf(b.caller.order.get({ orderId: order.orderId }))).toBe('ORDER_NOT_FOUND');
    expect(await b.caller.order.list()).toEqual([]);
  });

  it('makes a balance purchase an APPROVED order with a payment record', async () => {
    const { caller } = await learner();
    const course = await createCourse(t.db, 5_000);
    await caller.wallet.charge({ amount: 5_000, requestId: randomUUID() });
    const paid = await caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    expect(await caller.order.get({ orderId: paid.orderId })).toMatchObject({
      status: 'APPROVED',
      method: 'BALANCE',
      amount: 5_000,
      courseId: course.id,
    });
    expect(paid.enrollment.orderId).toBe(paid.orderId);
    expect(await t.db.payment.count({ where: { orderId: paid.orderId, method: 'BALANCE' } })).toBe(1);
  });
});

describe('confirm a course bought by card', () => {
  it('approves, enrolls, records the payment and every exchange with Toss', async () => {
    const { caller, user } = await learner();
    const { course, order, session } = await buyCourseByCard(caller);
    const result = await caller.payment.confirm({ ...session, amount: order.amount });
    expect(result.order).toMatchObject({
      status: 'APPROVED',
      method: 'CARD',
      paymentKey: session.paymentKey,
    });
    expect(result.balance).toBe(0);
    expect(await t.db.enrollment.findMany({ where: { userId: user.id } })).toEqual([
      expect.objectContaining({ courseId: course.id, orderId: order.orderId }),
    ]);
    expect(await t.db.payment.findUnique({ where: { orderId: order.orderId } })).toMatchObject({
      method: 'CARD',
      amount: 30_000,
      paymentKey: session.paymentKey,
      tossMethod: '카드',
    });
    const exchanges = await t.db.tossExchange.findMany({ where: { orderId: order.orderId } });
    expect(exchanges).toEqual([
      expect.objectContaining({
        operation: 'confirm',
        path: '/v1/payments/confirm',
        idempotencyKey: `confirm-${order.orderId}-1`,
        requestBody: { paymentKey: session.paymentKey, orderId: order.orderId, amount: 30_000 },
        responseStatus: 200,
        responseBody: expect.objectContaining({ status: 'DONE' }),
      }),
    ]);
    expect((await caller.course.list()).find((c) => c.id === course.id)?.purchased).toBe(true);
  });

  it('replays a later confirm without calling Toss again', async () => {
    const { caller, user } = await learner();
    const { order, session } = await buyCourseByCard(caller);
    const first = await caller.payment.confirm({ ...session, amount: order.amount });
    const again = await caller.payment.confirm({ ...session, amount: order.amount });
    expect(again).toEqual(first);
    expect(await confirmsSent(order.orderId)).toBe(1);
    expect(await t.db.enrollment.count({ where: { userId: user.id } })).toBe(1);
  });

  it('refuses a tampered amount without calling Toss', async () => {
    const { caller } = await learner();
    const { order, session } = await buyCourseByCard(caller);
    expect(await reasonOf(caller.payment.confirm({ ...session, amount: order.amount - 29_000 }))).toBe(
      'AMOUNT_MISMATCH',
    );
    expect(await confirmsSent(order.orderId)).toBe(0);
    expect((await caller.order.get({ orderId: order.orderId })).status).toBe('CREATED');
  });

  it('10 concurrent confirms: one approval, one effect, every answer APPROVED', async () => {
    const { caller, user } = await learner();
    const { order, session } = await buyCourseByCard(caller);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => caller.payment.confirm({ ...session, amount: order.amount })),
    );
    expect(new Set(results.map((r) => r.order.status))).toEqual(new Set(['APPROVED']));
    expect(await confirmsSent(order.orderId)).toBe(1);
    expect(await t.db.enrollment.count({ where: { userId: user.id } })).toBe(1);
    expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('fails the order with Toss’s code for an unknown paymentKey', async () => {
    const { caller, user } = await learner();
    const { order } = await buyCourseByCard(caller);
    expect(
      await reasonOf(
        caller.payment.confirm({ paymentKey: 'no-such-key', orderId: order.orderId, amount: order.amount }),
      ),
    ).toBe('PAYMENT_FAILED');
    expect(await caller.order.get({ orderId: order.orderId })).toMatchObject({
      status: 'FAILED',
      failureCode: 'NOT_FOUND_PAYMENT_SESSION',
    });
    expect(await t.db.enrollment.count({ where: { userId: user.id } })).toBe(0);
  });

  it('refuses another user’s order and an unknown order, without calling Toss', async () => {
    const owner = await learner();
    const thief = await learner();
    const { order, session } = await buyCourseByCard(owner.caller);
    expect(await reasonOf(thief.caller.payment.confirm({ ...session, amount: order.amount }))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(
      await reasonOf(thief.caller.payment.confirm({ ...session, orderId: 'nope-nope-nope', amount: 1 })),
    ).toBe('ORDER_NOT_FOUND');
    expect(await confirmsSent(order.orderId)).toBe(0);
  });

  it('cannot squat someone else’s paymentKey: the squatter fails, the owner still pays', async () => {
    const owner = await learner();
    const squatter = await learner();
    const { order, session } = await buyCourseByCard(owner.caller);
    const theirs = await squatter.caller.order.create({ type: 'CHARGE', amount: 1_000 });
    expect(
      await reasonOf(
        squatter.caller.payment.confirm({ ...session, orderId: theirs.orderId, amount: theirs.amount }),
      ),
    ).toBe('PAYMENT_FAILED');
    const paid = await owner.caller.payment.confirm({ ...session, amount: order.amount });
    expect(paid.order.status).toBe('APPROVED');
  });

  it('refuses malformed orderIds and paymentKeys as BAD_REQUEST', async () => {
    const { caller } = await learner();
    expect(
      await reasonOf(caller.payment.confirm({ paymentKey: 'k\u0000', orderId: 'abcdefgh', amount: 1 })),
    ).toBe('INVALID_INPUT');
    expect(await reasonOf(caller.order.get({ orderId: 'bad id!' }))).toBe('INVALID_INPUT');
  });

  it('records a shopper’s cancel from the fail page; a later confirm is refused', async () => {
    const { caller } = await learner();
    const course = await createCourse(t.db, 9_000);
    const order = await caller.order.create({ type: 'COURSE', courseId: course.id });
    const failed = await caller.payment.fail({
      orderId: order.orderId,
      code: 'PAY_PROCESS_CANCELED',
      message: '취소',
    });
    expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'PAY_PROCESS_CANCELED' });
    const session = await payInWidget(order);
    expect(await reasonOf(caller.payment.confirm({ ...session, amount: order.amount }))).toBe(
      'PAYMENT_FAILED',
    );
    expect(await confirmsSent(order.orderId)).toBe(0);
  });
});

describe('charge the wallet by card', () => {
  it('credits the wallet exactly once, with a CHARGE ledger entry linked to the order', async () => {
    const { caller, user } = await learner();
    const order = await caller.order.create({ type: 'CHARGE', amount: 25_000 });
    const session = await payInWidget(order);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => caller.payment.confirm({ ...session, amount: order.amount })),
    );
    expect(results.map((r) => r.balance)).toEqual([25_000, 25_000, 25_000, 25_000, 25_000]);
    const ledger = await t.db.walletTransaction.findMany({ where: { userId: user.id } });
    expect(ledger).toEqual([
      expect.objectContaining({ type: 'CHARGE', amount: 25_000, orderId: order.orderId }),
    ]);
  });

  it('refuses, without asking Toss, a charge the wallet can no longer hold', async () => {
    const { caller } = await learner();
    const order = await caller.order.create({ type: 'CHARGE', amount: 60_000 });
    const session = await payInWidget(order);
    await caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    expect(await reasonOf(caller.payment.confirm({ ...session, amount: order.amount }))).toBe(
      'BALANCE_LIMIT_EXCEEDED',
    );
    expect(await confirmsSent(order.orderId)).toBe(0);
  });

  it('cancels at Toss when the wallet fills up while Toss approves: CANCELED, no won lost, none invented', async () => {
    const { caller, user } = await learner();
    const order = await caller.order.create({ type: 'CHARGE', amount: 60_000 });
    const session = await payInWidget(order);
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'delay',
      ms: 800,
      times: 1,
    });
    const confirming = caller.payment.confirm({ ...session, amount: order.amount });
    await new Promise((resolve) => setTimeout(resolve, 300)); // Toss is approving right now
    await caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const result = await confirming;
    expect(result.order).toMatchObject({ status: 'CANCELED', failureCode: 'EFFECT_NOT_APPLICABLE' });
    expect(result.balance).toBe(50_000);
    expect(await t.db.walletTransaction.count({ where: { userId: user.id, orderId: order.orderId } })).toBe(
      0,
    );
    const atToss = await server.toss().getPayment(session.paymentKey);
    expect(atToss.kind === 'ok' && atToss.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(
      await t.db.tossExchange.count({
        where: { orderId: order.orderId, operation: 'cancel', responseStatus: 200 },
      }),
    ).toBe(1);
    // The cancel says why, in the words Toss shows the card holder.
    const cancel = await t.db.tossExchange.findFirstOrThrow({
      where: { orderId: order.orderId, operation: 'cancel' },
    });
    expect(cancel.requestBody).toEqual({
      cancelReason: '잔액 한도(100,000원) 초과로 충전할 수 없어 자동 취소',
    });
  });
});

describe('when Toss does not answer', () => {
  it.each([
    ['a timeout', { action: 'delay', ms: 1_500 } as const],
    ['a reset connection', { action: 'reset' } as const],
    ['a 500', { action: 'error', status: 500, code: 'FAILED_INTERNAL_SYSTEM_PROCESSING' } as const],
    ['approve-then-drop', { action: 'drop-response' } as const],
  ])(
    '%s leaves the order IN_DOUBT with nothing granted; confirming again settles it once',
    async (_label, fault) => {
      const { caller, user } = await learner(500);
      const order = await caller.order.create({ type: 'CHARGE', amount: 10_000 });
      const session = await payInWidget(order);
      await injectFault(server.sandboxUrl, { match: { orderId: order.orderId }, times: 1, ...fault });

      const first = await caller.payment.confirm({ ...session, amount: order.amount });
      expect(first.order.status).toBe('IN_DOUBT');
      expect(first.balance).toBe(0);
      expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(0);

      await new Promise((resolve) => setTimeout(resolve, 'ms' in fault ? fault.ms + 300 : 0));
      const second = await caller.payment.confirm({ ...session, amount: order.amount });
      expect(second.order.status).toBe('APPROVED');
      expect(second.balance).toBe(10_000);
      expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(1);
    },
  );
});
