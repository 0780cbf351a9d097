import { beforeAll, describe, expect, it } from 'vitest';
import type { OrderRow } from '../../building-blocks/order/order.repository';
import { moveOrder } from '../../building-blocks/order/order-status';
import type { TossPayment } from '../../building-blocks/toss/toss-types';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, signedInCaller } from '../../test/fixtures';
import { injectFault, setSandboxConfirmDeadline, shopperApproves } from '../../test/sandbox';
import type { PaymentDeps } from '../payment-deps';
import { applyTossPayment, confirmWithToss, settleFromToss } from './card-settlement';

/**
 * Card settlement read part by part: what each kind of answer from Toss does to a claimed (CONFIRMING)
 * order, for the answers the happy paths rarely give: a payment of another order or with another key,
 * an approval of another amount, aborted, expired and cancelled payments, statuses we do not expect,
 * Toss's own approval time, and a lookup that finds nothing or gets no answer. Each case builds a real
 * order in the database; the payments are Toss's answers as data.
 */

const suite = cardSuite();
let t: CardSuite['t'];
let server: CardSuite['server'];
let deps: PaymentDeps;
beforeAll(() => {
  ({ t, server } = suite);
  deps = { db: t.db, toss: server.toss(), waitForConfirmMs: 5_000 };
});

/** A course order the caller has claimed for confirming, with Toss's paymentKey `pk-<orderId>`. */
async function claimedOrder(price = 20_000): Promise<OrderRow> {
  const { caller } = await signedInCaller(t.db, 'settle');
  const course = await createCourse(t.db, price);
  const created = await caller.order.create({ type: 'COURSE', courseId: course.id });
  const claimed = await moveOrder(t.db, created.orderId, ['CREATED'], 'CONFIRMING', {
    paymentKey: `pk-${created.orderId}`,
  });
  if (!claimed) throw new Error('could not claim the order');
  return claimed;
}

function tossSays(order: OrderRow, change: Partial<TossPayment>): TossPayment {
  return {
    paymentKey: order.paymentKey as string,
    orderId: order.id,
    status: 'DONE',
    totalAmount: order.amount,
    balanceAmount: order.amount,
    approvedAt: '2026-11-30T15:04:05+09:00',
    ...change,
  } as TossPayment;
}

const enrolled = (orderId: string) => t.db.enrollment.count({ where: { orderId } });

