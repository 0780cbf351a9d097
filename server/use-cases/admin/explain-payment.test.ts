import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordDelivery } from '../../building-blocks/webhook/webhook-delivery.repository';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { injectFault, shopperApproves } from '../../test/sandbox';

/** The operator's payment console: admin.findPayments, admin.explainPayment, admin.recheckPayment, refunds. */

const suite = cardSuite({ checkBooks: true });
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const learner = () => signedInCaller(t.db, 'explain', { toss: server.toss(), waitForConfirmMs: 5_000 });
type Learner = Awaited<ReturnType<typeof learner>>;

async function courseByCard(who: Learner, price = 30_000, fault?: 'no-answer') {
  const course = await createCourse(t.db, price, `설명 강의 ${randomUUID().slice(0, 6)}`);
  const order = await who.caller.order.create({ type: 'COURSE', courseId: course.id });
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  if (fault) {
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 500,
      times: 1,
    });
  }
  const result = await who.caller.payment.confirm({ ...session, amount: order.amount });
  expect(result.order.status).toBe(fault ? 'IN_DOUBT' : 'APPROVED');
  return { course, order: result.order, session };
}

const auditOf = (orderId: string) =>
  t.db.adminAction.findMany({ where: { subjectId: orderId }, orderBy: { createdAt: 'asc' } });

describe('only admins', () => {
  it('refuses a learner every operator payment procedure, and asks Toss nothing', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 10_000, 'no-answer');
    const exchanges = await t.db.tossExchange.count({ where: { orderId: order.orderId } });
    for (const call of [
      me.caller.admin.findPayments({ query: me.user.email }),
      me.caller.admin.explainPayment({ orderId: order.orderId }),
      me.caller.admin.recheckPayment({ orderId: order.orderId }),
    ]) {
      expect(await reasonOf(call)).toBe('FORBIDDEN');
    }
    expect(await t.db.tossExchange.count({ where: { orderId: order.orderId } })).toBe(exchanges);
    expect((await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).status).toBe('IN_DOUBT');
    expect(await auditOf(order.orderId)).toEqual([]);
  });
});

describe('admin.findPayments', () => {
  it('finds an order by its number, by its Toss paymentKey, and a learner by email in any case', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 12_000);
    const cheap = await createCourse(t.db, 3_000, '잔액 강의');
    await me.caller.wallet.charge({ amount: 5_000, requestId: randomUUID() });
    const byBalance = await me.caller.wallet.pay({ courseId: cheap.id, requestId: randomUUID() });

    const byId = await admin.caller.admin.findPayments({ query: `  ${order.orderId} ` });
    expect(byId.map((o) => [o.orderId, o.email, o.status, o.amount])).toEqual([
      [order.orderId, me.user.email, 'APPROVED', 12_000],
    ]);
    const paymentKey = order.paymentKey as string;
    expect((await admin.caller.admin.findPayments({ query: paymentKey })).map((o) => o.orderId)).toEqual([
      order.orderId,
    ]);
    const byEmail = await admin.caller.admin.findPayments({ query: me.user.email.toUpperCase() });
    expect(byEmail.map((o) => [o.orderId, o.method])).toEqual([
      [byBalance.orderId, 'BALANCE'],
      [order.orderId, 'CARD'],
    ]);
  });

  it('finds nothing for an unknown key or email, and refuses an empty search in Korean', async () => {
    expect(await admin.caller.admin.findPayments({ query: 'order-does-not-exist' })).toEqual([]);
    expect(await admin.caller.admin.findPayments({ query: 'nobody@example.com' })).toEqual([]);
    const refusal = await admin.caller.admin.findPayments({ query: '   ' }).catch((e: unknown) => e);
    expect(String((refusal as Error).message)).toContain(
      '주문 번호, 결제 키(paymentKey) 또는 이메일을 입력해 주세요.',
    );
  });
});

