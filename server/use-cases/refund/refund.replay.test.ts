import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { cancelInMerchantConsole, injectFault, shopperApproves } from '../../test/sandbox';
import { settleCancelsMadeAtToss } from '../card/cancels-made-at-toss';
import { retryRefundsInDoubt } from './refund-at-toss';

/**
 * Retrying payment.cancel with its requestId after later events (another refund, the order cancelled
 * in full, a purchase again, the balance moved, Toss settling or refusing, a cancel made at Toss)
 * answers the same refund, as it now stands, or a refusal that says why; never a 500, and nothing is
 * refunded, sent to Toss or taken from the wallet twice. The same requestId for another refund is
 * IDEMPOTENCY_KEY_REUSED.
 */

const suite = cardSuite({ checkBooks: true });
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const learner = () => signedInCaller(t.db, 'refund-replay', { toss: server.toss(), waitForConfirmMs: 5_000 });
type Caller = Awaited<ReturnType<typeof learner>>;
type CancelInput = Parameters<Caller['caller']['payment']['cancel']>[0];
const deps = () => ({ db: t.db, toss: server.toss(), waitForConfirmMs: 0 });

/** Everything a replayed refund must leave as it found: refunds, order, ledger, enrollments, Toss calls. */
async function books(userId: string, orderId: string) {
  const [refunds, order, ledger, enrollments, wallet, tossCancels] = await Promise.all([
    t.db.refund.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } }),
    t.db.order.findUniqueOrThrow({ where: { id: orderId } }),
    t.db.walletTransaction.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    t.db.enrollment.findMany({ where: { userId } }),
    t.db.wallet.findUnique({ where: { userId } }),
    t.db.tossExchange.count({ where: { orderId, operation: 'cancel' } }),
  ]);
  return { refunds, order, ledger, enrollments, balance: wallet?.balance ?? 0, tossCancels };
}

/** Replays a cancel: it must change nothing. Returns how it ended and its answer. */
async function replay(who: Caller, input: CancelInput) {
  const before = await books(who.user.id, input.orderId);
  let answer: Awaited<ReturnType<Caller['caller']['payment']['cancel']>> | undefined;
  const reason = await reasonOf(
    who.caller.payment.cancel(input).then((value) => {
      answer = value;
    }),
  );
  expect(await books(who.user.id, input.orderId)).toEqual(before);
  return { reason, answer };
}

/** The same refund as first answered, with its status and the order as they now stand. */
async function expectSameRefund(
  replayed: Awaited<ReturnType<typeof replay>>,
  first: { refund: { id: string; amount: number } },
) {
  expect(replayed.reason).toBe('OK');
  const refund = await t.db.refund.findUniqueOrThrow({ where: { id: first.refund.id } });
  const order = await t.db.order.findUniqueOrThrow({ where: { id: refund.orderId } });
  expect(replayed.answer?.refund).toEqual({ ...first.refund, status: refund.status });
  expect(replayed.answer?.order).toMatchObject({
    orderId: order.id,
    status: order.status,
    refundedAmount: order.refundedAmount,
  });
}

async function balancePurchase(price = 20_000) {
  const me = await learner();
  await me.caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
  const course = await createCourse(t.db, price);
  const paid = await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
  return { me, course, orderId: paid.orderId };
}

async function byCard(who: Caller, order: { orderId: string; amount: number }) {
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  const paid = await who.caller.payment.confirm({ ...session, amount: order.amount });
  expect(paid.order.status).toBe('APPROVED');
  return session;
}

async function courseByCard(price = 10_000) {
  const me = await learner();
  const course = await createCourse(t.db, price);
  const order = await me.caller.order.create({ type: 'COURSE', courseId: course.id });
  return { me, course, orderId: order.orderId, session: await byCard(me, order) };
}

async function chargeByCard(amount = 20_000) {
  const me = await learner();
  const order = await me.caller.order.create({ type: 'CHARGE', amount });
  return { me, orderId: order.orderId, session: await byCard(me, order) };
}

