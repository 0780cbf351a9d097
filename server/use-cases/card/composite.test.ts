import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../building-blocks/errors/domain-error';
import { useBalanceStrategy } from '../../building-blocks/ledger/strategies';
import { ensureWallet } from '../../building-blocks/ledger/wallet.repository';
import { cardSuite } from '../../test/card-suite';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import {
  cancelInMerchantConsole,
  injectFault,
  sandboxPaymentOf,
  setSandboxConfirmDeadline,
  shopperApproves,
} from '../../test/sandbox';
import { checkInvariants } from '../admin/invariants';
import { kstDay } from '../admin/report-range';
import { settlementReport } from '../admin/settlement';
import { createOrder } from '../orders/create-order';
import { expireHold, expireHolds } from './expire-holds';
import { recoverOrder } from './recover-order';

/**
 * Composite payment (issue 13): a course paid partly from the wallet and the rest by card, through the
 * real confirm path and the offline Toss over HTTP. The wallet part is held when the order is made,
 * captured with the card's approval, voided with its refusal or once an unpaid checkout expires; the
 * books' invariants (held = open holds, holds in step with orders) are checked after every test.
 */

const suite = cardSuite({ checkBooks: true, server: { readTimeoutMs: 2_000 } });

async function learnerWith(balance: number) {
  const learner = await signedInCaller(suite.t.db, 'composite', {
    toss: suite.server.toss(),
    waitForConfirmMs: 5_000,
    sandboxMode: true,
  });
  if (balance > 0) await learner.caller.wallet.charge({ amount: balance, requestId: randomUUID() });
  return learner;
}

type Learner = Awaited<ReturnType<typeof learnerWith>>;

/** A 48,000 won course, 30,000 of it from the wallet: the order, and the shopper's approval of the card part. */
async function compositeOrder(learner: Learner, walletAmount = 30_000, price = 48_000) {
  const course = await createCourse(suite.t.db, price);
  const order = await createOrder(suite.t.db, learner.user.id, {
    type: 'COURSE',
    courseId: course.id,
    walletAmount,
  });
  return { course, order };
}

const recoveryDeps = () => ({
  db: suite.t.db,
  toss: suite.server.toss(),
  waitForConfirmMs: 0,
  staleConfirmingMs: 60_000,
});

const payCardPart = (orderId: string, amount: number) =>
  shopperApproves(suite.server.sandboxUrl, { orderId, amount });

/**
 * The learner confirms the card part while the course becomes theirs another way (another purchase won
 * the race): Toss approves an effect we can no longer deliver.
 */
async function confirmWhileTheCourseBecomesOwned(
  learner: Learner,
  courseId: string,
  orderId: string,
  session: { paymentKey: string; orderId: string },
) {
  await injectFault(suite.server.sandboxUrl, {
    match: { path: '/v1/payments/confirm', orderId },
    action: 'delay',
    ms: 300,
    times: 1,
  });
  const confirming = learner.caller.payment.confirm({ ...session, amount: 18_000 }).catch(() => null);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await suite.t.db.enrollment.create({ data: { userId: learner.user.id, courseId } });
  await confirming;
}

/**
 * A checkout open in two tabs. Tab 1: the shopper approves the card part and our confirm's connection is
 * reset before Toss reads it (IN_DOUBT). Tab 2, opened while the order was still CREATED: another widget
 * attempt for the same order, abandoned, so Toss's newest attempt for the order number is not the one
 * the order was claimed with. Returns tab 1's session.
 */
async function inDoubtWithANewerAttempt(learner: Learner, orderId: string) {
  const first = await payCardPart(orderId, 18_000);
  await injectFault(suite.server.sandboxUrl, {
    match: { path: '/v1/payments/confirm', orderId },
    action: 'reset',
    times: 1,
  });
  expect((await learner.caller.payment.confirm({ ...first, amount: 18_000 })).order.status).toBe('IN_DOUBT');
  await shopperApproves(suite.server.sandboxUrl, { orderId, amount: 18_000, outcome: 'abort' });
  return first;
}

async function state(learner: Learner, orderId: string) {
  const wallet = await ensureWallet(suite.t.db, learner.user.id);
  const order = await suite.t.db.order.findUniqueOrThrow({ where: { id: orderId } });
  const hold = await suite.t.db.walletHold.findUnique({ where: { orderId } });
  return {
    balance: wallet.balance,
    held: wallet.held,
    order: order.status,
    hold: hold?.status ?? null,
    enrolled: (await suite.t.db.enrollment.count({ where: { orderId } })) === 1,
  };
}

