import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { cancelInMerchantConsole, shopperApproves } from '../../test/sandbox';
import { settleCancelsMadeAtToss } from './cancels-made-at-toss';

/**
 * payment.confirm is idempotent by order: confirming again after later events (the order refunded in
 * part or in full, the course bought again by balance, the charge cancelled or spent, a cancel made at
 * Toss) never asks Toss again and never applies the effect again. It answers the same order (its id,
 * payment and approval) as it now stands, with the wallet's balance now, or a refusal that says why.
 */

const suite = cardSuite({ checkBooks: true });
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const learner = () =>
  signedInCaller(t.db, 'confirm-replay', { toss: server.toss(), waitForConfirmMs: 5_000 });
type Learner = Awaited<ReturnType<typeof learner>>;
type Session = { paymentKey: string; orderId: string; amount: number };

async function books(userId: string, orderId: string) {
  const [ledger, enrollments, payments, wallet, confirms] = await Promise.all([
    t.db.walletTransaction.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    t.db.enrollment.findMany({ where: { userId } }),
    t.db.payment.findMany({ where: { order: { userId } } }),
    t.db.wallet.findUnique({ where: { userId } }),
    t.db.tossExchange.count({ where: { orderId, operation: 'confirm' } }),
  ]);
  return { ledger, enrollments, payments, balance: wallet?.balance ?? 0, confirms };
}

/** Confirms `session` again; checks that nothing changed and that the answer is the order as it stands. */
async function confirmAgain(who: Learner, session: Session, first: { order: object }) {
  const before = await books(who.user.id, session.orderId);
  const answer = await who.caller.payment.confirm(session);
  expect(await books(who.user.id, session.orderId)).toEqual(before);
  const order = await who.caller.order.get({ orderId: session.orderId });
  expect(answer).toEqual({ order, balance: before.balance });
  const { status: _s, refundedAmount: _r, updatedAt: _u, ...unchanged } = first.order as typeof order;
  expect(answer.order).toMatchObject(unchanged);
  return answer;
}

async function payByCard(who: Learner, order: { orderId: string; amount: number }) {
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  const first = await who.caller.payment.confirm(session);
  expect(first.order.status).toBe('APPROVED');
  return { session, first };
}

async function courseByCard(price = 10_000) {
  const me = await learner();
  const course = await createCourse(t.db, price);
  const order = await me.caller.order.create({ type: 'COURSE', courseId: course.id });
  return { me, course, ...(await payByCard(me, order)) };
}

async function chargeByCard(amount = 20_000) {
  const me = await learner();
  const order = await me.caller.order.create({ type: 'CHARGE', amount });
  return { me, ...(await payByCard(me, order)) };
}

describe('confirming a course bought by card again', () => {
  it('after the learner refunded it: CANCELED, no enrollment given back', async () => {
    const { me, session, first } = await courseByCard();
    await me.caller.payment.cancel({ orderId: session.orderId, reason: 'x' });
    const again = await confirmAgain(me, session, first);
    expect(again.order.status).toBe('CANCELED');
    expect((await books(me.user.id, session.orderId)).enrollments).toEqual([]);
  });

  it('after a partial refund: PARTIALLY_CANCELED, one enrollment', async () => {
    const { me, session, first } = await courseByCard();
    await admin.caller.payment.cancel({ orderId: session.orderId, reason: 'x', amount: 4_000 });
    const again = await confirmAgain(me, session, first);
    expect(again.order).toMatchObject({ status: 'PARTIALLY_CANCELED', refundedAmount: 4_000 });
    expect((await books(me.user.id, session.orderId)).enrollments).toHaveLength(1);
  });

  it('after a refund and the course bought again with the balance: the card order stays CANCELED', async () => {
    const { me, course, session, first } = await courseByCard();
    await me.caller.payment.cancel({ orderId: session.orderId, reason: 'x' });
    await me.caller.wallet.charge({ amount: 10_000, requestId: randomUUID() });
    const rebought = await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    const again = await confirmAgain(me, session, first);
    expect(again.order.status).toBe('CANCELED');
    expect((await books(me.user.id, session.orderId)).enrollments).toEqual([
      expect.objectContaining({ orderId: rebought.orderId }),
    ]);
  });

  it('after it was cancelled at Toss (merchant console) and booked: CANCELED', async () => {
    const { me, session, first } = await courseByCard();
    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, { cancelReason: '콘솔' });
    expect(
      await settleCancelsMadeAtToss({ db: t.db, toss: server.toss(), waitForConfirmMs: 0 }, session.orderId),
    ).toBe('booked');
    expect((await confirmAgain(me, session, first)).order.status).toBe('CANCELED');
  });

  it('with another amount or paymentKey after the refund: refused, saying why', async () => {
    const { me, session } = await courseByCard();
    await me.caller.payment.cancel({ orderId: session.orderId, reason: 'x' });
    const before = await books(me.user.id, session.orderId);
    expect(await reasonOf(me.caller.payment.confirm({ ...session, amount: session.amount + 1 }))).toBe(
      'AMOUNT_MISMATCH',
    );
    expect(
      await reasonOf(me.caller.payment.confirm({ ...session, paymentKey: `${session.paymentKey}x` })),
    ).toBe('ORDER_NOT_PAYABLE');
    expect(await books(me.user.id, session.orderId)).toEqual(before);
  });
});

describe('confirming a wallet charge by card again', () => {
  it('after the charge was spent: APPROVED, credited once', async () => {
    const { me, session, first } = await chargeByCard(20_000);
    await me.caller.wallet.pay({ courseId: (await createCourse(t.db, 15_000)).id, requestId: randomUUID() });
    const again = await confirmAgain(me, session, first);
    expect(again).toMatchObject({ order: { status: 'APPROVED' }, balance: 5_000 });
    expect((await books(me.user.id, session.orderId)).ledger.map((e) => e.type)).toEqual([
      'CHARGE',
      'PAYMENT',
    ]);
  });

  it('after the charge was cancelled: CANCELED, neither credited nor taken back twice', async () => {
    const { me, session, first } = await chargeByCard(20_000);
    await me.caller.payment.cancel({ orderId: session.orderId, reason: '충전 취소' });
    const again = await confirmAgain(me, session, first);
    expect(again).toMatchObject({ order: { status: 'CANCELED' }, balance: 0 });
    const ledger = (await books(me.user.id, session.orderId)).ledger;
    expect(ledger.map((e) => [e.type, e.amount])).toEqual([
      ['CHARGE', 20_000],
      ['CHARGE_CANCEL', -20_000],
    ]);
  });

  it('after Toss refused it: still PAYMENT_FAILED, Toss not asked again, nothing credited', async () => {
    const me = await learner();
    const order = await me.caller.order.create({ type: 'CHARGE', amount: 5_000 });
    const session = { paymentKey: 'no-such-key', orderId: order.orderId, amount: order.amount };
    expect(await reasonOf(me.caller.payment.confirm(session))).toBe('PAYMENT_FAILED');
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    const before = await books(me.user.id, order.orderId);
    expect(before.confirms).toBe(1);
    expect(await reasonOf(me.caller.payment.confirm(session))).toBe('PAYMENT_FAILED');
    expect(await books(me.user.id, order.orderId)).toEqual(before);
  });
});
