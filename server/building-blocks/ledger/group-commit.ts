import type { Db } from '../db/client';
import { DomainError } from '../errors/domain-error';
import {
  type BalanceChangeOnce,
  type BalanceChangeOnceRow,
  type CoursePurchaseOnce,
  type CoursePurchaseOnceRow,
  walletChangeMany,
  walletPayMany,
} from './wallet.repository';

/**
 * Group commit for one-statement balance changes and purchases (the `atomic` strategy; GROUP_COMMIT, on
 * by default).
 *
 * PostgreSQL commits one transaction at a time per row: on one hot wallet, one change per commit is the
 * ceiling. So changes that arrive while others are being written wait here and go to the database
 * together, as one `wallet_change_many` statement: one round trip, one transaction, one commit for all.
 * Each change is still checked on its own against the balance the ones before it left, has its own
 * idempotency outcome, and its caller is answered only once the batch has committed. Purchases do the
 * same in their own queue, as one `wallet_pay_many` statement.
 *
 * A change that finds no batch on its way goes at once, so with one request in flight nothing waits.
 * Otherwise it gathers with the others that arrive, up to `maxBatch`, and they leave together as soon as
 * the batch out comes back: the busier the database, the larger the batches. One batch at a time gives
 * the fewest commits and the most work per commit, so the most requests per second from a small machine
 * (see the README's "Group commit"). Only a batch that has been out for `slowBatchMs` (most likely
 * waiting on a lock: a refund or a hold on one of its wallets, another instance's batch) lets another go
 * beside it, up to `maxInFlight`, so one stuck wallet never holds up every change of the instance.
 *
 * A database error (not a refusal: those are outcomes) fails the batch's statement, and with it nothing
 * of the batch is written. Each of its changes then goes again alone, through the same queue (so the
 * retries never take more connections than batches do), and one change's trouble is only its own
 * caller's. A statement that has not answered in STATEMENT_TIMEOUT_MS fails like an error (if it did
 * commit meanwhile, the retry replays its outcome from the keys). Past MAX_WAITING changes waiting, a new
 * one is refused at once (BALANCE_BUSY, nothing sent) rather than queued without bound.
 */

export interface GroupCommitSettings {
  /** Off: every change and purchase is its own statement and transaction. */
  enabled: boolean;
  /** Batches of each kind (changes, purchases) at the database at once from this process, at most. */
  maxInFlight: number;
  /** How long a batch is out before another may join it at the database (see above). */
  slowBatchMs: number;
  /** Items (changes, or purchases) in one batch at most. */
  maxBatch: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitSettings = {
  enabled: true,
  maxInFlight: 2,
  slowBatchMs: 50,
  maxBatch: 100,
};

/** Longer than the statement's own lock_timeout (20 s), so a lock wait fails as itself first. */
const STATEMENT_TIMEOUT_MS = 30_000;
const MAX_WAITING = 5_000;

let settings: GroupCommitSettings | undefined;

/** The configured settings (GROUP_COMMIT and GROUP_COMMIT_IN_FLIGHT, validated by server/building-blocks/env.ts). */
export function groupCommitSettings(): GroupCommitSettings {
  settings ??= {
    ...DEFAULT_GROUP_COMMIT,
    enabled: process.env.GROUP_COMMIT !== 'off',
    // Validated at start-up (env.ts); a script that skipped that still never gets fewer than one.
    maxInFlight: Math.max(1, Number(process.env.GROUP_COMMIT_IN_FLIGHT) || DEFAULT_GROUP_COMMIT.maxInFlight),
  };
  return settings;
}

/** For the tests and the benchmark that run one suite with group commit on and off. */
export function useGroupCommit(chosen: Partial<GroupCommitSettings>): void {
  settings = { ...groupCommitSettings(), ...chosen };
}

/** A batch statement: one answer per item, in the order given (null: the item's session was not live). */
type Statement<Item, Row> = (db: Db, items: readonly Item[], timeoutMs?: number) => Promise<(Row | null)[]>;

interface Waiting<Item, Row> {
  item: Item;
  /** Goes alone: its batch failed. */
  alone: boolean;
  resolve: (answer: Row | null) => void;
  reject: (error: unknown) => void;
}

/** The items of one kind of one process (one pool) waiting for, or on their way to, the database. */
class StatementQueue<Item, Row> {
  private waiting: Waiting<Item, Row>[] = [];
  /** When each batch still at the database left (performance.now()), oldest first. */
  private out: number[] = [];
  /** Looks again when the youngest batch out becomes slow (at `slowCheckAt`, a performance.now() time). */
  private slowCheck: ReturnType<typeof setTimeout> | undefined;
  private slowCheckAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly db: Db,
    private readonly statement: Statement<Item, Row>,
  ) {}