describe('composite payment: balance and card in one purchase', () => {
  it('holds the wallet part, asks Toss for the card part only, and on approval takes both once', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    expect(order).toMatchObject({ amount: 48_000, status: 'CREATED' });
    expect(await state(learner, order.orderId)).toMatchObject({
      balance: 30_000,
      held: 30_000,
      hold: 'PENDING',
    });
    // What is held cannot be spent meanwhile.
    const other = await createCourse(suite.t.db, 10_000);
    expect(await reasonOf(learner.caller.wallet.pay({ courseId: other.id, requestId: randomUUID() }))).toBe(
      'INSUFFICIENT_BALANCE',
    );

    const session = await payCardPart(order.orderId, 18_000);
    // The success URL must carry the card part: the whole price is refused before Toss is asked.
    expect(await reasonOf(learner.caller.payment.confirm({ ...session, amount: 48_000 }))).toBe(
      'AMOUNT_MISMATCH',
    );
    const confirmed = await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    expect(confirmed.order.status).toBe('APPROVED');
    expect(await state(learner, order.orderId)).toEqual({
      balance: 0,
      held: 0,
      order: 'APPROVED',
      hold: 'CAPTURED',
      enrolled: true,
    });
    const payment = await suite.t.db.payment.findUniqueOrThrow({ where: { orderId: order.orderId } });
    expect(payment.amount).toBe(18_000);
    expect((await sandboxPaymentOf(suite.t.db, order.orderId)).totalAmount).toBe(18_000);
    const ledger = await suite.t.db.walletTransaction.findMany({ where: { orderId: order.orderId } });
    expect(ledger.map((e) => [e.type, e.amount, e.balanceAfter])).toEqual([['PAYMENT', -30_000, 0]]);

    // Confirming again changes nothing.
    await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    expect((await state(learner, order.orderId)).balance).toBe(0);
    expect(await suite.t.db.walletTransaction.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('a card refused at confirm fails the order and gives the held won back, charging nothing', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await injectFault(suite.server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'error',
      status: 400,
      code: 'REJECT_CARD_COMPANY',
      times: 1,
    });
    expect(await reasonOf(learner.caller.payment.confirm({ ...session, amount: 18_000 }))).toBe(
      'PAYMENT_FAILED',
    );
    expect(await state(learner, order.orderId)).toEqual({
      balance: 30_000,
      held: 0,
      order: 'FAILED',
      hold: 'VOIDED',
      enrolled: false,
    });
  });

  it('a checkout cancelled in the widget (the fail page) releases the hold', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    await learner.caller.payment.fail({
      orderId: order.orderId,
      code: 'PAY_PROCESS_CANCELED',
      message: '사용자에 의해 결제가 취소되었습니다.',
    });
    expect(await state(learner, order.orderId)).toMatchObject({
      balance: 30_000,
      held: 0,
      order: 'FAILED',
      hold: 'VOIDED',
    });
  });

  it('an unknown outcome keeps the hold until the janitor learns Toss approved, then captures it once', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await injectFault(suite.server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'drop-response',
      times: 1,
    });
    const first = await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    expect(first.order.status).toBe('IN_DOUBT');
    // Toss took the card part; we do not know yet: nothing granted, nothing released.
    expect(await state(learner, order.orderId)).toMatchObject({
      balance: 30_000,
      held: 30_000,
      hold: 'CONFIRMING',
      enrolled: false,
    });
    // A hold being confirmed is never voided by the expiry path.
    await suite.t.db.walletHold.update({
      where: { orderId: order.orderId },
      data: { expiresAt: new Date(0) },
    });
    expect(await expireHolds(recoveryDeps())).toBe(0);

    expect(await recoverOrder(recoveryDeps(), order.orderId)).toBe('settled');
    expect(await state(learner, order.orderId)).toEqual({
      balance: 0,
      held: 0,
      order: 'APPROVED',
      hold: 'CAPTURED',
      enrolled: true,
    });
  });

  it('refuses a split the wallet or the card cannot take, before anything is held', async () => {
    const learner = await learnerWith(20_000);
    const course = await createCourse(suite.t.db, 48_000);
    const attempt = (walletAmount: number) =>
      createOrder(suite.t.db, learner.user.id, { type: 'COURSE', courseId: course.id, walletAmount }).then(
        () => 'OK',
        (error: DomainError) => error.reason,
      );
    expect(await attempt(30_000)).toBe('INSUFFICIENT_BALANCE');
    expect(await attempt(48_001)).toBe('WALLET_PART_TOO_LARGE');
    expect(await attempt(48_000)).toBe('USE_BALANCE_PAYMENT');
    expect(await attempt(47_950)).toBe('CARD_PART_TOO_SMALL');
    // The seed's in-memory lock strategy could overwrite a captured hold: no holds under it.
    useBalanceStrategy('in-process-lock');
    try {
      expect(await attempt(10_000)).toBe('COMPOSITE_UNAVAILABLE');
    } finally {
      useBalanceStrategy('atomic');
    }
    expect(await suite.t.db.order.count({ where: { userId: learner.user.id, type: 'COURSE' } })).toBe(0);
    expect((await ensureWallet(suite.t.db, learner.user.id)).held).toBe(0);
  });

  it('holds racing on one wallet: of 10 composite orders for 10,000 each on 50,000, five are made', async () => {
    const learner = await learnerWith(50_000);
    const courses = await Promise.all(Array.from({ length: 10 }, () => createCourse(suite.t.db, 30_000)));
    const results = await Promise.allSettled(
      courses.map((course) =>
        createOrder(suite.t.db, learner.user.id, {
          type: 'COURSE',
          courseId: course.id,
          walletAmount: 10_000,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const wallet = await ensureWallet(suite.t.db, learner.user.id);
    expect(wallet).toMatchObject({ balance: 50_000, held: 50_000 });
  });
});

describe('a composite order is made once per requestId', () => {
  const ask = (learner: Learner, courseId: string, walletAmount: number, requestId: string) =>
    learner.caller.order.create({ type: 'COURSE', courseId, walletAmount, requestId });

  it('the same request sent again, or ten times at once, gets one order with one hold', async () => {
    const learner = await learnerWith(30_000);
    const course = await createCourse(suite.t.db, 48_000);
    const requestId = randomUUID();
    const first = await ask(learner, course.id, 30_000, requestId);
    const again = await Promise.all(
      Array.from({ length: 10 }, () => ask(learner, course.id, 30_000, requestId)),
    );
    expect(new Set([first.orderId, ...again.map((o) => o.orderId)])).toEqual(new Set([first.orderId]));
    expect(await suite.t.db.order.count({ where: { userId: learner.user.id } })).toBe(1);
    expect(await state(learner, first.orderId)).toMatchObject({
      balance: 30_000,
      held: 30_000,
      hold: 'PENDING',
    });
    // Once paid, the same request gets the order as it now stands, not a new one.
    const session = await payCardPart(first.orderId, 18_000);
    await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    expect(await ask(learner, course.id, 30_000, requestId)).toMatchObject({
      orderId: first.orderId,
      status: 'APPROVED',
    });
    expect(await state(learner, first.orderId)).toMatchObject({ balance: 0, held: 0, hold: 'CAPTURED' });
  });

  it('another request under the same requestId is refused and holds nothing more', async () => {
    const learner = await learnerWith(30_000);
    const course = await createCourse(suite.t.db, 48_000);
    const requestId = randomUUID();
    const first = await ask(learner, course.id, 10_000, requestId);
    expect(await reasonOf(ask(learner, course.id, 20_000, requestId))).toBe('IDEMPOTENCY_KEY_REUSED');
    const other = await createCourse(suite.t.db, 48_000);
    expect(await reasonOf(ask(learner, other.id, 10_000, requestId))).toBe('IDEMPOTENCY_KEY_REUSED');
    // A wallet charge under an order's requestId is another request too.
    expect(await reasonOf(learner.caller.wallet.charge({ amount: 1_000, requestId }))).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await suite.t.db.order.count({ where: { userId: learner.user.id } })).toBe(1);
    expect(await state(learner, first.orderId)).toMatchObject({ balance: 30_000, held: 10_000 });
  });

  it('a refusal records nothing: the same request once the balance is there makes the order', async () => {
    const learner = await learnerWith(10_000);
    const course = await createCourse(suite.t.db, 48_000);
    const requestId = randomUUID();
    expect(await reasonOf(ask(learner, course.id, 30_000, requestId))).toBe('INSUFFICIENT_BALANCE');
    expect(await suite.t.db.order.count({ where: { userId: learner.user.id } })).toBe(0);
    await learner.caller.wallet.charge({ amount: 20_000, requestId: randomUUID() });
    const made = await ask(learner, course.id, 30_000, requestId);
    expect(await state(learner, made.orderId)).toMatchObject({
      balance: 30_000,
      held: 30_000,
      hold: 'PENDING',
    });
  });

  it('the API refuses a held wallet part without a requestId, making nothing', async () => {
    const learner = await learnerWith(30_000);
    const course = await createCourse(suite.t.db, 48_000);
    const refused = learner.caller.order.create({
      type: 'COURSE',
      courseId: course.id,
      walletAmount: 30_000,
    });
    await expect(refused).rejects.toThrow(/requestId is required when walletAmount is above 0/);
    expect(await suite.t.db.order.count({ where: { userId: learner.user.id } })).toBe(0);
    expect(await ensureWallet(suite.t.db, learner.user.id)).toMatchObject({ balance: 30_000, held: 0 });
    // A card-only order needs none (nothing of the wallet is held).
    expect(await learner.caller.order.create({ type: 'COURSE', courseId: course.id })).toMatchObject({
      walletAmount: 0,
      cardAmount: 48_000,
    });
  });
});

describe('an abandoned composite checkout', () => {
  it('is released after its expiry once Toss says no payment exists, and only then', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const deps = recoveryDeps();
    // Not yet expired: nothing happens.
    expect(await expireHolds(deps)).toBe(0);
    await suite.t.db.walletHold.update({
      where: { orderId: order.orderId },
      data: { expiresAt: new Date(0) },
    });
    expect(await expireHolds(deps)).toBe(1);
    expect(await state(learner, order.orderId)).toMatchObject({
      balance: 30_000,
      held: 0,
      order: 'FAILED',
      hold: 'VOIDED',
    });
    expect((await suite.t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).failureCode).toBe(
      'HOLD_EXPIRED',
    );
  });

  it('is kept while Toss holds an authenticated card payment that may still be confirmed', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await suite.t.db.walletHold.update({
      where: { orderId: order.orderId },
      data: { expiresAt: new Date(0) },
    });
    expect(await expireHold(recoveryDeps(), order.orderId)).toBe('kept');
    // Asked about again later, not first in line on every sweep.
    const kept = await suite.t.db.walletHold.findUniqueOrThrow({ where: { orderId: order.orderId } });
    expect(kept.expiresAt.getTime()).toBeGreaterThan(Date.now());
    // The learner comes back from the widget and confirms: approved, the hold captured.
    const confirmed = await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    expect(confirmed.order.status).toBe('APPROVED');
    expect(await state(learner, order.orderId)).toMatchObject({ balance: 0, held: 0, hold: 'CAPTURED' });
  });

  it('an expired hold whose card part Toss reports approved (confirmed elsewhere) is captured, not kept forever', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    const elsewhere = await suite.server
      .toss()
      .confirm({ ...session, amount: 18_000 }, `elsewhere-${order.orderId}`);
    expect(elsewhere.kind).toBe('ok');
    await suite.t.db.walletHold.update({
      where: { orderId: order.orderId },
      data: { expiresAt: new Date(0) },
    });
    expect(await expireHold(recoveryDeps(), order.orderId)).toBe('settled');
    expect(await state(learner, order.orderId)).toEqual({
      balance: 0,
      held: 0,
      order: 'APPROVED',
      hold: 'CAPTURED',
      enrolled: true,
    });
  });

  it('the expiry racing the success page: approved with the hold captured, or failed with it voided and no card money', async () => {
    for (let round = 0; round < 6; round++) {
      const learner = await learnerWith(30_000);
      const { order } = await compositeOrder(learner);
      await suite.t.db.walletHold.update({
        where: { orderId: order.orderId },
        data: { expiresAt: new Date(0) },
      });
      // Half the rounds the card was never authenticated (Toss has no payment: the expiry may void);
      // the others it was (the expiry must keep the hold). The learner confirms either way.
      const session =
        round % 2 === 0
          ? await payCardPart(order.orderId, 18_000)
          : {
              paymentKey: `tsbx_never_authenticated_${round}_${randomUUID()}`.slice(0, 50),
              orderId: order.orderId,
            };
      const deps = recoveryDeps();
      await Promise.allSettled([
        learner.caller.payment.confirm({ ...session, amount: 18_000 }),
        expireHold(deps, order.orderId),
      ]);
      const after = await state(learner, order.orderId);
      if (after.order === 'APPROVED') {
        expect(after).toMatchObject({ balance: 0, held: 0, hold: 'CAPTURED', enrolled: true });
      } else {
        expect(after).toMatchObject({ balance: 30_000, held: 0, hold: 'VOIDED', enrolled: false });
        const atToss = await sandboxPaymentOf(suite.t.db, order.orderId).catch(() => null);
        expect(atToss?.status ?? 'NONE').not.toBe('DONE');
      }
    }
  });
});

