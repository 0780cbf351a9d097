import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, reasonOf, signedInCaller, TEST_AUTH } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { shopperApproves } from '../../test/sandbox';
import { kstDay } from './report-range';

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
let admin: Awaited<ReturnType<typeof signedInCaller>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
  admin = await signedInCaller(t.db, 'admin', { toss: server.toss(), admin: true });
});
afterAll(async () => {
  await server.close();
  await t.drop();
});

const today = kstDay(new Date());
const range = { from: today, to: today };
const learner = () => signedInCaller(t.db, 'books', { toss: server.toss(), waitForConfirmMs: 5_000 });

async function cardCourse(price = 10_000) {
  const me = await learner();
  const course = await createCourse(t.db, price, `강의 ${randomUUID().slice(0, 6)}`);
  const order = await me.caller.order.create({ type: 'COURSE', courseId: course.id });
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  await me.caller.payment.confirm({ ...session, amount: order.amount });
  return { me, course, order, session };
}

describe('admin procedures', () => {
  it('are FORBIDDEN to everyone not granted the admin role', async () => {
    const me = await learner();
    expect(await reasonOf(me.caller.admin.reconcile(range))).toBe('FORBIDDEN');
    expect(await reasonOf(me.caller.admin.invariants())).toBe('FORBIDDEN');
    expect(await reasonOf(me.caller.admin.settlement(range))).toBe('FORBIDDEN');
    expect(await reasonOf(me.caller.admin.alerts())).toBe('FORBIDDEN');
    // Signing up with the demo admin's email claims nothing: the role is granted, never claimed.
    const claimant = await signedInCaller(t.db, 'claimant', { email: 'admin@example.com' });
    expect(await reasonOf(claimant.caller.admin.invariants())).toBe('FORBIDDEN');
    expect(await claimant.caller.auth.me()).toMatchObject({ isAdmin: false });
    expect(await reasonOf(admin.caller.admin.invariants())).toBe('OK');
  });

  it.each([
    ['year 0000', { from: '0000-01-01', to: '0000-12-31' }],
    ['year 1999', { from: '1999-12-31', to: '2000-01-01' }],
    ['year 9999', { from: '9999-12-01', to: '9999-12-31' }],
  ])('refuses days outside 2000-2099 (%s) as INVALID_INPUT, never a 500', async (_label, days) => {
    expect(await reasonOf(admin.caller.admin.settlement(days))).toBe('INVALID_INPUT');
    expect(await reasonOf(admin.caller.admin.reconcile(days))).toBe('INVALID_INPUT');
  });

  it('refuses a backwards range with a clear message', async () => {
    expect(await reasonOf(admin.caller.admin.reconcile({ from: '2026-11-30', to: '2026-11-01' }))).toBe(
      'INVALID_INPUT',
    );
  });
});

describe('reconciliation and invariants', () => {
  it('finds each kind of difference it was given, and nothing else', async () => {
    // Clean: a card purchase and a refunded one agree with Toss.
    await cardCourse();
    const refunded = await cardCourse();
    await refunded.me.caller.payment.cancel({ orderId: refunded.order.orderId, reason: 'x' });

    // MISSING_LOCAL: Toss approved a payment we never recorded.
    const me = await learner();
    const charge = await me.caller.order.create({ type: 'CHARGE', amount: 4_000 });
    const missing = await shopperApproves(server.sandboxUrl, { orderId: charge.orderId, amount: 4_000 });
    await server.toss().confirm({ ...missing, amount: 4_000 }, randomUUID());

    // AMOUNT_MISMATCH: our record of an approval says another amount.
    const tampered = await cardCourse(12_000);
    await t.db.payment.update({ where: { orderId: tampered.order.orderId }, data: { amount: 12_001 } });

    // STATUS_MISMATCH: cancelled at Toss, still approved here.
    const cancelledThere = await cardCourse(8_000);
    await server
      .toss()
      .cancel(cancelledThere.session.paymentKey, { cancelReason: 'dashboard' }, randomUUID());

    // MISSING_AT_TOSS: a card payment Toss never saw.
    const ghost = await cardCourse(6_000);
    await t.db.payment.update({
      where: { orderId: ghost.order.orderId },
      data: { paymentKey: 'ghost-payment-key' },
    });

    const { differences } = await admin.caller.admin.reconcile(range);
    const byKind = Object.fromEntries(differences.map((d) => [d.kind, d]));
    expect(differences.map((d) => d.kind).sort()).toEqual([
      'AMOUNT_MISMATCH',
      'MISSING_AT_TOSS',
      'MISSING_LOCAL',
      'MISSING_LOCAL', // the ghost's real payment at Toss is now unmatched too
      'STATUS_MISMATCH',
    ]);
    expect(byKind.AMOUNT_MISMATCH).toMatchObject({
      orderId: tampered.order.orderId,
      ours: { approved: 12_001 },
      toss: { approved: 12_000 },
    });
    expect(byKind.STATUS_MISMATCH).toMatchObject({
      orderId: cancelledThere.order.orderId,
      ours: { canceled: 0 },
      toss: { canceled: 8_000 },
    });
    expect(byKind.MISSING_AT_TOSS).toMatchObject({ paymentKey: 'ghost-payment-key', toss: null });
    expect(differences.some((d) => d.kind === 'MISSING_LOCAL' && d.orderId === charge.orderId)).toBe(true);

    // The command reports the same and exits non-zero. (Asynchronously: the sandbox it calls runs here.)
    const run = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'server/entry-points/cli/reconcile.ts', '--from', today, '--to', today],
        {
          cwd: path.resolve(import.meta.dirname, '../../..'),
          env: {
            ...process.env,
            DATABASE_URL: t.url,
            SESSION_SECRET: TEST_AUTH.sessionSecret,
            TOSS_API_BASE: server.sandboxUrl,
          },
          timeout: 60_000,
        },
        (_error, stdout) => resolve({ status: child.exitCode, stdout }),
      );
    });
    expect(run.stdout).toMatch(/5 difference\(s\)/);
    expect(run.stdout).toMatch(/AMOUNT_MISMATCH/);
    expect(run.status).toBe(1);
  });

  it('the invariant check passes on honest books and catches a wallet corrupted on purpose', async () => {
    const me = await learner();
    await me.caller.wallet.charge({ amount: 5_000, requestId: randomUUID() });
    expect((await admin.caller.admin.invariants()).violations).toEqual([]);
    const wallet = await me.caller.wallet.get();
    await t.db.$executeRaw`UPDATE wallet SET balance = balance + 1 WHERE id = ${wallet.id}::uuid`;
    const after = (await admin.caller.admin.invariants()).violations;
    expect(after).toContainEqual({
      rule: 'WALLET_BALANCE_MISMATCH',
      subject: wallet.id,
      detail: 'balance 5001, ledger sum 5000',
    });
  });
});
