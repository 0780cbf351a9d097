import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceScope } from '../../building-blocks/service-auth/scopes';
import { signRequest } from '../../building-blocks/service-auth/signature';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, signedInCaller, TEST_SEALING_KEY } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createServiceKey, revokeServiceKey } from '../../use-cases/service/service-keys';
import type { ProcedureMeta } from '../trpc/init';
import { appRouter } from '../trpc/router';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The service API as REST (/api/v1) over real HTTP, signed as a caller in any language would sign it:
 * plain JSON in and out, the Idempotency-Key header as the requestId, one error shape, the same scopes.
 */

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
});
afterAll(async () => {
  await server?.close();
  await t.drop();
});

const ALL: ServiceScope[] = [
  'orders:write',
  'orders:read',
  'refunds:write',
  'wallet:read',
  'catalogue:write',
  'webhooks:write',
];
type Key = { keyId: string; secret: string };
const newKey = (scopes: ServiceScope[] = ALL) =>
  createServiceKey(t.db, TEST_SEALING_KEY, { name: 'rest caller', scopes });

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the answers' shapes are what the tests assert
  body: any;
  headers: Headers;
}

/** Signs and sends; `tamper` changes what is sent after signing. */
async function call(
  key: Key | null,
  method: string,
  path: string,
  options: {
    body?: unknown;
    idempotencyKey?: string;
    headers?: Record<string, string>;
    sentBody?: string;
  } = {},
): Promise<Answer> {
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (key) Object.assign(headers, signRequest(key, { method, pathWithQuery: path, body }));
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : (options.sentBody ?? body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const ordersOf = (userId: string) => t.db.order.count({ where: { userId } });

describe('REST /api/v1', () => {
  it('opens an order for a learner once per Idempotency-Key and reads it back', async () => {
    const key = await newKey();
    const { user } = await signedInCaller(t.db);
    const order = { userEmail: user.email, type: 'CHARGE', amount: 10_000 };
    const created = await call(key, 'POST', '/api/v1/orders', { body: order, idempotencyKey: 'open-1' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      status: 'CREATED',
      amount: 10_000,
      userId: user.id,
      type: 'CHARGE',
    });
    expect(created.body.checkoutUrl).toBe(`${server.baseUrl}/checkout/${created.body.orderId}`);
    expect(typeof created.body.createdAt).toBe('string'); // plain JSON: an ISO time, no superjson envelope

    const again = await call(key, 'POST', '/api/v1/orders', { body: order, idempotencyKey: 'open-1' });
    expect(again.body.orderId).toBe(created.body.orderId);
    const reused = await call(key, 'POST', '/api/v1/orders', {
      body: { ...order, amount: 20_000 },
      idempotencyKey: 'open-1',
    });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await ordersOf(user.id)).toBe(1);

    const read = await call(key, 'GET', `/api/v1/orders/${created.body.orderId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ orderId: created.body.orderId, amount: 10_000, status: 'CREATED' });
    const list = await call(key, 'GET', `/api/v1/orders?userId=${user.id}&limit=5`);
    expect(list.body.items.map((o: { orderId: string }) => o.orderId)).toEqual([created.body.orderId]);
  });

  it('refuses a change without an Idempotency-Key, or with requestId in the body, and makes nothing', async () => {
    const key = await newKey();
    const { user } = await signedInCaller(t.db);
    const order = { userId: user.id, type: 'CHARGE', amount: 10_000 };
    const missing = await call(key, 'POST', '/api/v1/orders', { body: order });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ reason: 'INVALID_INPUT' });
    expect(missing.body.message).toContain('Idempotency-Key');
    const inBody = await call(key, 'POST', '/api/v1/orders', {
      body: { ...order, requestId: 'x' },
      idempotencyKey: 'k-1',
    });
    expect(inBody.status).toBe(400);
    expect(inBody.body.message).toContain('Idempotency-Key header');
    expect(await ordersOf(user.id)).toBe(0);
  });

  it('names each bad field, in English and Korean, and changes nothing', async () => {
    const key = await newKey();
    const { user } = await signedInCaller(t.db);
    const bad = await call(key, 'POST', '/api/v1/orders', {
      body: { userId: user.id, type: 'CHARGE', amount: 50 },
      idempotencyKey: 'bad-1',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe('INVALID_INPUT');
    expect(bad.body.message).toContain('amount: amount must be at least 100 won');
    expect(bad.body.issues[0]).toMatchObject({ path: 'amount' });
    expect(bad.body.issues[0].messageKo).toMatch(/[가-힣]/);
    expect(JSON.stringify(bad.body)).not.toMatch(/stack|at .*\.ts|prisma/i);
    expect(await ordersOf(user.id)).toBe(0);
  });

  it('refuses an unsigned, tampered or out-of-scope request, and a learner’s session', async () => {
    const key = await newKey(['orders:read']);
    const { user, token } = await signedInCaller(t.db);
    const order = { userId: user.id, type: 'CHARGE', amount: 10_000 };
    const unsigned = await call(null, 'POST', '/api/v1/orders', { body: order, idempotencyKey: 'u-1' });
    expect(unsigned).toMatchObject({ status: 401, body: { reason: 'SERVICE_SIGNATURE_REQUIRED' } });
    const learner = await call(null, 'POST', '/api/v1/orders', {
      body: order,
      idempotencyKey: 'u-2',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(learner).toMatchObject({ status: 401, body: { reason: 'SERVICE_SIGNATURE_REQUIRED' } });
    const tampered = await call(key, 'POST', '/api/v1/orders', {
      body: order,
      idempotencyKey: 'u-3',
      sentBody: JSON.stringify({ ...order, amount: 90_000 }),
    });
    expect(tampered).toMatchObject({ status: 401, body: { reason: 'SIGNATURE_INVALID' } });
    const outOfScope = await call(key, 'POST', '/api/v1/orders', { body: order, idempotencyKey: 'u-4' });
    expect(outOfScope).toMatchObject({ status: 403, body: { reason: 'SCOPE_MISSING' } });
    expect(await ordersOf(user.id)).toBe(0);
    const unknown = await call(key, 'GET', '/api/v1/no-such-thing');
    expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('refunds part of a paid order and reads the wallet by user id or email', async () => {
    const key = await newKey();
    const { user, caller } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 20_000);
    await caller.wallet.charge({ amount: 50_000, requestId: crypto.randomUUID() });
    const paid = await caller.wallet.pay({ courseId: course.id, requestId: crypto.randomUUID() });
    const refund = await call(key, 'POST', `/api/v1/orders/${paid.orderId}/refunds`, {
      body: { amount: 5_000, reason: 'partial refund' },
      idempotencyKey: 'refund-1',
    });
    expect(refund.status).toBe(200);
    expect(refund.body.refund).toMatchObject({ amount: 5_000, status: 'DONE', destination: 'WALLET' });
    expect(refund.body.order).toMatchObject({ status: 'PARTIALLY_CANCELED', refundedAmount: 5_000 });
    const replay = await call(key, 'POST', `/api/v1/orders/${paid.orderId}/refunds`, {
      body: { amount: 5_000, reason: 'partial refund' },
      idempotencyKey: 'refund-1',
    });
    expect(replay.body.refund.id).toBe(refund.body.refund.id);

    const wallet = await call(key, 'GET', `/api/v1/users/${user.id}/wallet?limit=2`);
    expect(wallet.status).toBe(200);
    expect(wallet.body).toMatchObject({ userId: user.id, balance: 35_000 });
    expect(wallet.body.items.map((i: { type: string }) => i.type)).toEqual(['REFUND', 'PAYMENT']);
    const byEmail = await call(key, 'GET', `/api/v1/wallet?userEmail=${encodeURIComponent(user.email)}`);
    expect(byEmail.body.balance).toBe(35_000);
  });

  it('keeps a course in sync by the caller’s reference: PUT creates then updates, retire takes it off sale', async () => {
    const key = await newKey();
    const reference = `course-${crypto.randomUUID()}`;
    const put = (price: number, idempotencyKey: string) =>
      call(key, 'PUT', `/api/v1/courses/${reference}`, {
        body: { title: 'REST 강의', price },
        idempotencyKey,
      });
    const created = await put(30_000, 'c-1');
    expect(created.status).toBe(200);
    const updated = await put(35_000, 'c-2');
    expect(updated.body).toMatchObject({ courseId: created.body.courseId, price: 35_000, retiredAt: null });
    const retired = await call(key, 'POST', `/api/v1/courses/${reference}/retire`, { idempotencyKey: 'c-3' });
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).not.toBeNull();
    const course = await t.db.course.findUniqueOrThrow({ where: { id: created.body.courseId } });
    expect(course).toMatchObject({ price: 35_000, title: 'REST 강의' });
    expect(course.retiredAt).not.toBeNull();
  });

  it('lets a service manage only its own webhook endpoints, the secret once per create (and its replay)', async () => {
    const mine = await newKey();
    const other = await newKey();
    const body = { url: 'https://orders.example/hooks', events: ['order.approved', 'refund.succeeded'] };
    const created = await call(mine, 'POST', '/api/v1/webhook-endpoints', { body, idempotencyKey: 'ep-1' });
    expect(created.status).toBe(200);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body).toMatchObject({ url: body.url, events: ['order.approved', 'refund.succeeded'] });
    const replay = await call(mine, 'POST', '/api/v1/webhook-endpoints', { body, idempotencyKey: 'ep-1' });
    expect(replay.body).toMatchObject({ endpointId: created.body.endpointId, secret: created.body.secret });

    const id = created.body.endpointId;
    const listed = await call(mine, 'GET', '/api/v1/webhook-endpoints');
    expect(listed.body.items.map((e: { endpointId: string }) => e.endpointId)).toEqual([id]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect((await call(other, 'GET', '/api/v1/webhook-endpoints')).body.items).toEqual([]);
    const stranger = await call(other, 'POST', `/api/v1/webhook-endpoints/${id}/disable`, {
      idempotencyKey: 'x-1',
    });
    expect(stranger).toMatchObject({ status: 404, body: { reason: 'WEBHOOK_ENDPOINT_NOT_FOUND' } });

    const updated = await call(mine, 'PATCH', `/api/v1/webhook-endpoints/${id}`, {
      body: { events: ['course.purchased'] },
      idempotencyKey: 'ep-2',
    });
    expect(updated.body.events).toEqual(['course.purchased']);
    const rotated = await call(mine, 'POST', `/api/v1/webhook-endpoints/${id}/rotate-secret`, {
      idempotencyKey: 'ep-3',
    });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.previousSecretValidUntil).not.toBeNull();
    const disabled = await call(mine, 'POST', `/api/v1/webhook-endpoints/${id}/disable`, {
      idempotencyKey: 'ep-4',
    });
    expect(disabled.body.disabledAt).not.toBeNull();
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row.eventTypes).toEqual(['course.purchased']);
    expect(row.disabledAt).not.toBeNull();
    // No admin saw it: a service's endpoint is not an operator's action.
    expect(await t.db.adminAction.count({ where: { subjectId: id } })).toBe(0);

    const noScope = await newKey(['orders:read']);
    const refused = await call(noScope, 'POST', '/api/v1/webhook-endpoints', {
      body,
      idempotencyKey: 'ep-9',
    });
    expect(refused).toMatchObject({ status: 403, body: { reason: 'SCOPE_MISSING' } });
  });

  it('hands out checkout links on PUBLIC_URL when it is set, whatever host the call came to', async () => {
    const behindProxy = await startTestHttpServer(t.db, { publicUrl: 'https://pay.example.com' });
    try {
      const key = await newKey();
      const { user } = await signedInCaller(t.db);
      const path = '/api/v1/orders';
      const body = JSON.stringify({ userId: user.id, type: 'CHARGE', amount: 10_000 });
      const response = await fetch(`${behindProxy.baseUrl}${path}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': 'public-1',
          ...signRequest(key, { method: 'POST', pathWithQuery: path, body }),
        },
      });
      const order = (await response.json()) as { orderId: string; checkoutUrl: string };
      expect(order.checkoutUrl).toBe(`https://pay.example.com/checkout/${order.orderId}`);
    } finally {
      await behindProxy.close();
    }
  });

  it('answers hostile input with a 4xx RestError naming the problem, never a 500 or internal text', async () => {
    const key = await newKey();
    const { user } = await signedInCaller(t.db);
    const attempts: [string, string, Record<string, unknown> | undefined][] = [
      ['GET', `/api/v1/orders?userId=${user.id}&limit=abc`, undefined],
      ['GET', `/api/v1/orders?userId=${user.id}&limit=-1`, undefined],
      ['GET', '/api/v1/orders?userId=not-a-uuid', undefined],
      ['GET', '/api/v1/orders', undefined],
      ['GET', '/api/v1/orders/%00%01', undefined],
      ['GET', `/api/v1/orders/${'x'.repeat(500)}`, undefined],
      ['GET', '/api/v1/users/not-a-uuid/wallet', undefined],
      ['POST', '/api/v1/orders', { userId: user.id, type: 'COURSE', courseId: 'no-such-course' }],
      ['POST', '/api/v1/orders', { userId: user.id, type: 'CHARGE', amount: 1e308 }],
      ['POST', '/api/v1/orders', { userId: user.id, userEmail: user.email, type: 'CHARGE', amount: 1000 }],
      ['POST', '/api/v1/orders', { userId: user.id, type: { $ne: 1 } }],
      ['POST', '/api/v1/orders/NO-SUCH-ORDER/refunds', { reason: 'x' }],
      ['PUT', '/api/v1/courses/bad%20ref', { title: 'x', price: 10_000 }],
      ['PUT', '/api/v1/courses/ok-ref', { title: '', price: 'free' }],
      ['POST', '/api/v1/webhook-endpoints', { url: 'file:///etc/passwd', events: ['order.approved'] }],
      ['POST', '/api/v1/webhook-endpoints', { url: 'https://a.example', events: ['no.such.event'] }],
      ['PATCH', '/api/v1/webhook-endpoints/ep_nope', { events: [] }],
      ['DELETE', '/api/v1/orders', undefined],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(key, method, path, {
        body,
        idempotencyKey: `hostile-${crypto.randomUUID()}`,
      });
      const what = `${method} ${path}`;
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      expect(answer.status, what).toBeLessThan(500);
      expect(answer.body, what).toMatchObject({ code: expect.any(String), reason: expect.any(String) });
      expect(answer.body.message, what).toMatch(/\S/);
      expect(JSON.stringify(answer.body), what).not.toMatch(/stack|node_modules|prisma|\.ts:\d/i);
    }
    expect(await ordersOf(user.id)).toBe(0);
  });

  it('never loosens a schema: a number sent as a string or boolean is refused on REST, and on tRPC after it', async () => {
    const key = await newKey();
    const { caller, token } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 20_000);
    await caller.wallet.charge({ amount: 50_000, requestId: crypto.randomUUID() });
    const paid = await caller.wallet.pay({ courseId: course.id, requestId: crypto.randomUUID() });
    for (const amount of [true, '1e3', '1000', [500]]) {
      const refund = await call(key, 'POST', `/api/v1/orders/${paid.orderId}/refunds`, {
        body: { amount, reason: 'loose number' },
        idempotencyKey: `loose-${crypto.randomUUID()}`,
      });
      expect(refund, JSON.stringify(amount)).toMatchObject({
        status: 400,
        body: { reason: 'INVALID_INPUT' },
      });
    }
    const price = await call(key, 'PUT', '/api/v1/courses/hex-price', {
      body: { title: 'x', price: '0x2710' },
      idempotencyKey: 'hex-1',
    });
    expect(price).toMatchObject({ status: 400, body: { reason: 'INVALID_INPUT' } });
    // The learner's own cancel, over /api/trpc, after those REST calls: "1000" is still not a number.
    const response = await fetch(`${server.baseUrl}/api/trpc/payment.cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ json: { orderId: paid.orderId, reason: 'x', amount: '1000' } }),
    });
    const answer = (await response.json()) as { error: { json: { data: { reason: string } } } };
    expect(answer.error.json.data.reason).toBe('INVALID_INPUT');
    expect((await t.db.order.findUniqueOrThrow({ where: { id: paid.orderId } })).refundedAmount).toBe(0);
  });

  it('decodes path parameters, refuses a path parameter repeated in the body or query, and odd query names', async () => {
    const key = await newKey();
    const { user } = await signedInCaller(t.db);
    const put = await call(key, 'PUT', '/api/v1/courses/catalogue%3Aencoded', {
      body: { title: 'encoded', price: 10_000 },
      idempotencyKey: 'enc-1',
    });
    expect(put.body).toMatchObject({ reference: 'catalogue:encoded' });
    const created = await call(key, 'POST', '/api/v1/orders', {
      body: { userId: user.id, type: 'CHARGE', amount: 10_000 },
      idempotencyKey: 'path-1',
    });
    const other = await call(key, 'POST', `/api/v1/orders/${created.body.orderId}/refunds`, {
      body: { orderId: 'SOMEONE-ELSES', reason: 'x' },
      idempotencyKey: 'path-2',
    });
    expect(other).toMatchObject({ status: 400, body: { reason: 'INVALID_INPUT' } });
    expect(other.body.message).toContain('orderId is in the path');
    const repeatedQuery = await call(key, 'GET', `/api/v1/orders/${created.body.orderId}?orderId=x`);
    expect(repeatedQuery.status).toBe(400);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const odd = await call(key, 'GET', `/api/v1/orders?userId=${user.id}&${name}=1`);
      expect(odd.status, name).toBeLessThan(500);
      const unsigned = await call(null, 'GET', `/api/v1/webhook-endpoints?${name}=1`);
      expect(unsigned.status, name).toBe(401);
    }
  });

  it('takes one Idempotency-Key of plain characters, and a body only as application/json', async () => {
    const key = await newKey();
    const { user } = await signedInCaller(t.db);
    const order = { userId: user.id, type: 'CHARGE', amount: 10_000 };
    const joined = await call(key, 'POST', '/api/v1/orders', { body: order, idempotencyKey: 'dup-a, dup-b' });
    expect(joined).toMatchObject({ status: 400, body: { reason: 'INVALID_INPUT' } });
    const text = await call(key, 'POST', '/api/v1/orders', {
      body: order,
      idempotencyKey: 'ct-1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect(await ordersOf(user.id)).toBe(0);
  });

  it('lets a key subscribe only to the events it could read, ten endpoints at most; revoking it disables them', async () => {
    const ordersOnly = await newKey(['webhooks:write', 'orders:read']);
    const wallet = await call(ordersOnly, 'POST', '/api/v1/webhook-endpoints', {
      body: { url: 'https://a.example/hooks', events: ['order.approved', 'wallet.changed'] },
      idempotencyKey: 'scope-1',
    });
    expect(wallet).toMatchObject({ status: 403, body: { reason: 'SCOPE_MISSING' } });
    expect(wallet.body.message).toContain('wallet.changed');
    const made: string[] = [];
    for (let i = 0; i < 10; i++) {
      const ok = await call(ordersOnly, 'POST', '/api/v1/webhook-endpoints', {
        body: { url: `https://a.example/hooks/${i}`, events: ['order.approved'] },
        idempotencyKey: `cap-${i}`,
      });
      expect(ok.status).toBe(200);
      made.push(ok.body.endpointId);
    }
    const eleventh = await call(ordersOnly, 'POST', '/api/v1/webhook-endpoints', {
      body: { url: 'https://a.example/hooks/10', events: ['order.approved'] },
      idempotencyKey: 'cap-10',
    });
    expect(eleventh).toMatchObject({ status: 412, body: { reason: 'WEBHOOK_ENDPOINT_LIMIT' } });
    const noRead = await call(await newKey(['webhooks:write']), 'POST', '/api/v1/webhook-endpoints', {
      body: { url: 'https://a.example/x', events: ['refund.succeeded'] },
      idempotencyKey: 'scope-2',
    });
    expect(noRead).toMatchObject({ status: 403, body: { reason: 'SCOPE_MISSING' } });

    await revokeServiceKey(t.db, ordersOnly.keyId);
    const endpoints = await t.db.webhookEndpoint.findMany({ where: { id: { in: made } } });
    expect(endpoints.every((e) => e.disabledAt !== null)).toBe(true);
  });

  it('serves only service procedures as REST: each has a scope', () => {
    const procedures = Object.entries(appRouter._def.procedures) as unknown as [
      string,
      { _def: { meta?: ProcedureMeta } },
    ][];
    const rest = procedures.filter(([, p]) => p._def.meta?.openapi);
    expect(rest.length).toBeGreaterThanOrEqual(12);
    for (const [path, procedure] of rest) {
      expect(path.startsWith('service.'), path).toBe(true);
      expect(procedure._def.meta?.scope, path).toBeDefined();
    }
  });

  it('serves the OpenAPI document it is generated from, the same as the committed docs/openapi.json', async () => {
    const served = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
    expect(served.status).toBe(200);
    const document = buildOpenApiDocument();
    expect(await served.json()).toEqual(JSON.parse(JSON.stringify(document)));
    const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed, 'docs/openapi.json is stale: run `npm run openapi` and commit it').toBe(
      `${JSON.stringify(document, null, 2)}\n`,
    );
    const create = document.paths?.['/orders']?.post;
    const schema = JSON.stringify(create?.requestBody);
    expect(schema).toContain('"amount"');
    expect(schema).not.toContain('requestId');
    expect(JSON.stringify(create?.parameters)).toContain('idempotency-key');
  });
});
