import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { injectFault, shopperApproves } from '../../test/sandbox';
import { instantsOf, kstDay } from './report-range';

/**
 * The settlement report ties together: course sales (never a top-up), the wallets' movements and what
 * they hold (선수금: start + movements = end = the sum of the balances), and the card money Toss owes us
 * (= what Toss still holds of our card payments).
 */

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

type Learner = Awaited<ReturnType<typeof signedInCaller>>;
const DAY_MS = 86_400_000;
const today = kstDay(new Date());
const daysAgo = (n: number) => kstDay(new Date(Date.now() - n * DAY_MS));

const learner = (label: string) =>
  signedInCaller(t.db, label, { toss: server.toss(), waitForConfirmMs: 5_000 });
const paymentKeys: string[] = [];

async function payByCard(
  me: Learner,
  input: { type: 'COURSE'; courseId: string } | { type: 'CHARGE'; amount: number },
) {
  const order = await me.caller.order.create(input);
  const session = await shopperApproves(server.sandboxUrl, { orderId: order.orderId, amount: order.amount });
  const confirmed = await me.caller.payment.confirm({ ...session, amount: order.amount });
  expect(confirmed.order.status).toBe('APPROVED');
  paymentKeys.push(session.paymentKey);
  return order.orderId;
}
const testCharge = (me: Learner, amount: number) =>
  me.caller.wallet.charge({ amount, requestId: randomUUID() });
const payWithBalance = async (me: Learner, courseId: string) =>
  (await me.caller.wallet.pay({ courseId, requestId: randomUUID() })).orderId;
const adjust = (me: Learner, direction: 'CREDIT' | 'DEBIT', amount: number) =>
  admin.caller.admin.adjustWallet({
    email: me.user.email,
    direction,
    amount,
    reason: '정산 점검',
    requestId: randomUUID(),
  });
const balanceSum = async () => (await t.db.wallet.aggregate({ _sum: { balance: true } }))._sum.balance ?? 0;

/** What all wallets held at an instant, from each wallet's last ledger entry before it (its balanceAfter). */
async function balancesAt(instant: Date) {
  const entries = await t.db.walletTransaction.findMany({
    where: { createdAt: { lt: instant } },
    orderBy: { createdAt: 'asc' },
  });
  const last = new Map(entries.map((e) => [e.walletId, e.balanceAfter]));
  return [...last.values()].reduce((total, balance) => total + balance, 0);
}

/**
 * Moves everything a learner did `days` back, as if it had happened then. The ledger is append-only (a
 * trigger refuses UPDATE), so the trigger is off for this one transaction, as history written earlier.
 */
async function moveBack(userId: string, days: number) {
  await t.db.$transaction([
    t.db.$executeRaw`SET LOCAL session_replication_role = replica`,
    t.db
      .$executeRaw`UPDATE wallet_transaction SET created_at = created_at - make_interval(days => ${days}::int)
                      WHERE user_id = ${userId}::uuid`,
    t.db.$executeRaw`UPDATE payment SET approved_at = approved_at - make_interval(days => ${days}::int),
                            created_at = created_at - make_interval(days => ${days}::int)
                      WHERE order_id IN (SELECT id FROM orders WHERE user_id = ${userId}::uuid)`,
    t.db.$executeRaw`UPDATE orders SET approved_at = approved_at - make_interval(days => ${days}::int),
                            created_at = created_at - make_interval(days => ${days}::int)
                      WHERE user_id = ${userId}::uuid`,
  ]);
}

const movement = (kind: string, entries: number, credited: number, debited: number) => ({
  kind,
  entries,
  credited,
  debited,
  net: credited - debited,
});
const noMovements = [
  'CARD_TOP_UP',
  'TEST_CHARGE',
  'COURSE_PAYMENT',
  'REFUND',
  'CHARGE_CANCEL',
  'ADJUSTMENT',
  'OTHER',
].map((kind) => movement(kind, 0, 0, 0));
const noSales = { gross: 0, refunds: 0, net: 0 };
const noCard = { courseSales: 0, topUps: 0, courseRefunds: 0, chargeCancels: 0, owed: 0 };

async function messagesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
    return [];
  } catch (error) {
    if (error instanceof TRPCError && error.cause instanceof ZodError) {
      return error.cause.issues.map((i) => i.message);
    }
    throw error;
  }
}

