import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../building-blocks/crash-points';
import { moveBalance } from '../../building-blocks/ledger/ledger';
import { createPaymentClient } from '../../entry-points/trpc/client';
import { type AppProcess, exitOf, startAppProcess, stopAppProcess } from '../../test/app-process';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, uniqueEmail } from '../../test/fixtures';
import { setSandboxConfirmDeadline, shopperApproves } from '../../test/sandbox';
import { orderStatusEventually } from '../../test/wait';

/**
 * Crash safety against real server processes. "Toss" is one process (the sandbox), never killed; the
 * app is another, started with PAYMENT_CRASH_POINT so it SIGKILLs itself at that point of a confirm.
 * It is then started again, normally, and its janitor must leave the order APPROVED with exactly one
 * effect (or FAILED with none).
 */

let t: TestDatabase;
let toss: AppProcess;

const startServer = (env: Record<string, string>) => startAppProcess(t.url, env);
const stop = stopAppProcess;

beforeAll(async () => {
  t = await createTestDatabase();
  toss = await startServer({});
}, 120_000);
afterAll(async () => {
  await stop(toss);
  await t.drop();
});

const appEnv = (crashPoint?: CrashPoint) => ({
  TOSS_API_BASE: `${toss.url}/api/toss-sandbox`,
  RECOVERY_INTERVAL_MS: '200',
  RECOVERY_STALE_CONFIRMING_MS: '1500',
  ...(crashPoint ? { PAYMENT_CRASH_POINT: crashPoint } : {}),
});

/**
 * Starts an app that dies at `point`, and drives one order into it: sign up, order, the shopper's
 * approval at Toss, then confirm, which must kill the server (SIGKILL).
 */
async function confirmUntilKilled(
  point: CrashPoint,
  order: { type: 'COURSE' } | { type: 'CHARGE'; amount: number } | { type: 'COMPOSITE' },
) {
  const crashing = await startServer(appEnv(point));
  const anonymous = createPaymentClient({ baseUrl: crashing.url });
  const { token, user } = await anonymous.auth.signUp.mutate({
    email: uniqueEmail('crash'),
    password: 'password-1234',
    name: 'crash',
  });
  const client = createPaymentClient({ baseUrl: crashing.url, token });
  if (order.type === 'COMPOSITE') {
    // 30,000 won in the wallet to pay part of a 48,000 won course with (booked through the ledger).
    await t.db.$transaction((tx) =>
      moveBalance(tx, { userId: user.id, type: 'CHARGE', amount: 30_000, requestId: `sys:test:${user.id}` }),
    );
  }
  const created =
    order.type === 'COURSE'
      ? await client.order.create.mutate({ type: 'COURSE', courseId: (await createCourse(t.db, 20_000)).id })
      : order.type === 'COMPOSITE'
        ? await client.order.create.mutate({
            type: 'COURSE',
            courseId: (await createCourse(t.db, 48_000)).id,
            walletAmount: 30_000,
            requestId: randomUUID(),
          })
        : await client.order.create.mutate(order);
  // The card is asked for its part: all of it, or what the wallet does not pay.
  const session = await shopperApproves(`${toss.url}/api/toss-sandbox`, {
    orderId: created.orderId,
    amount: created.cardAmount,
  });
  await expect(client.payment.confirm.mutate({ ...session, amount: created.cardAmount })).rejects.toThrow();
  await exitOf(crashing);
  expect(crashing.process.signalCode).toBe('SIGKILL');
  return { token, user, order: created, session };
}

const points: CrashPoint[] = ['after-claim', 'after-toss-answer', 'inside-approval', 'after-approval'];

describe.each(points)('the app is killed (SIGKILL) at %s', (point) => {
  it.each(['COURSE', 'CHARGE', 'COMPOSITE'] as const)(
    'a %s order ends APPROVED with one effect after a restart',
    async (type) => {
      const { token, user, order, session } = await confirmUntilKilled(
        point,
        type === 'CHARGE' ? { type, amount: 20_000 } : { type },
      );

      const restarted = await startServer(appEnv());
      try {
        expect(
          await orderStatusEventually(t.db, order.orderId, ['APPROVED', 'FAILED', 'CANCELED'], 20_000),
        ).toBe('APPROVED');
        if (type === 'COURSE') {
          expect(await t.db.enrollment.count({ where: { userId: user.id } })).toBe(1);
        } else if (type === 'COMPOSITE') {
          // One capture of the wallet part, one card payment of the rest, one enrollment.
          expect(await t.db.enrollment.count({ where: { userId: user.id } })).toBe(1);
          const wallet = await t.db.wallet.findUniqueOrThrow({ where: { userId: user.id } });
          expect(wallet).toMatchObject({ balance: 0, held: 0 });
          const hold = await t.db.walletHold.findUniqueOrThrow({ where: { orderId: order.orderId } });
          expect(hold.status).toBe('CAPTURED');
          const payment = await t.db.payment.findUniqueOrThrow({ where: { orderId: order.orderId } });
          expect(payment.amount).toBe(18_000);
          expect(await t.db.walletTransaction.count({ where: { orderId: order.orderId } })).toBe(1);
        } else {
          const wallet = await t.db.wallet.findUniqueOrThrow({ where: { userId: user.id } });
          expect(wallet.balance).toBe(20_000);
          expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(1);
        }
        expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(1);
        // The learner's browser retries the success page: the same answer, no second effect.
        const again = createPaymentClient({ baseUrl: restarted.url, token });
        expect(
          (await again.payment.confirm.mutate({ ...session, amount: order.cardAmount })).order.status,
        ).toBe('APPROVED');
        expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(1);
      } finally {
        await stop(restarted);
      }
    },
    120_000, // two app processes start per test: slow on a busy 2-core machine
  );
});

it('killed after the claim, with the shopper’s session expired meanwhile: the order ends FAILED, granting nothing', async () => {
  const { user, order, session } = await confirmUntilKilled('after-claim', { type: 'CHARGE', amount: 7_000 });

  // While the server was down, Toss's 10-minute confirm window ran out.
  await setSandboxConfirmDeadline(t.db, session.paymentKey, new Date(Date.now() - 1_000));
  const restarted = await startServer(appEnv());
  try {
    expect(await orderStatusEventually(t.db, order.orderId, ['APPROVED', 'FAILED', 'CANCELED'], 20_000)).toBe(
      'FAILED',
    );
    expect(await t.db.walletTransaction.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(0);
  } finally {
    await stop(restarted);
  }
}, 120_000);

it('killed after the claim of a composite order, the card session expired meanwhile: FAILED, the hold voided, nothing taken', async () => {
  const { user, order, session } = await confirmUntilKilled('after-claim', { type: 'COMPOSITE' });
  await setSandboxConfirmDeadline(t.db, session.paymentKey, new Date(Date.now() - 1_000));
  const restarted = await startServer(appEnv());
  try {
    expect(await orderStatusEventually(t.db, order.orderId, ['APPROVED', 'FAILED', 'CANCELED'], 20_000)).toBe(
      'FAILED',
    );
    const wallet = await t.db.wallet.findUniqueOrThrow({ where: { userId: user.id } });
    expect(wallet).toMatchObject({ balance: 30_000, held: 0 });
    const hold = await t.db.walletHold.findUniqueOrThrow({ where: { orderId: order.orderId } });
    expect(hold.status).toBe('VOIDED');
    expect(await t.db.payment.count({ where: { orderId: order.orderId } })).toBe(0);
  } finally {
    await stop(restarted);
  }
}, 120_000);
