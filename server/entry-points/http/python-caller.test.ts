import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller, TEST_SEALING_KEY } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createServiceKey } from '../../use-cases/service/service-keys';

/**
 * A caller in another language, from the README and the OpenAPI document alone: examples/python/pay_client.py
 * (standard library only) signs its own requests, opens an order, reads it, and is refused when it changes
 * the body after signing. Nothing here signs for it.
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

it('a Python script signs, opens an order, reads it, and its tampered request is refused', async () => {
  const key = await createServiceKey(t.db, TEST_SEALING_KEY, {
    name: 'python caller',
    scopes: ['orders:write', 'orders:read'],
  });
  const { user } = await signedInCaller(t.db);
  const script = new URL('../../../examples/python/pay_client.py', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)('python3', [script], {
    env: {
      ...process.env,
      PAY_URL: server.baseUrl,
      PAY_KEY_ID: key.keyId,
      PAY_SECRET: key.secret,
      LEARNER_EMAIL: user.email,
    },
    timeout: 30_000,
  });
  const result = JSON.parse(stdout);
  expect(result).toMatchObject({
    status: 'CREATED',
    amount: 10_000,
    replayedOrderId: result.orderId,
    tamperedStatus: 401,
    tamperedReason: 'SIGNATURE_INVALID',
  });
  expect(result.checkoutUrl).toBe(`${server.baseUrl}/checkout/${result.orderId}`);
  // Exactly the one order, for 10,000 won: the replay made none, the tampered 90,000 none.
  const orders = await t.db.order.findMany({ where: { userId: user.id } });
  expect(orders.map((o) => [o.id, o.amount, o.type])).toEqual([[result.orderId, 10_000, 'CHARGE']]);
});