  submit(item: Item): Promise<Row | null> {
    if (this.waiting.length >= MAX_WAITING) return Promise.reject(new DomainError('BALANCE_BUSY'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, alone: false, resolve, reject });
      this.sendWhatMayGo();
    });
  }

  private sendWhatMayGo(): void {
    const { maxInFlight, slowBatchMs, maxBatch } = groupCommitSettings();
    while (this.out.length < maxInFlight && this.waiting.length > 0) {
      // Beside batches out, another goes only once the youngest of them is slow (so all of them are).
      const youngest = this.out.at(-1);
      const now = performance.now();
      if (youngest !== undefined && youngest + slowBatchMs > now) {
        this.lookAgainAt(youngest + slowBatchMs, now);
        return;
      }
      this.out.push(now);
      void this.send(this.nextBatch(Math.max(1, maxBatch))).finally(() => {
        this.out.splice(this.out.indexOf(now), 1);
        this.sendWhatMayGo();
      });
    }
    // Nothing left to send: no need to look again.
    if (this.waiting.length === 0) this.stopLooking();
  }

  private lookAgainAt(at: number, now: number): void {
    if (at >= this.slowCheckAt) return;
    this.stopLooking();
    this.slowCheckAt = at;
    this.slowCheck = setTimeout(() => {
      this.slowCheckAt = Number.POSITIVE_INFINITY;
      this.sendWhatMayGo();
    }, at - now);
  }

  private stopLooking(): void {
    clearTimeout(this.slowCheck);
    this.slowCheck = undefined;
    this.slowCheckAt = Number.POSITIVE_INFINITY;
  }

  /** The next items to send: one that must go alone, or up to `maxBatch` others, in arrival order. */
  private nextBatch(maxBatch: number): Waiting<Item, Row>[] {
    const first = this.waiting[0];
    if (first?.alone) return this.waiting.splice(0, 1);
    const stop = this.waiting.findIndex((w) => w.alone);
    return this.waiting.splice(0, Math.min(maxBatch, stop === -1 ? this.waiting.length : stop));
  }

  private async send(batch: Waiting<Item, Row>[]): Promise<void> {
    let answers: (Row | null)[];
    try {
      answers = await this.statement(
        this.db,
        batch.map((w) => w.item),
        STATEMENT_TIMEOUT_MS,
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // Each goes again alone, first in line, in the order they came.
      this.waiting.unshift(...batch.map((w) => ({ ...w, alone: true })));
      return;
    }
    batch.forEach((w, i) => {
      w.resolve(answers[i] ?? null);
    });
  }
}

/** One pool's queues: changes and purchases are batched apart, each kind in its own statement. */
interface Queues {
  changes: StatementQueue<BalanceChangeOnce, BalanceChangeOnceRow>;
  purchases: StatementQueue<CoursePurchaseOnce, CoursePurchaseOnceRow>;
}

const queues = new WeakMap<Db, Queues>();

function queuesOf(db: Db): Queues {
  let ofDb = queues.get(db);
  if (!ofDb) {
    ofDb = {
      changes: new StatementQueue(db, walletChangeMany),
      purchases: new StatementQueue(db, walletPayMany),
    };
    queues.set(db, ofDb);
  }
  return ofDb;
}

/**
 * Applies one signed-in learner's balance change, with others that arrive meanwhile when group commit is
 * on (one `wallet_change_many` statement): the key's outcome, or null when the session was not live
 * (nothing was claimed or changed).
 */
export async function sendBalanceChange(
  db: Db,
  change: BalanceChangeOnce,
): Promise<BalanceChangeOnceRow | null> {
  if (groupCommitSettings().enabled) return queuesOf(db).changes.submit(change);
  const [answer] = await walletChangeMany(db, [change]);
  return answer ?? null;
}

/**
 * Makes one signed-in learner's balance purchase, with others that arrive meanwhile when group commit is
 * on (one `wallet_pay_many` statement): the key's outcome, or null when the session was not live.
 */
export async function sendCoursePurchase(
  db: Db,
  purchase: CoursePurchaseOnce,
): Promise<CoursePurchaseOnceRow | null> {
  if (groupCommitSettings().enabled) return queuesOf(db).purchases.submit(purchase);
  const [answer] = await walletPayMany(db, [purchase]);
  return answer ?? null;
}