describe('a balance purchase’s refund, retried', () => {
  it('after the learner bought the course again: the same refund, nothing refunded twice', async () => {
    const { me, course, orderId } = await balancePurchase();
    const input = { orderId, reason: 'changed my mind', requestId: randomUUID() };
    const first = await me.caller.payment.cancel(input);
    expect(first.order.status).toBe('CANCELED');
    await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });

    await expectSameRefund(await replay(me, input), first);
    const after = await books(me.user.id, orderId);
    expect(after.ledger.map((e) => e.type)).toEqual(['CHARGE', 'PAYMENT', 'REFUND', 'PAYMENT']);
    expect(after.balance).toBe(30_000);
  });

  it('after a second refund finished the order: each part answers itself', async () => {
    const { me, orderId } = await balancePurchase();
    const part = { orderId, reason: 'part', amount: 5_000, requestId: randomUUID() };
    const rest = { orderId, reason: 'rest', requestId: randomUUID() };
    const firstPart = await admin.caller.payment.cancel(part);
    expect(firstPart.order.status).toBe('PARTIALLY_CANCELED');
    const firstRest = await admin.caller.payment.cancel(rest);
    expect(firstRest.refund.amount).toBe(15_000);

    await expectSameRefund(await replay(admin, part), firstPart);
    await expectSameRefund(await replay(admin, rest), firstRest);
    expect((await books(me.user.id, orderId)).balance).toBe(50_000);
  });

  it('owed by bank transfer, after the wallet made room: still owed, never credited', async () => {
    const { me, orderId } = await balancePurchase();
    await me.caller.wallet.charge({ amount: 70_000, requestId: randomUUID() });
    const input = { orderId, reason: 'x', requestId: randomUUID() };
    const first = await me.caller.payment.cancel(input);
    expect(first.refund.destination).toBe('BANK_TRANSFER');
    await me.caller.wallet.pay({ courseId: (await createCourse(t.db, 60_000)).id, requestId: randomUUID() });

    await expectSameRefund(await replay(me, input), first);
    expect((await books(me.user.id, orderId)).ledger.filter((e) => e.type === 'REFUND')).toEqual([]);
  });

  it('by the learner after the 7-day window closed: the same refund', async () => {
    const { me, orderId } = await balancePurchase();
    const input = { orderId, reason: 'x', requestId: randomUUID() };
    const first = await me.caller.payment.cancel(input);
    await t.db.order.update({
      where: { id: orderId },
      data: { approvedAt: new Date(Date.now() - 8 * 86_400_000) },
    });
    await expectSameRefund(await replay(me, input), first);
  });

  it('with another amount, reason or requester: IDEMPOTENCY_KEY_REUSED, nothing refunded', async () => {
    const { me, orderId } = await balancePurchase();
    const input = { orderId, reason: 'part', amount: 5_000, requestId: randomUUID() };
    await admin.caller.payment.cancel(input);

    expect((await replay(admin, { ...input, amount: 6_000 })).reason).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await replay(admin, { ...input, amount: undefined })).reason).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await replay(admin, { ...input, reason: 'other' })).reason).toBe('IDEMPOTENCY_KEY_REUSED');
    const { amount: _amount, ...learnersOwn } = input;
    expect((await replay(me, learnersOwn)).reason).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await books(me.user.id, orderId)).refunds).toHaveLength(1);
  });

  it('a full refund asked without an amount replays without one, and refuses one named', async () => {
    const { me, orderId } = await balancePurchase();
    const input = { orderId, reason: 'x', requestId: randomUUID() };
    const first = await me.caller.payment.cancel(input);
    await expectSameRefund(await replay(me, input), first);
    expect((await replay(me, { ...input, amount: 20_000 })).reason).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('sent 8 times at once: one refund, and every answer is that refund', async () => {
    const { me, orderId } = await balancePurchase();
    const input = { orderId, reason: 'race', amount: 4_000, requestId: randomUUID() };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        admin.caller.payment.cancel(input).then(
          (result) => result.refund.id,
          (error: unknown) => reasonOf(Promise.reject(error)),
        ),
      ),
    );
    const refunds = (await books(me.user.id, orderId)).refunds;
    expect(refunds).toHaveLength(1);
    expect(answers).toEqual(Array(8).fill(refunds[0]?.id));
    expect((await books(me.user.id, orderId)).balance).toBe(34_000);
  });
});

