import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { type Db, driverPool } from '../db/client';
import { DomainError } from '../errors/domain-error';

/**
 * Sign-in and sign-up limits, counted in PostgreSQL (the `auth_rate_limit` table, through
 * rate-limiter-flexible's store on the app's own pool) so that every instance sees the same counts.
 * Each key counts in a fixed 15-minute window that starts with its first attempt.
 *
 * - Per account (the email, known or not, so a lock reveals nothing): every sign-in attempt is counted
 *   before the password is checked, so parallel guesses cannot slip past the limit; a successful
 *   sign-in clears the count. Past the limit the account is refused, even with the right password,
 *   until its window ends.
 * - Per client address: every sign-in and sign-up attempt, successful or not.
 */

export const ATTEMPT_WINDOW_SECONDS = 15 * 60;
export const DEFAULT_LIMITS = { perAccount: 10, perAddress: 100 } as const;

export interface AttemptLimits {
  /** Sign-in attempts per account (email) per window, not counting those that succeeded. */
  perAccount: number;
  /** Sign-in and sign-up attempts per client address per window. */
  perAddress: number;
}

const TABLE = 'auth_rate_limit';
type Kind = 'account' | 'address';

// One limiter per pool, kind and limit: each keeps a timer that deletes long-expired rows.
const limiters = new WeakMap<pg.Pool, Map<string, RateLimiterPostgres>>();

function limiter(db: Db, kind: Kind, points: number): RateLimiterPostgres {
  const pool = driverPool(db);
  let ofPool = limiters.get(pool);
  if (!ofPool) {
    ofPool = new Map();
    limiters.set(pool, ofPool);
  }
  const id = `${kind}/${points}`;
  let found = ofPool.get(id);
  if (!found) {
    found = new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: TABLE,
      tableCreated: true, // by the migration 20261201030000_auth_rate_limits
      keyPrefix: kind,
      points,
      duration: ATTEMPT_WINDOW_SECONDS,
    });
    ofPool.set(id, found);
  }
  return found;
}

async function count(db: Db, kind: Kind, points: number, key: string): Promise<void> {
  try {
    await limiter(db, kind, points).consume(key);
  } catch (error) {
    // The library rejects with a RateLimiterRes when the key is over its limit, with an Error otherwise.
    if (!(error instanceof RateLimiterRes)) throw error;
    const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    throw new DomainError(
      'TOO_MANY_ATTEMPTS',
      `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { retryAfterSeconds },
    );
  }
}

/** Emails go in as a hash: the table keeps no address book, and any email fits the 255-character key. */
function accountKey(email: string): string {
  return createHash('sha256').update(email).digest('base64url');
}

/**
 * What one address limit counts: an IPv4 address, or an IPv6 address's /64 (one subscriber's usual
 * allocation, so walking through it gains nothing). IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is IPv4.
 */
export function addressKey(address: string): string {
  const bare = address.split('%')[0]?.toLowerCase() ?? '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  if (mapped) return mapped;
  if (isIP(bare) !== 6) return bare;
  const [head = '', tail] = bare.split('::');
  const groups = head ? head.split(':') : [];
  if (tail !== undefined) {
    const tailGroups = tail ? tail.split(':') : [];
    const tailLength = tailGroups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
    groups.push(...Array<string>(8 - groups.length - tailLength).fill('0'), ...tailGroups);
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Counts a sign-in or sign-up attempt from this address; TOO_MANY_ATTEMPTS past the limit. */
export async function countAddressAttempt(
  db: Db,
  limits: AttemptLimits,
  clientAddress: string | null,
): Promise<void> {
  if (clientAddress) await count(db, 'address', limits.perAddress, addressKey(clientAddress));
}

/** Counts a sign-in attempt on this account; TOO_MANY_ATTEMPTS past the limit. */
export async function countAccountAttempt(db: Db, limits: AttemptLimits, email: string): Promise<void> {
  await count(db, 'account', limits.perAccount, accountKey(email));
}

/** After a successful sign-in: the account's earlier failures no longer count. */
export async function clearAccountAttempts(db: Db, limits: AttemptLimits, email: string): Promise<void> {
  await limiter(db, 'account', limits.perAccount).delete(accountKey(email));
}
