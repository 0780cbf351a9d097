import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller } from '../../test/fixtures';
import { insertOrder } from '../order/order.repository';
import { newOrderId } from '../order/order-id';
import { captureHold, markHoldConfirming, moveBalance, placeHold, voidHold, withWalletLock } from './ledger';
import { BALANCE_STRATEGY_NAMES, useBalanceStrategy } from './strategies';
import { disconnectRedis } from './strategies/redis-lock';
import { ensureWallet, findLedgerPage } from './wallet.repository';

/**
 * Holds on a balance (composite payments) at the ledger: what is held cannot be spent by anything else,
 * a hold is captured or voided exactly once, and the wallet's `held` is always the sum of its open holds.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const later = () => new Date(Date.now() + 30 * 60_000);

async function walletWith(balance: number) {
  const { user } = await signedInCaller(t.db, 'hold');
  if (balance > 0) {
    await t.db.$transaction((tx) =>
      moveBalance(tx, { userId: user.id, type: 'CHARGE', amount: balance, requestId: `sys:seed:${user.id}` }),
    );
  }
  return user.id;
}

async function newOrder(userId: string, amount = 48_000) {
  const order = await insertOrder(t.db, {
    id: newOrderId(),
    userId,
    type: 'CHARGE',
    amount,
    orderName: 'composite test',
  });
  return order.id;
}

/** As the use cases do: each money transaction inside the strategy's wallet lock (withWalletLock). */
const hold = async (userId: string, amount: number) => {
  const orderId = await newOrder(userId);
  const placed = await withWalletLock(t.db, userId, () =>
    t.db.$transaction((tx) => placeHold(tx, { userId, orderId, amount, expiresAt: later() })),
  );
  return { orderId, placed };
};
const debit = (userId: string, amount: number, requestId = crypto.randomUUID()) =>
  withWalletLock(t.db, userId, () =>
    t.db.$transaction((tx) => moveBalance(tx, { userId, type: 'PAYMENT', amount: -amount, requestId })),
  );

/** The wallet, and the sum of its open holds (what `held` must equal). */
async function walletState(userId: string) {
  const wallet = await ensureWallet(t.db, userId);
  const open = await t.db.walletHold.aggregate({
    where: { walletId: wallet.id, status: { in: ['PENDING', 'CONFIRMING'] } },
    _sum: { amount: true },
  });
  return { balance: wallet.balance, held: wallet.held, openHolds: open._sum.amount ?? 0 };
}

