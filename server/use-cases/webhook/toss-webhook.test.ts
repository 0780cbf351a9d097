import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import {
  clearFaults,
  deliverDueSandboxWebhooks,
  injectFault,
  queueSandboxWebhook,
  sandboxPaymentOf,
  sandboxWebhookTo,
  shopperApproves,
} from '../../test/sandbox';

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  // No janitor here: whatever settles an order in these tests is the webhook's own processing.
  server = await startTestHttpServer(t.db, { webhooks: { timeScale: 0.0001, intervalMs: 100 } });
});
afterEach(async () => {
  await clearFaults(server.sandboxUrl);
});
afterAll(async () => {
  await server.close();
  await t.drop();
});

const learner = () => signedInCaller(t.db, 'hook', { toss: server.toss(), waitForConfirmMs: 5_000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendWebhook(body: unknown, transmissionId = randomUUID()) {
  return fetch(`${server.baseUrl}/api/webhooks/toss`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tosspayments-webhook-transmission-id': transmissionId },
    body: JSON.stringify(body),
  });
}

const statusChanged = (orderId: string, status: string) => ({
  eventType: 'PAYMENT_STATUS_CHANGED',
  createdAt: '2026-11-23T12:00:00.000000',
  data: { orderId, status, paymentKey: 'whatever' },
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(100);
  }
}

async function chargeOrder(amount = 10_000) {
  const me = await learner();
  const order = await me.caller.order.create({ type: 'CHARGE', amount });
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount });
  return { me, order, session };
}

/** A charge order Toss approved but whose answer we never read: IN_DOUBT, nothing credited yet. */
async function inDoubtChargeOrder() {
  const { me, order, session } = await chargeOrder();
  await injectFault(server.sandboxUrl, {
    match: { orderId: order.orderId },
    action: 'drop-response',
    times: 1,
  });
  expect((await me.caller.payment.confirm({ ...session, amount: order.amount })).order.status).toBe(
    'IN_DOUBT',
  );
  return { me, order };
}

const credits = (userId: string) => t.db.walletTransaction.count({ where: { userId } });

