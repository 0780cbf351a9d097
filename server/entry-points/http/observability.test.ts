import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureLogLines } from '../../building-blocks/log';
import { basicAuth } from '../../building-blocks/toss/toss-client';
import { DOCS_TEST_KEYS } from '../../building-blocks/toss/toss-config';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, uniqueEmail } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { shopperApproves } from '../../test/sandbox';
import { createPaymentClient } from '../trpc/client';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
let withoutMetrics: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db, { metricsToken: METRICS_TOKEN });
  withoutMetrics = await startTestHttpServer(t.db, { sandbox: false, tossBaseUrl: server.sandboxUrl });
});
afterAll(async () => {
  await withoutMetrics.close();
  await server.close();
  await t.drop();
});

async function signUp(password = 'password-1234') {
  const email = uniqueEmail();
  const anonymous = createPaymentClient({ baseUrl: server.baseUrl });
  const { token, user } = await anonymous.auth.signUp.mutate({ email, password, name: 'observed' });
  return { client: createPaymentClient({ baseUrl: server.baseUrl, token }), token, user, email, anonymous };
}

function scrape(authorization?: string, base = server.baseUrl) {
  return fetch(`${base}/api/metrics`, { headers: authorization ? { authorization } : {} });
}

/** The value of one series in a Prometheus exposition (0 when absent). */
function seriesValue(exposition: string, series: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('/api/metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    const response = await scrape(`Bearer ${METRICS_TOKEN}`, withoutMetrics.baseUrl);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/trpc_|orders_/);
  });

  it('refuses a missing or wrong token with a bare 401', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
      `Basic ${METRICS_TOKEN}`,
      METRICS_TOKEN,
    ]) {
      const response = await scrape(authorization);
      expect([authorization, response.status]).toEqual([authorization, 401]);
      expect(await response.text()).toBe('Unauthorized');
    }
  });

  it('counts and times tRPC calls by procedure and result', async () => {
    const before = await (await scrape(`Bearer ${METRICS_TOKEN}`)).text();
    const { client, anonymous } = await signUp();
    await client.wallet.get.query();
    await client.wallet.get.query();
    await anonymous.wallet.get.query().catch(() => 'refused');

    const response = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const after = await response.text();
    expect(after).toContain('# TYPE trpc_requests_total counter');
    expect(after).toContain('# TYPE trpc_request_duration_seconds histogram');
    const delta = (series: string) => seriesValue(after, series) - seriesValue(before, series);
    expect(delta('trpc_requests_total{procedure="wallet.get",type="query",code="OK"}')).toBe(2);
    expect(delta('trpc_requests_total{procedure="wallet.get",type="query",code="UNAUTHORIZED"}')).toBe(1);
    expect(delta('trpc_requests_total{procedure="auth.signUp",type="mutation",code="OK"}')).toBe(1);
    expect(delta('trpc_request_duration_seconds_count{procedure="wallet.get",type="query"}')).toBe(3);
  });

  it('reports orders by status, read from the database when scraped', async () => {
    const { client } = await signUp();
    const course = await createCourse(t.db, 12_000);
    const created = seriesValue(
      await (await scrape(`Bearer ${METRICS_TOKEN}`)).text(),
      'orders_by_status{status="CREATED"}',
    );
    await client.order.create.mutate({ type: 'COURSE', courseId: course.id });
    const text = await (await scrape(`Bearer ${METRICS_TOKEN}`)).text();
    expect(seriesValue(text, 'orders_by_status{status="CREATED"}')).toBe(created + 1);
    expect(text).toContain('orders_by_status{status="IN_DOUBT"} 0');
    expect(text).toContain('payments_in_doubt{kind="order"} 0');
    expect(text).toContain('payments_in_doubt_oldest_age_seconds{kind="order"} 0');
    expect(text).toContain('refunds_won_by_status{status="DONE"} 0');
    expect(text).toContain('webhook_deliveries_unprocessed 0');
  });

  it('counts webhook deliveries by event type and result, and times acting on them', async () => {
    const before = await (await scrape(`Bearer ${METRICS_TOKEN}`)).text();
    const deliver = (transmissionId: string, eventType: string) =>
      fetch(`${server.baseUrl}/api/webhooks/toss`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'tosspayments-webhook-transmission-id': transmissionId,
        },
        body: JSON.stringify({ eventType, data: { orderId: 'no-such-order-1', status: 'DONE' } }),
      });
    expect((await deliver('transmission-1', 'PAYMENT_STATUS_CHANGED')).status).toBe(200);
    expect((await deliver('transmission-1', 'PAYMENT_STATUS_CHANGED')).status).toBe(200);
    expect((await deliver('transmission-2', 'x'.repeat(90))).status).toBe(200);
    const series = {
      recorded: 'webhook_deliveries_total{event_type="PAYMENT_STATUS_CHANGED",result="recorded"}',
      duplicate: 'webhook_deliveries_total{event_type="PAYMENT_STATUS_CHANGED",result="duplicate"}',
      other: 'webhook_deliveries_total{event_type="OTHER",result="recorded"}',
      lag: 'webhook_delivery_lag_seconds_count',
    };
    await vi.waitFor(async () => {
      const after = await (await scrape(`Bearer ${METRICS_TOKEN}`)).text();
      const delta = (name: string) => seriesValue(after, name) - seriesValue(before, name);
      expect([delta(series.recorded), delta(series.duplicate), delta(series.other)]).toEqual([1, 1, 1]);
      expect(delta(series.lag)).toBe(2);
      expect(after).not.toContain('x'.repeat(90));
    });
  });
});

