import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_SCOPES } from '../../building-blocks/service-auth/scopes';
import { createServiceClient, errorReason } from '../../entry-points/trpc/client';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, signedInCaller, TEST_SEALING_KEY } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createServiceKey } from './service-keys';

/** What another service may do, over real HTTP with the typed service client. */

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
let payments: ReturnType<typeof createServiceClient>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
  const key = await createServiceKey(t.db, TEST_SEALING_KEY, {
    name: 'platform',
    scopes: [...SERVICE_SCOPES],
  });
  payments = createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: key.secret });
});
afterAll(async () => {
  await server?.close();
  await t.drop();
});

describe('service procedures', () => {
  it('opens a course order for the learner named, once per requestId, with the learner API’s refusals', async () => {
    const { user, caller } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 30_000);
    const input = { userId: user.id, type: 'COURSE', courseId: course.id, requestId: 'open-1' } as const;
    const order = await payments.service.orders.create.mutate(input);
    expect(order).toMatchObject({ userId: user.id, courseId: course.id, amount: 30_000, status: 'CREATED' });
    expect(order.checkoutUrl).toBe(`${server.baseUrl}/checkout/${order.orderId}`);
    // The learner sees it as their own order.
    expect((await caller.order.get({ orderId: order.orderId })).amount).toBe(30_000);

    // The same request again: the same order. Named by email instead of id, it is the same request.
    expect((await payments.service.orders.create.mutate(input)).orderId).toBe(order.orderId);
    const byEmail = {
      userEmail: user.email,
      type: 'COURSE',
      courseId: course.id,
      requestId: 'open-1',
    } as const;
    expect((await payments.service.orders.create.mutate(byEmail)).orderId).toBe(order.orderId);
    // Another request with that requestId is refused.
    const other = payments.service.orders.create.mutate({
      userId: user.id,
      type: 'CHARGE',
      amount: 5_000,
      requestId: 'open-1',
    });
    expect(await other.catch(errorReason)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.db.order.count({ where: { userId: user.id } })).toBe(1);

    // Refusals of the learner's API: an unknown course, a retired one, nobody by that email.
    const missing = payments.service.orders.create.mutate({
      ...input,
      courseId: crypto.randomUUID(),
      requestId: 'open-2',
    });
    expect(await missing.catch(errorReason)).toBe('NOT_FOUND');
    const nobody = payments.service.orders.create.mutate({
      userEmail: 'nobody@example.com',
      type: 'CHARGE',
      amount: 5_000,
      requestId: 'open-3',
    });
    expect(await nobody.catch(errorReason)).toBe('USER_NOT_FOUND');
    const both = payments.service.orders.create.mutate({
      ...input,
      userEmail: user.email,
      requestId: 'open-4',
    });
    expect(await both.catch(errorReason)).toBe('INVALID_INPUT');
  });

  it('reads an order and a learner’s orders', async () => {
    const { user } = await signedInCaller(t.db);
    const a = await payments.service.orders.create.mutate({
      userId: user.id,
      type: 'CHARGE',
      amount: 5_000,
      requestId: 'r-a',
    });
    const b = await payments.service.orders.create.mutate({
      userEmail: user.email,
      type: 'CHARGE',
      amount: 7_000,
      requestId: 'r-b',
    });
    expect(await payments.service.orders.get.query({ orderId: a.orderId })).toMatchObject({
      userId: user.id,
      amount: 5_000,
    });
    const page = await payments.service.orders.list.query({ userEmail: user.email, limit: 1 });
    expect(page.items.map((o) => o.orderId)).toEqual([b.orderId]);
    const next = await payments.service.orders.list.query({
      userId: user.id,
      limit: 1,
      cursor: page.nextCursor,
    });
    expect(next.items.map((o) => o.orderId)).toEqual([a.orderId]);
    expect(await payments.service.orders.get.query({ orderId: 'NO-SUCH-ORDER' }).catch(errorReason)).toBe(
      'ORDER_NOT_FOUND',
    );
  });

  it('refunds in full or in part as an admin may, never more than was paid, once per requestId', async () => {
    const { user, caller } = await signedInCaller(t.db);
    const course = await createCourse(t.db, 20_000);
    await caller.wallet.charge({ amount: 50_000, requestId: crypto.randomUUID() });
    const paid = await caller.wallet.pay({ courseId: course.id, requestId: crypto.randomUUID() });

    const partial = { orderId: paid.orderId, amount: 5_000, reason: 'partial refund', requestId: 'refund-1' };
    const first = await payments.service.refunds.create.mutate(partial);
    expect(first.refund).toMatchObject({ amount: 5_000, status: 'DONE', destination: 'WALLET' });
    expect(first.order).toMatchObject({ status: 'PARTIALLY_CANCELED', refundedAmount: 5_000 });
    // Replayed: the same refund, nothing more.
    expect((await payments.service.refunds.create.mutate(partial)).refund.id).toBe(first.refund.id);
    const reused = payments.service.refunds.create.mutate({ ...partial, amount: 6_000 });
    expect(await reused.catch(errorReason)).toBe('IDEMPOTENCY_KEY_REUSED');

    const tooMuch = payments.service.refunds.create.mutate({
      ...partial,
      amount: 15_001,
      requestId: 'refund-2',
    });
    expect(await tooMuch.catch(errorReason)).toBe('REFUND_EXCEEDS_PAYMENT');
    const rest = await payments.service.refunds.create.mutate({
      orderId: paid.orderId,
      reason: 'the rest',
      requestId: 'refund-3',
    });
    expect(rest.refund.amount).toBe(15_000);
    expect(rest.order).toMatchObject({ status: 'CANCELED', refundedAmount: 20_000 });

    const wallet = await payments.service.wallet.get.query({ userEmail: user.email, limit: 10 });
    expect(wallet).toMatchObject({ userId: user.id, balance: 50_000 });
    expect(wallet.items.map((e) => [e.type, e.amount])).toEqual([
      ['REFUND', 15_000],
      ['REFUND', 5_000],
      ['PAYMENT', -20_000],
      ['CHARGE', 50_000],
    ]);
    expect((await caller.wallet.get()).balance).toBe(50_000);
  });

  it('keeps the catalogue in sync by the service’s own reference: upsert, update, retire', async () => {
    const created = await payments.service.catalogue.upsert.mutate({
      reference: 'course-42',
      title: 'TypeScript',
      description: 'types',
      price: 30_000,
      requestId: 'cat-1',
    });
    expect(created).toMatchObject({
      reference: 'course-42',
      title: 'TypeScript',
      price: 30_000,
      retiredAt: null,
    });
    const { caller } = await signedInCaller(t.db);
    expect((await caller.course.list()).some((c) => c.id === created.courseId)).toBe(true);

    const updated = await payments.service.catalogue.upsert.mutate({
      reference: 'course-42',
      title: 'TypeScript 2',
      price: 35_000,
      requestId: 'cat-2',
    });
    expect(updated).toMatchObject({ courseId: created.courseId, title: 'TypeScript 2', price: 35_000 });
    const reused = payments.service.catalogue.upsert.mutate({
      reference: 'course-42',
      title: 'X',
      price: 1_000,
      requestId: 'cat-1',
    });
    expect(await reused.catch(errorReason)).toBe('IDEMPOTENCY_KEY_REUSED');

    const retired = await payments.service.catalogue.retire.mutate({
      reference: 'course-42',
      requestId: 'cat-3',
    });
    expect(retired.retiredAt).not.toBeNull();
    expect((await caller.course.list()).some((c) => c.id === created.courseId)).toBe(false);
    const unknown = payments.service.catalogue.retire.mutate({ reference: 'course-404', requestId: 'cat-4' });
    expect(await unknown.catch(errorReason)).toBe('NOT_FOUND');
    expect(await t.db.course.count({ where: { externalRef: 'course-42' } })).toBe(1);
  });
});
