import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_TEST_KEYS } from '../../building-blocks/toss/toss-config';
import { startAppProcess } from '../../test/app-process';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { TEST_SANDBOX_CONTROL_SECRET } from '../../test/sandbox';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const app = await startAppProcess(t.url, {});
    const sandbox = `${app.url}/api/toss-sandbox`;
    // A request that takes 1.5 s inside the server: the sandbox delays this order's confirm.
    const fault = await fetch(`${sandbox}/v1/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_SANDBOX_CONTROL_SECRET}` },
      body: JSON.stringify({ match: { orderId: 'slow-order-1' }, action: 'delay', ms: 1_500 }),
    });
    expect(fault.status).toBe(200);
    const inFlight = fetch(`${sandbox}/v1/payments/confirm`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${DOCS_TEST_KEYS.secretKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ paymentKey: 'no-such-payment', orderId: 'slow-order-1', amount: 1_000 }),
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const exited = once(app.process, 'exit');
    app.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // New connections are refused while the old request is still being served...
    await expect(fetch(`${app.url}/api/health`)).rejects.toThrow();
    // ...which is answered in full (the sandbox's own refusal: there is no such payment)...
    const answer = await inFlight;
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ code: 'NOT_FOUND_PAYMENT_SESSION' });
    // ...and then the process exits cleanly.
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
