import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { injectFault, shopperApproves } from '../../test/sandbox';
import { retryRefundsInDoubt } from './refund-at-toss';

const suite = cardSuite();
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const learner = () => signedInCaller(t.db, 'refund', { toss: server.toss(), waitForConfirmMs: 5_000 });
type Learner = Awaited<ReturnType<typeof learner>>;

async function paidByCard(who: Learner, order: { orderId: string; amount: number }) {
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  const paid = await who.caller.payment.confirm({ ...session, amount: order.amount });
  expect(paid.order.status).toBe('APPROVED');
  return session;
}

async function courseByCard(who: Learner, price = 10_000) {
  const course = await createCourse(t.db, price);
  const order = await who.caller.order.create({ type: 'COURSE', courseId: course.id });
  const session = await paidByCard(who, order);
  return { course, order, session };
}

/** A course bought by card, then cancelled while the network drops Toss's answer to the cancel. */
async function cancelWhoseAnswerIsLost() {
  const me = await learner();
  const { order, session } = await courseByCard(me);
  await injectFault(server.sandboxUrl, {
    match: { orderId: order.orderId },
    action: 'drop-response',
    times: 1,
  });
  const first = await me.caller.payment.cancel({ orderId: order.orderId, reason: 'x' });
  return { me, order, session, first };
}

async function tossPayment(paymentKey: string) {
  const payment = await server.toss().getPayment(paymentKey);
  if (payment.kind !== 'ok') throw new Error('lookup failed');
  return payment.body;
}