describe('admin.explainPayment', () => {
  it('tells a card order whole: the learner, the timeline, Toss exchanges masked, webhooks, refunds and who refunded', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 30_000);
    await recordDelivery(t.db, {
      transmissionId: randomUUID(),
      eventType: 'PAYMENT_STATUS_CHANGED',
      orderId: order.orderId,
      payload: {
        eventType: 'PAYMENT_STATUS_CHANGED',
        data: { orderId: order.orderId, secret: 'ps_abcdefgh1234' },
      },
    });

    const refunded = await admin.caller.payment.cancel({
      orderId: order.orderId,
      reason: '강의 일부 제공 불가',
      amount: 10_000,
      requestId: randomUUID(),
    });
    expect(refunded.order.status).toBe('PARTIALLY_CANCELED');

    const explained = await admin.caller.admin.explainPayment({ orderId: order.orderId });
    expect(explained.learner?.email).toBe(me.user.email);
    expect(explained.order).toMatchObject({ status: 'PARTIALLY_CANCELED', refundedAmount: 10_000 });
    expect(explained.events.map((e) => e.kind)).toEqual(['CREATED', 'CONFIRM_SENT', 'APPROVED', 'REFUND']);
    expect(explained.refunds).toEqual([
      expect.objectContaining({ amount: 10_000, status: 'DONE', requestedBy: 'OPERATOR' }),
    ]);

    // Then, maybe, a lookup: the sandbox's webhook about the cancel makes us read the payment again.
    expect(explained.exchanges.slice(0, 2).map((e) => [e.operation, e.responseStatus])).toEqual([
      ['confirm', 200],
      ['cancel', 200],
    ]);
    const confirm = explained.exchanges[0];
    expect(confirm?.requestBody).toMatchObject({ orderId: order.orderId, amount: 30_000 });
    // The card number as Toss stored it is 12345678****000*: only its last four characters are shown.
    expect(confirm?.responseBody).toMatchObject({ card: { number: '************000*' } });
    expect(JSON.stringify(explained.exchanges)).not.toContain('12345678');

    expect(explained.webhooks).toEqual([
      expect.objectContaining({
        eventType: 'PAYMENT_STATUS_CHANGED',
        payload: {
          eventType: 'PAYMENT_STATUS_CHANGED',
          data: { orderId: order.orderId, secret: '***********1234' },
        },
      }),
    ]);

    expect(explained.actions).toEqual([
      expect.objectContaining({
        action: 'ORDER_REFUND',
        adminEmail: admin.user.email,
        reason: '강의 일부 제공 불가',
        details: expect.objectContaining({ amount: 10_000, refundedBefore: 0, refundedAfter: 10_000 }),
      }),
    ]);
  });

  it('records no admin action when the learner refunds their own order', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 8_000);
    await me.caller.payment.cancel({ orderId: order.orderId, reason: '단순 변심', requestId: randomUUID() });
    const explained = await admin.caller.admin.explainPayment({ orderId: order.orderId });
    expect(explained.order.status).toBe('CANCELED');
    expect(explained.refunds).toEqual([expect.objectContaining({ requestedBy: 'LEARNER', amount: 8_000 })]);
    expect(explained.actions).toEqual([]);
  });

  it('answers ORDER_NOT_FOUND for an order that does not exist', async () => {
    expect(await reasonOf(admin.caller.admin.explainPayment({ orderId: 'order-not-here-1' }))).toBe(
      'ORDER_NOT_FOUND',
    );
  });
});

describe('admin.recheckPayment', () => {
  it('settles an order in doubt by asking Toss, and the audit log says who asked and what changed', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 15_000, 'no-answer');

    const rechecked = await admin.caller.admin.recheckPayment({ orderId: order.orderId });
    expect(rechecked).toMatchObject({ askedToss: true, order: { status: 'APPROVED' } });
    expect(await t.db.enrollment.count({ where: { orderId: order.orderId } })).toBe(1);
    expect(await auditOf(order.orderId)).toEqual([
      expect.objectContaining({
        action: 'ORDER_RECHECK',
        adminEmail: admin.user.email,
        details: { statusBefore: 'IN_DOUBT', statusAfter: 'APPROVED' },
      }),
    ]);

    // Settled now: answered as it stands, Toss is not asked again and nothing more is logged.
    const exchanges = await t.db.tossExchange.count({ where: { orderId: order.orderId } });
    const again = await admin.caller.admin.recheckPayment({ orderId: order.orderId });
    expect(again).toMatchObject({ askedToss: false, order: { status: 'APPROVED' } });
    expect(await t.db.tossExchange.count({ where: { orderId: order.orderId } })).toBe(exchanges);
    expect(await auditOf(order.orderId)).toHaveLength(1);
  });
});