describe('Toss webhooks', () => {
  it('the sandbox sends PAYMENT_STATUS_CHANGED on approval; it is recorded and changes nothing twice', async () => {
    const { me, order, session } = await chargeOrder();
    await me.caller.payment.confirm({ ...session, amount: order.amount });
    await until(
      async () =>
        (await t.db.webhookDelivery.count({
          where: { orderId: order.orderId, processedAt: { not: null } },
        })) === 1,
    );
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { orderId: order.orderId } });
    expect(delivery.eventType).toBe('PAYMENT_STATUS_CHANGED');
    expect((delivery.payload as { data: { status: string } }).data.status).toBe('DONE');
    expect(await credits(me.user.id)).toBe(1);
  });

  it('deduplicates deliveries by transmission id, and settles an order in doubt once', async () => {
    const { me, order } = await inDoubtChargeOrder();
    const id = randomUUID();
    const sent = await Promise.all(
      [1, 2, 3].map(() => sendWebhook(statusChanged(order.orderId, 'DONE'), id)),
    );
    const bodies = await Promise.all(sent.map((r) => r.json()));
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bodies.filter((b) => b.duplicate === false)).toHaveLength(1);
    expect(await t.db.webhookDelivery.count({ where: { transmissionId: id } })).toBe(1);
    await until(
      async () =>
        (await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).status === 'APPROVED',
    );
    await sleep(300);
    expect(await credits(me.user.id)).toBe(1);
  });

  it('a late (out-of-order) DONE after a refund re-reads Toss and grants nothing again', async () => {
    const { me, order, session } = await chargeOrder();
    await me.caller.payment.confirm({ ...session, amount: order.amount });
    await me.caller.payment.cancel({ orderId: order.orderId, reason: '환불' });
    const transmissionId = randomUUID();
    await sendWebhook(statusChanged(order.orderId, 'DONE'), transmissionId);
    await until(async () =>
      Boolean((await t.db.webhookDelivery.findUnique({ where: { transmissionId } }))?.processedAt),
    );
    expect((await me.caller.order.get({ orderId: order.orderId })).status).toBe('CANCELED');
    expect((await me.caller.wallet.get()).balance).toBe(0);
  });

  it('a payment Toss approves after we failed the order is cancelled at Toss and shown to an operator', async () => {
    const { me, order, session } = await chargeOrder();
    await t.db.order.update({ where: { id: order.orderId }, data: { status: 'FAILED', failureCode: 'X' } });
    await server.toss().confirm({ ...session, amount: order.amount }, randomUUID()); // the late landing
    await sendWebhook(statusChanged(order.orderId, 'DONE'));
    await until(
      async () =>
        (await t.db.operatorAlert.count({ where: { orderId: order.orderId, kind: 'LATE_APPROVAL' } })) === 1,
    );
    const atToss = await server.toss().getPayment(session.paymentKey);
    expect(atToss.kind === 'ok' && atToss.body.status).toBe('CANCELED');
    expect(await credits(me.user.id)).toBe(0);
  });

  it('an early webhook (before our confirm) that claims DONE changes nothing: Toss says otherwise', async () => {
    const { me, order, session } = await chargeOrder();
    const transmissionId = randomUUID();
    await sendWebhook(statusChanged(order.orderId, 'DONE'), transmissionId);
    await until(async () =>
      Boolean((await t.db.webhookDelivery.findUnique({ where: { transmissionId } }))?.processedAt),
    );
    expect((await me.caller.order.get({ orderId: order.orderId })).status).toBe('CREATED');
    expect(await credits(me.user.id)).toBe(0);
    expect((await me.caller.payment.confirm({ ...session, amount: order.amount })).order.status).toBe(
      'APPROVED',
    );
    expect(await credits(me.user.id)).toBe(1);
  });

  it('a webhook during our confirm leaves it to the confirm: one approval, one credit', async () => {
    const { me, order, session } = await chargeOrder();
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'delay',
      ms: 800,
      times: 1,
    });
    const confirming = me.caller.payment.confirm({ ...session, amount: order.amount });
    await sleep(200);
    const transmissionId = randomUUID();
    await sendWebhook(statusChanged(order.orderId, 'DONE'), transmissionId);
    await until(async () =>
      Boolean((await t.db.webhookDelivery.findUnique({ where: { transmissionId } }))?.processedAt),
    );
    // Handled while the confirm still held the order: the webhook left it to the confirm.
    expect((await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).status).toBe('CONFIRMING');
    expect((await confirming).order.status).toBe('APPROVED');
    await sleep(500);
    expect(await credits(me.user.id)).toBe(1);
    expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('a webhook that lies (ABORTED) about an order in doubt settles it by what Toss says (DONE)', async () => {
    const { me, order } = await inDoubtChargeOrder();
    await sendWebhook(statusChanged(order.orderId, 'ABORTED'));
    await until(
      async () =>
        (await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).status === 'APPROVED',
    );
    expect(await credits(me.user.id)).toBe(1);
  });

  it('records an approval made without our confirm, rather than leave it unrecorded', async () => {
    const { me, order, session } = await chargeOrder();
    const approved = await server.toss().confirm({ ...session, amount: order.amount }, randomUUID());
    expect(approved.kind).toBe('ok');
    await sendWebhook(statusChanged(order.orderId, 'DONE'));
    await until(
      async () =>
        (await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).status === 'APPROVED',
    );
    expect(await credits(me.user.id)).toBe(1);
  });

  it('accepts a DEPOSIT_CALLBACK (flat, no eventType) and acts on it the same way', async () => {
    const { me, order } = await inDoubtChargeOrder();
    const response = await sendWebhook({
      createdAt: '2026-11-23T12:00:00.000000',
      secret: 'ps_whatever',
      status: 'DONE',
      transactionKey: 'TX',
      orderId: order.orderId,
    });
    expect(response.status).toBe(200);
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({
      where: { orderId: order.orderId, eventType: 'DEPOSIT_CALLBACK' },
    });
    expect(delivery).toBeTruthy();
    await until(
      async () =>
        (await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } })).status === 'APPROVED',
    );
    expect(await credits(me.user.id)).toBe(1);
  });

  it('refuses a body that is not JSON, or carries NUL characters, with 400, not 500', async () => {
    const response = await fetch(`${server.baseUrl}/api/webhooks/toss`, { method: 'POST', body: '{nope' });
    expect(response.status).toBe(400);
    expect((await sendWebhook({ eventType: 'PAYMENT_STATUS_CHANGED', x: '\u0000' })).status).toBe(400);
  });

  it('records a payload with `__proto__` keys (even null ones, which Prisma cannot store) without them', async () => {
    const transmissionId = randomUUID();
    const response = await fetch(`${server.baseUrl}/api/webhooks/toss`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'tosspayments-webhook-transmission-id': transmissionId },
      body: '{"__proto__":null,"eventType":"PAYMENT_STATUS_CHANGED","data":{"orderId":"nobody-123456","__proto__":null,"x":[{"__proto__":null}]}}',
    });
    expect(response.status).toBe(200);
    const delivery = await t.db.webhookDelivery.findUniqueOrThrow({ where: { transmissionId } });
    expect(delivery.payload).toEqual({
      eventType: 'PAYMENT_STATUS_CHANGED',
      data: { orderId: 'nobody-123456', x: [{}] },
    });
  });
});