describe('card refunds', () => {
  it('a learner cancels a course bought by card: Toss refunds, the order is CANCELED, the course is gone', async () => {
    const me = await learner();
    const { course, order, session } = await courseByCard(me);
    const result = await me.caller.payment.cancel({ orderId: order.orderId, reason: '단순 변심' });
    expect(result.refund).toMatchObject({ status: 'DONE', amount: 10_000, destination: 'CARD' });
    expect(result.order).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
    expect((await tossPayment(session.paymentKey)).status).toBe('CANCELED');
    expect((await me.caller.course.list()).find((c) => c.id === course.id)?.purchased).toBe(false);
    expect(await t.db.tossExchange.count({ where: { orderId: order.orderId, operation: 'cancel' } })).toBe(1);
  });

  it('learners refund in full only; admins may refund part, then the rest', async () => {
    const me = await learner();
    const { order, session } = await courseByCard(me, 10_000);
    expect(
      await reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'x', amount: 3_000 })),
    ).toBe('REFUND_WINDOW_CLOSED');
    const partial = await admin.caller.payment.cancel({
      orderId: order.orderId,
      reason: '부분 환불',
      amount: 3_000,
    });
    expect(partial.order).toMatchObject({ status: 'PARTIALLY_CANCELED', refundedAmount: 3_000 });
    expect((await tossPayment(session.paymentKey)).balanceAmount).toBe(7_000);
    expect(
      await reasonOf(admin.caller.payment.cancel({ orderId: order.orderId, reason: 'x', amount: 8_000 })),
    ).toBe('REFUND_EXCEEDS_PAYMENT');
    const rest = await admin.caller.payment.cancel({ orderId: order.orderId, reason: '나머지' });
    expect(rest.order).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
    expect((await tossPayment(session.paymentKey)).balanceAmount).toBe(0);
  });

  it('refuses another learner’s order, and non-admins acting as admins', async () => {
    const owner = await learner();
    const other = await learner();
    const { order } = await courseByCard(owner);
    expect(await reasonOf(other.caller.payment.cancel({ orderId: order.orderId, reason: 'x' }))).toBe(
      'ORDER_NOT_FOUND',
    );
  });

  it('10 concurrent refunds of one payment never refund more than was paid', async () => {
    const me = await learner();
    const { order, session } = await courseByCard(me, 10_000);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        reasonOf(admin.caller.payment.cancel({ orderId: order.orderId, reason: 'race', amount: 3_000 })),
      ),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(3);
    const refunds = await t.db.refund.findMany({ where: { orderId: order.orderId, status: 'DONE' } });
    const refunded = refunds.reduce((sum, r) => sum + r.amount, 0);
    expect(refunded).toBe(9_000);
    expect((await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).refundedAmount).toBe(9_000);
    expect((await tossPayment(session.paymentKey)).balanceAmount).toBe(1_000);
  });

  it('10 concurrent full refunds by the learner refund once', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 10_000);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'race' })),
      ),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(1);
    expect(await t.db.refund.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('replays a refund with the same requestId', async () => {
    const me = await learner();
    const { order } = await courseByCard(me);
    const requestId = randomUUID();
    const first = await me.caller.payment.cancel({ orderId: order.orderId, reason: 'x', requestId });
    const again = await me.caller.payment.cancel({ orderId: order.orderId, reason: 'x', requestId });
    expect(again.refund.id).toBe(first.refund.id);
    expect(await t.db.refund.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('a card wallet charge is cancelled only if the wallet still holds it', async () => {
    const me = await learner();
    const order = await me.caller.order.create({ type: 'CHARGE', amount: 20_000 });
    const session = await paidByCard(me, order);
    const course = await createCourse(t.db, 15_000);
    await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    expect(await reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'x' }))).toBe(
      'INSUFFICIENT_BALANCE',
    );
    expect((await me.caller.wallet.get()).balance).toBe(5_000);
    expect((await tossPayment(session.paymentKey)).status).toBe('DONE');

    const other = await learner();
    const second = await other.caller.order.create({ type: 'CHARGE', amount: 20_000 });
    const secondSession = await paidByCard(other, second);
    const cancelled = await other.caller.payment.cancel({ orderId: second.orderId, reason: '충전 취소' });
    expect(cancelled.order.status).toBe('CANCELED');
    expect((await other.caller.wallet.get()).balance).toBe(0);
    const ledger = await t.db.walletTransaction.findMany({
      where: { userId: other.user.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(ledger.map((e) => [e.type, e.amount])).toEqual([
      ['CHARGE', 20_000],
      ['CHARGE_CANCEL', -20_000],
    ]);
    expect((await tossPayment(secondSession.paymentKey)).status).toBe('CANCELED');
  });

  it('a cancel Toss does not answer stays IN_DOUBT and is retried once with the same key', async () => {
    const { me, order, session, first } = await cancelWhoseAnswerIsLost();
    expect(first.refund.status).toBe('IN_DOUBT');
    expect(first.order.status).toBe('APPROVED');
    // Past the give-up age, but answered now: booked, and nobody is told of a doubt that is gone.
    await retryRefundsInDoubt({ db: t.db, toss: server.toss(), waitForConfirmMs: 0 }, { giveUpMs: 0 });
    expect((await me.caller.order.get({ orderId: order.orderId })).status).toBe('CANCELED');
    expect((await tossPayment(session.paymentKey)).cancels).toHaveLength(1);
    expect(await t.db.operatorAlert.count({ where: { orderId: order.orderId } })).toBe(0);
  });
});

describe('refunds cut short', () => {
  it('a refund whose booking never happened (process died) is finished by the janitor', async () => {
    const { me, order, session, first } = await cancelWhoseAnswerIsLost();
    await t.db
      .$executeRaw`UPDATE refund SET status = 'REQUESTED', updated_at = now() - interval '1 hour' WHERE id = ${first.refund.id}::uuid`;
    await retryRefundsInDoubt({ db: t.db, toss: server.toss(), waitForConfirmMs: 0 }, { staleMs: 1_000 });
    expect((await me.caller.order.get({ orderId: order.orderId })).status).toBe('CANCELED');
    expect((await tossPayment(session.paymentKey)).cancels).toHaveLength(1);
  });

  it('a refund still unanswered does not make the order fully cancelled, and is booked once by two janitors', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 10_000);
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 500,
      times: 1,
    });
    const pending = await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'A', amount: 6_000 });
    expect(pending.refund.status).toBe('IN_DOUBT');
    const done = await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'B', amount: 4_000 });
    expect(done.order.status).toBe('PARTIALLY_CANCELED');
    expect(await t.db.enrollment.count({ where: { orderId: order.orderId } })).toBe(1);

    // Toss now refuses A; two janitors hear it at once; the reservation is released once.
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 2,
    });
    const deps = { db: t.db, toss: server.toss(), waitForConfirmMs: 0 };
    await Promise.all([retryRefundsInDoubt(deps), retryRefundsInDoubt(deps)]);
    const after = await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } });
    expect(after).toMatchObject({ status: 'PARTIALLY_CANCELED', refundedAmount: 4_000 });
    expect((await t.db.refund.findUniqueOrThrow({ where: { id: pending.refund.id } })).status).toBe('FAILED');
  });
});

