import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createPaymentClient, errorReason } from '../server/entry-points/trpc/client';

/** Another TypeScript service calling the running production server with the exported typed client. */
test('the typed client charges and pays over HTTP with a bearer token', async ({ baseURL }) => {
  if (!baseURL) throw new Error('baseURL is not set');
  const anonymous = createPaymentClient({ baseUrl: baseURL });
  const { token } = await anonymous.auth.signUp.mutate({
    email: `client-${randomUUID()}@example.com`,
    password: 'password-1234',
    name: 'service',
  });
  const client = createPaymentClient({ baseUrl: baseURL, token });

  const course = (await client.course.list.query()).find((c) => c.price <= 30_000);
  if (!course) throw new Error('the seed has no course under 30,000');
  expect((await client.wallet.charge.mutate({ amount: 30_000, requestId: randomUUID() })).balance).toBe(
    30_000,
  );
  const paid = await client.wallet.pay.mutate({ courseId: course.id, requestId: randomUUID() });
  expect(paid.balance).toBe(30_000 - course.price);
  expect(paid.enrollment.courseId).toBe(course.id);

  const refused = await client.wallet.pay
    .mutate({ courseId: course.id, requestId: randomUUID() })
    .catch((error: unknown) => errorReason(error));
  expect(refused).toBe('ALREADY_PURCHASED');
  await expect(anonymous.wallet.get.query()).rejects.toThrow();
});

test('health answers 200 with the database state and the mode', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', database: 'up', mode: 'sandbox' });
  expect(response.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('unknown pages and bad API calls never show a stack trace', async ({ page, request }) => {
  const missing = await page.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  const bad = await request.post('/api/trpc/wallet.charge', {
    data: '{"json":',
    headers: { 'content-type': 'application/json' },
  });
  expect(bad.status()).toBeLessThan(500);
  expect(await bad.text()).not.toMatch(/\bat .+\.(ts|js):\d+/);
});
