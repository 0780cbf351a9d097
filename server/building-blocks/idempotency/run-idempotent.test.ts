import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller } from '../../test/fixtures';
import { DomainError } from '../errors/domain-error';
import { requestHash } from './request-hash';
import { type EffectOutcome, judgeEarlierClaim, runIdempotent } from './run-idempotent';

/**
 * runIdempotent against a real database, with effects that only count their calls: what a key
 * records (success, refusal, or nothing when the effect failed), what a retry gets back, and which
 * earlier claims it refuses. Added where mutation testing showed these paths unchecked on their own.
 */

let t: TestDatabase;
let userId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await signedInCaller(t.db, 'idem')).user.id;
});
afterAll(async () => {
  await t.drop();
});

function counted<T>(outcome: () => EffectOutcome<T>) {
  const calls = { effect: 0, replay: [] as string[] };
  return {
    calls,
    effect: async () => {
      calls.effect += 1;
      return outcome();
    },
    replay: async (_tx: unknown, transactionId: string) => {
      calls.replay.push(transactionId);
      return `replayed ${transactionId}` as unknown as T;
    },
  };
}

const request = (
  requestId: string,
  payload: Record<string, number | string | undefined> = { amount: 1 },
) => ({
  userId,
  requestId,
  operation: 'test.op',
  payload,
});

async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof DomainError) return error.reason;
    throw error;
  }
}

