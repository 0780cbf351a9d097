import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceStrategyName } from '../../building-blocks/ledger/strategies';
import { createPaymentClient, errorReason } from '../../entry-points/trpc/client';
import { type AppProcess, startAppProcess, stopAppProcess } from '../../test/app-process';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { uniqueEmail } from '../../test/fixtures';

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

async function raceOnOneWallet(strategy: BalanceStrategyName, charges: number) {
  const apps: AppProcess[] = await Promise.all([
    startAppProcess(t.url, { BALANCE_STRATEGY: strategy, REDIS_URL: redisUrl }),
    startAppProcess(t.url, { BALANCE_STRATEGY: strategy, REDIS_URL: redisUrl }),
  ]);
  try {
    const first = apps[0] as AppProcess;
    const { token, user } = await createPaymentClient({ baseUrl: first.url }).auth.signUp.mutate({
      email: uniqueEmail(strategy),
      password: 'password-1234',
      name: strategy,
    });
    const clients = apps.map((app) => createPaymentClient({ baseUrl: app.url, token }));
    const results = await Promise.all(
      Array.from({ length: charges }, (_, i) =>
        (clients[i % 2] ?? clients[0])?.wallet.charge
          .mutate({ amount: 100, requestId: randomUUID() })
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

describe.each(['atomic', 'for-update', 'optimistic', 'redis-lock'] as const)(
  'two instances with BALANCE_STRATEGY=%s',
  (strategy) => {
    it('keep the balance equal to the ledger, every charge applied once', async () => {
      const race = await raceOnOneWallet(strategy, 120);
      expect(race.results.filter((r) => r !== 'OK')).toEqual([]);
      expect(race.balance).toBe(12_000);
      expect(race.ledgerSum).toBe(12_000);
      expect(race.entries).toBe(120);
    }, 120_000);
  },
);

describe('two instances with the in-process lock (the seed’s synchronized)', () => {
  it('lose updates: each process locks only itself out', async () => {
    const race = await raceOnOneWallet('in-process-lock', 160);
    expect(race.entries).toBe(160); // every charge was recorded in the ledger...
    expect(race.ledgerSum).toBe(16_000);
    expect(race.balance).toBeLessThan(16_000); // ...but the balance lost some of them
  }, 120_000);
});
