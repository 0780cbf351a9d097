import { randomUUID } from 'node:crypto';
import { TRPCClientError } from '@trpc/client';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driverPool } from '../../building-blocks/db/client';
import { type BalanceStrategyName, useBalanceStrategy } from '../../building-blocks/ledger/strategies';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, uniqueEmail } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createPaymentClient, errorReason } from './client';

/**
 * wallet.charge and wallet.pay check the learner's session inside the statement that moves the money
 * (the atomic strategy) or first in its transaction (the others), not in a query before it: one round
 * trip per request, and a session that has ended never moves money, records no key, and leaves the same
 * request free to succeed once the learner signs in again.
 */

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
});
afterEach(() => useBalanceStrategy('atomic'));
afterAll(async () => {
  await server.close();
  await t.drop();
});

const PASSWORD = 'password-1234';

async function signUp() {
  const email = uniqueEmail('session');
  const { token, user } = await createPaymentClient({ baseUrl: server.baseUrl }).auth.signUp.mutate({
    email,
    password: PASSWORD,
    name: 'session',
  });
  return { email, token, user, client: createPaymentClient({ baseUrl: server.baseUrl, token }) };
}

async function signIn(email: string) {
  const { token } = await createPaymentClient({ baseUrl: server.baseUrl }).auth.signIn.mutate({
    email,
    password: PASSWORD,
  });
  return createPaymentClient({ baseUrl: server.baseUrl, token });
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError)
      return { status: error.data?.httpStatus, reason: errorReason(error) };
    throw error;
  }
  throw new Error('expected a refusal');
}

async function keysOf(userId: string) {
  const { rows } = await driverPool(t.db).query<{ request_id: string }>(
    'SELECT request_id FROM idempotency_key WHERE user_id = $1 ORDER BY request_id',
    [userId],
  );
  return rows.map((r) => r.request_id);
}

describe.each<BalanceStrategyName>(['atomic', 'for-update'])('BALANCE_STRATEGY=%s', (strategy) => {
  it('a signed-out token moves no money and claims no key; signed in again, the same requests go through', async () => {
    useBalanceStrategy(strategy);
    const me = await signUp();
    const course = await createCourse(t.db, 3_000);
    const first = randomUUID();
    await me.client.wallet.charge.mutate({ amount: 10_000, requestId: first });
    await me.client.auth.signOut.mutate();

    const charge = { amount: 5_000, requestId: randomUUID() };
    const pay = { courseId: course.id, requestId: randomUUID() };
    expect(await refusal(me.client.wallet.charge.mutate(charge))).toEqual({
      status: 401,
      reason: 'UNAUTHORIZED',
    });
    expect(await refusal(me.client.wallet.pay.mutate(pay))).toEqual({ status: 401, reason: 'UNAUTHORIZED' });
    // A replay of a request that went through is refused too: an ended session reads nothing.
    expect(await refusal(me.client.wallet.charge.mutate({ amount: 10_000, requestId: first }))).toEqual({
      status: 401,
      reason: 'UNAUTHORIZED',
    });
    expect(await keysOf(me.user.id)).toEqual([first]);

    const again = await signIn(me.email);
    expect((await again.wallet.get.query()).balance).toBe(10_000);
    expect((await again.wallet.charge.mutate(charge)).balance).toBe(15_000);
    expect((await again.wallet.pay.mutate(pay)).balance).toBe(12_000);
    expect((await again.wallet.get.query()).balance).toBe(12_000);
  });

  it('an expired session moves no money', async () => {
    useBalanceStrategy(strategy);
    const me = await signUp();
    await driverPool(t.db).query(
      `UPDATE session SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [me.user.id],
    );
    const course = await createCourse(t.db, 1_000);
    expect(await refusal(me.client.wallet.charge.mutate({ amount: 5_000, requestId: randomUUID() }))).toEqual(
      {
        status: 401,
        reason: 'UNAUTHORIZED',
      },
    );
    expect(
      await refusal(me.client.wallet.pay.mutate({ courseId: course.id, requestId: randomUUID() })),
    ).toEqual({
      status: 401,
      reason: 'UNAUTHORIZED',
    });
    expect(await keysOf(me.user.id)).toEqual([]);
    const { rows } = await driverPool(t.db).query('SELECT 1 FROM wallet_transaction WHERE user_id = $1', [
      me.user.id,
    ]);
    expect(rows).toEqual([]);
  });

  it('charges racing a sign-out: every charge answered OK is in the books, no other is', async () => {
    useBalanceStrategy(strategy);
    const me = await signUp();
    const charges = Array.from({ length: 40 }, () =>
      me.client.wallet.charge.mutate({ amount: 100, requestId: randomUUID() }),
    );
    const signedOut = me.client.auth.signOut.mutate();
    const results = await Promise.allSettled(charges);
    await signedOut;
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused) {
      expect(r.status === 'rejected' && errorReason(r.reason)).toBe('UNAUTHORIZED');
    }
    const again = await signIn(me.email);
    expect((await again.wallet.get.query()).balance).toBe(ok * 100);
    expect((await keysOf(me.user.id)).length).toBe(ok);
  });
});

describe('the session cookie', () => {
  it('is cleared when a charge finds its session ended', async () => {
    const me = await signUp();
    const cookie = `session=${me.token}`;
    await me.client.auth.signOut.mutate();
    const response = await fetch(`${server.baseUrl}/api/trpc/wallet.charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ json: { amount: 1_000, requestId: randomUUID() } }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toMatch(/session=;.*Expires=Thu, 01 Jan 1970/);
  });
});

describe('round trips to the database', () => {
  /** Queries sent on any connection of this process while `work` runs. */
  async function queriesDuring(work: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const [first] = args;
      sent.push(typeof first === 'string' ? first : String((first as { text?: string })?.text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await work();
    } finally {
      pg.Client.prototype.query = query;
    }
    return sent;
  }

  it('is one per charge and one per purchase under the atomic strategy', async () => {
    const me = await signUp();
    const course = await createCourse(t.db, 2_000);
    await me.client.wallet.get.query(); // the client's first request, out of the count
    const charge = await queriesDuring(() =>
      me.client.wallet.charge.mutate({ amount: 5_000, requestId: randomUUID() }),
    );
    expect(charge).toHaveLength(1);
    expect(charge[0]).toMatch(/wallet_change_many/);
    const pay = await queriesDuring(() =>
      me.client.wallet.pay.mutate({ courseId: course.id, requestId: randomUUID() }),
    );
    expect(pay).toHaveLength(1);
    expect(pay[0]).toMatch(/wallet_pay_many/);
    // A procedure that reads the session the usual way makes two: the session, then what it reads.
    const get = await queriesDuring(() => me.client.wallet.get.query());
    expect(get.length).toBeGreaterThanOrEqual(2);
  });
});
