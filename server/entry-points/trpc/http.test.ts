import { randomUUID } from 'node:crypto';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, uniqueEmail } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createPaymentClient, errorReason } from './client';

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
});
afterAll(async () => {
  await server.close();
  await t.drop();
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      return { status: error.data?.httpStatus as number, reason: errorReason(error), message: error.message };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function signUp() {
  const anonymous = createPaymentClient({ baseUrl: server.baseUrl });
  const { token, user } = await anonymous.auth.signUp.mutate({
    email: uniqueEmail(),
    password: 'password-1234',
    name: 'http',
  });
  return { client: createPaymentClient({ baseUrl: server.baseUrl, token }), token, user };
}

/** A raw POST, for inputs a typed client would never send. */
function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('over HTTP with a bearer token', () => {
  it('runs the whole wallet flow: charge, pay, history, catalogue', async () => {
    const { client, user } = await signUp();
    const course = await createCourse(t.db, 25_000);
    expect(await client.auth.me.query()).toMatchObject({ id: user.id });
    expect((await client.wallet.get.query()).balance).toBe(0);
    expect((await client.wallet.charge.mutate({ amount: 40_000, requestId: randomUUID() })).balance).toBe(
      40_000,
    );
    const paid = await client.wallet.pay.mutate({ courseId: course.id, requestId: randomUUID() });
    expect(paid.balance).toBe(15_000);
    expect(paid.transaction.createdAt).toBeInstanceOf(Date); // superjson keeps types
    const history = await client.wallet.transactions.query({ limit: 10 });
    expect(history.items.map((i) => [i.type, i.amount])).toEqual([
      ['PAYMENT', -25_000],
      ['CHARGE', 40_000],
    ]);
    const catalogue = await client.course.list.query();
    expect(catalogue.find((c) => c.id === course.id)?.purchased).toBe(true);
  });

  it('maps refusals to HTTP statuses with a reason', async () => {
    const { client } = await signUp();
    const requestId = randomUUID();
    await client.wallet.charge.mutate({ amount: 90_000, requestId });
    expect(
      await failure(client.wallet.charge.mutate({ amount: 20_000, requestId: randomUUID() })),
    ).toMatchObject({
      status: 412,
      reason: 'BALANCE_LIMIT_EXCEEDED',
    });
    expect(await failure(client.wallet.charge.mutate({ amount: 1_000, requestId }))).toMatchObject({
      status: 409,
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(
      await failure(client.wallet.pay.mutate({ courseId: randomUUID(), requestId: randomUUID() })),
    ).toMatchObject({ status: 404, reason: 'NOT_FOUND' });
  });

  it('answers BAD_REQUEST naming the field for invalid input, and changes nothing', async () => {
    const { client, token } = await signUp();
    const result = await failure(client.wallet.charge.mutate({ amount: 100_001, requestId: randomUUID() }));
    expect(result).toMatchObject({ status: 400, reason: 'INVALID_INPUT' });
    expect(result.message).toMatch(/amount/);
    const raw = await post('wallet.charge', JSON.stringify({ json: { amount: 'lots', requestId: 'x' } }), {
      authorization: `Bearer ${token}`,
    });
    expect(raw.status).toBe(400);
    expect((await client.wallet.get.query()).balance).toBe(0);
  });

  it('refuses user procedures without a session, and forged tokens everywhere', async () => {
    const anonymous = createPaymentClient({ baseUrl: server.baseUrl });
    expect(await failure(anonymous.wallet.get.query())).toMatchObject({
      status: 401,
      reason: 'UNAUTHORIZED',
    });
    expect(
      await failure(anonymous.wallet.charge.mutate({ amount: 1_000, requestId: randomUUID() })),
    ).toMatchObject({ status: 401 });
    expect(await anonymous.course.list.query()).toEqual(expect.any(Array));
    expect(await anonymous.auth.me.query()).toBeNull();

    const { token } = await signUp();
    const forged = createPaymentClient({ baseUrl: server.baseUrl, token: `${token}x` });
    expect(await failure(forged.wallet.get.query())).toMatchObject({ status: 401, reason: 'UNAUTHORIZED' });
    expect(await failure(forged.course.list.query())).toMatchObject({ status: 401 });
  });

  it('never shows one user another user’s money', async () => {
    const a = await signUp();
    const b = await signUp();
    await a.client.wallet.charge.mutate({ amount: 12_345, requestId: randomUUID() });
    expect((await b.client.wallet.get.query()).balance).toBe(0);
    expect((await b.client.wallet.transactions.query({ limit: 10 })).items).toEqual([]);
  });
});

describe('over HTTP with the session cookie', () => {
  it('sets an httpOnly cookie on sign-in that authenticates, and sign-out revokes it', async () => {
    const email = uniqueEmail();
    await createPaymentClient({ baseUrl: server.baseUrl }).auth.signUp.mutate({
      email,
      password: 'password-1234',
      name: 'cookie',
    });
    const signIn = await post('auth.signIn', JSON.stringify({ json: { email, password: 'password-1234' } }));
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0] ?? '';

    const me = await fetch(`${server.baseUrl}/api/trpc/auth.me`, { headers: { cookie } });
    expect((await me.json()).result.data.json.email).toBe(email);

    const signOut = await post('auth.signOut', '{}', { cookie });
    expect(signOut.headers.get('set-cookie')).toMatch(/session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await fetch(`${server.baseUrl}/api/trpc/wallet.get`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });
});

describe('stale and mangled cookies', () => {
  it('treats a mangled cookie as none, and clears a cookie that no longer verifies', async () => {
    const mangled = await fetch(`${server.baseUrl}/api/trpc/course.list`, {
      headers: { cookie: 'session=%' },
    });
    expect(mangled.status).toBe(200);
    const stale = await fetch(`${server.baseUrl}/api/trpc/wallet.get`, {
      headers: { cookie: 'session=not.a.token' },
    });
    expect(stale.status).toBe(401);
    expect(stale.headers.get('set-cookie')).toMatch(/session=;.*Expires=Thu, 01 Jan 1970/);
  });
});

describe('hostile input never yields a 500', () => {
  it.each([
    ['malformed JSON', 'wallet.charge', '{"json":'],
    ['an array body', 'wallet.charge', '[1,2,3]'],
    ['null input', 'wallet.charge', 'null'],
    ['an unknown procedure', 'wallet.steal', '{}'],
    ['a NUL byte in the requestId', 'wallet.charge', '{"json":{"amount":1000,"requestId":"a\\u0000b"}}'],
    [
      'a NUL byte in a name',
      'auth.signUp',
      '{"json":{"email":"nul@example.com","password":"password-1234","name":"a\\u0000"}}',
    ],
    ['a reserved requestId', 'wallet.charge', '{"json":{"amount":1000,"requestId":"sys:order:x"}}'],
    ['a huge number', 'wallet.charge', '{"json":{"amount":1e308,"requestId":"x"}}'],
    ['sign-up with objects for strings', 'auth.signUp', '{"json":{"email":{},"password":[],"name":1}}'],
    [
      'a superjson meta that lies',
      'auth.signIn',
      '{"json":{"email":"a@b.c","password":"x"},"meta":{"values":{"email":["Date"]}}}',
    ],
  ])('%s', async (_label, path, body) => {
    const { token } = await signUp();
    const response = await post(path, body, { authorization: `Bearer ${token}` });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
  });
});

describe('superjson metadata a typed client sends', () => {
  it('still works: an undefined field travels as meta and is read', async () => {
    const { client } = await signUp();
    const page = await client.wallet.transactions.query({ limit: 5, cursor: undefined });
    expect(page.items).toEqual([]);
  });
});

describe('input tRPC cannot read is a plain 400, never the parser’s own words', () => {
  let token: string;
  beforeAll(async () => {
    ({ token } = await signUp());
  });

  it.each([
    ['malformed JSON', 'POST', 'wallet.charge', '{"json":'],
    ['JSON that the parser would quote back', 'POST', 'wallet.charge', '{"json":NaN}'],
    ['malformed JSON in ?input=', 'GET', 'wallet.transactions', '{"json":{"limit":'],
    [
      'a superjson class nobody registered (superjson overflows its stack)',
      'POST',
      'wallet.charge',
      '{"json":{"amount":1,"requestId":"r"},"meta":{"values":{"amount":["class","Nope"]}}}',
    ],
    [
      'a bigint that is no number',
      'POST',
      'wallet.charge',
      '{"json":{"amount":"x","requestId":"r"},"meta":{"values":{"amount":["bigint"]}}}',
    ],
    [
      'a map that is a number',
      'POST',
      'wallet.pay',
      '{"json":{"courseId":1},"meta":{"values":{"courseId":["map"]}}}',
    ],
    [
      'an unknown superjson type',
      'POST',
      'order.create',
      '{"json":{"type":1},"meta":{"values":{"type":[1]}}}',
    ],
    [
      'references to nonsense',
      'POST',
      'payment.cancel',
      '{"json":{"orderId":"x"},"meta":{"referentialEqualities":{"orderId":"reason"}}}',
    ],
    ['a __proto__ path', 'GET', 'order.get', '{"json":{},"meta":{"values":{"__proto__.x":["Date"]}}}'],
    [
      'a string where superjson expects a tree (it would recurse until the stack overflows)',
      'POST',
      'wallet.charge',
      '{"json":{"amount":1,"requestId":"r"},"meta":{"values":"x"}}',
    ],
  ])('%s', async (_label, method, path, input) => {
    const response =
      method === 'GET'
        ? await fetch(`${server.baseUrl}/api/trpc/${path}?input=${encodeURIComponent(input)}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        : await post(path, input, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.json.message).toMatch(/^The input could not be read: send JSON/);
    expect(error.json.data.reason).toBe('INVALID_INPUT');
  });
});