describe('refunds of a composite order: the card part first, then the wallet part', () => {
  async function approvedComposite() {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    return { learner, order };
  }

  const refundsOf = (orderId: string) =>
    suite.t.db.refund.findMany({
      where: { orderId },
      orderBy: { createdAt: 'asc' },
      select: { destination: true, amount: true, status: true },
    });
  const sumTo = (refunds: { destination: string; amount: number; status: string }[], destination: string) =>
    refunds
      .filter((r) => r.destination === destination && r.status !== 'FAILED')
      .reduce((sum, r) => sum + r.amount, 0);

  it('a learner’s full refund gives the card part back at Toss and the wallet part to the wallet', async () => {
    const { learner, order } = await approvedComposite();
    const refunded = await learner.caller.payment.cancel({ orderId: order.orderId, reason: '단순 변심' });
    expect(refunded.order).toMatchObject({ status: 'CANCELED', refundedAmount: 48_000 });
    expect(await state(learner, order.orderId)).toMatchObject({ balance: 30_000, held: 0, enrolled: false });
    expect(await refundsOf(order.orderId)).toEqual([
      { destination: 'WALLET', amount: 30_000, status: 'DONE' },
      { destination: 'CARD', amount: 18_000, status: 'DONE' },
    ]);
    expect((await sandboxPaymentOf(suite.t.db, order.orderId)).status).toBe('CANCELED');
  });

  it('partial refunds take the card part first and never more than either part', async () => {
    const { learner, order } = await approvedComposite();
    const refund = (amount: number) =>
      suite.admin.caller.payment.cancel({ orderId: order.orderId, reason: '부분 환불', amount });
    await refund(10_000); // card 10,000
    await refund(20_000); // card 8,000 + wallet 12,000
    expect((await state(learner, order.orderId)).balance).toBe(12_000);
    await refund(18_000); // wallet 18,000
    expect(await reasonOf(refund(1))).toBe('NOT_REFUNDABLE'); // fully refunded: CANCELED
    const refunds = await refundsOf(order.orderId);
    expect(sumTo(refunds, 'CARD')).toBe(18_000);
    expect(sumTo(refunds, 'WALLET')).toBe(30_000);
    expect(await state(learner, order.orderId)).toMatchObject({ balance: 30_000, order: 'CANCELED' });
    // Toss gave back the whole card part, in two cancels (10,000 and 8,000), and no more.
    const atToss = await sandboxPaymentOf(suite.t.db, order.orderId);
    expect(atToss).toMatchObject({ totalAmount: 18_000, balanceAmount: 0 });
  });

  it('refunds racing each other never give back more than was paid, on either side', async () => {
    const { learner, order } = await approvedComposite();
    await Promise.allSettled(
      Array.from({ length: 7 }, () =>
        suite.admin.caller.payment.cancel({ orderId: order.orderId, reason: '동시 환불', amount: 10_000 }),
      ),
    );
    const refunds = await refundsOf(order.orderId);
    expect(sumTo(refunds, 'CARD')).toBeLessThanOrEqual(18_000);
    expect(sumTo(refunds, 'WALLET')).toBeLessThanOrEqual(30_000);
    const total = sumTo(refunds, 'CARD') + sumTo(refunds, 'WALLET');
    expect(total).toBe(40_000); // four of the seven fit in 48,000
    expect((await state(learner, order.orderId)).balance).toBe(sumTo(refunds, 'WALLET'));
  });
});

