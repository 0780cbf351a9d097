import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentClient, errorReason } from '../../entry-points/trpc/client';
import { type AppProcess, startAppProcess, stopAppProcess } from '../../test/app-process';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { uniqueEmail } from '../../test/fixtures';
import { MONEY_MODES, type MoneyMode, moneyModeEnv } from '../../test/money-modes';

/**
 * Two app instances (separate processes, different ports) against one database, charging the same
 * wallet at the same time. Every real strategy keeps the books exact; the seed's in-process lock
 * (`synchronized`) does not, because each process only locks itself out.
 */

let t: TestDatabase;
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/**
 * `charges` charges of 100 won on one wallet, alternately through two app processes; each request id is
 * sent `sends` times (through both instances when 2, as a client retrying elsewhere would).
 */
async function raceOnOneWallet(mode: MoneyMode, charges: number, sends = 1) {
  const env = { ...moneyModeEnv(mode), REDIS_URL: redisUrl };
  const apps: AppProcess[] = await Promise.all([startAppProcess(t.url, env), startAppProcess(t.url, env)]);
  try {
    const first = apps[0] as AppProcess;
    const { token, user } = await createPaymentClient({ baseUrl: first.url }).auth.signUp.mutate({
      email: uniqueEmail(mode.strategy),
      password: 'password-1234',
      name: mode.strategy,
    });
    const clients = apps.map((app) => createPaymentClient({ baseUrl: app.url, token }));
    const requestIds = Array.from({ length: charges }, () => randomUUID());
    const results = await Promise.all(
      Array.from({ length: charges * sends }, (_, i) =>
        (clients[i % 2] ?? clients[0])?.wallet.charge
          .mutate({ amount: 100, requestId: requestIds[Math.floor(i / sends)] ?? '' })
          .then(() => 'OK')
          .catch((error: unknown) => errorReason(error) ?? 'ERROR'),
      ),
    );
    const wallet = await t.db.wallet.findUniqueOrThrow({ where: { userId: user.id } });
    const ledger = await t.db.walletTransaction.aggregate({
      where: { userId: user.id },
      _sum: { amount: true },
      _count: true,
    });
    return { results, balance: wallet.balance, ledgerSum: ledger._sum.amount ?? 0, entries: ledger._count };
  } finally {
    await Promise.all(apps.map(stopAppProcess));
  }
}

describe.each(MONEY_MODES.filter((m) => m.strategy !== 'in-process-lock'))(
  'two instances with $name',
  (mode) => {
    it('keep the balance equal to the ledger, every charge applied once', async () => {
      const race = await raceOnOneWallet(mode, 120);
      expect(race.results.filter((r) => r !== 'OK')).toEqual([]);
      expect(race.balance).toBe(12_000);
      expect(race.ledgerSum).toBe(12_000);
      expect(race.entries).toBe(120);
    }, 120_000);
  },
);

describe.each(MONEY_MODES.filter((m) => m.strategy === 'atomic'))('two instances with $name', (mode) => {
  it('apply a charge sent to both at once exactly once, and answer both', async () => {
    const race = await raceOnOneWallet(mode, 60, 2);
    expect(race.results.filter((r) => r !== 'OK')).toEqual([]);
    expect(race.balance).toBe(6_000);
    expect(race.ledgerSum).toBe(6_000);
    expect(race.entries).toBe(60);
  }, 120_000);
});

describe('two instances with the in-process lock (the seed’s synchronized)', () => {
  it('lose updates: each process locks only itself out', async () => {
    const race = await raceOnOneWallet(
      { name: 'in-process-lock', strategy: 'in-process-lock', groupCommit: true },
      160,
    );
    expect(race.entries).toBe(160); // every charge was recorded in the ledger...
    expect(race.ledgerSum).toBe(16_000);
    expect(race.balance).toBeLessThan(16_000); // ...but the balance lost some of them
  }, 120_000);
});
