import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { moveOrder } from '../../building-blocks/order/order-status';
import { startEventDispatcher } from '../../entry-points/event-dispatcher';
import { type CardSuite, cardSuite } from '../../test/card-suite';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { injectFault, shopperApproves } from '../../test/sandbox';
import { dispatchOnce } from './dispatch-events';
import { redeliverEvent, redeliverFailedSince } from './event-log';
import { createEndpoint, disableEndpoint, rotateEndpointSecret } from './manage-endpoints';

/**
 * Signed outgoing events, end to end: each event type produced by its real flow lands in the outbox in
 * the same transaction as the change, and reaches a real HTTP receiver that verifies every delivery with
 * the `standardwebhooks` package (the reference implementation, not our signing code) and by hand from
 * the specification with node:crypto (so a fault the package shares with our signing still shows).
 */

const sealingKey = randomBytes(32);
const suite = cardSuite();
let t: CardSuite['t'];
let server: CardSuite['server'];
let admin: CardSuite['admin'];
beforeAll(() => {
  ({ t, server, admin } = suite);
});

const actor = () => ({ kind: 'admin' as const, admin: { id: admin.user.id, email: admin.user.email } });
const deps = () => ({ sealingKey, mode: 'sandbox' as const });
const dispatchDeps = () => ({ db: t.db, sealingKey, timeScale: 1e-6, timeoutMs: 5_000 });

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Whether it verified by hand (verifiedByHand) with the endpoint's secret when it arrived. */
  verifiedByHand: boolean;
}

const headerMap = (h: IncomingHttpHeaders) => ({
  'webhook-id': String(h['webhook-id']),
  'webhook-timestamp': String(h['webhook-timestamp']),
  'webhook-signature': String(h['webhook-signature']),
});

/**
 * Standard Webhooks verification written from the specification: the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, the key the base64-decoded secret after `whsec_`, and one
 * of the space-separated `v1,<base64 HMAC-SHA256>` entries of webhook-signature must match (compared in
 * constant time); a timestamp more than five minutes from now is refused.
 */
function verifiedByHand(body: string, headers: ReturnType<typeof headerMap>, secret: string): boolean {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp } = headers;
  if (!secret.startsWith('whsec_') || !/^[0-9]+$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 5 * 60) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from(
    createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64'),
  );
  return headers['webhook-signature'].split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * A real receiver on a random port: answers each request with the next status of `statuses` (then 200),
 * and checks every delivery by hand, as it arrives, with the secret given to `checkWith`.
 */
