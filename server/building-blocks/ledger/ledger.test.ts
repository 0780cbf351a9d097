import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller } from '../../test/fixtures';
import { canMoveInOneStatement, moveBalance } from './ledger';
import { BALANCE_STRATEGY_NAMES, useBalanceStrategy } from './strategies';
import { ensureWallet, findLedgerPage } from './wallet.repository';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

async function newUser(label: string) {
  const { user } = await signedInCaller(t.db, label);
  return user.id;
}

const move = (userId: string, amount: number, requestId: string) =>
  t.db.$transaction((tx) =>
    moveBalance(tx, { userId, type: amount > 0 ? 'CHARGE' : 'PAYMENT', amount, requestId }),
  );

describe('the ledger', () => {
  it('moves a balance and writes the ledger row that explains it, creating the wallet on first use', async () => {
    const userId = await newUser('ledger-move');
    const moved = await move(userId, 30_000, 'sys:test:1');
    expect(moved).toMatchObject({ ok: true, balance: 30_000 });
    expect((await ensureWallet(t.db, userId)).balance).toBe(30_000);
    const [entry] = await findLedgerPage(t.db, userId, 10);
    expect(entry).toMatchObject({
      type: 'CHARGE',
      amount: 30_000,
      balanceAfter: 30_000,
      requestId: 'sys:test:1',
    });
  });

  it('refuses a change outside 0..100,000 and writes nothing, naming the limit it hit', async () => {
    const userId = await newUser('ledger-refuse');
    await move(userId, 100_000, 'sys:test:fill');
    expect(await move(userId, 1, 'sys:test:over')).toEqual({
      ok: false,
      reason: 'BALANCE_LIMIT_EXCEEDED',
      balance: 100_000,
    });
    await move(userId, -100_000, 'sys:test:empty');
    expect(await move(userId, -1, 'sys:test:under')).toEqual({
      ok: false,
      reason: 'INSUFFICIENT_BALANCE',
      balance: 0,
    });
    expect((await ensureWallet(t.db, userId)).balance).toBe(0);
    expect((await findLedgerPage(t.db, userId, 10)).map((e) => e.requestId).sort()).toEqual(
      ['sys:test:empty', 'sys:test:fill'].sort(),
    );
  });

  it('keeps concurrent moves on one wallet exact: 20 debits of 5,000 from 60,000 leave 0 with 12 refused', async () => {
    const userId = await newUser('ledger-race');
    await move(userId, 60_000, 'sys:test:start');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => move(userId, -5_000, `sys:test:debit-${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(12);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(
      Array(8).fill('INSUFFICIENT_BALANCE'),
    );
    expect((await ensureWallet(t.db, userId)).balance).toBe(0);
  });
});

describe.each(BALANCE_STRATEGY_NAMES)('canMoveInOneStatement under BALANCE_STRATEGY=%s', (strategy) => {
  beforeAll(() => {
    useBalanceStrategy(strategy);
  });
  afterAll(() => {
    useBalanceStrategy('atomic');
  });

  it('is true only for the atomic strategy, whose conditional UPDATE can run as one SQL statement', () => {
    expect(canMoveInOneStatement()).toBe(strategy === 'atomic');
  });
});