describe('the books of composite orders', () => {
  it('settlement reports a composite sale by method: the card part as card, the wallet part as balance', async () => {
    const learner = await learnerWith(30_000);
    const { course, order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    const today = kstDay(new Date());
    const report = await settlementReport(suite.t.db, { from: today, to: today });
    const rows = report.sales.rows.filter((r) => r.courseId === course.id);
    expect(rows.map((r) => [r.method, r.gross]).sort()).toEqual([
      ['BALANCE', 30_000],
      ['CARD', 18_000],
    ]);
  });

  it('the invariant check names a hold left open on an order no longer being paid', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const mismatches = async () =>
      (await checkInvariants(suite.t.db)).filter((v) => v.rule === 'COMPOSITE_HOLD_MISMATCH');
    expect(await mismatches()).toEqual([]);
    // As a bug would leave it: the order failed, its hold still PENDING (the balance held for nothing).
    await suite.t.db.order.update({ where: { id: order.orderId }, data: { status: 'FAILED' } });
    expect(await mismatches()).toEqual([
      { rule: 'COMPOSITE_HOLD_MISMATCH', subject: order.orderId, detail: 'order FAILED, hold PENDING' },
    ]);
    await suite.t.db.walletHold.update({ where: { orderId: order.orderId }, data: { status: 'CONFIRMING' } });
    await suite.t.db.order.update({ where: { id: order.orderId }, data: { status: 'CANCEL_PENDING' } });
    expect((await mismatches()).map((v) => v.detail)).toEqual(['order CANCEL_PENDING, hold CONFIRMING']);
    await suite.t.db.order.update({ where: { id: order.orderId }, data: { status: 'IN_DOUBT' } });
    expect(await mismatches()).toEqual([]);
  });
});