async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const queue = [...statuses];
  let secret: string | null = null;
  const httpServer: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const byHand = secret !== null && verifiedByHand(body, headerMap(req.headers), secret);
      received.push({ headers: req.headers, body, event: JSON.parse(body), verifiedByHand: byHand });
      res.statusCode = queue.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/hooks`;
  return {
    url,
    received,
    /** Makes the next answers these statuses. */
    answer: (next: number[]) => queue.splice(0, queue.length, ...next),
    /** The endpoint's secret from now on (after a rotation, the new one). */
    checkWith: (next: string) => {
      secret = next;
    },
    close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Every delivery verifies with the reference library and by hand, and its parsed body is what was sent. */
function verifyAll(received: Received[], secret: string) {
  const wh = new Webhook(secret);
  for (const r of received) {
    expect(wh.verify(r.body, headerMap(r.headers))).toEqual(r.event);
    expect(verifiedByHand(r.body, headerMap(r.headers), secret)).toBe(true);
  }
}

/** Runs dispatcher passes until `done` holds (or gives up after many passes). */
async function dispatchUntil(done: () => Promise<boolean> | boolean, passes = 200) {
  for (let i = 0; i < passes; i++) {
    if (await done()) return;
    await dispatchOnce(dispatchDeps());
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(await done()).toBe(true);
}

const enabled: string[] = [];
const receivers: Receiver[] = [];
async function endpointFor(eventTypes: string[], statuses: number[] = []) {
  const receiver = await startReceiver(statuses);
  receivers.push(receiver);
  const { endpoint, secret } = await t.db.$transaction((tx) =>
    createEndpoint(tx, deps(), actor(), { url: receiver.url, eventTypes }),
  );
  enabled.push(endpoint.id);
  receiver.checkWith(secret);
  return { receiver, endpoint, secret };
}
afterEach(async () => {
  for (const id of enabled.splice(0)) await t.db.$transaction((tx) => disableEndpoint(tx, actor(), id));
  const closed = receivers.splice(0);
  for (const r of closed) await r.close();
  // Every delivery of every test verified by hand when it arrived.
  for (const r of closed) {
    expect(r.received.filter((d) => !d.verifiedByHand).map((d) => d.headers['webhook-id'])).toEqual([]);
  }
});

const ALL = [
  'order.approved',
  'order.failed',
  'order.canceled',
  'order.in_doubt',
  'refund.succeeded',
  'wallet.changed',
  'course.purchased',
  'course.refunded',
];

const learner = () =>
  signedInCaller(t.db, 'events', { toss: server.toss(), waitForConfirmMs: 5_000, sandboxMode: true });
type Learner = Awaited<ReturnType<typeof learner>>;

async function courseByCard(who: Learner, price = 10_000) {
  const course = await createCourse(t.db, price, `이벤트 강의 ${price}`);
  const order = await who.caller.order.create({ type: 'COURSE', courseId: course.id });
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  const result = await who.caller.payment.confirm({ ...session, amount: order.amount });
  expect(result.order.status).toBe('APPROVED');
  return { course, order };
}

const typesFor = (received: Received[], userId: string) =>
  received.filter((r) => r.event.data.userId === userId).map((r) => r.event.type);

describe('signed outgoing events', () => {
  it('every event type comes from its real flow, in order, and every delivery verifies', async () => {
    const { receiver, secret } = await endpointFor(ALL);
    const me = await learner();
    const userId = me.user.id;

    // A balance purchase: charge, then pay.
    await me.caller.wallet.charge({ amount: 20_000, requestId: randomUUID() });
    const cheap = await createCourse(t.db, 5_000, '잔액 이벤트 강의');
    const paid = await me.caller.wallet.pay({ courseId: cheap.id, requestId: randomUUID() });
    // A card purchase, refunded.
    const { order: card } = await courseByCard(me);
    await me.caller.payment.cancel({ orderId: card.orderId, reason: '단순 변심' });
    // A failed card.
    const failedCourse = await createCourse(t.db, 7_000, '실패 강의');
    const failed = await me.caller.order.create({ type: 'COURSE', courseId: failedCourse.id });
    await me.caller.payment
      .confirm({ paymentKey: 'no-such-key', orderId: failed.orderId, amount: failed.amount })
      .catch(() => undefined);
    // An order in doubt (Toss answers 500).
    const doubtCourse = await createCourse(t.db, 8_000, '확인 중 강의');
    const doubt = await me.caller.order.create({ type: 'COURSE', courseId: doubtCourse.id });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: doubt.orderId,
      amount: doubt.amount,
    });
    await injectFault(server.sandboxUrl, {
      match: { orderId: doubt.orderId },
      action: 'error',
      status: 500,
      times: 1,
    });
    expect((await me.caller.payment.confirm({ ...session, amount: doubt.amount })).order.status).toBe(
      'IN_DOUBT',
    );

    const outbox = await t.db.outboxEvent.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
    await dispatchUntil(
      () => receiver.received.filter((r) => r.event.data.userId === userId).length >= outbox.length,
    );

    const byOrder = (orderId: string) =>
      receiver.received
        .filter((r) => r.event.data.orderId === orderId)
        .map((r) => r.event.type)
        .sort();
    expect(byOrder(paid.orderId)).toEqual(['course.purchased', 'order.approved', 'wallet.changed'].sort());
    expect(byOrder(card.orderId)).toEqual(
      ['order.approved', 'course.purchased', 'refund.succeeded', 'order.canceled', 'course.refunded'].sort(),
    );
    expect(byOrder(failed.orderId)).toEqual(['order.failed']);
    expect(byOrder(doubt.orderId)).toEqual(['order.in_doubt']);
    expect(new Set(typesFor(receiver.received, userId))).toEqual(new Set(ALL));
    expect(outbox.map((e) => e.type)).toEqual(
      expect.arrayContaining(['wallet.changed', 'order.approved', 'course.purchased']),
    );

    verifyAll(receiver.received, secret);
    const approved = receiver.received.find(
      (r) => r.event.type === 'order.approved' && r.event.data.orderId === card.orderId,
    );
    expect(approved?.event.data).toMatchObject({
      orderId: card.orderId,
      userId,
      amount: 10_000,
      status: 'APPROVED',
      method: 'CARD',
    });
    expect(approved?.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(approved?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const refund = receiver.received.find((r) => r.event.type === 'refund.succeeded');
    expect(refund?.event.data).toMatchObject({ orderId: card.orderId, amount: 10_000, destination: 'CARD' });
    // No PII: nothing in any payload names the learner's email or name.
    for (const r of receiver.received) expect(r.body).not.toContain(me.user.email);

    // Delivered once each, and recorded so.
    const statuses = await t.db.eventDelivery.groupBy({
      by: ['status'],
      where: { event: { userId } },
      _count: true,
    });
    expect(statuses).toEqual([{ status: 'DELIVERED', _count: outbox.length }]);
  });

  it('a tampered body, timestamp or signature, or another secret, does not verify', async () => {
    const { receiver, secret } = await endpointFor(['wallet.changed']);
    const me = await learner();
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    await dispatchUntil(() => receiver.received.length >= 1);
    const [delivery] = receiver.received;
    if (!delivery) throw new Error('nothing delivered');
    const wh = new Webhook(secret);
    const headers = headerMap(delivery.headers);
    expect(() => wh.verify(delivery.body, headers)).not.toThrow();
    expect(() => wh.verify(delivery.body.replace('1000', '9000'), headers)).toThrow();
    expect(() => wh.verify(delivery.body, { ...headers, 'webhook-id': 'msg_other' })).toThrow();
    expect(() =>
      wh.verify(delivery.body, {
        ...headers,
        'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1),
      }),
    ).toThrow();
    expect(() => wh.verify(delivery.body, { ...headers, 'webhook-signature': 'v1,AAAA' })).toThrow();
    expect(() =>
      new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(delivery.body, headers),
    ).toThrow();
    // The hand-written check agrees on each.
    expect(verifiedByHand(delivery.body, headers, secret)).toBe(true);
    expect(verifiedByHand(delivery.body.replace('1000', '9000'), headers, secret)).toBe(false);
    expect(verifiedByHand(delivery.body, { ...headers, 'webhook-id': 'msg_other' }, secret)).toBe(false);
    const earlier = String(Number(headers['webhook-timestamp']) - 1);
    expect(verifiedByHand(delivery.body, { ...headers, 'webhook-timestamp': earlier }, secret)).toBe(false);
    expect(verifiedByHand(delivery.body, { ...headers, 'webhook-signature': 'v1,AAAA' }, secret)).toBe(false);
    const v2 = headers['webhook-signature'].replace('v1,', 'v2,');
    expect(verifiedByHand(delivery.body, { ...headers, 'webhook-signature': v2 }, secret)).toBe(false);
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(verifiedByHand(delivery.body, headers, other)).toBe(false);
  });

  it('a change rolled back leaves no event; the same change committed leaves one', async () => {
    const me = await learner();
    const order = await me.caller.order.create({ type: 'CHARGE', amount: 10_000 });
    await expect(
      t.db.$transaction(async (tx) => {
        await moveOrder(tx, order.orderId, ['CREATED'], 'FAILED');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await t.db.outboxEvent.count({ where: { orderId: order.orderId } })).toBe(0);
    await moveOrder(t.db, order.orderId, ['CREATED'], 'FAILED');

    // A balance purchase refused for want of balance writes its order and enrollment, then takes them
    // back in the same transaction: no event survives.
    const course = await createCourse(t.db, 50_000, '잔액 부족 강의');
    await expect(me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() })).rejects.toThrow();
    expect(
      await t.db.outboxEvent.count({ where: { userId: me.user.id, NOT: { orderId: order.orderId } } }),
    ).toBe(0);
    expect(
      await t.db.outboxEvent.findMany({ where: { orderId: order.orderId }, select: { type: true } }),
    ).toEqual([{ type: 'order.failed' }]);
  });

  it('a receiver answering 500 twice then 200 gets the event on the third attempt, with the same webhook-id', async () => {
    const { receiver, secret } = await endpointFor(['wallet.changed'], [500, 500]);
    const me = await learner();
    await me.caller.wallet.charge({ amount: 2_000, requestId: randomUUID() });
    const event = await t.db.outboxEvent.findFirstOrThrow({
      where: { userId: me.user.id, type: 'wallet.changed' },
    });
    await dispatchUntil(
      async () =>
        (await t.db.eventDelivery.count({ where: { eventId: event.id, status: 'DELIVERED' } })) === 1,
    );
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([event.id, event.id, event.id]);
    verifyAll(receiver.received, secret);
    const delivery = await t.db.eventDelivery.findFirstOrThrow({
      where: { eventId: event.id },
      include: { attemptLog: { orderBy: { attempt: 'asc' } } },
    });
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 200 });
    expect(delivery.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
  });

  it('after the last attempt the delivery is FAILED with an operator alert; redelivery sends it again', async () => {
    const { receiver } = await endpointFor(['wallet.changed'], Array(10).fill(503));
    const me = await learner();
    const since = new Date(Date.now() - 1_000);
    await me.caller.wallet.charge({ amount: 3_000, requestId: randomUUID() });
    const event = await t.db.outboxEvent.findFirstOrThrow({
      where: { userId: me.user.id, type: 'wallet.changed' },
    });
    await dispatchUntil(
      async () => (await t.db.eventDelivery.count({ where: { eventId: event.id, status: 'FAILED' } })) === 1,
    );
    expect(receiver.received).toHaveLength(10);
    const delivery = await t.db.eventDelivery.findFirstOrThrow({ where: { eventId: event.id } });
    expect(delivery).toMatchObject({ attempts: 10, lastStatusCode: 503 });
    const alert = await t.db.operatorAlert.findFirstOrThrow({
      where: { kind: `EVENT_DELIVERY_FAILED:${delivery.id}` },
    });
    expect(alert.message).toContain(event.id);
    // Nothing more is sent on its own.
    await dispatchOnce(dispatchDeps());
    expect(receiver.received).toHaveLength(10);

    // One event, by hand: it is delivered (the receiver answers 200 now), with the same webhook-id.
    expect(await redeliverEvent(t.db, actor().admin, event.id, null)).toEqual({ deliveries: 1 });
    await dispatchUntil(
      async () =>
        (await t.db.eventDelivery.count({ where: { eventId: event.id, status: 'DELIVERED' } })) === 1,
    );
    expect(receiver.received.at(-1)?.headers['webhook-id']).toBe(event.id);

    // Everything FAILED since a time: fail another, then redeliver all failed since.
    receiver.answer(Array(10).fill(500));
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    await dispatchUntil(
      async () =>
        (await t.db.eventDelivery.count({ where: { endpointId: delivery.endpointId, status: 'FAILED' } })) ===
        1,
    );
    expect(await redeliverFailedSince(t.db, actor().admin, since, null)).toEqual({ deliveries: 1 });
    await dispatchUntil(
      async () =>
        (await t.db.eventDelivery.count({
          where: { endpointId: delivery.endpointId, status: 'DELIVERED' },
        })) === 2,
    );
    const audited = await t.db.adminAction.findMany({ where: { action: 'EVENT_REDELIVER' } });
    expect(audited.length).toBeGreaterThanOrEqual(2);
  });

  it('sends only the types an endpoint subscribed to', async () => {
    const { receiver } = await endpointFor(['order.approved']);
    const me = await learner();
    await me.caller.wallet.charge({ amount: 10_000, requestId: randomUUID() });
    const course = await createCourse(t.db, 4_000, '구독 강의');
    const paid = await me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    await dispatchUntil(() => receiver.received.some((r) => r.event.data.orderId === paid.orderId));
    await dispatchOnce(dispatchDeps());
    expect(receiver.received.map((r) => r.event.type)).toEqual(['order.approved']);
  });

  it('after a rotation both secrets sign until the overlap ends; only the new one after', async () => {
    const { receiver, endpoint, secret: oldSecret } = await endpointFor(['wallet.changed']);
    const { secret: newSecret } = await t.db.$transaction((tx) =>
      rotateEndpointSecret(tx, deps(), actor(), endpoint.id),
    );
    expect(newSecret).not.toBe(oldSecret);
    receiver.checkWith(newSecret);
    const me = await learner();
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    await dispatchUntil(() => receiver.received.length >= 1);
    const [first] = receiver.received;
    expect(String(first?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    verifyAll(receiver.received, oldSecret);
    verifyAll(receiver.received, newSecret);

    await t.db.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { previousSecretValidUntil: new Date(Date.now() - 1_000) },
    });
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    await dispatchUntil(() => receiver.received.length >= 2);
    const last = receiver.received.slice(1);
    verifyAll(last, newSecret);
    expect(() => verifyAll(last, oldSecret)).toThrow();
  });

  it('two dispatchers at once send each attempt once', async () => {
    const { receiver } = await endpointFor(['wallet.changed']);
    const me = await learner();
    for (let i = 0; i < 10; i++) await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    await Promise.all([
      dispatchOnce(dispatchDeps()),
      dispatchOnce(dispatchDeps()),
      dispatchOnce(dispatchDeps()),
    ]);
    await dispatchUntil(() => receiver.received.length >= 10);
    await Promise.all([dispatchOnce(dispatchDeps()), dispatchOnce(dispatchDeps())]);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    const deliveries = await t.db.eventDelivery.findMany({ where: { event: { userId: me.user.id } } });
    expect(deliveries.map((d) => [d.status, d.attempts])).toEqual(Array(10).fill(['DELIVERED', 1]));
  });

  it('a restart delivers what was pending: stop the dispatcher, change, start a new one', async () => {
    const { receiver, secret } = await endpointFor(['wallet.changed']);
    const first = startEventDispatcher({ ...dispatchDeps(), intervalMs: 20 });
    await first.stop();
    const me = await learner();
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    expect(receiver.received).toHaveLength(0);
    const second = startEventDispatcher({ ...dispatchDeps(), intervalMs: 20 });
    try {
      for (let i = 0; i < 500 && receiver.received.length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      await second.stop();
    }
    expect(receiver.received).toHaveLength(1);
    verifyAll(receiver.received, secret);
  });
});

describe('the admin console procedures (audited)', () => {
  it('creates, lists, updates, rotates and disables an endpoint; shows the event log; redelivers', async () => {
    const operator = await signedInCaller(t.db, 'events-admin', {
      admin: true,
      sandboxMode: true,
      sealingKey,
    });
    const receiver = await startReceiver();
    receivers.push(receiver);
    const created = await operator.caller.admin.createWebhookEndpoint({
      url: receiver.url,
      description: '강의 서비스',
      eventTypes: ['wallet.changed', 'wallet.changed'],
    });
    enabled.push(created.endpoint.id);
    receiver.checkWith(created.secret);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.endpoint).toMatchObject({
      url: receiver.url,
      eventTypes: ['wallet.changed'],
      disabledAt: null,
    });
    const listed = await operator.caller.admin.webhookEndpoints();
    expect(listed.find((e) => e.id === created.endpoint.id)).not.toHaveProperty('secret');
    const stored = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: created.endpoint.id } });
    expect(stored.sealedSecret).not.toContain(created.secret.slice(6));

    const updated = await operator.caller.admin.updateWebhookEndpoint({
      endpointId: created.endpoint.id,
      eventTypes: ['wallet.changed', 'order.approved'],
    });
    expect(updated.eventTypes).toEqual(['order.approved', 'wallet.changed']);

    const me = await learner();
    await me.caller.wallet.charge({ amount: 1_000, requestId: randomUUID() });
    await dispatchUntil(() => receiver.received.length >= 1);
    verifyAll(receiver.received, created.secret);

    const log = await operator.caller.admin.events({ type: 'wallet.changed' });
    const mine = log.items.find((e) => (e.payload as { userId?: string }).userId === me.user.id);
    expect(mine?.deliveries).toMatchObject([
      { endpointId: created.endpoint.id, status: 'DELIVERED', attempts: 1, lastStatusCode: 200 },
    ]);
    expect(mine?.deliveries[0]?.attemptLog).toMatchObject([{ attempt: 1, statusCode: 200, error: null }]);

    if (!mine) throw new Error('no event');
    expect(
      await operator.caller.admin.redeliverEvent({ eventId: mine.id, endpointId: created.endpoint.id }),
    ).toEqual({
      deliveries: 1,
    });
    await dispatchUntil(() => receiver.received.length >= 2);
    expect(receiver.received[1]?.headers['webhook-id']).toBe(mine.id);

    const rotated = await operator.caller.admin.rotateWebhookSecret({ endpointId: created.endpoint.id });
    expect(rotated.secret).not.toBe(created.secret);
    receiver.checkWith(rotated.secret);
    expect(rotated.endpoint.previousSecretValidUntil).not.toBeNull();
    const disabled = await operator.caller.admin.disableWebhookEndpoint({ endpointId: created.endpoint.id });
    expect(disabled.disabledAt).not.toBeNull();
    enabled.splice(enabled.indexOf(created.endpoint.id), 1);
    expect(
      await reasonOf(operator.caller.admin.disableWebhookEndpoint({ endpointId: created.endpoint.id })),
    ).toBe('WEBHOOK_ENDPOINT_DISABLED');
    expect(
      await operator.caller.admin.redeliverFailedEvents({ since: new Date(Date.now() - 60_000) }),
    ).toEqual({ deliveries: 0 });

    const audit = await t.db.adminAction.findMany({
      where: { adminId: operator.user.id },
      orderBy: { createdAt: 'asc' },
      select: { action: true, subjectType: true },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'WEBHOOK_ENDPOINT_CREATE',
      'WEBHOOK_ENDPOINT_UPDATE',
      'EVENT_REDELIVER',
      'WEBHOOK_ENDPOINT_ROTATE',
      'WEBHOOK_ENDPOINT_DISABLE',
      'EVENT_REDELIVER',
    ]);
  });

  it('refuses a URL that is not http(s); in live mode also http and private addresses; bad input in Korean', async () => {
    const sandboxAdmin = await signedInCaller(t.db, 'events-admin', {
      admin: true,
      sandboxMode: true,
      sealingKey,
    });
    const liveAdmin = await signedInCaller(t.db, 'events-admin', {
      admin: true,
      sandboxMode: false,
      sealingKey,
    });
    const create = (who: typeof sandboxAdmin, url: string) =>
      reasonOf(who.caller.admin.createWebhookEndpoint({ url, eventTypes: ['order.approved'] }));
    expect(await create(sandboxAdmin, 'ftp://example.com/hook')).toBe('WEBHOOK_URL_REFUSED');
    expect(await create(sandboxAdmin, 'javascript:alert(1)')).toBe('WEBHOOK_URL_REFUSED');
    expect(await create(liveAdmin, 'http://example.com/hook')).toBe('WEBHOOK_URL_REFUSED');
    for (const url of [
      'https://127.0.0.1/h',
      'https://10.1.2.3/h',
      'https://192.168.0.1/h',
      'https://localhost/h',
      'https://[::1]/h',
      'https://169.254.169.254/latest',
    ])
      expect(await create(liveAdmin, url)).toBe('WEBHOOK_URL_REFUSED');
    const error = await sandboxAdmin.caller.admin
      .createWebhookEndpoint({ url: 'https://example.com/h', eventTypes: ['no.such'] as never })
      .catch((e: Error) => e);
    expect(String(error)).toContain('이벤트 종류가 올바르지 않아요.');
    expect(await t.db.webhookEndpoint.count({ where: { url: { contains: 'example.com' } } })).toBe(0);
  });
});