describe('holds on a balance', () => {
  it('reserves what is available: spending the held won is refused, the rest can be spent', async () => {
    const userId = await walletWith(30_000);
    const { placed } = await hold(userId, 20_000);
    expect(placed).toMatchObject({ ok: true, balance: 30_000, held: 20_000 });
    expect(await debit(userId, 15_000)).toMatchObject({ ok: false, reason: 'INSUFFICIENT_BALANCE' });
    expect(await debit(userId, 10_000)).toMatchObject({ ok: true, balance: 20_000 });
    expect(await debit(userId, 1)).toMatchObject({ ok: false, reason: 'INSUFFICIENT_BALANCE' });
    // A second hold gets only what is left: nothing.
    expect((await hold(userId, 1)).placed).toEqual({
      ok: false,
      reason: 'INSUFFICIENT_BALANCE',
      available: 0,
    });
    expect(await walletState(userId)).toEqual({ balance: 20_000, held: 20_000, openHolds: 20_000 });
  });

  it('refuses a hold above what is available and writes nothing', async () => {
    const userId = await walletWith(10_000);
    const { orderId, placed } = await hold(userId, 10_001);
    expect(placed).toEqual({ ok: false, reason: 'INSUFFICIENT_BALANCE', available: 10_000 });
    expect(await t.db.walletHold.count({ where: { orderId } })).toBe(0);
    expect(await walletState(userId)).toEqual({ balance: 10_000, held: 0, openHolds: 0 });
  });

  it('captures once: balance and held go down together with one PAYMENT row; a void after does nothing', async () => {
    const userId = await walletWith(30_000);
    const { orderId } = await hold(userId, 20_000);
    expect(await t.db.$transaction((tx) => markHoldConfirming(tx, orderId))).toMatchObject({
      status: 'CONFIRMING',
    });
    // CONFIRMING: the expiry path (PENDING only) can no longer void it.
    expect(await t.db.$transaction((tx) => voidHold(tx, orderId))).toMatchObject({ resolved: false });
    const captured = await t.db.$transaction((tx) =>
      captureHold(tx, orderId, { requestId: `sys:capture:${orderId}` }),
    );
    expect(captured).toMatchObject({ resolved: true, balance: 10_000, hold: { status: 'CAPTURED' } });
    const again = await t.db.$transaction((tx) =>
      captureHold(tx, orderId, { requestId: `sys:capture:${orderId}` }),
    );
    expect(again).toMatchObject({ resolved: false, hold: { status: 'CAPTURED' } });
    expect(await t.db.$transaction((tx) => voidHold(tx, orderId, ['PENDING', 'CONFIRMING']))).toMatchObject({
      resolved: false,
    });
    expect(await walletState(userId)).toEqual({ balance: 10_000, held: 0, openHolds: 0 });
    const ledger = await findLedgerPage(t.db, userId, 10);
    expect(
      ledger.filter((e) => e.orderId === orderId).map((e) => [e.type, e.amount, e.balanceAfter]),
    ).toEqual([['PAYMENT', -20_000, 10_000]]);
  });

  it('voids once: the held won are spendable again and the balance never moved; a capture after does nothing', async () => {
    const userId = await walletWith(30_000);
    const { orderId } = await hold(userId, 20_000);
    expect(await t.db.$transaction((tx) => voidHold(tx, orderId))).toMatchObject({
      resolved: true,
      hold: { status: 'VOIDED' },
    });
    expect(await t.db.$transaction((tx) => voidHold(tx, orderId))).toMatchObject({ resolved: false });
    expect(
      await t.db.$transaction((tx) => captureHold(tx, orderId, { requestId: `sys:capture:${orderId}` })),
    ).toMatchObject({ resolved: false, hold: { status: 'VOIDED' } });
    expect(await walletState(userId)).toEqual({ balance: 30_000, held: 0, openHolds: 0 });
    expect(await debit(userId, 30_000)).toMatchObject({ ok: true, balance: 0 });
  });

  it('a capture and a void racing for one hold: exactly one wins', async () => {
    for (let round = 0; round < 10; round++) {
      const userId = await walletWith(20_000);
      const { orderId } = await hold(userId, 20_000);
      const [captured, voided] = await Promise.all([
        t.db.$transaction((tx) => captureHold(tx, orderId, { requestId: `sys:capture:${orderId}` })),
        t.db.$transaction((tx) => voidHold(tx, orderId, ['PENDING', 'CONFIRMING'])),
      ]);
      expect([captured.resolved, voided.resolved].filter(Boolean)).toHaveLength(1);
      const state = await walletState(userId);
      expect(state).toEqual(
        captured.resolved
          ? { balance: 0, held: 0, openHolds: 0 }
          : { balance: 20_000, held: 0, openHolds: 0 },
      );
    }
  });

  it('100 holds at once on one wallet: exactly what is available is held, never more', async () => {
    const userId = await walletWith(50_000);
    const results = await Promise.all(Array.from({ length: 100 }, () => hold(userId, 1_000)));
    expect(results.filter((r) => r.placed.ok)).toHaveLength(50);
    expect(await walletState(userId)).toEqual({ balance: 50_000, held: 50_000, openHolds: 50_000 });
  });

  it('the database refuses held above the balance, whatever writes it', async () => {
    const userId = await walletWith(10_000);
    await expect(
      t.db.$executeRaw`UPDATE wallet SET held = 10001 WHERE user_id = ${userId}::uuid`,
    ).rejects.toThrow(/wallet_held_within_balance/);
    await hold(userId, 10_000);
    await expect(
      t.db.$executeRaw`UPDATE wallet SET balance = 9999 WHERE user_id = ${userId}::uuid`,
    ).rejects.toThrow(/wallet_held_within_balance/);
  });
});

describe.each(BALANCE_STRATEGY_NAMES)('debits racing holds under BALANCE_STRATEGY=%s', (strategy) => {
  beforeAll(() => {
    // The Redis strategy needs a Redis; these machines run one at 127.0.0.1:6379 (TEST_REDIS_URL overrides).
    process.env.REDIS_URL ??= process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    useBalanceStrategy(strategy);
  });
  afterAll(async () => {
    useBalanceStrategy('atomic');
    await disconnectRedis();
  });

  it('never spend held won: 20 debits and 20 holds of 5,000 on 100,000 leave balance >= held', async () => {
    const userId = await walletWith(100_000);
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, () => debit(userId, 5_000)),
      ...Array.from({ length: 20 }, () => hold(userId, 5_000)),
    ]);
    // No statement failed on the CHECK: each was refused cleanly or applied.
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const state = await walletState(userId);
    expect(state.held).toBe(state.openHolds);
    const debits = await t.db.walletTransaction.count({ where: { userId, type: 'PAYMENT' } });
    expect(state.balance).toBe(100_000 - debits * 5_000);
    expect(state.held / 5_000 + debits).toBe(20); // 100,000 covers exactly 20 of the 40
  });
});