describe('composite orders under Toss faults', () => {
  it.each([
    ['a timeout', { action: 'delay', ms: 2_500 } as const],
    ['a reset connection', { action: 'reset' } as const],
    ['a 500', { action: 'error', status: 500, code: 'FAILED_INTERNAL_SYSTEM_PROCESSING' } as const],
    ['approve-then-drop', { action: 'drop-response' } as const],
  ])(
    '%s keeps the hold CONFIRMING with nothing granted; confirming again settles it once',
    async (_l, fault) => {
      const learner = await learnerWith(30_000);
      const { order } = await compositeOrder(learner);
      const session = await payCardPart(order.orderId, 18_000);
      await injectFault(suite.server.sandboxUrl, { match: { orderId: order.orderId }, times: 1, ...fault });
      const first = await learner.caller.payment.confirm({ ...session, amount: 18_000 });
      expect(first.order.status).toBe('IN_DOUBT');
      expect(await state(learner, order.orderId)).toMatchObject({
        balance: 30_000,
        held: 30_000,
        hold: 'CONFIRMING',
        enrolled: false,
      });
      await new Promise((resolve) => setTimeout(resolve, 'ms' in fault ? fault.ms + 300 : 0));
      const second = await learner.caller.payment.confirm({ ...session, amount: 18_000 });
      expect(second.order.status).toBe('APPROVED');
      expect(await state(learner, order.orderId)).toEqual({
        balance: 0,
        held: 0,
        order: 'APPROVED',
        hold: 'CAPTURED',
        enrolled: true,
      });
      expect(await suite.t.db.payment.count({ where: { orderId: order.orderId } })).toBe(1);
    },
  );

  it('100 composite purchases at once against one wallet: the 50 it covers are made and each captures once', async () => {
    const learner = await learnerWith(100_000);
    const courses = await Promise.all(Array.from({ length: 100 }, () => createCourse(suite.t.db, 3_000)));
    // Each holds 2,000 and asks the card for 1,000: the wallet covers exactly 50 of them.
    const made = await Promise.allSettled(
      courses.map((course) =>
        createOrder(suite.t.db, learner.user.id, {
          type: 'COURSE',
          courseId: course.id,
          walletAmount: 2_000,
        }),
      ),
    );
    const orders = made.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refusals = made.flatMap((r) => (r.status === 'rejected' ? [(r.reason as DomainError).reason] : []));
    expect(orders).toHaveLength(50);
    expect(refusals).toEqual(Array(50).fill('INSUFFICIENT_BALANCE'));
    // The suite's Toss read timeout is 2 s: under a loaded machine some of the 50 confirms at once
    // may time out and end IN_DOUBT, as they would in production. The learner's retry (the success page
    // again) must then settle each one, once.
    const statuses = await Promise.all(
      orders.map(async (order) => {
        const session = await payCardPart(order.orderId, 1_000);
        let status = (await learner.caller.payment.confirm({ ...session, amount: 1_000 })).order.status;
        for (let retry = 0; status === 'IN_DOUBT' && retry < 5; retry += 1) {
          await new Promise((resolve) => setTimeout(resolve, 2_500));
          status = (await learner.caller.payment.confirm({ ...session, amount: 1_000 })).order.status;
        }
        return status;
      }),
    );
    expect(statuses.filter((s) => s === 'APPROVED')).toHaveLength(50);
    expect(await suite.t.db.payment.count({ where: { orderId: { in: orders.map((o) => o.orderId) } } })).toBe(
      50,
    );
    const wallet = await ensureWallet(suite.t.db, learner.user.id);
    expect(wallet).toMatchObject({ balance: 0, held: 0 });
    expect(await suite.t.db.enrollment.count({ where: { userId: learner.user.id } })).toBe(50);
    expect(
      await suite.t.db.walletHold.count({ where: { userId: learner.user.id, status: 'CAPTURED' } }),
    ).toBe(50);
  });
});

