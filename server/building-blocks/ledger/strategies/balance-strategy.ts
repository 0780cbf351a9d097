import type { Tx } from '../../db/client';

/**
 * How a balance change is kept consistent under concurrency (BALANCE_STRATEGY). The seed teaches
 * several; they all sit behind this one interface and pass the same concurrency tests:
 *
 * - `atomic` (default): one conditional UPDATE (`balance = balance + $delta WHERE ... BETWEEN 0 AND
 *   100000`): no read in JavaScript, the database serialises writers on the row;
 * - `for-update`: pessimistic, `SELECT ... FOR UPDATE`, then write the computed balance;
 * - `optimistic`: read the balance and its version, write only if the version is unchanged, retry;
 * - `redis-lock`: a Redis lock (REDIS_URL) per wallet around the whole transaction, with fenced writes;
 * - `in-process-lock`: the seed's `synchronized`: a lock in this process's memory around the whole
 *   transaction, then read-modify-write. Correct in one process, wrong as soon as there are two,
 *   which is what the multi-instance test shows. Never use it in production.
 */
export interface BalanceStrategy {
  readonly name: BalanceStrategyName;
  /**
   * Whether a whole idempotent change (claim, balance move, ledger row, outcome) can run as one SQL
   * statement. Only `atomic` can: the others need the application between reading and writing.
   */
  readonly singleStatement: boolean;
  /** Moves the balance by `delta` inside `tx`; the new balance, or null when it would leave 0..100,000. */
  apply(tx: Tx, walletId: string, delta: number): Promise<number | null>;
  /** Runs a whole money transaction on one wallet, inside whatever lock the strategy needs. */
  around<T>(walletId: string, work: () => Promise<T>): Promise<T>;
}

export const BALANCE_STRATEGY_NAMES = [
  'atomic',
  'for-update',
  'optimistic',
  'redis-lock',
  'in-process-lock',
] as const;
export type BalanceStrategyName = (typeof BALANCE_STRATEGY_NAMES)[number];