describe('the sandbox’s webhook retries', () => {
  it('retries on Toss’s schedule (time-scaled) until the shop answers 200', async () => {
    const seen: string[] = [];
    const receiver = http.createServer((req, res) => {
      seen.push(String(req.headers['tosspayments-webhook-transmission-retried-count']));
      res.statusCode = seen.length < 3 ? 500 : 200;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const { order } = await chargeOrder();
      const payment = await sandboxPaymentOf(t.db, order.orderId);
      await queueSandboxWebhook(t.db, url, payment);
      await until(async () => {
        await deliverDueSandboxWebhooks(t.db, 0.0001);
        const row = await sandboxWebhookTo(t.db, url);
        return seen.length >= 3 && Boolean(row?.deliveredAt);
      });
      expect(seen).toEqual(['0', '1', '2']);
      const row = await sandboxWebhookTo(t.db, url);
      if (!row) throw new Error(`no sandbox webhook to ${url}`);
      expect(row.deliveredAt).not.toBeNull();
      expect(row.attempts).toBe(3);
    } finally {
      receiver.close();
    }
  });

  it('a burst of deliveries for one order asks Toss a few times, not once per delivery, and all are processed', async () => {
    const { me, order, session } = await chargeOrder();
    await me.caller.payment.confirm({ ...session, amount: order.amount });
    await until(
      async () =>
        (await t.db.webhookDelivery.count({ where: { orderId: order.orderId, processedAt: null } })) === 0,
    );
    const lookups = () => t.db.tossExchange.count({ where: { orderId: order.orderId, operation: 'get' } });
    const before = await lookups();
    const sent = await Promise.all(
      Array.from({ length: 20 }, () => sendWebhook(statusChanged(order.orderId, 'DONE'))),
    );
    expect(sent.every((r) => r.status === 200)).toBe(true);
    await until(
      async () =>
        (await t.db.webhookDelivery.count({ where: { orderId: order.orderId, processedAt: null } })) === 0,
    );
    // Twenty deliveries, one after another in this process: the first re-read covers those that came
    // before it, one more covers the rest.
    expect(await lookups()).toBeLessThanOrEqual(before + 4);
    expect(await credits(me.user.id)).toBe(1);
  });
});