describe('applyTossPayment', () => {
  it('approves with the time Toss approved at, and enrolls once', async () => {
    const order = await claimedOrder();
    const after = await applyTossPayment(deps, order, tossSays(order, {}), { mayConfirm: false });
    expect(after).toMatchObject({ status: 'APPROVED', method: 'CARD' });
    expect(after.approvedAt?.toISOString()).toBe('2026-11-30T06:04:05.000Z');
    expect(await enrolled(order.id)).toBe(1);
  });

  it('approves at our own time when Toss gives none, or one that is not a time', async () => {
    for (const approvedAt of [null, 'not a time']) {
      const order = await claimedOrder();
      const before = Date.now();
      const after = await applyTossPayment(deps, order, tossSays(order, { approvedAt }), {
        mayConfirm: false,
      });
      expect(after.status).toBe('APPROVED');
      expect(after.approvedAt?.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    }
  });

  it('puts before an operator, never approves, a payment of another order or with another key', async () => {
    const a = await claimedOrder();
    const other = await applyTossPayment(deps, a, tossSays(a, { orderId: 'someone-elses-order' }));
    expect(other).toMatchObject({ status: 'IN_DOUBT', failureCode: 'PAYMENT_MISMATCH' });
    const b = await claimedOrder();
    const key = await applyTossPayment(deps, b, tossSays(b, { paymentKey: 'pk-another-payment' }));
    expect(key).toMatchObject({ status: 'IN_DOUBT', failureCode: 'PAYMENT_MISMATCH' });
    expect(key.failureMessage).toContain('pk-another-payment');
    expect((await enrolled(a.id)) + (await enrolled(b.id))).toBe(0);
  });

  it('puts an approval of another amount before an operator, and grants nothing', async () => {
    const order = await claimedOrder(20_000);
    const after = await applyTossPayment(deps, order, tossSays(order, { totalAmount: 2_000 }));
    expect(after).toMatchObject({ status: 'IN_DOUBT', failureCode: 'AMOUNT_MISMATCH_AT_TOSS' });
    expect(after.failureMessage).toContain('2000');
    expect(await enrolled(order.id)).toBe(0);
  });

  it('fails an aborted, expired or cancelled payment, with Toss’s failure when it gives one', async () => {
    for (const status of ['ABORTED', 'EXPIRED', 'CANCELED'] as const) {
      const order = await claimedOrder();
      const after = await applyTossPayment(deps, order, tossSays(order, { status }));
      expect(after).toMatchObject({ status: 'FAILED', failureCode: status, paymentKey: null });
      expect(after.failureMessage).toContain(status);
    }
    const order = await claimedOrder();
    const refused = await applyTossPayment(
      deps,
      order,
      tossSays(order, {
        status: 'ABORTED',
        failure: { code: 'REJECT_CARD_COMPANY', message: '카드사 거절' },
      }),
    );
    expect(refused).toMatchObject({
      status: 'FAILED',
      failureCode: 'REJECT_CARD_COMPANY',
      failureMessage: '카드사 거절',
    });
  });

  it('leaves a payment still open at Toss in doubt when it may not confirm it, and a status it does not expect too', async () => {
    for (const status of ['IN_PROGRESS', 'READY', 'WAITING_FOR_DEPOSIT'] as const) {
      const order = await claimedOrder();
      const after = await applyTossPayment(deps, order, tossSays(order, { status }), { mayConfirm: false });
      expect(after).toMatchObject({ status: 'IN_DOUBT', failureCode: 'UNEXPECTED_PAYMENT' });
      expect(after.failureMessage).toContain(status);
      expect(await enrolled(order.id)).toBe(0);
    }
  });
});

describe('a payment partly cancelled at Toss before we recorded its approval', () => {
  it('is never approved for part of the price: the rest is owed back (CANCEL_PENDING until Toss cancels it)', async () => {
    const order = await claimedOrder();
    const after = await applyTossPayment(deps, order, tossSays(order, { status: 'PARTIAL_CANCELED' }), {
      mayConfirm: false,
    });
    expect(['CANCEL_PENDING', 'CANCELED']).toContain(after.status);
    expect(after.failureCode).toBe('EFFECT_NOT_APPLICABLE');
    expect(await enrolled(order.id)).toBe(0);
  });
});

describe('settleFromToss (the janitor asks Toss about the payment the order was claimed with)', () => {
  it('fails an order Toss has no payment for: nothing was taken, nothing is granted', async () => {
    const order = await claimedOrder();
    const after = await settleFromToss(deps, order);
    expect(after).toMatchObject({ status: 'FAILED', paymentKey: null });
    expect(after.failureCode).toMatch(/^NOT_FOUND/);
    expect(await enrolled(order.id)).toBe(0);
  });

  it('keeps an order in doubt, with the doubt it had, while Toss cannot say', async () => {
    const order = await claimedOrder();
    await injectFault(server.sandboxUrl, {
      match: { path: `/v1/payments/${order.paymentKey}` },
      action: 'error',
      status: 500,
    });
    const after = await settleFromToss(deps, order);
    expect(after).toMatchObject({ status: 'IN_DOUBT', failureCode: 'NO_ANSWER' });
    expect(after.failureMessage).toMatch(/^still unknown \(/);
  });

  it('keeps an order in doubt when Toss refuses the lookup for another reason', async () => {
    const order = await claimedOrder();
    await injectFault(server.sandboxUrl, {
      match: { path: `/v1/payments/${order.paymentKey}` },
      action: 'error',
      status: 403,
      code: 'FORBIDDEN_REQUEST',
    });
    const after = await settleFromToss(deps, order);
    expect(after).toMatchObject({ status: 'IN_DOUBT', failureCode: 'NO_ANSWER' });
    expect(after.failureMessage).toContain('FORBIDDEN_REQUEST');
  });
});

describe('confirmWithToss when Toss says ALREADY_PROCESSED_PAYMENT (it asks Toss what became of it)', () => {
  /** A course order whose shopper approved in the widget, claimed with the real paymentKey. */
  async function authenticatedOrder() {
    const { caller } = await signedInCaller(t.db, 'processed');
    const course = await createCourse(t.db, 13_000);
    const created = await caller.order.create({ type: 'COURSE', courseId: course.id });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: created.orderId,
      amount: created.amount,
    });
    const claimed = await moveOrder(t.db, created.orderId, ['CREATED'], 'CONFIRMING', {
      paymentKey: session.paymentKey,
    });
    if (!claimed) throw new Error('could not claim the order');
    return claimed;
  }

  it('approves, once, a payment an earlier confirm of ours got approved', async () => {
    const order = await authenticatedOrder();
    const earlier = await server
      .toss()
      .confirm(
        { paymentKey: order.paymentKey as string, orderId: order.id, amount: order.amount },
        'confirm-earlier',
      );
    expect(earlier.kind).toBe('ok');
    const after = await confirmWithToss(deps, order);
    expect(after.status).toBe('APPROVED');
    expect(await enrolled(order.id)).toBe(1);
  });

  it('fails an order whose payment Toss let expire, and leaves it in doubt while Toss cannot be asked', async () => {
    const expired = await authenticatedOrder();
    await setSandboxConfirmDeadline(t.db, expired.paymentKey as string, new Date(Date.now() - 60_000));
    await injectFault(server.sandboxUrl, {
      match: { path: '/v1/payments/confirm', orderId: expired.id },
      action: 'error',
      status: 400,
      code: 'ALREADY_PROCESSED_PAYMENT',
      times: 1,
    });
    expect(await confirmWithToss(deps, expired)).toMatchObject({
      status: 'FAILED',
      failureCode: 'ALREADY_PROCESSED_PAYMENT',
    });

    const unknown = await authenticatedOrder();
    await injectFault(server.sandboxUrl, {
      match: { path: '/v1/payments/confirm', orderId: unknown.id },
      action: 'error',
      status: 400,
      code: 'ALREADY_PROCESSED_PAYMENT',
      times: 1,
    });
    await injectFault(server.sandboxUrl, { match: { orderId: unknown.id }, action: 'error', status: 500 });
    expect(await confirmWithToss(deps, unknown)).toMatchObject({
      status: 'IN_DOUBT',
      failureCode: 'ALREADY_PROCESSED_PAYMENT',
    });
    expect((await enrolled(expired.id)) + (await enrolled(unknown.id))).toBe(0);
  });
});
