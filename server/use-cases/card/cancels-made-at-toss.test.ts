import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, signedInCaller } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import {
  cancelInMerchantConsole,
  countUndeliveredSandboxWebhooks,
  injectFault,
  shopperApproves,
} from '../../test/sandbox';
import { reconcile, settleCancelsFoundAtToss } from '../admin/reconcile';
import { kstDay } from '../admin/report-range';
import { retryRefundsInDoubt } from '../refund/refund-at-toss';
import { processPendingDeliveries } from '../webhook/process-webhook';
import { recoverOrder } from './recover-order';

/**
 * Cancels made in Toss's merchant console (straight at the sandbox, not through the app) are booked
 * here once, by whichever of the sandbox's webhook, duplicated deliveries, the janitor and
 * reconciliation gets there first, and our own refunds are never booked a second time.
 */

const suite = cardSuite({ server: { webhooks: { timeScale: 0.0001, intervalMs: 100 } }, checkBooks: true });
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const learner = () => signedInCaller(t.db, 'console', { toss: server.toss(), waitForConfirmMs: 5_000 });
type Learner = Awaited<ReturnType<typeof learner>>;
const deps = () => ({ db: t.db, toss: server.toss(), waitForConfirmMs: 0, staleConfirmingMs: 15_000 });
const today = kstDay(new Date());

async function byCard(who: Learner, order: { orderId: string; amount: number }) {
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  expect((await who.caller.payment.confirm({ ...session, amount: order.amount })).order.status).toBe(
    'APPROVED',
  );
  return session;
}

async function courseByCard(price = 10_000) {
  const me = await learner();
  const course = await createCourse(t.db, price);
  const order = await me.caller.order.create({ type: 'COURSE', courseId: course.id });
  return { me, course, order, session: await byCard(me, order) };
}

async function chargeByCard(amount = 20_000) {
  const me = await learner();
  const order = await me.caller.order.create({ type: 'CHARGE', amount });
  return { me, order, session: await byCard(me, order) };
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function deliverWebhook(body: unknown, transmissionId = randomUUID()) {
  return fetch(`${server.baseUrl}/api/webhooks/toss`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tosspayments-webhook-transmission-id': transmissionId },
    body: JSON.stringify(body),
  });
}

/** Every webhook the sandbox owes has been delivered, and every delivery acted on. */
async function webhooksSettled() {
  await until(
    async () =>
      (await countUndeliveredSandboxWebhooks(t.db)) === 0 &&
      (await t.db.webhookDelivery.count({ where: { processedAt: null } })) === 0,
  );
}

/**
 * Everything that re-reads a payment, at once, besides the sandbox's own webhook: Toss's event
 * delivered again (a retry with the same transmission id, and a true duplicate), two janitor jobs, the
 * janitor's sweep of deliveries, and reconciliation.
 */
async function everyoneRereads(orderId: string, paymentKey: string) {
  const payment = await server.toss().getPayment(paymentKey);
  const event = {
    eventType: 'PAYMENT_STATUS_CHANGED',
    createdAt: '2026-12-01T12:00:00.000000',
    data: payment.kind === 'ok' ? payment.body : { orderId },
  };
  const transmissionId = randomUUID();
  await Promise.all([
    deliverWebhook(event, transmissionId),
    deliverWebhook(event, transmissionId),
    deliverWebhook(event),
    recoverOrder(deps(), orderId),
    recoverOrder(deps(), orderId),
    processPendingDeliveries(deps(), 0),
    reconcile(deps(), { from: today, to: today }).then((d) => settleCancelsFoundAtToss(deps(), d)),
  ]);
  await webhooksSettled();
}

const orderOf = (orderId: string) => t.db.order.findUniqueOrThrow({ where: { id: orderId } });
const refundsOf = (orderId: string) =>
  t.db.refund.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
const alertKinds = async (orderId: string) =>
  (await t.db.operatorAlert.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } })).map(
    (a) => a.kind,
  );
const ledgerOf = async (userId: string) =>
  (await t.db.walletTransaction.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })).map((e) => [
    e.type,
    e.amount,
  ]);
const differencesFor = async (orderId: string) =>
  (await reconcile(deps(), { from: today, to: today })).filter((d) => d.orderId === orderId);

