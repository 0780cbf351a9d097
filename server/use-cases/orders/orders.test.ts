import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { anonymousCaller, createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { injectFault, shopperApproves } from '../../test/sandbox';

/** What a learner sees of their payments: order.history, order.detail, order.recheck, and "결제 확인 중". */

const suite = cardSuite({ checkBooks: true });
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const learner = () => signedInCaller(t.db, 'orders', { toss: server.toss(), waitForConfirmMs: 5_000 });
type Learner = Awaited<ReturnType<typeof learner>>;

async function payByCard(who: Learner, order: { orderId: string; amount: number }) {
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  return { session, result: await who.caller.payment.confirm({ ...session, amount: order.amount }) };
}

async function courseByCard(who: Learner, price = 30_000) {
  const course = await createCourse(t.db, price, `카드 강의 ${price}`);
  const order = await who.caller.order.create({ type: 'COURSE', courseId: course.id });
  const { session, result } = await payByCard(who, order);
  expect(result.order.status).toBe('APPROVED');
  return { course, order, session };
}

/** A course whose card confirm got no answer from Toss (a 500): the order is IN_DOUBT. */
async function courseInDoubt(who: Learner, price = 20_000) {
  const course = await createCourse(t.db, price, `확인 중 강의 ${price}`);
  const order = await who.caller.order.create({ type: 'COURSE', courseId: course.id });
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  await injectFault(server.sandboxUrl, {
    match: { orderId: order.orderId },
    action: 'error',
    status: 500,
    times: 1,
  });
  const first = await who.caller.payment.confirm({ ...session, amount: order.amount });
  expect(first.order.status).toBe('IN_DOUBT');
  return { course, order, session };
}

const tossCalls = (orderId: string) => t.db.tossExchange.count({ where: { orderId } });

describe('order.history (내 결제 내역)', () => {
  it('lists balance and card orders, courses and charges, newest first, with the card Toss named', async () => {
    const me = await learner();
    await me.caller.wallet.charge({ amount: 20_000, requestId: randomUUID() });
    const cheap = await createCourse(t.db, 5_000, '잔액 강의');
    const paid = await me.caller.wallet.pay({ courseId: cheap.id, requestId: randomUUID() });
    const { order: card } = await courseByCard(me, 30_000);
    const charge = await me.caller.order.create({ type: 'CHARGE', amount: 10_000 });
    await payByCard(me, charge);

    const { items, nextCursor } = await me.caller.order.history();
    expect(nextCursor).toBeNull();
    expect(items.map((o) => [o.orderId, o.type, o.method, o.amount, o.status])).toEqual([
      [charge.orderId, 'CHARGE', 'CARD', 10_000, 'APPROVED'],
      [card.orderId, 'COURSE', 'CARD', 30_000, 'APPROVED'],
      [paid.orderId, 'COURSE', 'BALANCE', 5_000, 'APPROVED'],
    ]);
    expect(items[1]?.orderName).toBe('카드 강의 30000');
    expect(items[1]?.card).toEqual({ issuerCode: '71', company: null, number: '12345678****000*' });
    expect(items[2]?.card).toBeNull();
  });

  it('another learner never sees my orders, not even through a cursor', async () => {
    const me = await learner();
    const other = await learner();
    const { order } = await courseByCard(me);
    expect((await other.caller.order.history()).items).toEqual([]);
    expect(await reasonOf(other.caller.order.history({ limit: 5, cursor: order.orderId }))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(await reasonOf(other.caller.order.history({ limit: 5, cursor: 'no-such-order' }))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(await reasonOf(anonymousCaller(t.db).order.history())).toBe('UNAUTHORIZED');
  });

  it('pages with a cursor: every order once, in order, then no cursor', async () => {
    const me = await learner();
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(await me.caller.order.create({ type: 'CHARGE', amount: 1_000 + i }));
    const newestFirst = created.map((o) => o.orderId).reverse();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { orderId: string }[]; nextCursor: string | null } = await me.caller.order.history(
        {
          limit: 2,
          cursor,
        },
      );
      seen.push(...page.items.map((o) => o.orderId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(3);
    expect(await reasonOf(me.caller.order.history({ limit: 0 }))).toBe('INVALID_INPUT');
    expect(await reasonOf(me.caller.order.history({ limit: 51 }))).toBe('INVALID_INPUT');
  });
});

describe('order.detail (the order page)', () => {
  it('tells a card purchase: created, sent to Toss, approved; the card and a receipt that shows the amount', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 30_000);
    const detail = await me.caller.order.detail({ orderId: order.orderId });
    expect(detail.events.map((e) => [e.kind, e.attempt, e.outcome])).toEqual([
      ['CREATED', null, null],
      ['CONFIRM_SENT', 1, 'OK'],
      ['APPROVED', null, null],
    ]);
    expect(detail.card?.number).toBe('12345678****000*');
    expect(detail.refundPolicy).toMatchObject({ allowed: true, refusal: null });
    expect(detail.refundPolicy.until?.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);
    expect(detail.receiptUrl).toMatch(/^\/api\/toss-sandbox\/receipts\//);

    const receipt = await fetch(`${server.baseUrl}${detail.receiptUrl}`);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toContain('text/html');
    const text = await receipt.text();
    expect(text).toContain('30,000원');
    expect(text).toContain(order.orderId);
    expect((await fetch(`${server.baseUrl}/api/toss-sandbox/receipts/no-such-key`)).status).toBe(404);
  });

  it('tells each refund with its status, and the policy says no more after it', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 10_000);
    await me.caller.payment.cancel({ orderId: order.orderId, reason: '단순 변심', requestId: randomUUID() });
    const detail = await me.caller.order.detail({ orderId: order.orderId });
    expect(detail.order).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
    expect(detail.refunds).toEqual([
      expect.objectContaining({
        amount: 10_000,
        status: 'DONE',
        destination: 'CARD',
        requestedBy: 'LEARNER',
      }),
    ]);
    expect(detail.events.map((e) => e.kind)).toEqual(['CREATED', 'CONFIRM_SENT', 'APPROVED', 'REFUND']);
    expect(detail.refundPolicy).toMatchObject({ allowed: false, refusal: 'ALREADY_REFUNDED' });
  });

  it('a balance purchase: no Toss, no card, no receipt; an operator’s partial refund is named as such', async () => {
    const me = await learner();
    await me.caller.wallet.charge({ amount: 10_000, requestId: randomUUID() });
    const course = await createCourse(t.db, 8_000);
    const paid = await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    await admin.caller.payment.cancel({ orderId: paid.orderId, reason: '부분 환불', amount: 3_000 });
    const detail = await me.caller.order.detail({ orderId: paid.orderId });
    expect(detail).toMatchObject({ card: null, receiptUrl: null });
    expect(detail.order).toMatchObject({ status: 'PARTIALLY_CANCELED', method: 'BALANCE' });
    expect(detail.events.map((e) => e.kind)).toEqual(['CREATED', 'APPROVED', 'REFUND']);
    expect(detail.refunds[0]).toMatchObject({
      requestedBy: 'OPERATOR',
      destination: 'WALLET',
      status: 'DONE',
    });
    expect(detail.refundPolicy).toMatchObject({ allowed: false, refusal: 'ALREADY_REFUNDED' });
  });

  it('past 7 days the policy refuses, as payment.cancel does', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 10_000);
    await t.db.order.update({
      where: { id: order.orderId },
      data: { approvedAt: new Date(Date.now() - 8 * 24 * 3_600_000) },
    });
    const detail = await me.caller.order.detail({ orderId: order.orderId });
    expect(detail.refundPolicy).toMatchObject({ allowed: false, refusal: 'WINDOW_CLOSED' });
    expect(await reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'x' }))).toBe(
      'REFUND_WINDOW_CLOSED',
    );
  });

  it('another learner’s order is refused exactly like a missing one', async () => {
    const me = await learner();
    const other = await learner();
    const { order } = await courseByCard(me);
    const foreign = await reasonOf(other.caller.order.detail({ orderId: order.orderId }));
    const missing = await reasonOf(other.caller.order.detail({ orderId: 'missing-order-id' }));
    expect(foreign).toBe('ORDER_NOT_FOUND');
    expect(missing).toBe(foreign);
    expect(await reasonOf(other.caller.order.recheck({ orderId: order.orderId }))).toBe('ORDER_NOT_FOUND');
    expect(await reasonOf(anonymousCaller(t.db).order.detail({ orderId: order.orderId }))).toBe(
      'UNAUTHORIZED',
    );
  });
});

