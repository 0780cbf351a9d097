import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../building-blocks/service-auth/signature';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller, TEST_SEALING_KEY } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createServiceKey, revokeServiceKey, rotateServiceKey } from '../../use-cases/service/service-keys';
import { createPaymentClient, createServiceClient, errorReason } from './client';

/**
 * Signed service requests over real HTTP: what verifies gets through, and each way a request can be
 * wrong is refused with its reason and changes nothing (no order is opened for the learner).
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

const CREATE = '/api/trpc/service.orders.create';

async function newKey(
  scopes: Parameters<typeof createServiceKey>[2]['scopes'] = ['orders:write', 'orders:read'],
) {
  return createServiceKey(t.db, TEST_SEALING_KEY, { name: 'course service', scopes });
}

async function newLearner() {
  const { user, token } = await signedInCaller(t.db, 'learner');
  return { user, token };
}

function createBody(email: string, requestId = crypto.randomUUID()) {
  return JSON.stringify({ json: { userEmail: email, type: 'CHARGE', amount: 10_000, requestId } });
}

/** Sends a request as given (the signing is up to the test), and reads tRPC's answer. */
async function send(
  path: string,
  init: { method?: string; body?: string; headers?: Record<string, string> },
) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? 'POST',
    body: init.body,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  const answer = (await response.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { data: { reason: string; httpStatus: number } } };
  };
  return { status: response.status, reason: answer.error?.json.data.reason ?? 'OK', answer };
}

/** Signs and sends a POST to `path` with `body`; `sign` overrides what is signed (to tamper with it). */
function signedPost(
  key: { keyId: string; secret: string },
  path: string,
  body: string,
  sign: { path?: string; body?: string; now?: Date; nonce?: string; secret?: string } = {},
) {
  const headers = signRequest(
    { keyId: key.keyId, secret: sign.secret ?? key.secret },
    { method: 'POST', pathWithQuery: sign.path ?? path, body: sign.body ?? body },
    { now: sign.now, nonce: sign.nonce },
  );
  return send(path, { body, headers });
}

/** A GET whose request target is sent byte for byte as given (fetch would normalise it first). */
function rawGet(target: string, headers: Record<string, string>) {
  return new Promise<{ status: number; reason: string }>((resolve, reject) => {
    const req = request(server.baseUrl, { method: 'GET', path: target, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const answer = JSON.parse(text) as { error?: { json: { data: { reason: string } } } };
        resolve({ status: res.statusCode ?? 0, reason: answer.error?.json.data.reason ?? 'OK' });
      });
    });
    req.on('error', reject).end();
  });
}

const ordersOf = (userId: string) => t.db.order.count({ where: { userId } });