describe('a course cancelled in the merchant console', () => {
  it('in full: the enrollment ends, the order is CANCELED and refunded, an operator is told; once', async () => {
    const { me, course, order, session } = await courseByCard(10_000);
    const atToss = await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '고객센터 요청',
    });
    const key = atToss.cancels[0]?.transactionKey;
    await everyoneRereads(order.orderId, session.paymentKey);

    // The sandbox told us as Toss does.
    const sent = await t.db.webhookDelivery.findMany({ where: { orderId: order.orderId } });
    expect(sent.some((d) => (d.payload as { data?: { status?: string } }).data?.status === 'CANCELED')).toBe(
      true,
    );
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
    expect((await me.caller.order.get({ orderId: order.orderId })).status).toBe('CANCELED');
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(0);
    expect((await me.caller.course.list()).find((c) => c.id === course.id)?.purchased).toBe(false);
    expect(await refundsOf(order.orderId)).toEqual([
      expect.objectContaining({
        amount: 10_000,
        status: 'DONE',
        destination: 'CARD',
        requestedBy: null,
        reason: '고객센터 요청',
        tossTransactionKey: key,
      }),
    ]);
    expect(await alertKinds(order.orderId)).toEqual([`CANCELED_AT_TOSS:${key}`]);
    expect(await differencesFor(order.orderId)).toEqual([]);

    // And again: nothing changes.
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await refundsOf(order.orderId)).toHaveLength(1);
    expect(await alertKinds(order.orderId)).toHaveLength(1);
  });

  it('in parts: each later part is booked on its own, by Toss’s amounts, and the course stays until the last', async () => {
    const { me, order, session } = await courseByCard(10_000);
    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '부분 환불',
      cancelAmount: 3_000,
    });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await orderOf(order.orderId)).toMatchObject({
      status: 'PARTIALLY_CANCELED',
      refundedAmount: 3_000,
    });
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(1);

    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '추가 환불',
      cancelAmount: 2_000,
    });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await orderOf(order.orderId)).toMatchObject({
      status: 'PARTIALLY_CANCELED',
      refundedAmount: 5_000,
    });
    expect((await refundsOf(order.orderId)).map((r) => r.amount)).toEqual([3_000, 2_000]);
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(1);
    expect(await alertKinds(order.orderId)).toHaveLength(2);

    // The rest: Toss keeps PARTIAL_CANCELED (balance 0); here the order is fully cancelled.
    const rest = await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '나머지',
    });
    expect(rest).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 0 });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
    expect((await refundsOf(order.orderId)).map((r) => r.amount)).toEqual([3_000, 2_000, 5_000]);
    expect(await t.db.enrollment.count({ where: { userId: me.user.id } })).toBe(0);
    expect(await differencesFor(order.orderId)).toEqual([]);
  });
});

describe('each re-reader alone', () => {
  it('books it: the sandbox’s webhook, a janitor job, reconciliation', async () => {
    // A second server on the same sandbox state that sends no webhooks: its cancels stay silent.
    const quiet = await startTestHttpServer(t.db);
    try {
      const byWebhook = await courseByCard();
      await cancelInMerchantConsole(server.sandboxUrl, byWebhook.session.paymentKey, { cancelReason: 'a' });
      await until(async () => (await orderOf(byWebhook.order.orderId)).status === 'CANCELED');

      const byJanitor = await courseByCard();
      await webhooksSettled(); // the approval's webhook, which would re-read the payment too
      await cancelInMerchantConsole(quiet.sandboxUrl, byJanitor.session.paymentKey, { cancelReason: 'b' });
      expect(await recoverOrder(deps(), byJanitor.order.orderId)).toBe('settled');
      expect(await recoverOrder(deps(), byJanitor.order.orderId)).toBe('not-needed');
      expect((await orderOf(byJanitor.order.orderId)).status).toBe('CANCELED');

      const byReconciliation = await courseByCard();
      await webhooksSettled();
      await cancelInMerchantConsole(quiet.sandboxUrl, byReconciliation.session.paymentKey, {
        cancelReason: 'c',
      });
      const found = await reconcile(deps(), { from: today, to: today });
      expect(found.filter((d) => d.orderId === byReconciliation.order.orderId)).toMatchObject([
        { kind: 'STATUS_MISMATCH', ours: { canceled: 0 }, toss: { canceled: 10_000 } },
      ]);
      expect(await settleCancelsFoundAtToss(deps(), found)).toEqual([byReconciliation.order.orderId]);
      expect((await orderOf(byReconciliation.order.orderId)).status).toBe('CANCELED');
      expect(await differencesFor(byReconciliation.order.orderId)).toEqual([]);
      for (const { order } of [byWebhook, byJanitor, byReconciliation]) {
        expect(await refundsOf(order.orderId)).toHaveLength(1);
        expect(await alertKinds(order.orderId)).toHaveLength(1);
      }
    } finally {
      await quiet.close();
    }
    await webhooksSettled();
  });
});

