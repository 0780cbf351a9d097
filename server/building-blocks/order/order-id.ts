import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * ulid's random characters, from the operating system's CSPRNG as ulid's own default, but drawn from a
 * pooled buffer: the default asks crypto.getRandomValues for one byte per character (16 calls per id),
 * which the benchmark's profile of wallet.pay showed at about 2.5% of the app's CPU. A byte / 256 maps
 * evenly onto ulid's 32 characters.
 */
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let used = 0;

function pooledRandom(): number {
  if (used === POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  return (pool[used++] as number) / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/**
 * A new orderId: a ULID (26 characters of [0-9A-Z]), so ids sort by creation time, need no
 * coordination between app instances, and fit Toss's orderId rule (6-64 of [A-Za-z0-9_-]).
 */
export function newOrderId(): string {
  return nextUlid();
}