describe('composite orders when Toss refuses or acts on its own', () => {
  it('a course owned meanwhile is refused at confirm before Toss, and the hold released at once', async () => {
    const learner = await learnerWith(30_000);
    const { course, order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await suite.t.db.enrollment.create({ data: { userId: learner.user.id, courseId: course.id } });
    expect(await reasonOf(learner.caller.payment.confirm({ ...session, amount: 18_000 }))).toBe(
      'ALREADY_PURCHASED',
    );
    expect(await state(learner, order.orderId)).toMatchObject({
      balance: 30_000,
      held: 0,
      order: 'FAILED',
      hold: 'VOIDED',
    });
    expect((await sandboxPaymentOf(suite.t.db, order.orderId)).status).not.toBe('DONE');
  });

  it('a refund whose card part Toss refuses gives nothing back: the wallet part fails with it', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await learner.caller.payment.confirm({ ...session, amount: 18_000 });
    await injectFault(suite.server.sandboxUrl, {
      match: { path: `/v1/payments/${session.paymentKey}/cancel` },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 1,
    });
    expect(await reasonOf(learner.caller.payment.cancel({ orderId: order.orderId, reason: '환불' }))).toBe(
      'NOT_REFUNDABLE',
    );
    expect(await state(learner, order.orderId)).toMatchObject({
      balance: 0,
      order: 'APPROVED',
      enrolled: true,
    });
    const refunds = await suite.t.db.refund.findMany({ where: { orderId: order.orderId } });
    expect(refunds.map((r) => [r.destination, r.status]).sort()).toEqual([
      ['CARD', 'FAILED'],
      ['WALLET', 'FAILED'],
    ]);
    expect((await suite.t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).refundedAmount).toBe(
      0,
    );
    // Asked again once Toss agrees: both parts come back.
    const again = await learner.caller.payment.cancel({ orderId: order.orderId, reason: '환불' });
    expect(again.order.status).toBe('CANCELED');
    expect(await state(learner, order.orderId)).toMatchObject({ balance: 30_000, enrolled: false });
  });

  it('an approval partly cancelled at Toss while we were in doubt is cancelled in full and the hold voided', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    await injectFault(suite.server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'drop-response',
      times: 1,
    });
    expect((await learner.caller.payment.confirm({ ...session, amount: 18_000 })).order.status).toBe(
      'IN_DOUBT',
    );
    await cancelInMerchantConsole(suite.server.sandboxUrl, session.paymentKey, {
      cancelReason: '콘솔 부분 취소',
      cancelAmount: 1_000,
    });
    expect(await recoverOrder(recoveryDeps(), order.orderId)).toBe('settled');
    expect(await state(learner, order.orderId)).toEqual({
      balance: 30_000,
      held: 0,
      order: 'CANCELED',
      hold: 'VOIDED',
      enrolled: false,
    });
    expect((await sandboxPaymentOf(suite.t.db, order.orderId)).balanceAmount).toBe(0);
  });

  it('an undeliverable approval whose cancel Toss refuses as already done is closed, and the hold voided', async () => {
    const learner = await learnerWith(30_000);
    const { course, order } = await compositeOrder(learner);
    const session = await payCardPart(order.orderId, 18_000);
    // Our auto-cancel's answer will be lost, and an operator cancels it in the console meanwhile.
    await injectFault(suite.server.sandboxUrl, {
      match: { path: `/v1/payments/${session.paymentKey}/cancel` },
      action: 'reset',
      times: 1,
    });
    await confirmWhileTheCourseBecomesOwned(learner, course.id, order.orderId, session);
    expect((await state(learner, order.orderId)).order).toBe('CANCEL_PENDING');
    await cancelInMerchantConsole(suite.server.sandboxUrl, session.paymentKey, { cancelReason: '콘솔 취소' });
    expect(await recoverOrder(recoveryDeps(), order.orderId)).toBe('settled');
    expect(await state(learner, order.orderId)).toMatchObject({
      balance: 30_000,
      held: 0,
      order: 'CANCELED',
      hold: 'VOIDED',
    });
  });

  it('an order in doubt is settled by its own payment, not by a newer attempt for the same orderId', async () => {
    const learner = await learnerWith(30_000);
    const { order } = await compositeOrder(learner);
    const first = await inDoubtWithANewerAttempt(learner, order.orderId);
    // The learner's "다시 확인" and the janitor both ask Toss about the payment the order names, which
    // is still confirmable: it is approved, the hold captured once.
    const again = await learner.caller.payment.confirm({ ...first, amount: 18_000 });
    await recoverOrder(recoveryDeps(), order.orderId);
    expect({ again: again.order.status, ...(await state(learner, order.orderId)) }).toEqual({
      again: 'APPROVED',
      balance: 0,
      held: 0,
      order: 'APPROVED',
      hold: 'CAPTURED',
      enrolled: true,
    });
  });

  it('once the payment the order names has expired at Toss, the order fails, the wallet part is freed and the course can be bought', async () => {
    const learner = await learnerWith(30_000);
    const { course, order } = await compositeOrder(learner);
    const first = await inDoubtWithANewerAttempt(learner, order.orderId);
    // The learner walks away; Toss's confirm window for the first payment passes.
    await setSandboxConfirmDeadline(suite.t.db, first.paymentKey, new Date(Date.now() - 1_000));
    for (let sweep = 0; sweep < 3; sweep++) await recoverOrder(recoveryDeps(), order.orderId);
    // Nothing was charged, so the learner may buy the course again, by card or with the balance.
    const cardAgain = await reasonOf(
      learner.caller.order.create({ type: 'COURSE', courseId: course.id, requestId: randomUUID() }),
    );
    expect({ ...(await state(learner, order.orderId)), cardAgain }).toMatchObject({
      balance: 30_000,
      held: 0,
      order: 'FAILED',
      hold: 'VOIDED',
      cardAgain: 'OK',
    });
  });

  it('an approval we could not deliver releases the wallet part at once, even while Toss refuses the cancel', async () => {
    const learner = await learnerWith(30_000);
    const { course, order } = await compositeOrder(learner);
    const session = await shopperApproves(suite.server.sandboxUrl, {
      orderId: order.orderId,
      amount: 18_000,
    });
    // Toss refuses our auto-cancel, every time it is asked.
    await injectFault(suite.server.sandboxUrl, {
      match: { path: `/v1/payments/${session.paymentKey}/cancel` },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 100,
    });
    await confirmWhileTheCourseBecomesOwned(learner, course.id, order.orderId, session);
    for (let sweep = 0; sweep < 3; sweep++) await recoverOrder(recoveryDeps(), order.orderId);
    expect((await state(learner, order.orderId)).order).toBe('CANCEL_PENDING');

    // Nothing can capture the wallet part now (CANCEL_PENDING only ever ends CANCELED): it is the learner's.
    expect(await state(learner, order.orderId)).toMatchObject({ balance: 30_000, held: 0, hold: 'VOIDED' });
    const other = await createCourse(suite.t.db, 30_000);
    expect(await reasonOf(learner.caller.wallet.pay({ courseId: other.id, requestId: randomUUID() }))).toBe(
      'OK',
    );
  });
});