describe('a card wallet charge cancelled in the merchant console', () => {
  it('in full, still in the wallet: the won leave the wallet once', async () => {
    const { me, order, session } = await chargeByCard(20_000);
    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, { cancelReason: '충전 취소' });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect((await me.caller.wallet.get()).balance).toBe(0);
    expect(await ledgerOf(me.user.id)).toEqual([
      ['CHARGE', 20_000],
      ['CHARGE_CANCEL', -20_000],
    ]);
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'CANCELED', refundedAmount: 20_000 });
    expect(await alertKinds(order.orderId)).toEqual([expect.stringMatching(/^CANCELED_AT_TOSS:/)]);
  });

  it('in parts, still in the wallet: each part leaves the wallet', async () => {
    const { me, order, session } = await chargeByCard(20_000);
    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '부분',
      cancelAmount: 5_000,
    });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect((await me.caller.wallet.get()).balance).toBe(15_000);
    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '부분 2',
      cancelAmount: 3_000,
    });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect((await me.caller.wallet.get()).balance).toBe(12_000);
    expect(await ledgerOf(me.user.id)).toEqual([
      ['CHARGE', 20_000],
      ['CHARGE_CANCEL', -5_000],
      ['CHARGE_CANCEL', -3_000],
    ]);
    expect(await orderOf(order.orderId)).toMatchObject({
      status: 'PARTIALLY_CANCELED',
      refundedAmount: 8_000,
    });
  });

  it('already spent: the balance is left alone and an operator is told what is owed', async () => {
    const { me, order, session } = await chargeByCard(20_000);
    const course = await createCourse(t.db, 15_000);
    await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    expect((await me.caller.wallet.get()).balance).toBe(5_000);

    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '부분',
      cancelAmount: 8_000,
    });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect((await me.caller.wallet.get()).balance).toBe(5_000);
    expect(await orderOf(order.orderId)).toMatchObject({
      status: 'PARTIALLY_CANCELED',
      refundedAmount: 8_000,
    });
    let owed = await t.db.operatorAlert.findMany({
      where: { orderId: order.orderId, kind: { startsWith: 'CHARGE_CANCEL_OWED:' } },
    });
    expect(owed.map((a) => a.message)).toEqual([expect.stringContaining('The learner owes 8,000 won.')]);

    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, { cancelReason: '나머지' });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect((await me.caller.wallet.get()).balance).toBe(5_000);
    expect(await ledgerOf(me.user.id)).toEqual([
      ['CHARGE', 20_000],
      ['PAYMENT', -15_000],
    ]);
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'CANCELED', refundedAmount: 20_000 });
    owed = await t.db.operatorAlert.findMany({
      where: { orderId: order.orderId, kind: { startsWith: 'CHARGE_CANCEL_OWED:' } },
      orderBy: { createdAt: 'asc' },
    });
    expect(owed.map((a) => a.message)).toEqual([
      expect.stringContaining('The learner owes 8,000 won.'),
      expect.stringContaining('The learner owes 12,000 won.'),
    ]);
    expect((await alertKinds(order.orderId)).filter((k) => k.startsWith('CANCELED_AT_TOSS:'))).toHaveLength(
      2,
    );
  });
});

describe('our own refunds, re-read at Toss', () => {
  it('are never booked a second time', async () => {
    const { order, session } = await courseByCard(10_000);
    await admin.caller.payment.cancel({ orderId: order.orderId, reason: '부분 환불', amount: 3_000 });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await orderOf(order.orderId)).toMatchObject({
      status: 'PARTIALLY_CANCELED',
      refundedAmount: 3_000,
    });
    const [ours] = await refundsOf(order.orderId);
    expect(ours?.tossTransactionKey).toMatch(/^[0-9A-F]{32}$/);

    // A refund booked before keys were kept is still recognised (by its amount).
    await t.db.refund.updateMany({ where: { orderId: order.orderId }, data: { tossTransactionKey: null } });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await refundsOf(order.orderId)).toHaveLength(1);

    await admin.caller.payment.cancel({ orderId: order.orderId, reason: '나머지' });
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'CANCELED', refundedAmount: 10_000 });
    expect(await refundsOf(order.orderId)).toHaveLength(2);
    expect(await alertKinds(order.orderId)).toEqual([]);
    expect(await differencesFor(order.orderId)).toEqual([]);
  });

  it('one still unanswered holds back a cancel made at Toss until it is settled, then both are booked once', async () => {
    const { order, session } = await courseByCard(10_000);
    await injectFault(server.sandboxUrl, {
      match: { path: `/v1/payments/${session.paymentKey}/cancel` },
      action: 'drop-response',
      times: 1,
    });
    const ours = await admin.caller.payment.cancel({ orderId: order.orderId, reason: '우리', amount: 4_000 });
    expect(ours.refund.status).toBe('IN_DOUBT');
    await cancelInMerchantConsole(server.sandboxUrl, session.paymentKey, {
      cancelReason: '콘솔',
      cancelAmount: 3_000,
    });
    await everyoneRereads(order.orderId, session.paymentKey);
    // Toss lists two cancels; which one is ours cannot be told yet, so neither is booked as made elsewhere.
    expect((await refundsOf(order.orderId)).map((r) => [r.amount, r.status])).toEqual([[4_000, 'IN_DOUBT']]);
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'APPROVED', refundedAmount: 4_000 });

    await retryRefundsInDoubt(deps());
    expect((await refundsOf(order.orderId)).map((r) => [r.amount, r.status, r.requestedBy === null])).toEqual(
      [
        [4_000, 'DONE', false],
        [3_000, 'DONE', true],
      ],
    );
    await everyoneRereads(order.orderId, session.paymentKey);
    expect(await orderOf(order.orderId)).toMatchObject({
      status: 'PARTIALLY_CANCELED',
      refundedAmount: 7_000,
    });
    expect(await refundsOf(order.orderId)).toHaveLength(2);
    expect(await alertKinds(order.orderId)).toHaveLength(1);
  });
});