describe('balance refunds', () => {
  it('refunds a balance purchase to the wallet as a REFUND entry, exactly once, and ends the enrollment', async () => {
    const me = await learner();
    const course = await createCourse(t.db, 30_000);
    await me.caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const paid = await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        reasonOf(me.caller.payment.cancel({ orderId: paid.orderId, reason: 'x' })),
      ),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(1);
    expect((await me.caller.wallet.get()).balance).toBe(50_000);
    const refunds = await t.db.walletTransaction.findMany({ where: { userId: me.user.id, type: 'REFUND' } });
    expect(refunds.map((r) => r.amount)).toEqual([30_000]);
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(0);
  });

  it('owes the refund by bank transfer when the wallet cannot hold it, and tells an operator', async () => {
    const me = await learner();
    const course = await createCourse(t.db, 30_000);
    await me.caller.wallet.charge({ amount: 30_000, requestId: randomUUID() });
    const paid = await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    await me.caller.wallet.charge({ amount: 90_000, requestId: randomUUID() });
    const result = await me.caller.payment.cancel({ orderId: paid.orderId, reason: 'x' });
    expect(result.refund).toMatchObject({ destination: 'BANK_TRANSFER', status: 'DONE' });
    expect(result.order.status).toBe('CANCELED');
    expect((await me.caller.wallet.get()).balance).toBe(90_000);
    expect(await t.db.operatorAlert.count({ where: { orderId: paid.orderId } })).toBe(1);
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(0);
  });

  it('goes back to the wallet, not to Toss: destination WALLET, no alert, no Toss call, the course named in the ledger', async () => {
    const me = await learner();
    const course = await createCourse(t.db, 12_000);
    await me.caller.wallet.charge({ amount: 20_000, requestId: randomUUID() });
    const paid = await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    const result = await me.caller.payment.cancel({ orderId: paid.orderId, reason: '단순 변심' });
    expect(result.refund).toMatchObject({ destination: 'WALLET', status: 'DONE', amount: 12_000 });
    expect(await t.db.operatorAlert.count({ where: { orderId: paid.orderId } })).toBe(0);
    expect(await t.db.tossExchange.count({ where: { orderId: paid.orderId } })).toBe(0);
    const entry = await t.db.walletTransaction.findFirstOrThrow({
      where: { userId: me.user.id, type: 'REFUND' },
    });
    expect(entry).toMatchObject({
      amount: 12_000,
      orderId: paid.orderId,
      courseId: course.id,
      balanceAfter: 20_000,
    });
  });
});

describe('a cancel Toss refuses', () => {
  it('is refused to the learner as NOT_REFUNDABLE and changes nothing: the order stays paid, nothing reserved', async () => {
    const me = await learner();
    const { course, order } = await courseByCard(me, 9_000);
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 1,
    });
    expect(await reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'x' }))).toBe(
      'NOT_REFUNDABLE',
    );
    const after = await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } });
    expect(after).toMatchObject({ status: 'APPROVED', refundedAmount: 0 });
    expect(await t.db.refund.findMany({ where: { orderId: order.orderId } })).toEqual([
      expect.objectContaining({ status: 'FAILED', failureCode: 'NOT_CANCELABLE_PAYMENT' }),
    ]);
    expect((await me.caller.course.list()).find((c) => c.id === course.id)?.purchased).toBe(true);
    // A course's refused cancel gives nothing to the wallet (only a card charge's does).
    expect(await t.db.walletTransaction.count({ where: { userId: me.user.id } })).toBe(0);
    expect(await t.db.operatorAlert.count({ where: { orderId: order.orderId } })).toBe(0);
  });
});