describe('a payment being checked (IN_DOUBT)', () => {
  it('shows in the timeline and the catalogue, and "다시 확인" settles it through the janitor’s path', async () => {
    const me = await learner();
    const { course, order } = await courseInDoubt(me);

    const doubtful = await me.caller.order.detail({ orderId: order.orderId });
    expect(doubtful.events.map((e) => [e.kind, e.outcome])).toEqual([
      ['CREATED', null],
      ['CONFIRM_SENT', 'NO_ANSWER'],
      ['IN_DOUBT', null],
    ]);
    expect(doubtful.refundPolicy).toMatchObject({ allowed: false, refusal: 'NOT_PAID' });
    const listed = (await me.caller.course.list()).find((c) => c.id === course.id);
    expect(listed).toMatchObject({ purchased: false, paymentInProgress: true });
    // Nobody else sees my doubt.
    const other = await learner();
    expect((await other.caller.course.list()).find((c) => c.id === course.id)?.paymentInProgress).toBe(false);
    expect(
      (await anonymousCaller(t.db).course.list()).find((c) => c.id === course.id)?.paymentInProgress,
    ).toBe(false);

    const rechecked = await me.caller.order.recheck({ orderId: order.orderId });
    expect(rechecked.status).toBe('APPROVED');
    const settled = await me.caller.order.detail({ orderId: order.orderId });
    expect(settled.events.map((e) => [e.kind, e.outcome])).toEqual([
      ['CREATED', null],
      ['CONFIRM_SENT', 'NO_ANSWER'],
      ['IN_DOUBT', null],
      ['CHECKED_WITH_TOSS', 'OK'],
      ['CONFIRM_SENT', 'OK'],
      ['APPROVED', null],
    ]);
    expect((await me.caller.course.list()).find((c) => c.id === course.id)).toMatchObject({
      purchased: true,
      paymentInProgress: false,
    });

    // Settled: "다시 확인" answers as it stands, without calling Toss.
    const calls = await tossCalls(order.orderId);
    expect((await me.caller.order.recheck({ orderId: order.orderId })).status).toBe('APPROVED');
    expect(await tossCalls(order.orderId)).toBe(calls);
  });

  it('refuses a second purchase of that course, by balance and by card, even both at once', async () => {
    const me = await learner();
    await me.caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const { course } = await courseInDoubt(me, 20_000);
    const attempts = await Promise.all([
      reasonOf(me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() })),
      reasonOf(me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() })),
      reasonOf(me.caller.order.create({ type: 'COURSE', courseId: course.id })),
      reasonOf(me.caller.order.create({ type: 'COURSE', courseId: course.id })),
    ]);
    expect(attempts).toEqual(Array(4).fill('PAYMENT_IN_PROGRESS'));
    expect((await me.caller.wallet.get()).balance).toBe(50_000);
    expect(await t.db.enrollment.count({ where: { courseId: course.id } })).toBe(0);
    // Other courses are still for sale.
    const other = await createCourse(t.db, 1_000);
    expect(await reasonOf(me.caller.wallet.pay({ courseId: other.id, requestId: randomUUID() }))).toBe('OK');
  });

  it('two orders of one course confirmed at once: Toss is asked once, the card charged once', async () => {
    const me = await learner();
    const course = await createCourse(t.db, 15_000);
    const orders = [
      await me.caller.order.create({ type: 'COURSE', courseId: course.id }),
      await me.caller.order.create({ type: 'COURSE', courseId: course.id }),
    ];
    const sessions = await Promise.all(
      orders.map((o) => shopperApproves(server.sandboxUrl, { orderId: o.orderId, amount: o.amount })),
    );
    // Toss answers slowly, so both confirms are in flight together.
    for (const o of orders)
      await injectFault(server.sandboxUrl, {
        match: { orderId: o.orderId },
        action: 'delay',
        ms: 500,
        times: 1,
      });
    const results = await Promise.all(
      sessions.map((session) => reasonOf(me.caller.payment.confirm({ ...session, amount: 15_000 }))),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(1);
    // The second claim meets orders_one_payment_in_progress: refused before Toss is asked.
    expect(results.filter((r) => r !== 'OK')).toEqual(['PAYMENT_IN_PROGRESS']);
    expect(
      await t.db.tossExchange.count({
        where: { orderId: { in: orders.map((o) => o.orderId) }, operation: 'confirm' },
      }),
    ).toBe(1);
    expect(await t.db.enrollment.count({ where: { courseId: course.id } })).toBe(1);
    const statuses = await Promise.all(orders.map((o) => me.caller.order.get({ orderId: o.orderId })));
    expect(statuses.map((o) => o.status).sort()).toEqual(['APPROVED', 'CREATED']);
  });

  it('a balance purchase racing a card confirm of the same course: the learner pays once', async () => {
    const me = await learner();
    await me.caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const course = await createCourse(t.db, 12_000);
    const order = await me.caller.order.create({ type: 'COURSE', courseId: course.id });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: order.orderId,
      amount: order.amount,
    });
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'delay',
      ms: 300,
      times: 1,
    });
    const [card, balance] = await Promise.all([
      reasonOf(me.caller.payment.confirm({ ...session, amount: order.amount })),
      reasonOf(me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() })),
    ]);
    const spentFromBalance = 50_000 - (await me.caller.wallet.get()).balance;
    const atToss = await server.toss().getPayment(session.paymentKey);
    if (atToss.kind !== 'ok') throw new Error('the sandbox did not answer');
    // Not confirmed (IN_PROGRESS) charges nothing; a cancelled approval gave it all back.
    const chargedToCard = atToss.body.status === 'DONE' ? atToss.body.balanceAmount : 0;
    expect(spentFromBalance + chargedToCard).toBe(12_000);
    expect(await t.db.enrollment.count({ where: { courseId: course.id } })).toBe(1);
    expect([card, balance]).toContain('OK');
  });
});
