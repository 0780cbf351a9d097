import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { insertServiceKey, recordNonce } from './service-key.repository';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const newKey = (keyId: string) =>
  insertServiceKey(t.db, { keyId, name: 'nonce sweep', scopes: ['orders:read'], sealedSecret: 'sealed' });

describe('recordNonce', () => {
  it('sweeps nonces older than 600 s, of every key, and keeps the recent ones, which stay refused', async () => {
    const a = await newKey('pk_SWEEPaaaaaaaaaaaaaaaaaaa');
    const b = await newKey('pk_SWEEPbbbbbbbbbbbbbbbbbbb');
    const secondsAgo = (s: number) => new Date(Date.now() - s * 1000);
    await t.db.serviceRequestNonce.createMany({
      data: [
        { serviceKeyId: a.id, nonce: 'old-a-3600', seenAt: secondsAgo(3600) },
        { serviceKeyId: a.id, nonce: 'old-a-610', seenAt: secondsAgo(610) },
        { serviceKeyId: b.id, nonce: 'old-b-610', seenAt: secondsAgo(610) },
        { serviceKeyId: a.id, nonce: 'recent-a-590', seenAt: secondsAgo(590) },
        { serviceKeyId: b.id, nonce: 'recent-b-300', seenAt: secondsAgo(300) },
        { serviceKeyId: b.id, nonce: 'recent-b-0', seenAt: secondsAgo(0) },
      ],
    });

    expect(await recordNonce(t.db, a.id, 'new-a')).toBe(true);
    const kept = await t.db.serviceRequestNonce.findMany({
      select: { nonce: true },
      orderBy: { nonce: 'asc' },
    });
    expect(kept.map((n) => n.nonce)).toEqual(['new-a', 'recent-a-590', 'recent-b-0', 'recent-b-300']);

    // A kept nonce is still refused; a swept one is forgotten (its timestamp could not verify anyway).
    expect(await recordNonce(t.db, a.id, 'recent-a-590')).toBe(false);
    expect(await recordNonce(t.db, b.id, 'recent-b-300')).toBe(false);
    expect(await recordNonce(t.db, a.id, 'new-a')).toBe(false);
    expect(await recordNonce(t.db, a.id, 'old-a-610')).toBe(true);
  });
});
