import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { TEST_AUTH, uniqueEmail } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { countSandboxFaults, TEST_SANDBOX_CONTROL_SECRET } from '../../test/sandbox';
import { createPaymentClient, errorReason } from '../trpc/client';
import { createRequestContext } from '../trpc/context';
import { publicProcedure, router } from '../trpc/init';
import { LIMITS } from './api';

let t: TestDatabase;
let sandbox: Awaited<ReturnType<typeof startTestHttpServer>>;
let live: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  sandbox = await startTestHttpServer(t.db);
  // Real mode: no sandbox, no test charge (its Toss client points at the other server's sandbox).
  live = await startTestHttpServer(t.db, { sandbox: false, tossBaseUrl: sandbox.sandboxUrl });
});
afterAll(async () => {
  await live.close();
  await sandbox.close();
  await t.drop();
});

const userCount = () => t.db.user.count();

function signUpBody(name: string) {
  return JSON.stringify({ json: { email: uniqueEmail(), password: 'password-1234', name } });
}

/** A raw request with a declared length, for bodies fetch would not let us misdescribe. */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the edge limits', () => {
  it(`refuses a tRPC body over ${LIMITS.trpcBody / 1024} KB with 413 and runs nothing`, async () => {
    const before = await userCount();
    const response = await fetch(`${sandbox.baseUrl}/api/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: signUpBody('x'.repeat(LIMITS.trpcBody)),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/larger than 64 KB/);
    expect(await userCount()).toBe(before);
  });

  it('refuses a declared oversized body before reading it', async () => {
    const response = await rawRequest(`${sandbox.baseUrl}/api/webhooks/toss`, {
      headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
      body: '{}',
    }).catch((error: Error) => ({ status: 0, body: error.message, headers: {} }));
    // The server answers 413 and closes; depending on timing the client sees the answer or the close.
    if (response.status !== 0) expect(response.status).toBe(413);
    expect(await t.db.webhookDelivery.count()).toBe(0);
  });

  it(`refuses a webhook over ${LIMITS.webhookBody / 1024} KB with 413 and stores nothing`, async () => {
    const response = await fetch(`${sandbox.baseUrl}/api/webhooks/toss`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', data: { orderId: 'x'.repeat(300_000) } }),
    });
    expect(response.status).toBe(413);
    expect(await t.db.webhookDelivery.count()).toBe(0);
  });

  it(`refuses a batch of more than ${LIMITS.trpcBatch} calls with 400 before any of them runs`, async () => {
    const before = await userCount();
    const calls = LIMITS.trpcBatch + 1;
    const body = Object.fromEntries(
      Array.from({ length: calls }, (_, i) => [i, JSON.parse(signUpBody('b'))]),
    );
    const response = await fetch(
      `${sandbox.baseUrl}/api/trpc/${Array(calls).fill('auth.signUp').join(',')}?batch=1`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/at most 10 calls/);
    expect(await userCount()).toBe(before);
  });

  it('runs a batch of exactly the limit', async () => {
    const client = createPaymentClient({ baseUrl: sandbox.baseUrl });
    const results = await Promise.all(Array.from({ length: LIMITS.trpcBatch }, () => client.auth.me.query()));
    expect(results).toEqual(Array(LIMITS.trpcBatch).fill(null));
  });

  it.each([
    ['deep nesting', `{"0":{"json":${'['.repeat(5000)}${']'.repeat(5000)}}}`],
    ['a NUL escape', '{"0":{"json":{"email":"a\\u0000@example.com","password":"password-1234","name":"n"}}}'],
    [
      'a lone surrogate',
      '{"0":{"json":{"email":"a@example.com","password":"password-1234","name":"\\ud800"}}}',
    ],
  ])('refuses %s with a plain 400 and writes nothing', async (_label, body) => {
    const before = await userCount();
    const response = await fetch(`${sandbox.baseUrl}/api/trpc/auth.signUp?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/stack|Maximum call|at [a-zA-Z]+ \(/);
    expect(await userCount()).toBe(before);
  });

  it('refuses a body that is not valid UTF-8 instead of decoding it to replacement characters', async () => {
    const before = await userCount();
    const body = Buffer.concat([
      Buffer.from('{"0":{"json":{"email":"a@example.com","password":"password-1234","name":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}}'),
    ]);
    const response = await rawRequest(`${sandbox.baseUrl}/api/trpc/auth.signUp?batch=1`, {
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/not valid UTF-8/);
    expect(await userCount()).toBe(before);
  });

  it('treats request ids that differ only by a lone surrogate as different, or refuses them', async () => {
    const anonymous = createPaymentClient({ baseUrl: sandbox.baseUrl });
    const { token } = await anonymous.auth.signUp.mutate({
      email: uniqueEmail(),
      password: 'password-1234',
      name: 'surrogate',
    });
    const client = createPaymentClient({ baseUrl: sandbox.baseUrl, token });
    const refusal = await client.wallet.charge
      .mutate({ amount: 1_000, requestId: 'abc\ud800' })
      .catch((error) => errorReason(error));
    expect(refusal).toBe('INVALID_INPUT');
    expect((await client.wallet.get.query()).balance).toBe(0);
  });
});

