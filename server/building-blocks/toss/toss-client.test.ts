import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { startTestHttpServer } from '../../test/http-server';
import { clearFaults, injectFault, shopperApproves, testOrderId } from '../../test/sandbox';
import { basicAuth, createTossClient } from './toss-client';
import { DOCS_TEST_KEYS } from './toss-config';

/** The Toss client against the sandbox, over real HTTP: every answer Toss can give, and no answer. */

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db, { confirmWindowMs: 1_500 });
});
afterEach(async () => {
  await clearFaults(server.sandboxUrl);
});
afterAll(async () => {
  await server.close();
  await t.drop();
});

function client(readTimeoutMs = 5_000, secretKey: string = DOCS_TEST_KEYS.secretKey) {
  return createTossClient({ baseUrl: server.sandboxUrl, secretKey, readTimeoutMs });
}

async function approvedSession(amount = 15_000) {
  const orderId = testOrderId();
  const { paymentKey } = await shopperApproves(server.sandboxUrl, { orderId, amount });
  return { orderId, paymentKey, amount };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('confirm', () => {
  it('approves an authenticated payment: DONE, with Toss’s Payment shape', async () => {
    const session = await approvedSession();
    const result = await client().confirm(session, randomUUID());
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.body).toMatchObject({
      paymentKey: session.paymentKey,
      orderId: session.orderId,
      status: 'DONE',
      method: '카드',
      totalAmount: 15_000,
      balanceAmount: 15_000,
    });
    expect(result.body.approvedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    const byKey = await client().getPayment(session.paymentKey);
    const byOrder = await client().getPaymentByOrderId(session.orderId);
    expect(byKey.kind === 'ok' && byKey.body.status).toBe('DONE');
    expect(byOrder.kind === 'ok' && byOrder.body.paymentKey).toBe(session.paymentKey);
  });

  it.each([
    [
      'an unknown paymentKey',
      async () => ({ paymentKey: 'nope-nope', orderId: testOrderId(), amount: 1000 }),
      404,
      'NOT_FOUND_PAYMENT_SESSION',
    ],
    [
      'a different amount',
      async () => ({ ...(await approvedSession(15_000)), amount: 1_000 }),
      400,
      'INVALID_REQUEST',
    ],
    [
      'a different orderId',
      async () => ({ ...(await approvedSession()), orderId: testOrderId() }),
      400,
      'INVALID_REQUEST',
    ],
  ])('refuses %s', async (_label, make, status, code) => {
    expect(await client().confirm(await make(), randomUUID())).toMatchObject({
      kind: 'refused',
      status,
      code,
    });
  });

  it('refuses a second confirm of an approved payment with ALREADY_PROCESSED_PAYMENT', async () => {
    const session = await approvedSession();
    await client().confirm(session, randomUUID());
    expect(await client().confirm(session, randomUUID())).toMatchObject({
      kind: 'refused',
      status: 400,
      code: 'ALREADY_PROCESSED_PAYMENT',
    });
  });

  it('refuses a payment the card company rejected', async () => {
    const orderId = testOrderId();
    const rejected = await fetch(`${server.sandboxUrl}/v1/sandbox/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId, orderName: 'x', amount: 1000, customerKey: 'c-1', outcome: 'reject' }),
    });
    expect(await rejected.json()).toMatchObject({ code: 'REJECT_CARD_COMPANY', orderId });
    const payment = await client().getPaymentByOrderId(orderId);
    expect(payment.kind === 'ok' && payment.body.status).toBe('ABORTED');
  });

  it('expires a session that is not confirmed in time (NOT_FOUND_PAYMENT_SESSION, then EXPIRED)', async () => {
    const session = await approvedSession();
    await sleep(1_600);
    expect(await client().confirm(session, randomUUID())).toMatchObject({
      kind: 'refused',
      code: 'NOT_FOUND_PAYMENT_SESSION',
    });
    const payment = await client().getPayment(session.paymentKey);
    expect(payment.kind === 'ok' && payment.body.status).toBe('EXPIRED');
  });

  it('forces an error with the TossPayments-Test-Code header, without processing', async () => {
    const session = await approvedSession();
    expect(await client().confirm(session, randomUUID(), 'REJECT_CARD_PAYMENT')).toMatchObject({
      kind: 'refused',
      status: 403,
      code: 'REJECT_CARD_PAYMENT',
    });
    const payment = await client().getPayment(session.paymentKey);
    expect(payment.kind === 'ok' && payment.body.status).toBe('IN_PROGRESS');
  });
});

describe('hostile requests to the sandbox', () => {
  it('answers a path that does not decode, or a NUL byte, without a 500', async () => {
    const auth = { authorization: basicAuth(DOCS_TEST_KEYS.secretKey), 'content-type': 'application/json' };
    const badPath = await fetch(`${server.sandboxUrl}/v1/payments/%ZZ`, { headers: auth });
    expect(badPath.status).toBe(404);
    const nul = await fetch(`${server.sandboxUrl}/v1/payments/confirm`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ paymentKey: 'a\u0000', orderId: 'abcdefgh', amount: 1 }),
    });
    expect(nul.status).toBe(400);
  });
});

describe('authentication', () => {
  it('refuses an unknown secret key with 401 UNAUTHORIZED_KEY', async () => {
    const session = await approvedSession();
    expect(await client(5_000, 'test_gsk_not_our_key').confirm(session, randomUUID())).toMatchObject({
      kind: 'refused',
      status: 401,
      code: 'UNAUTHORIZED_KEY',
    });
  });

  it('refuses Basic auth without the colon', async () => {
    const response = await fetch(`${server.sandboxUrl}/v1/payments/orders/whatever1`, {
      headers: { authorization: `Basic ${Buffer.from(DOCS_TEST_KEYS.secretKey).toString('base64')}` },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('INCORRECT_BASIC_AUTH_FORMAT');
    expect(basicAuth('k')).toBe(`Basic ${Buffer.from('k:').toString('base64')}`);
  });
});

describe('no answer: the outcome is unknown, and the same Idempotency-Key settles it', () => {
  it('a timeout: the sandbox still approves; a retry with the same key replays the approval', async () => {
    const session = await approvedSession();
    const key = randomUUID();
    await injectFault(server.sandboxUrl, {
      match: { path: '/v1/payments/confirm' },
      action: 'delay',
      ms: 1_000,
      times: 1,
    });
    expect(await client(300).confirm(session, key)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    await sleep(1_200);
    const retry = await client().confirm(session, key);
    expect(retry.kind === 'ok' && retry.body.status).toBe('DONE');
  });

  it('a reset connection: nothing was processed; a retry with the same key approves', async () => {
    const session = await approvedSession();
    const key = randomUUID();
    await injectFault(server.sandboxUrl, { match: { orderId: session.orderId }, action: 'reset', times: 1 });
    expect(await client().confirm(session, key)).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/^network/),
    });
    const before = await client().getPayment(session.paymentKey);
    expect(before.kind === 'ok' && before.body.status).toBe('IN_PROGRESS');
    const retry = await client().confirm(session, key);
    expect(retry.kind === 'ok' && retry.body.status).toBe('DONE');
  });

  it('approve-then-drop: approved at Toss but never answered; the retry replays the same body', async () => {
    const session = await approvedSession();
    const key = randomUUID();
    await injectFault(server.sandboxUrl, {
      match: { orderId: session.orderId },
      action: 'drop-response',
      times: 1,
    });
    expect((await client().confirm(session, key)).kind).toBe('unknown');
    const payment = await client().getPayment(session.paymentKey);
    expect(payment.kind === 'ok' && payment.body.status).toBe('DONE');
    const retry = await client().confirm(session, key);
    expect(retry.kind === 'ok' && retry.body.lastTransactionKey).toBe(
      payment.kind === 'ok' && payment.body.lastTransactionKey,
    );
  });

  it('a 5xx is unknown, not a refusal; it clears after `times`', async () => {
    const session = await approvedSession();
    await injectFault(server.sandboxUrl, {
      match: { path: '/v1/payments/confirm' },
      action: 'error',
      status: 500,
      code: 'FAILED_INTERNAL_SYSTEM_PROCESSING',
      times: 1,
    });
    expect(await client().confirm(session, randomUUID())).toMatchObject({
      kind: 'unknown',
      status: 500,
      code: 'FAILED_INTERNAL_SYSTEM_PROCESSING',
    });
    expect((await client().confirm(session, randomUUID())).kind).toBe('ok');
  });

  it('replays the first response for a repeated key, and answers 409 while the first is in flight', async () => {
    const session = await approvedSession();
    const key = randomUUID();
    await injectFault(server.sandboxUrl, {
      match: { orderId: session.orderId },
      action: 'delay',
      ms: 800,
      times: 1,
    });
    const first = client().confirm(session, key);
    await sleep(200);
    expect(await client().confirm(session, key)).toMatchObject({
      kind: 'unknown',
      status: 409,
      code: 'IDEMPOTENT_REQUEST_PROCESSING',
    });
    const answer = await first;
    const replay = await client().confirm(session, key);
    expect(replay).toEqual(answer);
    // A refusal is replayed too.
    const refusedKey = randomUUID();
    const refused = await client().confirm({ ...session, amount: 1 }, refusedKey);
    expect(await client().confirm({ ...session, amount: 1 }, refusedKey)).toEqual(refused);
  });
});

describe('cancel', () => {
  it('cancels partially then fully, never beyond the balance', async () => {
    const session = await approvedSession(10_000);
    await client().confirm(session, randomUUID());
    const partial = await client().cancel(
      session.paymentKey,
      { cancelReason: 'partial', cancelAmount: 3_000 },
      randomUUID(),
    );
    expect(partial).toMatchObject({ kind: 'ok', body: { status: 'PARTIAL_CANCELED', balanceAmount: 7_000 } });
    expect(
      await client().cancel(
        session.paymentKey,
        { cancelReason: 'too much', cancelAmount: 8_000 },
        randomUUID(),
      ),
    ).toMatchObject({
      kind: 'refused',
      code: 'NOT_CANCELABLE_AMOUNT',
    });
    const rest = await client().cancel(session.paymentKey, { cancelReason: 'rest' }, randomUUID());
    expect(rest).toMatchObject({ kind: 'ok', body: { balanceAmount: 0 } });
  });

  it('cancels fully at once (CANCELED), then refuses ALREADY_CANCELED_PAYMENT', async () => {
    const session = await approvedSession(10_000);
    await client().confirm(session, randomUUID());
    expect(await client().cancel(session.paymentKey, { cancelReason: 'full' }, randomUUID())).toMatchObject({
      kind: 'ok',
      body: { status: 'CANCELED', balanceAmount: 0 },
    });
    expect(await client().cancel(session.paymentKey, { cancelReason: 'again' }, randomUUID())).toMatchObject({
      kind: 'refused',
      code: 'ALREADY_CANCELED_PAYMENT',
    });
  });

  it('10 concurrent partial cancels never cancel more than was paid', async () => {
    const session = await approvedSession(10_000);
    await client().confirm(session, randomUUID());
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        client().cancel(session.paymentKey, { cancelReason: 'race', cancelAmount: 3_000 }, randomUUID()),
      ),
    );
    expect(results.filter((r) => r.kind === 'ok').length).toBeLessThanOrEqual(3);
    const payment = await client().getPayment(session.paymentKey);
    if (payment.kind !== 'ok') throw new Error('lookup failed');
    const cancels = (payment.body.cancels as { cancelAmount: number }[]) ?? [];
    expect(cancels.reduce((sum, c) => sum + c.cancelAmount, 0)).toBe(10_000 - payment.body.balanceAmount);
    expect(payment.body.balanceAmount).toBeGreaterThanOrEqual(0);
  });
});

describe('transactions', () => {
  it('lists approvals and cancels in the date range', async () => {
    const session = await approvedSession(5_000);
    await client().confirm(session, randomUUID());
    await client().cancel(session.paymentKey, { cancelReason: 'x', cancelAmount: 2_000 }, randomUUID());
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const result = await client().transactions({ startDate: day(-2), endDate: day(2) });
    if (result.kind !== 'ok') throw new Error(`transactions failed: ${JSON.stringify(result)}`);
    const mine = (result.body as { orderId: string; status: string; amount: number }[]).filter(
      (tx) => tx.orderId === session.orderId,
    );
    expect(mine.map((tx) => [tx.status, tx.amount])).toEqual([
      ['DONE', 5_000],
      ['PARTIAL_CANCELED', 2_000],
    ]);
  });
});
