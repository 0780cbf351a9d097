import type { Db } from '../db/client';
import { type BalanceChangeOnce, type BalanceChangeOnceRow, changeBalancesOnce } from './wallet.repository';

/**
 * Group commit for one-statement balance changes (the `atomic` strategy; GROUP_COMMIT, on by default).
 *
 * PostgreSQL commits one transaction at a time per row: on one hot wallet, one change per commit is the
 * ceiling. So changes that arrive while others are being written wait here and go to the database
 * together, as one `wallet_change_many` statement: one round trip, one transaction, one commit for all.
 * Each change is still checked on its own against the balance the ones before it left, has its own
 * idempotency outcome, and its caller is answered only once the batch has committed.
 *
 * There is no timer. A change that finds fewer than `maxInFlight` batches on their way goes at once, so
 * with one request in flight nothing waits. Only when `maxInFlight` batches are already at the database
 * do new changes gather, up to `maxBatch`, and leave as soon as one batch comes back: the busier the
 * database, the larger the batches.
 *
 * A database error (not a refusal: those are outcomes) fails the batch's statement, and with it nothing
 * of the batch is written. Each of its changes is then sent again alone, so one change's trouble is only
 * its own caller's.
 */

export interface GroupCommitSettings {
  /** Off: every change is its own statement and transaction. */
  enabled: boolean;
  /** Batches at the database at once from this process. */
  maxInFlight: number;
  /** Changes in one batch at most. */
  maxBatch: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitSettings = { enabled: true, maxInFlight: 2, maxBatch: 100 };

let settings: GroupCommitSettings | undefined;

/** The configured settings (GROUP_COMMIT, validated by server/building-blocks/env.ts). */
export function groupCommitSettings(): GroupCommitSettings {
  settings ??= { ...DEFAULT_GROUP_COMMIT, enabled: process.env.GROUP_COMMIT !== 'off' };
  return settings;
}

/** For the tests and the benchmark that run one suite with group commit on and off. */
export function useGroupCommit(chosen: Partial<GroupCommitSettings>): void {
  settings = { ...groupCommitSettings(), ...chosen };
}

type Answer = BalanceChangeOnceRow | null;

interface Waiting {
  change: BalanceChangeOnce;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

/** The changes of one process (one pool) waiting for, or on their way to, the database. */
class ChangeQueue {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  submit(change: BalanceChangeOnce): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ change, resolve, reject });
      this.sendWhatMayGo();
    });
  }

  private sendWhatMayGo(): void {
    const { maxInFlight, maxBatch } = groupCommitSettings();
    while (this.inFlight < maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, maxBatch);
      this.inFlight += 1;
      void this.send(batch).finally(() => {
        this.inFlight -= 1;
        this.sendWhatMayGo();
      });
    }
  }

  private async send(batch: Waiting[]): Promise<void> {
    try {
      const answers = await changeBalancesOnce(
        this.db,
        batch.map((w) => w.change),
      );
      batch.forEach((w, i) => {
        w.resolve(answers[i] ?? null);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      await Promise.all(
        batch.map((w) =>
          changeBalancesOnce(this.db, [w.change]).then(([answer]) => w.resolve(answer ?? null), w.reject),
        ),
      );
    }
  }
}

const queues = new WeakMap<Db, ChangeQueue>();

/**
 * Applies one signed-in learner's balance change, with others that arrive meanwhile when group commit is
 * on: the key's outcome, or null when the session was not live (nothing was claimed or changed).
 */
export async function changeBalanceOnce(db: Db, change: BalanceChangeOnce): Promise<Answer> {
  if (!groupCommitSettings().enabled) {
    const [answer] = await changeBalancesOnce(db, [change]);
    return answer ?? null;
  }
  let queue = queues.get(db);
  if (!queue) {
    queue = new ChangeQueue(db);
    queues.set(db, queue);
  }
  return queue.submit(change);
}