describe('request ids and headers', () => {
  it('gives every response an x-request-id, echoing a sane one from a proxy', async () => {
    const paths = ['/api/health', '/api/trpc/auth.me', '/api/nothing-here', '/no-such-page'];
    const ids = new Set<string>();
    for (const path of paths) {
      const response = await fetch(`${sandbox.baseUrl}${path}`);
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(paths.length);
    const echoed = await fetch(`${sandbox.baseUrl}/api/health`, {
      headers: { 'x-request-id': 'proxy-1234-abcd' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('proxy-1234-abcd');
    const forged = await fetch(`${sandbox.baseUrl}/api/health`, {
      headers: { 'x-request-id': 'a b c d e f' },
    });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps every API answer out of caches', async () => {
    for (const path of ['/api/health', '/api/trpc/auth.me', '/api/trpc/wallet.get', '/api/nothing-here']) {
      expect([path, (await fetch(`${sandbox.baseUrl}${path}`)).headers.get('cache-control')]).toEqual([
        path,
        'no-store',
      ]);
    }
  });

  it('sends the security headers on API answers and pages alike; HSTS only over https', async () => {
    for (const path of ['/api/health', '/api/trpc/auth.me', '/some-page']) {
      const response = await fetch(`${sandbox.baseUrl}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    expect((await fetch(`${sandbox.baseUrl}/api/health`)).headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    const https = await fetch(`${sandbox.baseUrl}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it("gives pages a CSP with a fresh nonce and only our origin in sandbox mode, Toss's in real mode", async () => {
    const a = (await fetch(`${sandbox.baseUrl}/`)).headers.get('content-security-policy') ?? '';
    const b = (await fetch(`${sandbox.baseUrl}/`)).headers.get('content-security-policy') ?? '';
    const nonce = (csp: string) => csp.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce(a)).toBeTruthy();
    expect(nonce(a)).not.toBe(nonce(b));
    expect(a).not.toContain('tosspayments.com');
    expect(a).toContain("frame-src 'none'");
    const real = (await fetch(`${live.baseUrl}/`)).headers.get('content-security-policy') ?? '';
    expect(real).toContain('https://*.tosspayments.com');
  });
});

describe('sandbox mode', () => {
  it('reports the mode in /api/health', async () => {
    expect(await (await fetch(`${sandbox.baseUrl}/api/health`)).json()).toEqual({
      status: 'ok',
      database: 'up',
      mode: 'sandbox',
    });
    expect(await (await fetch(`${live.baseUrl}/api/health`)).json()).toMatchObject({ mode: 'live' });
  });

  it('answers 404 on every sandbox path when it is off', async () => {
    const paths: [string, string][] = [
      ['POST', '/api/toss-sandbox/v1/sandbox/payments'],
      ['POST', '/api/toss-sandbox/v1/sandbox/faults'],
      ['DELETE', '/api/toss-sandbox/v1/sandbox/faults'],
      ['POST', '/api/toss-sandbox/v1/payments/confirm'],
      ['GET', '/api/toss-sandbox/v1/payments/orders/anything'],
      ['GET', '/toss-sandbox/payment-widget.js'],
    ];
    for (const [method, path] of paths) {
      const response = await fetch(`${live.baseUrl}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${TEST_SANDBOX_CONTROL_SECRET}`,
        },
        body: method === 'POST' ? JSON.stringify({ orderId: 'order-123456', amount: 1000 }) : undefined,
      });
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    expect((await fetch(`${sandbox.baseUrl}/toss-sandbox/payment-widget.js`)).status).toBe(200);
  });

  it('refuses fault injection without the control secret, so one browser cannot break others', async () => {
    const fault = JSON.stringify({ action: 'error', code: 'REJECT_CARD_COMPANY' });
    for (const authorization of [undefined, 'Bearer wrong-secret', `Basic ${TEST_SANDBOX_CONTROL_SECRET}`]) {
      const response = await fetch(`${sandbox.sandboxUrl}/v1/sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: fault,
      });
      expect(response.status).toBe(403);
      const cleared = await fetch(`${sandbox.sandboxUrl}/v1/sandbox/faults`, {
        method: 'DELETE',
        headers: authorization ? { authorization } : {},
      });
      expect(cleared.status).toBe(403);
    }
    expect(await countSandboxFaults(t.db)).toBe(0);
    const allowed = await fetch(`${sandbox.sandboxUrl}/v1/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SANDBOX_CONTROL_SECRET}` },
      body: JSON.stringify({
        match: { orderId: 'nobody-123456' },
        action: 'error',
        code: 'REJECT_CARD_COMPANY',
      }),
    });
    expect(allowed.status).toBe(200);
    expect(await countSandboxFaults(t.db)).toBe(1);
  });

  it('refuses the test charge in real mode (TEST_CHARGE_DISABLED) and moves no money', async () => {
    const anonymous = createPaymentClient({ baseUrl: live.baseUrl });
    const { token } = await anonymous.auth.signUp.mutate({
      email: uniqueEmail(),
      password: 'password-1234',
      name: 'real mode',
    });
    const client = createPaymentClient({ baseUrl: live.baseUrl, token });
    const refusal = await client.wallet.charge
      .mutate({ amount: 50_000, requestId: randomUUID() })
      .then(() => 'OK')
      .catch((error) => errorReason(error));
    expect(refusal).toBe('TEST_CHARGE_DISABLED');
    expect((await client.wallet.get.query()).balance).toBe(0);
    expect(await t.db.walletTransaction.count({ where: { type: 'CHARGE' } })).toBe(0);
    // The same account in sandbox mode may (the demo's test charge).
    const inSandbox = createPaymentClient({ baseUrl: sandbox.baseUrl, token });
    expect((await inSandbox.wallet.charge.mutate({ amount: 1_000, requestId: randomUUID() })).balance).toBe(
      1_000,
    );
  });
});

describe('our own bugs stay ours', () => {
  it('answers an output that fails its schema as a generic 500, never as INVALID_INPUT with field paths', async () => {
    const broken = router({
      leaky: publicProcedure
        .output(z.object({ balance: z.number() }))
        .query(() => ({ balance: 'secret' }) as never),
    });
    const response = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request('http://localhost/api/trpc/leaky'),
      router: broken,
      createContext: ({ req, resHeaders }) =>
        createRequestContext({ db: t.db, auth: TEST_AUTH }, req, resHeaders),
    });
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toMatch(/INVALID_INPUT|balance|secret|issues|stack/);
    expect(body).toMatch(/Something went wrong on our side/);
  });
});