describe('runIdempotent', () => {
  it('runs the effect once; the same request again gets the first transaction replayed', async () => {
    const requestId = randomUUID();
    const transactionId = randomUUID();
    const run = counted(() => ({ ok: true, transactionId, value: 'first' }));
    expect(await runIdempotent(t.db, request(requestId), run.effect, run.replay)).toBe('first');
    expect(await runIdempotent(t.db, request(requestId), run.effect, run.replay)).toBe(
      `replayed ${transactionId}`,
    );
    expect(run.calls).toEqual({ effect: 1, replay: [transactionId] });
    const key = await t.db.idempotencyKey.findUniqueOrThrow({
      where: { userId_requestId: { userId, requestId } },
    });
    expect(key).toMatchObject({ outcome: 'SUCCEEDED', transactionId, refusalReason: null });
  });

  it('keeps a refusal: the same request is refused the same way without running the effect again', async () => {
    const requestId = randomUUID();
    const run = counted<string>(() => ({ ok: false, reason: 'INSUFFICIENT_BALANCE' }));
    expect(await refusalOf(runIdempotent(t.db, request(requestId), run.effect, run.replay))).toBe(
      'INSUFFICIENT_BALANCE',
    );
    const later = counted(() => ({ ok: true, transactionId: randomUUID(), value: 'would succeed now' }));
    expect(await refusalOf(runIdempotent(t.db, request(requestId), later.effect, later.replay))).toBe(
      'INSUFFICIENT_BALANCE',
    );
    expect(run.calls.effect + later.calls.effect).toBe(1);
    const key = await t.db.idempotencyKey.findUniqueOrThrow({
      where: { userId_requestId: { userId, requestId } },
    });
    expect(key).toMatchObject({
      outcome: 'REFUSED',
      refusalReason: 'INSUFFICIENT_BALANCE',
      transactionId: null,
    });
  });

  it('refuses the same requestId for another payload or operation as IDEMPOTENCY_KEY_REUSED', async () => {
    const requestId = randomUUID();
    const run = counted(() => ({ ok: true, transactionId: randomUUID(), value: 'first' }));
    await runIdempotent(t.db, request(requestId, { amount: 1 }), run.effect, run.replay);
    expect(
      await refusalOf(runIdempotent(t.db, request(requestId, { amount: 2 }), run.effect, run.replay)),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(
      await refusalOf(
        runIdempotent(t.db, { ...request(requestId), operation: 'other.op' }, run.effect, run.replay),
      ),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(run.calls).toEqual({ effect: 1, replay: [] });
  });

  it('an effect that fails (not a refusal) leaves the key unclaimed: a retry runs it afresh', async () => {
    const requestId = randomUUID();
    const failing = counted<string>(() => {
      throw new Error('database trouble');
    });
    await expect(runIdempotent(t.db, request(requestId), failing.effect, failing.replay)).rejects.toThrow(
      'database trouble',
    );
    expect(await t.db.idempotencyKey.count({ where: { userId, requestId } })).toBe(0);
    const retry = counted(() => ({ ok: true, transactionId: randomUUID(), value: 'done' }));
    expect(await runIdempotent(t.db, request(requestId), retry.effect, retry.replay)).toBe('done');
    expect(retry.calls.effect).toBe(1);
  });

  it('scopes keys to their user', async () => {
    const other = (await signedInCaller(t.db, 'idem-other')).user.id;
    const requestId = randomUUID();
    const mine = counted(() => ({ ok: true, transactionId: randomUUID(), value: 'mine' }));
    const theirs = counted(() => ({ ok: true, transactionId: randomUUID(), value: 'theirs' }));
    expect(await runIdempotent(t.db, request(requestId), mine.effect, mine.replay)).toBe('mine');
    expect(
      await runIdempotent(t.db, { ...request(requestId), userId: other }, theirs.effect, theirs.replay),
    ).toBe('theirs');
  });
});

describe('judgeEarlierClaim', () => {
  const hash = requestHash('op', { amount: 1 });
  it('replays a success and a refusal of the same request, refuses another request', () => {
    const transactionId = randomUUID();
    const claim = { requestHash: hash, transactionId: null, refusalReason: null };
    expect(judgeEarlierClaim({ ...claim, outcome: 'SUCCEEDED', transactionId }, hash)).toEqual({
      ok: true,
      transactionId,
    });
    expect(
      judgeEarlierClaim({ ...claim, outcome: 'REFUSED', refusalReason: 'BALANCE_LIMIT_EXCEEDED' }, hash),
    ).toEqual({ ok: false, reason: 'BALANCE_LIMIT_EXCEEDED' });
    expect(judgeEarlierClaim({ ...claim, outcome: 'SUCCEEDED', transactionId }, 'another hash')).toEqual({
      ok: false,
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('never answers from a claim that is inconsistent (no outcome, a success without its entry, an unknown refusal)', () => {
    const claim = { requestHash: hash, transactionId: null, refusalReason: null };
    expect(() => judgeEarlierClaim({ ...claim, outcome: null }, hash)).toThrow(/without outcome/);
    expect(() => judgeEarlierClaim({ ...claim, outcome: 'SUCCEEDED' }, hash)).toThrow(/SUCCEEDED/);
    expect(() => judgeEarlierClaim({ ...claim, outcome: 'REFUSED' }, hash)).toThrow(/REFUSED/);
    // Each part of the verdict is checked on its own: a refusal is answered as a refusal even when the
    // claim also names an entry, and a success without its entry is never answered from a stray reason.
    expect(
      judgeEarlierClaim(
        { ...claim, outcome: 'REFUSED', transactionId: randomUUID(), refusalReason: 'INSUFFICIENT_BALANCE' },
        hash,
      ),
    ).toEqual({ ok: false, reason: 'INSUFFICIENT_BALANCE' });
    expect(() =>
      judgeEarlierClaim({ ...claim, outcome: 'SUCCEEDED', refusalReason: 'INSUFFICIENT_BALANCE' }, hash),
    ).toThrow(/SUCCEEDED/);
    expect(() =>
      judgeEarlierClaim({ ...claim, outcome: null, refusalReason: 'INSUFFICIENT_BALANCE' }, hash),
    ).toThrow(/without outcome/);
    expect(() =>
      judgeEarlierClaim({ ...claim, outcome: 'REFUSED', refusalReason: 'NO_SUCH_REASON' }, hash),
    ).toThrow(/REFUSED/);
  });
});

describe('requestHash', () => {
  it('stays the same from one release to the next: fingerprints stored by earlier releases must still match', () => {
    // A retry after a deploy is compared with the fingerprint its first call stored. Any change to
    // how fingerprints are computed turns such retries into IDEMPOTENCY_KEY_REUSED.
    expect(requestHash('wallet.charge', { amount: 1000 })).toBe(
      '5296845eb1b414aeb7dad2c2d943ec5fa8e7729379b7d3ef8c18cb43ef975510',
    );
    expect(
      requestHash('payment.cancel', { reason: 'x', requestedBy: 'u-1', amount: 3000, orderId: '01JABCDEF' }),
    ).toBe('e0f4803fe715d9d4136c1ed0f4b567ffc2ac9cbb1d7a1429147b5587d3baf829');
  });

  it('ignores fields left undefined, but not fields set to null', () => {
    expect(requestHash('op', { amount: 1, reason: undefined })).toBe(requestHash('op', { amount: 1 }));
    expect(requestHash('op', { amount: 1, reason: null })).not.toBe(requestHash('op', { amount: 1 }));
  });
});