describe('composite orders raced by the learner', () => {
  it('giving up at checkout racing the success page: approved and captured, or failed and voided with nothing at Toss', async () => {
    for (let round = 0; round < 6; round++) {
      const learner = await learnerWith(30_000);
      const { order } = await compositeOrder(learner);
      const session = await shopperApproves(suite.server.sandboxUrl, {
        orderId: order.orderId,
        amount: 18_000,
      });
      await injectFault(suite.server.sandboxUrl, {
        match: { path: '/v1/payments/confirm', orderId: order.orderId },
        action: 'delay',
        ms: 50 * round,
        times: 1,
      });
      const giveUp = () =>
        learner.caller.payment.fail({
          orderId: order.orderId,
          code: 'PAY_PROCESS_CANCELED',
          message: '결제를 그만두었어요',
        });
      const confirm = () => learner.caller.payment.confirm({ ...session, amount: 18_000 });
      await Promise.allSettled(round % 2 === 0 ? [confirm(), giveUp()] : [giveUp(), confirm()]);
      const after = await state(learner, order.orderId);
      const atToss = await suite.t.db.$queryRawUnsafe<{ status: string }[]>(
        'SELECT status FROM toss_sandbox.payments WHERE order_id = $1',
        order.orderId,
      );
      if (after.order === 'APPROVED') {
        expect(after).toMatchObject({ balance: 0, held: 0, hold: 'CAPTURED' });
      } else {
        expect(after).toMatchObject({ balance: 30_000, held: 0, order: 'FAILED', hold: 'VOIDED' });
        expect(atToss.map((p) => p.status)).not.toContain('DONE');
      }
    }
  });

  it('order.create under one requestId never returns another learner’s order, nor holds twice', async () => {
    const alice = await learnerWith(30_000);
    const bob = await learnerWith(30_000);
    const course = await createCourse(suite.t.db, 48_000);
    const requestId = randomUUID();
    const create = (who: Learner) =>
      who.caller.order.create({ type: 'COURSE', courseId: course.id, walletAmount: 30_000, requestId });
    const [a1, b1, a2, b2] = await Promise.all([create(alice), create(bob), create(alice), create(bob)]);
    expect(a1.orderId).toBe(a2.orderId);
    expect(b1.orderId).toBe(b2.orderId);
    expect(a1.orderId).not.toBe(b1.orderId);
    // Bob cannot fail, confirm or read Alice's order.
    expect(
      await reasonOf(
        bob.caller.payment.fail({ orderId: a1.orderId, code: 'PAY_PROCESS_CANCELED', message: '' }),
      ),
    ).toBe('ORDER_NOT_FOUND');
    expect(await state(alice, a1.orderId)).toMatchObject({ held: 30_000, hold: 'PENDING', order: 'CREATED' });
    // Another split under the same key is refused, whatever the order's state.
    expect(
      await reasonOf(
        alice.caller.order.create({ type: 'COURSE', courseId: course.id, walletAmount: 20_000, requestId }),
      ),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
