import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../building-blocks/db/client';
import { createTossClient } from '../../building-blocks/toss/toss-client';
import { DOCS_TEST_KEYS } from '../../building-blocks/toss/toss-config';
import { startRecoveryWorker } from '../../entry-points/janitor';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, signedInCaller } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { injectFault, setSandboxConfirmDeadline, shopperApproves } from '../../test/sandbox';
import { orderStatusEventually } from '../../test/wait';
import { ordersNeedingRecovery, recoverOrder } from './recover-order';

/**
 * Every fault the sandbox can inject, for course and charge orders: confirm leaves the order IN_DOUBT,
 * and the janitor (a pg-boss worker in this process, sweeping every 200 ms) settles it with exactly one
 * effect, without anyone calling confirm again.
 */

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db, {
    recovery: { databaseUrl: t.url, intervalMs: 200, staleConfirmingMs: 5_000 },
  });
});
afterAll(async () => {
  await server.close();
  await t.drop();
});

const READ_TIMEOUT_MS = 400;

async function learner() {
  const toss = createTossClient({
    baseUrl: server.sandboxUrl,
    secretKey: DOCS_TEST_KEYS.secretKey,
    readTimeoutMs: READ_TIMEOUT_MS,
  });
  return signedInCaller(t.db, 'recovery', { toss, waitForConfirmMs: 2_000 });
}

const faults = [
  ['a delay past the read timeout', { action: 'delay', ms: 1_200 }],
  ['a 5xx', { action: 'error', status: 500, code: 'FAILED_INTERNAL_SYSTEM_PROCESSING' }],
  ['a reset connection', { action: 'reset' }],
  ['approve-then-drop', { action: 'drop-response' }],
] as const;

describe.each(faults)('after %s', (_label, fault) => {
  it('a course order ends APPROVED by recovery, with one enrollment and one payment', async () => {
    const { caller, user } = await learner();
    const course = await createCourse(t.db, 33_000);
    const order = await caller.order.create({ type: 'COURSE', courseId: course.id });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: order.orderId,
      amount: order.amount,
    });
    await injectFault(server.sandboxUrl, { match: { orderId: order.orderId }, times: 1, ...fault });

    const first = await caller.payment.confirm({ ...session, amount: order.amount });
    expect(first.order.status).toBe('IN_DOUBT');
    expect(await t.db.enrollment.count({ where: { userId: user.id } })).toBe(0);

    expect(await orderStatusEventually(t.db, order.orderId, ['APPROVED', 'FAILED'])).toBe('APPROVED');
    expect(await t.db.enrollment.count({ where: { userId: user.id, orderId: order.orderId } })).toBe(1);
    expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(1);
  });

  it('a charge order ends APPROVED by recovery, credited exactly once', async () => {
    const { caller, user } = await learner();
    const order = await caller.order.create({ type: 'CHARGE', amount: 12_000 });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: order.orderId,
      amount: order.amount,
    });
    await injectFault(server.sandboxUrl, { match: { orderId: order.orderId }, times: 1, ...fault });

    expect((await caller.payment.confirm({ ...session, amount: order.amount })).order.status).toBe(
      'IN_DOUBT',
    );
    expect((await caller.wallet.get()).balance).toBe(0);

    expect(await orderStatusEventually(t.db, order.orderId, ['APPROVED', 'FAILED'])).toBe('APPROVED');
    expect((await caller.wallet.get()).balance).toBe(12_000);
    expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(1);
    // A late confirm from the browser replays the result; nothing more is credited.
    expect((await caller.payment.confirm({ ...session, amount: order.amount })).balance).toBe(12_000);
    expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(1);
  });
});

describe('several app instances', () => {
  it('two janitors on one database settle every order once', async () => {
    const second = createDb(t.url, 5);
    const otherWorker = await startRecoveryWorker({
      databaseUrl: t.url,
      db: second,
      toss: server.toss(),
      intervalMs: 200,
      giveUpMs: 3_600_000,
      staleConfirmingMs: 5_000,
      log: () => {},
    });
    try {
      const { caller, user } = await learner();
      const orders = [];
      for (let i = 0; i < 6; i++) {
        const order = await caller.order.create({ type: 'CHARGE', amount: 1_000 });
        const session = await shopperApproves(server.sandboxUrl, {
          orderId: order.orderId,
          amount: order.amount,
        });
        await injectFault(server.sandboxUrl, {
          match: { orderId: order.orderId },
          action: 'drop-response',
          times: 1,
        });
        expect((await caller.payment.confirm({ ...session, amount: order.amount })).order.status).toBe(
          'IN_DOUBT',
        );
        orders.push(order);
      }
      for (const order of orders)
        expect(await orderStatusEventually(t.db, order.orderId, ['APPROVED', 'FAILED'])).toBe('APPROVED');
      expect((await caller.wallet.get()).balance).toBe(6_000);
      expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(6);
      expect(await t.db.payment.count({ where: { orderId: { in: orders.map((o) => o.orderId) } } })).toBe(6);
    } finally {
      await otherWorker.stop();
      await second.$disconnect();
    }
  });
});

describe('recovery decisions', () => {
  it('fails an order Toss never approved (the session expired), granting nothing', async () => {
    const { caller, user } = await learner();
    const order = await caller.order.create({ type: 'CHARGE', amount: 5_000 });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: order.orderId,
      amount: order.amount,
    });
    await setSandboxConfirmDeadline(t.db, session.paymentKey, new Date(Date.now() - 1_000));
    await t.db.order.update({
      where: { id: order.orderId },
      data: { status: 'IN_DOUBT', paymentKey: session.paymentKey },
    });
    expect(await orderStatusEventually(t.db, order.orderId, ['APPROVED', 'FAILED'])).toBe('FAILED');
    expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(0);
  });

  it('leaves a confirm in flight alone, and takes over one abandoned by a dead process', async () => {
    const { caller } = await learner();
    const order = await caller.order.create({ type: 'CHARGE', amount: 7_000 });
    const session = await shopperApproves(server.sandboxUrl, {
      orderId: order.orderId,
      amount: order.amount,
    });
    await t.db.order.update({
      where: { id: order.orderId },
      data: { status: 'CONFIRMING', paymentKey: session.paymentKey },
    });
    const deps = { db: t.db, toss: server.toss(), waitForConfirmMs: 0, staleConfirmingMs: 60_000 };
    expect(await ordersNeedingRecovery(t.db, 60_000)).not.toContain(order.orderId);
    expect(await recoverOrder(deps, order.orderId)).toBe('busy');

    await t.db
      .$executeRaw`UPDATE orders SET updated_at = now() - interval '2 minutes' WHERE id = ${order.orderId}`;
    expect(await recoverOrder(deps, order.orderId)).toBe('settled');
    expect((await caller.order.get({ orderId: order.orderId })).status).toBe('APPROVED');
    expect((await caller.wallet.get()).balance).toBe(7_000);
  });
});