describe('a card charge whose cancel Toss refuses', () => {
  it('gives the won back to the wallet, and no operator is needed', async () => {
    const me = await learner();
    const order = await me.caller.order.create({ type: 'CHARGE', amount: 20_000 });
    await paidByCard(me, order);
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 1,
    });
    expect(await reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'x' }))).toBe(
      'NOT_REFUNDABLE',
    );
    expect((await me.caller.wallet.get()).balance).toBe(20_000);
    expect(await t.db.operatorAlert.count({ where: { orderId: order.orderId } })).toBe(0);
  });

  it('tells an operator when the wallet filled up meanwhile and cannot take the won back', async () => {
    const me = await learner();
    const order = await me.caller.order.create({ type: 'CHARGE', amount: 50_000 });
    await paidByCard(me, order);
    // The cancel gets no answer: the charge is already out of the wallet, the refund in doubt.
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 500,
      times: 1,
    });
    const first = await me.caller.payment.cancel({ orderId: order.orderId, reason: 'x' });
    expect(first.refund.status).toBe('IN_DOUBT');
    expect((await me.caller.wallet.get()).balance).toBe(0);
    // Meanwhile the learner fills the wallet; then Toss refuses the retried cancel.
    await me.caller.wallet.charge({ amount: 60_000, requestId: randomUUID() });
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 1,
    });
    await retryRefundsInDoubt({ db: t.db, toss: server.toss(), waitForConfirmMs: 0 }, { staleMs: 0 });
    expect((await me.caller.wallet.get()).balance).toBe(60_000);
    expect(
      (await t.db.operatorAlert.findMany({ where: { orderId: order.orderId } })).map((a) => a.kind),
    ).toEqual([`REFUND_REVERT:${first.refund.id}`]);
  });
});

describe('a refund of a payment in doubt', () => {
  async function courseInDoubt(who: Learner) {
    const course = await createCourse(t.db, 11_000);
    const order = await who.caller.order.create({ type: 'COURSE', courseId: course.id });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: order.orderId,
      amount: order.amount,
    });
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 500,
      times: 1,
    });
    const first = await who.caller.payment.confirm({ ...session, amount: order.amount });
    expect(first.order.status).toBe('IN_DOUBT');
    return { course, order };
  }

  it('settles the doubt with Toss first, then refunds what Toss approved', async () => {
    const me = await learner();
    const { order } = await courseInDoubt(me);
    const result = await admin.caller.payment.cancel({ orderId: order.orderId, reason: '확인 후 환불' });
    expect(result.refund).toMatchObject({ status: 'DONE', amount: 11_000, destination: 'CARD' });
    expect(result.order).toMatchObject({ status: 'CANCELED', refundedAmount: 11_000 });
  });

  it('is refused as PAYMENT_IN_DOUBT while Toss still cannot say, and nothing is reserved', async () => {
    const me = await learner();
    const { order } = await courseInDoubt(me);
    await injectFault(server.sandboxUrl, { match: { orderId: order.orderId }, action: 'error', status: 500 });
    expect(await reasonOf(admin.caller.payment.cancel({ orderId: order.orderId, reason: 'x' }))).toBe(
      'PAYMENT_IN_DOUBT',
    );
    expect(await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).toMatchObject({
      status: 'IN_DOUBT',
      refundedAmount: 0,
    });
    expect(await t.db.refund.count({ where: { orderId: order.orderId } })).toBe(0);
  });
});