describe('a card refund, retried', () => {
  it('after a second refund finished the order: the same refund, no second cancel at Toss', async () => {
    const { me, orderId } = await courseByCard(10_000);
    const part = { orderId, reason: 'part', amount: 3_000, requestId: randomUUID() };
    const firstPart = await admin.caller.payment.cancel(part);
    await admin.caller.payment.cancel({ orderId, reason: 'rest', requestId: randomUUID() });

    await expectSameRefund(await replay(admin, part), firstPart);
    const after = await books(me.user.id, orderId);
    expect(after.order.status).toBe('CANCELED');
    expect(after.tossCancels).toBe(2);
  });

  it('a card charge’s cancel, after the wallet was spent: the same refund, taken from the wallet once', async () => {
    const { me, orderId } = await chargeByCard(20_000);
    const input = { orderId, reason: '충전 취소', requestId: randomUUID() };
    const first = await me.caller.payment.cancel(input);
    expect(first.order.status).toBe('CANCELED');
    await me.caller.wallet.charge({ amount: 30_000, requestId: randomUUID() });
    await me.caller.wallet.pay({ courseId: (await createCourse(t.db, 25_000)).id, requestId: randomUUID() });

    await expectSameRefund(await replay(me, input), first);
    const ledger = (await books(me.user.id, orderId)).ledger.map((e) => [e.type, e.amount]);
    expect(ledger).toEqual([
      ['CHARGE', 20_000],
      ['CHARGE_CANCEL', -20_000],
      ['CHARGE', 30_000],
      ['PAYMENT', -25_000],
    ]);
  });

  it('a purchase paid from the wallet, retried after a card charge in it was cancelled: its first answer', async () => {
    const { me, orderId } = await chargeByCard(20_000);
    await me.caller.wallet.charge({ amount: 10_000, requestId: randomUUID() });
    const purchase = { courseId: (await createCourse(t.db, 5_000)).id, requestId: randomUUID() };
    const paid = await me.caller.wallet.pay(purchase);
    await me.caller.payment.cancel({ orderId, reason: '충전 취소' });
    const before = await books(me.user.id, orderId);
    expect(await me.caller.wallet.pay(purchase)).toEqual(paid);
    expect(await books(me.user.id, orderId)).toEqual(before);
    expect(before.balance).toBe(5_000);
  });

  it('a charge cancel refused for the balance records nothing: retried once the wallet holds it, it goes through once', async () => {
    const { me, orderId } = await chargeByCard(20_000);
    await me.caller.wallet.pay({ courseId: (await createCourse(t.db, 15_000)).id, requestId: randomUUID() });
    const input = { orderId, reason: '충전 취소', requestId: randomUUID() };
    expect(await reasonOf(me.caller.payment.cancel(input))).toBe('INSUFFICIENT_BALANCE');
    expect((await books(me.user.id, orderId)).refunds).toEqual([]);
    await me.caller.wallet.charge({ amount: 15_000, requestId: randomUUID() });

    const first = await me.caller.payment.cancel(input);
    expect(first.order.status).toBe('CANCELED');
    await expectSameRefund(await replay(me, input), first);
    const after = await books(me.user.id, orderId);
    expect(after.ledger.filter((e) => e.type === 'CHARGE_CANCEL')).toHaveLength(1);
    expect(after.balance).toBe(0);
  });

  it('left in doubt, after the janitor settled it: the same refund, now DONE', async () => {
    const { me, orderId } = await courseByCard(10_000);
    await injectFault(server.sandboxUrl, { match: { orderId }, action: 'drop-response', times: 1 });
    const input = { orderId, reason: 'x', requestId: randomUUID() };
    const first = await me.caller.payment.cancel(input);
    expect(first.refund.status).toBe('IN_DOUBT');
    await retryRefundsInDoubt(deps());

    const again = await replay(me, input);
    await expectSameRefund(again, first);
    expect(again.answer).toMatchObject({ refund: { status: 'DONE' }, order: { status: 'CANCELED' } });
  });

  it('refused by Toss, after another refund went through: still refused, saying why', async () => {
    const { orderId } = await courseByCard(10_000);
    await injectFault(server.sandboxUrl, {
      match: { orderId },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 1,
    });
    const input = { orderId, reason: 'refused', amount: 2_000, requestId: randomUUID() };
    expect(await reasonOf(admin.caller.payment.cancel(input))).toBe('NOT_REFUNDABLE');
    await admin.caller.payment.cancel({ orderId, reason: 'ok', amount: 2_000, requestId: randomUUID() });

    const again = await replay(admin, input);
    expect(again.reason).toBe('NOT_REFUNDABLE');
  });

  it('after the rest was cancelled at Toss (merchant console) and booked: the same refund', async () => {
    const { me, orderId, session } = await courseByCard(10_000);
    const part = { orderId, reason: 'part', amount: 4_000, requestId: randomUUID() };
    const first = await admin.caller.payment.cancel(part);
    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, { cancelReason: '콘솔' });
    expect(await settleCancelsMadeAtToss(deps(), orderId)).toBe('booked');

    await expectSameRefund(await replay(admin, part), first);
    const after = await books(me.user.id, orderId);
    expect(after.order.status).toBe('CANCELED');
    expect(after.refunds.map((r) => r.amount)).toEqual([4_000, 6_000]);
  });

  it('sent 5 times at once: one refund, one cancel at Toss, every answer that refund', async () => {
    const { me, orderId } = await courseByCard(10_000);
    const input = { orderId, reason: 'race', amount: 3_000, requestId: randomUUID() };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        admin.caller.payment.cancel(input).then(
          (result) => result.refund.id,
          (error: unknown) => reasonOf(Promise.reject(error)),
        ),
      ),
    );
    const after = await books(me.user.id, orderId);
    expect(after.refunds).toHaveLength(1);
    expect(answers).toEqual(Array(5).fill(after.refunds[0]?.id));
    expect(after.tossCancels).toBe(1);
    expect(after.order).toMatchObject({ status: 'PARTIALLY_CANCELED', refundedAmount: 3_000 });
  });

  it('with another amount: IDEMPOTENCY_KEY_REUSED, nothing sent to Toss', async () => {
    const { me, orderId } = await courseByCard(10_000);
    const input = { orderId, reason: 'part', amount: 3_000, requestId: randomUUID() };
    await admin.caller.payment.cancel(input);
    expect((await replay(admin, { ...input, amount: 7_000 })).reason).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await books(me.user.id, orderId)).tossCancels).toBe(1);
  });
});