describe('the settlement report', () => {
  it('is all zeros, every day listed, for a range before any activity', async () => {
    const report = await admin.caller.admin.settlement({ from: '2020-02-27', to: '2020-03-01' });
    expect(report.sales.rows).toEqual([]);
    expect(report.sales.days).toEqual(
      ['2020-02-27', '2020-02-28', '2020-02-29', '2020-03-01'].map((day) => ({
        day,
        card: 0,
        balance: 0,
        net: 0,
      })),
    );
    expect(report.sales.totals).toEqual({ card: noSales, balance: noSales, all: noSales });
    expect(report.wallet).toEqual({
      liabilityAtStart: 0,
      liabilityAtEnd: 0,
      movements: noMovements,
      netMovement: 0,
    });
    expect(report.card).toEqual(noCard);
  });

  it('ties course sales, the wallets and the card money together over every kind of movement', async () => {
    // Three days ago: a test charge of 20,000 and a 5,000 course bought with it (15,000 left).
    const past = await learner('past');
    const oldCourse = await createCourse(t.db, 5_000, '지난 강의');
    await testCharge(past, 20_000);
    await payWithBalance(past, oldCourse.id);
    await moveBack(past.user.id, 3);

    const cardCourse = await createCourse(t.db, 10_000, '카드 강의');
    const refundedCourse = await createCourse(t.db, 30_000, '환불 강의');
    const partlyRefunded = await createCourse(t.db, 12_000, '부분 환불 강의');
    const balanceCourse = await createCourse(t.db, 8_000, '잔액 강의');

    // A: a course by card, refunded in full by the learner; later an admin's credit of 7,000.
    const a = await learner('a');
    const aOrder = await payByCard(a, { type: 'COURSE', courseId: cardCourse.id });
    await a.caller.payment.cancel({ orderId: aOrder, reason: '단순 변심' });
    await adjust(a, 'CREDIT', 7_000);

    // B: a test charge of 50,000; two courses bought with the balance, one refunded into the wallet;
    // an admin's debit of 3,000.
    const b = await learner('b');
    await testCharge(b, 50_000);
    const bRefunded = await payWithBalance(b, refundedCourse.id);
    await payWithBalance(b, balanceCourse.id);
    await b.caller.payment.cancel({ orderId: bRefunded, reason: '단순 변심' });
    await adjust(b, 'DEBIT', 3_000);

    // C: a card top-up of 40,000, cancelled in full (the charge leaves the wallet).
    const c = await learner('c');
    const cCharge = await payByCard(c, { type: 'CHARGE', amount: 40_000 });
    await c.caller.payment.cancel({ orderId: cCharge, reason: '충전 취소' });

    // D: a course by card, 2,000 of it refunded by an admin.
    const d = await learner('d');
    const dOrder = await payByCard(d, { type: 'COURSE', courseId: partlyRefunded.id });
    await admin.caller.payment.cancel({ orderId: dOrder, reason: '부분 환불', amount: 2_000 });

    // E: a card top-up of 25,000, 5,000 of it cancelled by an admin.
    const e = await learner('e');
    const eCharge = await payByCard(e, { type: 'CHARGE', amount: 25_000 });
    await admin.caller.payment.cancel({ orderId: eCharge, reason: '부분 충전 취소', amount: 5_000 });

    // F: a card top-up of 10,000 whose cancel Toss refuses: taken out of the wallet, then given back.
    const f = await learner('f');
    const fCharge = await payByCard(f, { type: 'CHARGE', amount: 10_000 });
    await injectFault(server.sandboxUrl, {
      match: { orderId: fCharge },
      action: 'error',
      status: 403,
      code: 'NOT_CANCELABLE_PAYMENT',
      times: 1,
    });
    expect(await reasonOf(f.caller.payment.cancel({ orderId: fCharge, reason: '충전 취소' }))).toBe(
      'NOT_REFUNDABLE',
    );

    const balances = await balanceSum();
    expect(balances).toBe(15_000 + 7_000 + 39_000 + 0 + 0 + 20_000 + 10_000);
    const report = await admin.caller.admin.settlement({ from: today, to: today });

    // Course sales: courses only, by method; the balance purchases once each, as BALANCE.
    expect(report.sales.rows).toEqual([
      {
        day: today,
        courseId: partlyRefunded.id,
        title: '부분 환불 강의',
        method: 'CARD',
        gross: 12_000,
        refunds: 2_000,
        net: 10_000,
      },
      {
        day: today,
        courseId: balanceCourse.id,
        title: '잔액 강의',
        method: 'BALANCE',
        gross: 8_000,
        refunds: 0,
        net: 8_000,
      },
      {
        day: today,
        courseId: cardCourse.id,
        title: '카드 강의',
        method: 'CARD',
        gross: 10_000,
        refunds: 10_000,
        net: 0,
      },
      {
        day: today,
        courseId: refundedCourse.id,
        title: '환불 강의',
        method: 'BALANCE',
        gross: 30_000,
        refunds: 30_000,
        net: 0,
      },
    ]);
    expect(report.sales.totals).toEqual({
      card: { gross: 22_000, refunds: 12_000, net: 10_000 },
      balance: { gross: 38_000, refunds: 30_000, net: 8_000 },
      all: { gross: 60_000, refunds: 42_000, net: 18_000 },
    });
    expect(report.sales.days).toEqual([{ day: today, card: 10_000, balance: 8_000, net: 18_000 }]);

    // The wallets: every entry of the day in one kind; start + movements = end = the balances.
    expect(report.wallet.movements).toEqual([
      movement('CARD_TOP_UP', 3, 75_000, 0),
      movement('TEST_CHARGE', 1, 50_000, 0),
      movement('COURSE_PAYMENT', 2, 0, 38_000),
      movement('REFUND', 1, 30_000, 0),
      movement('CHARGE_CANCEL', 4, 10_000, 55_000), // C, E, F; F's given back when Toss refused
      movement('ADJUSTMENT', 2, 7_000, 3_000),
      movement('OTHER', 0, 0, 0),
    ]);
    expect(report.wallet.liabilityAtStart).toBe(15_000);
    expect(report.wallet.netMovement).toBe(76_000);
    expect(report.wallet.liabilityAtEnd).toBe(report.wallet.liabilityAtStart + report.wallet.netMovement);
    expect(report.wallet.liabilityAtEnd).toBe(balances);
    const { start, end } = instantsOf({ from: today, to: today });
    const dayEntries = await t.db.walletTransaction.findMany({
      where: { createdAt: { gte: start, lt: end } },
    });
    const counted = report.wallet.movements.reduce((n, m) => n + m.entries, 0);
    expect(counted).toBe(dayEntries.length);
    expect(report.wallet.netMovement).toBe(dayEntries.reduce((sum, entry) => sum + entry.amount, 0));

    // A top-up is not a sale; the course bought with its balance is, once.
    expect(report.sales.totals.all.gross).toBe(
      [cardCourse, refundedCourse, partlyRefunded, balanceCourse].reduce(
        (sum, course) => sum + course.price,
        0,
      ),
    );

    // The card money Toss owes us: what Toss still holds of the day's card payments.
    expect(report.card).toEqual({
      courseSales: 22_000,
      topUps: 75_000,
      courseRefunds: 12_000,
      chargeCancels: 45_000, // F's cancel was refused: nothing went back to the card
      owed: 40_000,
    });
    let heldByToss = 0;
    for (const key of paymentKeys) {
      const payment = await server.toss().getPayment(key);
      if (payment.kind !== 'ok') throw new Error(`Toss did not answer for ${key}`);
      heldByToss += payment.body.balanceAmount;
    }
    expect(report.card.owed).toBe(heldByToss);
    expect(report.card.owed).toBe(
      report.card.courseSales + report.card.topUps - report.card.courseRefunds - report.card.chargeCancels,
    );
    expect((await admin.caller.admin.invariants()).violations).toEqual([]);

    // A range that ended before today's movements leaves them out: three days ago only.
    const then = await admin.caller.admin.settlement({ from: daysAgo(3), to: daysAgo(3) });
    expect(then.sales.rows).toEqual([
      {
        day: daysAgo(3),
        courseId: oldCourse.id,
        title: '지난 강의',
        method: 'BALANCE',
        gross: 5_000,
        refunds: 0,
        net: 5_000,
      },
    ]);
    expect(then.wallet).toMatchObject({ liabilityAtStart: 0, liabilityAtEnd: 15_000, netMovement: 15_000 });
    expect(then.wallet.liabilityAtEnd).toBe(
      await balancesAt(instantsOf({ from: daysAgo(3), to: daysAgo(3) }).end),
    );
    expect(then.wallet.movements.filter((m) => m.entries > 0)).toEqual([
      movement('TEST_CHARGE', 1, 20_000, 0),
      movement('COURSE_PAYMENT', 1, 0, 5_000),
    ]);
    expect(then.card).toEqual(noCard);

    // The two quiet days between: nothing moved, the wallets held the same throughout.
    const quiet = await admin.caller.admin.settlement({ from: daysAgo(2), to: daysAgo(1) });
    expect(quiet.wallet).toEqual({
      liabilityAtStart: 15_000,
      liabilityAtEnd: 15_000,
      movements: noMovements,
      netMovement: 0,
    });
    expect(quiet.sales.days.map((day) => [day.day, day.net])).toEqual([
      [daysAgo(2), 0],
      [daysAgo(1), 0],
    ]);

    // All four days: every day listed, the quiet ones as zeros, and the liability from 0 to the balances.
    const all = await admin.caller.admin.settlement({ from: daysAgo(3), to: today });
    expect(all.sales.days).toEqual([
      { day: daysAgo(3), card: 0, balance: 5_000, net: 5_000 },
      { day: daysAgo(2), card: 0, balance: 0, net: 0 },
      { day: daysAgo(1), card: 0, balance: 0, net: 0 },
      { day: today, card: 10_000, balance: 8_000, net: 18_000 },
    ]);
    expect(all.sales.totals.all.net).toBe(23_000);
    expect(all.wallet).toMatchObject({
      liabilityAtStart: 0,
      liabilityAtEnd: balances,
      netMovement: balances,
    });
  });

  it('refuses a bad range in Korean, never a 500', async () => {
    expect(await messagesOf(admin.caller.admin.settlement({ from: '2026-11-30', to: '2026-11-01' }))).toEqual(
      ['시작일은 종료일보다 늦을 수 없어요.'],
    );
    expect(await messagesOf(admin.caller.admin.settlement({ from: '2024-01-01', to: '2026-01-01' }))).toEqual(
      ['기간은 1년을 넘을 수 없어요.'],
    );
    expect(await messagesOf(admin.caller.admin.reconcile({ from: '', to: '1999-12-31' }))).toEqual([
      '시작일을 2026-11-01처럼 연-월-일로 입력해 주세요.',
      '종료일은 2000-01-01부터 2099-12-31 사이의 날짜여야 해요.',
    ]);
  });
});
