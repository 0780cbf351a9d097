import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { signedInCaller } from '../test/fixtures';
import { startTestHttpServer } from '../test/http-server';
import { clearFaults, injectFault, shopperApproves } from '../test/sandbox';
import { deliverDueWebhooks, queuePaymentWebhook } from '../toss/sandbox/sandbox-webhooks';

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db, {
    webhooks: { timeScale: 0.0001, intervalMs: 100 },
    recovery: { databaseUrl: t.url, intervalMs: 200, staleConfirmingMs: 5_000 },
  });
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

  it('deduplicates deliveries by transmission id', async () => {
    const { me, order, session } = await chargeOrder();
    await me.caller.payment.confirm({ ...session, amount: order.amount });
    const id = randomUUID();
    const first = await sendWebhook(statusChanged(order.orderId, 'DONE'), id);
    const second = await sendWebhook(statusChanged(order.orderId, 'DONE'), id);
    expect(first.status).toBe(200);
    expect(await second.json()).toMatchObject({ duplicate: true });
    expect(await t.db.webhookDelivery.count({ where: { transmissionId: id } })).toBe(1);
    expect(await credits(me.user.id)).toBe(1);
  });

  it('an early webhook (before our confirm) that claims DONE changes nothing: Toss says otherwise', async () => {
    const { me, order, session } = await chargeOrder();
    await sendWebhook(statusChanged(order.orderId, 'DONE'));
    await sleep(500);
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
    await sendWebhook(statusChanged(order.orderId, 'DONE'));
    expect((await confirming).order.status).toBe('APPROVED');
    await sleep(500);
    expect(await credits(me.user.id)).toBe(1);
    expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('a webhook that lies (ABORTED) about an order in doubt settles it by what Toss says (DONE)', async () => {
    const { me, order, session } = await chargeOrder();
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'drop-response',
      times: 1,
    });
    expect((await me.caller.payment.confirm({ ...session, amount: order.amount })).order.status).toBe(
      'IN_DOUBT',
    );
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
    const { me, order, session } = await chargeOrder();
    await injectFault(server.sandboxUrl, {
      match: { orderId: order.orderId },
      action: 'drop-response',
      times: 1,
    });
    expect((await me.caller.payment.confirm({ ...session, amount: order.amount })).order.status).toBe(
      'IN_DOUBT',
    );
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

  it('refuses a body that is not JSON with 400, not 500', async () => {
    const response = await fetch(`${server.baseUrl}/api/webhooks/toss`, { method: 'POST', body: '{nope' });
    expect(response.status).toBe(400);
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
      const payment = await t.db.tossSandboxPayment.findFirstOrThrow({ where: { orderId: order.orderId } });
      await queuePaymentWebhook(t.db, url, payment);
      await until(async () => {
        await deliverDueWebhooks(t.db, 0.0001);
        return seen.length >= 3;
      });
      expect(seen).toEqual(['0', '1', '2']);
      const row = await t.db.tossSandboxWebhook.findFirstOrThrow({ where: { url } });
      expect(row.deliveredAt).not.toBeNull();
      expect(row.attempts).toBe(3);
    } finally {
      receiver.close();
    }
  });
});
