import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { injectFault, shopperApproves } from '../../test/sandbox';
import { retryRefundsInDoubt } from './refund-at-toss';

/**
 * The refund policy's edges, as a learner and an admin meet them through payment.cancel: the learner's
 * 7-day window (either side of it), full refunds only for learners (also after an admin's partial one),
 * orders that were never paid, exactly the rest and one won more, and a cancel Toss never answers being
 * put before an operator once it is old enough. Added where mutation testing showed nothing checked them.
 */

const suite = cardSuite({ checkBooks: true });
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const DAY_MS = 86_400_000;
const learner = () => signedInCaller(t.db, 'policy', { toss: server.toss(), waitForConfirmMs: 5_000 });
type Learner = Awaited<ReturnType<typeof learner>>;

async function courseByCard(who: Learner, price = 10_000) {
  const course = await createCourse(t.db, price);
  const order = await who.caller.order.create({ type: 'COURSE', courseId: course.id });
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  const paid = await who.caller.payment.confirm({ ...session, amount: order.amount });
  expect(paid.order.status).toBe('APPROVED');
  return { course, order };
}

/** Moves the order's approval into the past, as if it had been paid `ageMs` ago. */
async function approvedAgo(orderId: string, ageMs: number) {
  await t.db.order.update({ where: { id: orderId }, data: { approvedAt: new Date(Date.now() - ageMs) } });
}

async function orderRow(orderId: string) {
  return t.db.order.findUniqueOrThrow({ where: { id: orderId } });
}

describe('the learner’s 7-day window', () => {
  it('a learner may still cancel on the seventh day', async () => {
    const me = await learner();
    const { order } = await courseByCard(me);
    await approvedAgo(order.orderId, 7 * DAY_MS - 60_000);
    const result = await me.caller.payment.cancel({ orderId: order.orderId, reason: '마지막 날' });
    expect(result.refund).toMatchObject({ status: 'DONE', amount: 10_000 });
    expect(result.order).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
  });

  it('just after 7 days the learner is refused REFUND_WINDOW_CLOSED and nothing moves; an admin still may', async () => {
    const me = await learner();
    const { order } = await courseByCard(me);
    await approvedAgo(order.orderId, 7 * DAY_MS + 60_000);
    expect(await reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'late' }))).toBe(
      'REFUND_WINDOW_CLOSED',
    );
    expect(await orderRow(order.orderId)).toMatchObject({ status: 'APPROVED', refundedAmount: 0 });
    expect(await t.db.refund.count({ where: { orderId: order.orderId } })).toBe(0);
    expect(await t.db.enrollment.count({ where: { orderId: order.orderId } })).toBe(1);

    const byAdmin = await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'support' });
    expect(byAdmin.order).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
  });

  it('after an admin refunded part, the learner may not cancel the rest, even in the window', async () => {
    const me = await learner();
    const { order } = await courseByCard(me);
    await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'part', amount: 4_000 });
    expect(await reasonOf(me.caller.payment.cancel({ orderId: order.orderId, reason: 'rest' }))).toBe(
      'REFUND_WINDOW_CLOSED',
    );
    expect(await orderRow(order.orderId)).toMatchObject({
      status: 'PARTIALLY_CANCELED',
      refundedAmount: 4_000,
    });
  });
});

describe('what can be refunded', () => {
  it('an order never paid (CREATED) or failed at Toss is NOT_REFUNDABLE, even for an admin', async () => {
    const me = await learner();
    const course = await createCourse(t.db, 10_000);
    const created = await me.caller.order.create({ type: 'COURSE', courseId: course.id });
    expect(await reasonOf(admin.caller.payment.cancel({ orderId: created.orderId, reason: 'x' }))).toBe(
      'NOT_REFUNDABLE',
    );
    expect(
      await reasonOf(
        me.caller.payment.confirm({ paymentKey: 'no-such-key', orderId: created.orderId, amount: 10_000 }),
      ),
    ).toBe('PAYMENT_FAILED');
    expect(await reasonOf(admin.caller.payment.cancel({ orderId: created.orderId, reason: 'x' }))).toBe(
      'NOT_REFUNDABLE',
    );
    expect(await t.db.refund.count({ where: { orderId: created.orderId } })).toBe(0);
  });

  it('an order cancelled in full is NOT_REFUNDABLE afterwards (a new request, not a replay)', async () => {
    const me = await learner();
    const { order } = await courseByCard(me);
    await me.caller.payment.cancel({ orderId: order.orderId, reason: 'first' });
    expect(await reasonOf(admin.caller.payment.cancel({ orderId: order.orderId, reason: 'again' }))).toBe(
      'NOT_REFUNDABLE',
    );
    expect(await t.db.refund.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('an admin may refund exactly what is left, not one won more', async () => {
    const me = await learner();
    const { order } = await courseByCard(me, 10_000);
    await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'part', amount: 2_500 });
    expect(
      await reasonOf(admin.caller.payment.cancel({ orderId: order.orderId, reason: 'x', amount: 7_501 })),
    ).toBe('REFUND_EXCEEDS_PAYMENT');
    expect((await orderRow(order.orderId)).refundedAmount).toBe(2_500);
    const rest = await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'rest', amount: 7_500 });
    expect(rest.order).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
    expect(await t.db.enrollment.count({ where: { orderId: order.orderId } })).toBe(0);
  });

  it('a partial refund keeps the course; the one that completes the refund ends it', async () => {
    const me = await learner();
    const { course, order } = await courseByCard(me, 10_000);
    const owned = async () => (await me.caller.course.list()).find((c) => c.id === course.id)?.purchased;
    await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'part', amount: 9_999 });
    expect(await owned()).toBe(true);
    await admin.caller.payment.cancel({ orderId: order.orderId, reason: 'rest', amount: 1 });
    expect(await owned()).toBe(false);
  });
});

describe('a card refund Toss never answers', () => {
  it('is put before an operator once it is older than giveUpMs, and not before', async () => {
    const me = await learner();
    const { order } = await courseByCard(me);
    await injectFault(server.sandboxUrl, { match: { orderId: order.orderId }, action: 'error', status: 500 });
    const first = await me.caller.payment.cancel({
      orderId: order.orderId,
      reason: 'x',
      requestId: randomUUID(),
    });
    expect(first.refund.status).toBe('IN_DOUBT');
    const deps = { db: t.db, toss: server.toss(), waitForConfirmMs: 0 };
    const alerts = () => t.db.operatorAlert.findMany({ where: { orderId: order.orderId } });

    await retryRefundsInDoubt(deps, { giveUpMs: DAY_MS });
    expect(await alerts()).toEqual([]);
    await retryRefundsInDoubt(deps, { giveUpMs: 0 });
    expect((await alerts()).map((a) => a.kind)).toEqual([`REFUND_IN_DOUBT:${first.refund.id}`]);
    expect((await t.db.refund.findUniqueOrThrow({ where: { id: first.refund.id } })).status).toBe('IN_DOUBT');
    expect(await orderRow(order.orderId)).toMatchObject({ status: 'APPROVED', refundedAmount: 10_000 });
  });
});