describe('signed service requests', () => {
  it('a signed call opens an order for the learner it names, with their checkout URL', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    const payments = createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: key.secret });
    const order = await payments.service.orders.create.mutate({
      userEmail: user.email.toUpperCase(),
      type: 'CHARGE',
      amount: 10_000,
      requestId: crypto.randomUUID(),
    });
    expect(order).toMatchObject({ userId: user.id, status: 'CREATED', amount: 10_000, type: 'CHARGE' });
    expect(order.checkoutUrl).toBe(`${server.baseUrl}/checkout/${order.orderId}`);
    const stored = await t.db.order.findUniqueOrThrow({ where: { id: order.orderId } });
    expect(stored).toMatchObject({ userId: user.id, amount: 10_000, status: 'CREATED' });
    const used = await t.db.serviceKey.findUniqueOrThrow({ where: { keyId: key.keyId } });
    expect(used.lastUsedAt).not.toBeNull();
    expect(used.sealedSecret).not.toContain(key.secret);
  });

  it('signs every request of a batch: calls made together go as one signed request', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    const payments = createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: key.secret });
    const [a, b] = await Promise.all([
      payments.service.orders.create.mutate({
        userId: user.id,
        type: 'CHARGE',
        amount: 5_000,
        requestId: 'a',
      }),
      payments.service.orders.create.mutate({
        userId: user.id,
        type: 'CHARGE',
        amount: 6_000,
        requestId: 'b',
      }),
    ]);
    const [got, list] = await Promise.all([
      payments.service.orders.get.query({ orderId: a.orderId }),
      payments.service.orders.list.query({ userId: user.id }),
    ]);
    expect(got.amount).toBe(5_000);
    expect(list.items.map((o) => o.orderId).sort()).toEqual([a.orderId, b.orderId].sort());
    // One nonce per HTTP request: two batches of two calls each.
    const row = await t.db.serviceKey.findUniqueOrThrow({ where: { keyId: key.keyId } });
    expect(await t.db.serviceRequestNonce.count({ where: { serviceKeyId: row.id } })).toBe(2);
  });

  it('refuses a timestamp more than 300 s away, either way, and changes nothing', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    for (const skew of [-301, 301]) {
      const now = new Date(Date.now() + skew * 1000);
      const refused = await signedPost(key, CREATE, createBody(user.email), { now });
      expect(refused).toMatchObject({ status: 401, reason: 'SIGNATURE_EXPIRED' });
    }
    // Within the window either way it is accepted.
    expect(
      (await signedPost(key, CREATE, createBody(user.email), { now: new Date(Date.now() - 250_000) })).reason,
    ).toBe('OK');
    expect(await ordersOf(user.id)).toBe(1);
  });

  it('refuses a nonce seen before, even on an otherwise new request', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    const body = createBody(user.email);
    const nonce = `nonce-${crypto.randomUUID()}`;
    expect((await signedPost(key, CREATE, body, { nonce })).reason).toBe('OK');
    expect(await signedPost(key, CREATE, body, { nonce })).toMatchObject({
      status: 401,
      reason: 'NONCE_REUSED',
    });
    const other = await signedPost(key, CREATE, createBody(user.email), { nonce });
    expect(other.reason).toBe('NONCE_REUSED');
    expect(await ordersOf(user.id)).toBe(1);
  });

  it('refuses a tampered body, a tampered path, a wrong secret, an unknown key, malformed headers', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    const body = createBody(user.email);
    const tamperedBody = await signedPost(key, CREATE, body.replace('10000', '90000'), { body });
    expect(tamperedBody).toMatchObject({ status: 401, reason: 'SIGNATURE_INVALID' });
    const tamperedPath = await signedPost(key, CREATE, body, { path: '/api/trpc/service.orders.get' });
    expect(tamperedPath.reason).toBe('SIGNATURE_INVALID');
    const withQuery = await signedPost(key, CREATE, body, { path: `${CREATE}?x=1` });
    expect(withQuery.reason).toBe('SIGNATURE_INVALID');
    expect((await signedPost(key, CREATE, body, { secret: 'sk_not-the-secret' })).reason).toBe(
      'SIGNATURE_INVALID',
    );
    const unknown = await signedPost(
      { keyId: 'pk_000000000000000000000000', secret: key.secret },
      CREATE,
      body,
    );
    expect(unknown).toMatchObject({ status: 401, reason: 'SERVICE_KEY_UNKNOWN' });
    const headers = signRequest(key, { method: 'POST', pathWithQuery: CREATE, body });
    const malformed = await send(CREATE, { body, headers: { ...headers, 'X-Pay-Signature': 'sha256=abc' } });
    expect(malformed.reason).toBe('SIGNATURE_INVALID');
    const { 'X-Pay-Nonce': _nonce, ...withoutNonce } = headers;
    expect((await send(CREATE, { body, headers: withoutNonce })).reason).toBe('SIGNATURE_INVALID');
    expect(await ordersOf(user.id)).toBe(0);
  });

  it('signs the path and query as a URL parser normalises them: percent-encoded, exactly as sent', async () => {
    const key = await newKey();
    const { user } = await signedInCaller(t.db, 'learner', {
      email: `o'brien-${crypto.randomUUID()}@example.com`,
    });
    // encodeURIComponent leaves the apostrophe raw; the README says to send (or sign) it as %27.
    const raw = `/api/trpc/service.orders.list?input=${encodeURIComponent(JSON.stringify({ json: { userEmail: user.email } }))}`;
    expect(raw).toContain("o'brien");
    const encoded = raw.replaceAll("'", '%27');
    const signed = (pathWithQuery: string) => signRequest(key, { method: 'GET', pathWithQuery, body: '' });

    expect(await rawGet(encoded, signed(encoded))).toEqual({ status: 200, reason: 'OK' });
    // A raw apostrophe is read as %27: signed as sent it does not verify, signed normalised it does.
    expect(await rawGet(raw, signed(raw))).toEqual({ status: 401, reason: 'SIGNATURE_INVALID' });
    expect(await rawGet(raw, signed(encoded))).toEqual({ status: 200, reason: 'OK' });
    // Escapes are not decoded: %27 sent, signed as a raw apostrophe, does not verify either.
    expect((await rawGet(encoded, signed(raw))).reason).toBe('SIGNATURE_INVALID');
  });

  it('refuses a revoked key from its next request on', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    expect((await signedPost(key, CREATE, createBody(user.email))).reason).toBe('OK');
    await revokeServiceKey(t.db, key.keyId);
    expect(await signedPost(key, CREATE, createBody(user.email))).toMatchObject({
      status: 401,
      reason: 'SERVICE_KEY_REVOKED',
    });
    expect(await ordersOf(user.id)).toBe(1);
  });

  it('refuses a key without the scope the procedure declares', async () => {
    const key = await newKey(['orders:read', 'wallet:read']);
    const { user } = await newLearner();
    const refused = await signedPost(key, CREATE, createBody(user.email));
    expect(refused).toMatchObject({ status: 403, reason: 'SCOPE_MISSING' });
    const payments = createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: key.secret });
    expect(await payments.service.wallet.get.query({ userId: user.id })).toMatchObject({ balance: 0 });
    expect(
      await payments.service.refunds.create
        .mutate({ orderId: 'ORDER-000001', reason: 'x', requestId: 'r' })
        .catch(errorReason),
    ).toBe('SCOPE_MISSING');
    expect(await ordersOf(user.id)).toBe(0);
  });

  it("keeps learners and services apart: a token never reaches a service procedure, a key never a learner's or admin's", async () => {
    const key = await newKey();
    const { user, token } = await newLearner();
    const learner = createPaymentClient({ baseUrl: server.baseUrl, token });
    const createByLearner = learner.service.orders.create.mutate({
      userId: user.id,
      type: 'CHARGE',
      amount: 10_000,
      requestId: 'mine',
    });
    expect(await createByLearner.catch(errorReason)).toBe('SERVICE_SIGNATURE_REQUIRED');
    const unsigned = await send(CREATE, { body: createBody(user.email) });
    expect(unsigned).toMatchObject({ status: 401, reason: 'SERVICE_SIGNATURE_REQUIRED' });

    const payments = createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: key.secret });
    expect(await payments.order.list.query().catch(errorReason)).toBe('SERVICE_KEY_NOT_ACCEPTED');
    expect(await payments.order.create.mutate({ type: 'CHARGE', amount: 10_000 }).catch(errorReason)).toBe(
      'SERVICE_KEY_NOT_ACCEPTED',
    );
    expect(await payments.admin.alerts.query().catch(errorReason)).toBe('SERVICE_KEY_NOT_ACCEPTED');
    expect(await payments.course.list.query().catch(errorReason)).toBe('SERVICE_KEY_NOT_ACCEPTED');
    // A signed request's session token is not read: it is a service's request, and nothing else.
    const both = signRequest(key, { method: 'GET', pathWithQuery: '/api/trpc/auth.me', body: '' });
    const me = await send('/api/trpc/auth.me', {
      method: 'GET',
      headers: { ...both, authorization: `Bearer ${token}` },
    });
    expect(me.reason).toBe('SERVICE_KEY_NOT_ACCEPTED');
    expect(await ordersOf(user.id)).toBe(0);
  });

  it('after a rotation both secrets verify until the overlap ends, then only the new one', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    const rotated = await rotateServiceKey(t.db, TEST_SEALING_KEY, key.keyId, 24);
    expect(rotated.secret).not.toBe(key.secret);
    const old = createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: key.secret });
    const renewed = createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: rotated.secret });
    const order = () =>
      ({ userId: user.id, type: 'CHARGE', amount: 10_000, requestId: crypto.randomUUID() }) as const;
    expect((await old.service.orders.create.mutate(order())).status).toBe('CREATED');
    expect((await renewed.service.orders.create.mutate(order())).status).toBe('CREATED');

    // The overlap ends.
    await t.db.serviceKey.update({
      where: { keyId: key.keyId },
      data: { previousValidUntil: new Date(Date.now() - 1000) },
    });
    expect(await old.service.orders.create.mutate(order()).catch(errorReason)).toBe('SIGNATURE_INVALID');
    expect((await renewed.service.orders.create.mutate(order())).status).toBe('CREATED');
    expect(await ordersOf(user.id)).toBe(3);
  });

  it('refuses every signed request while service keys are off (no SERVICE_KEY_ENCRYPTION_KEY)', async () => {
    const key = await newKey();
    const { user } = await newLearner();
    const off = await startTestHttpServer(t.db, { sealingKey: null });
    try {
      const payments = createServiceClient({ url: off.baseUrl, keyId: key.keyId, secret: key.secret });
      const refused = payments.service.orders.create.mutate({
        userId: user.id,
        type: 'CHARGE',
        amount: 10_000,
        requestId: 'off',
      });
      expect(await refused.catch(errorReason)).toBe('SEALING_KEY_MISSING');
    } finally {
      await off.close();
    }
    expect(await ordersOf(user.id)).toBe(0);
  });
});
