import { AsyncLocalStorage } from 'node:async_hooks';
import { Redlock } from '@sesamecare-oss/redlock';
import { Redis } from 'ioredis';
import { canApply } from '../balance-rules';
import type { BalanceStrategy } from './balance-strategy';

/**
 * The seed's distributed lock: a Redis lock per wallet (Redlock, with a TTL and owner-checked release)
 * held around the whole money transaction, wider than the database transaction, as the seed says.
 *
 * A lock can expire while its holder is still working (a long GC pause, a slow query). So every write
 * is fenced: each holder takes a fencing token (INCR, strictly increasing) and writes only if the
 * wallet still carries the fence it read (`WHERE fence = $read AND $read < $token`). A holder whose
 * lock expired and was taken over finds the fence moved, re-reads and applies its change to the
 * current balance instead of overwriting it: the balance can never be corrupted. Writes outside a
 * lock (card credits, refunds) take a token the same way.
 */

const LOCK_TTL_MS = 5_000;
const MAX_ATTEMPTS = 100;

interface Held {
  walletId: string;
  token: bigint;
}

const held = new AsyncLocalStorage<Held>();
let clients: { redis: Redis; redlock: Redlock } | undefined;

function connect() {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error('BALANCE_STRATEGY=redis-lock needs REDIS_URL (for example redis://127.0.0.1:6379).');
  }
  if (!clients) {
    const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
    const redlock = new Redlock([redis], { retryCount: 400, retryDelay: 25, retryJitter: 25 });
    clients = { redis, redlock };
  }
  return clients;
}

async function nextToken(redis: Redis, walletId: string): Promise<bigint> {
  return BigInt(await redis.incr(`fence:wallet:${walletId}`));
}

export const redisLockStrategy: BalanceStrategy = {
  name: 'redis-lock',
  singleStatement: false,
  async around(walletId, work) {
    const { redis, redlock } = connect();
    const ttl = Number(process.env.REDIS_LOCK_TTL_MS ?? LOCK_TTL_MS);
    const lock = await redlock.acquire([`lock:wallet:${walletId}`], ttl);
    try {
      const token = await nextToken(redis, walletId);
      return await held.run({ walletId, token }, work);
    } finally {
      await lock.release().catch(() => {}); // owner-checked: only releases if still ours
    }
  },
  async apply(tx, walletId, delta) {
    const { redis } = connect();
    const inLock = held.getStore();
    let token = inLock?.walletId === walletId ? inLock.token : await nextToken(redis, walletId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const rows = await tx.$queryRaw<{ balance: number; held: number; fence: bigint; version: number }[]>`
        SELECT balance, held, fence, version FROM wallet WHERE id = ${walletId}::uuid`;
      const current = rows[0];
      if (!current || !canApply(current.balance, delta, current.held)) return null;
      if (current.fence >= token) token = await nextToken(redis, walletId); // a newer holder wrote
      const written = await tx.$executeRaw`
        UPDATE wallet SET balance = ${current.balance + delta}, fence = ${token}, version = version + 1,
               updated_at = now()
         WHERE id = ${walletId}::uuid AND fence = ${current.fence}
           AND version = ${current.version}`; // a hold placed or taken since the read: read again
      if (written === 1) return current.balance + delta;
    }
    throw new Error(`fenced balance update of wallet ${walletId} kept conflicting`);
  },
};

/** Closes the Redis connection (tests, shutdown). */
export async function disconnectRedis(): Promise<void> {
  await clients?.redis.quit().catch(() => {});
  clients = undefined;
}