describe('the JSON log', () => {
  it('writes a line per request and per Toss exchange with their ids, and never a secret', async () => {
    const lines: string[] = [];
    const stopCapturing = captureLogLines(lines);
    let token: string;
    let userId: string;
    let orderId: string;
    let requestId: string;
    const password = 'observed-password-5678';
    try {
      const signedUp = await signUp(password);
      userId = signedUp.user.id;
      // A sign-in with the password, then calls with the session token it returns.
      ({ token } = await signedUp.anonymous.auth.signIn.mutate({ email: signedUp.email, password }));
      const client = createPaymentClient({ baseUrl: server.baseUrl, token });
      const course = await createCourse(t.db, 15_000);
      const order = await client.order.create.mutate({ type: 'COURSE', courseId: course.id });
      orderId = order.orderId;
      const approved = await shopperApproves(server.sandboxUrl, { orderId, amount: 15_000 });
      // Raw, to read the request id; the query (with the paymentKey) is not part of the logged path.
      const confirm = await fetch(
        `${server.baseUrl}/api/trpc/payment.confirm?paymentKey=${approved.paymentKey}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ json: approved }),
        },
      );
      expect(confirm.status).toBe(200);
      requestId = confirm.headers.get('x-request-id') ?? '';
      await vi.waitFor(() =>
        expect(parsed(lines).some((l) => l.event === 'request' && l.requestId === requestId)).toBe(true),
      );
    } finally {
      stopCapturing();
    }

    const entries = parsed(lines);
    const confirmLine = entries.find((l) => l.event === 'request' && l.requestId === requestId);
    expect(confirmLine).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'POST',
      path: '/api/trpc/payment.confirm',
      status: 200,
      userId,
      orderId,
    });
    expect(confirmLine?.durationMs).toEqual(expect.any(Number));
    expect(typeof confirmLine?.time).toBe('number');

    const exchange = entries.find((l) => l.event === 'toss_exchange' && l.operation === 'confirm');
    expect(exchange).toMatchObject({
      msg: 'toss exchange',
      method: 'POST',
      path: '/v1/payments/confirm',
      status: 200,
      result: 'ok',
      orderId,
      idempotencyKey: expect.stringMatching(new RegExp(`^confirm-${orderId}-\\d+$`)),
      // Written while serving the confirm: the same request, the same learner.
      requestId,
      userId,
    });
    expect(exchange?.durationMs).toEqual(expect.any(Number));

    // The sign-in is logged (without who it is until a session exists), and so are the sandbox's own
    // requests: the Toss call seen from the other side, whose Authorization header must not show either.
    expect(entries.some((l) => l.path === '/api/trpc/auth.signIn' && l.status === 200)).toBe(true);
    expect(entries.some((l) => l.path === '/api/toss-sandbox/v1/payments/confirm')).toBe(true);

    const everything = lines.join('');
    for (const secret of [
      token,
      password,
      DOCS_TEST_KEYS.secretKey,
      basicAuth(DOCS_TEST_KEYS.secretKey),
      basicAuth(DOCS_TEST_KEYS.secretKey).slice('Basic '.length),
      'paymentKey=',
    ]) {
      expect([secret, everything.includes(secret)]).toEqual([secret, false]);
    }
  });
});

function parsed(lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}
