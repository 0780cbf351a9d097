import { isSessionLive } from '../auth/auth.repository';
import type { Db, Tx } from '../db/client';
import type { WalletTransactionType } from '../db/generated/client';
import { DomainError, type DomainReason } from '../errors/domain-error';
import { type IdempotentRequest, runIdempotentStatement } from '../idempotency/run-idempotent';
import { refusalFor } from './balance-rules';
import { sendBalanceChange, sendCoursePurchase } from './group-commit';
import { balanceStrategy } from './strategies';
import {
  type BalanceChangeOnceRow,
  ensureWallet,
  insertLedgerEntry,
  type LedgerEntry,
  type StatementKey,
} from './wallet.repository';
import {
  findHold,
  insertHold,
  moveHoldStatus,
  releaseHeld,
  reserveOnWallet,
  takeHeld,
  type WalletHoldRow,
} from './wallet-hold.repository';

/**
 * The ledger: the one place a wallet's balance moves. Every change, whoever asks for it (a charge, a
 * purchase, a card approval, a refund, a cancelled charge), is the same three steps in the caller's
 * transaction: find or create the wallet, move the balance with one conditional UPDATE that keeps it
 * within 0..100,000 (balance-rules.ts; the database's CHECK says the same), and write the ledger row
 * that explains the move. A change the rule refuses writes nothing. Under the atomic strategy a
 * learner's charge or purchase is those same steps inside one SQL function, in a transaction of its
 * own or, with group commit, one shared with the others that arrived at the same time (moveBalanceOnce,
 * payForCourseOnce below; the functions repeat the conditional UPDATE in SQL).
 *
 * A hold (composite payments) reserves part of the balance for one order until the card's outcome is
 * known: placeHold, then exactly one of captureHold (the won leave the wallet, with a PAYMENT row) or
 * voidHold (they are spendable again). While held, no debit can spend them: every debit keeps
 * balance >= held (the conditional UPDATE here, and a CHECK in the database).
 */

export interface BalanceChange {
  userId: string;
  type: WalletTransactionType;
  /** Won added (positive) or taken (negative). */
  amount: number;
  /** The caller's idempotency key, or a `sys:` key naming what made the change. */
  requestId: string;
  orderId?: string;
  courseId?: string;
}

export type BalanceMove =
  | { ok: true; balance: number; entry: LedgerEntry }
  | { ok: false; reason: DomainReason /** The balance the refused change saw. */; balance: number };

/** Moves a balance and writes its ledger row, inside `tx`; refused (nothing written) outside 0..100,000. */
export async function moveBalance(tx: Tx, change: BalanceChange): Promise<BalanceMove> {
  const wallet = await ensureWallet(tx, change.userId);
  const balance = await balanceStrategy().apply(tx, wallet.id, change.amount);
  if (balance === null) return { ok: false, reason: refusalFor(change.amount), balance: wallet.balance };
  const entry = await insertLedgerEntry(tx, { walletId: wallet.id, ...change, balanceAfter: balance });
  return { ok: true, balance, entry };
}

/**
 * Runs a whole money transaction on the user's wallet inside whatever lock BALANCE_STRATEGY needs
 * around it (none for `atomic`, a Redis lock for `redis-lock`, ...).
 */
export async function withWalletLock<T>(db: Db, userId: string, work: () => Promise<T>): Promise<T> {
  const wallet = await ensureWallet(db, userId);
  return balanceStrategy().around(wallet.id, work);
}

/** Whether a whole idempotent change can run as one SQL statement (only the `atomic` strategy). */
export function canMoveInOneStatement(): boolean {
  return balanceStrategy().singleStatement;
}

/**
 * A signed-in learner's whole idempotent balance change as one SQL statement (only the `atomic`
 * strategy): the database function `wallet_change_many` checks the session, claims the key, moves the
 * balance, writes the ledger row and records the outcome, the same protocol runIdempotent follows in an
 * interactive transaction (runIdempotentStatement). With group commit (group-commit.ts) changes that
 * arrive together share the statement and its commit. A session that is not live is UNAUTHORIZED and
 * changes nothing. A repeated key changes nothing and answers as the first call did.
 */
export async function moveBalanceOnce(
  db: Db,
  request: IdempotentRequest & SignedIn,
  change: { type: WalletTransactionType; amount: number },
): Promise<{ entry: LedgerEntry; balance: number }> {
  const { row, transactionId } = await runIdempotentStatement(request, async (requestHash) =>
    signedInOrRefuse(
      await sendBalanceChange(db, {
        ...statementKey(request, requestHash),
        type: change.type,
        amount: change.amount,
        refusal: refusalFor(change.amount),
      }),
    ),
  );
  const entry = entryFromStatementRow(row, transactionId, request.requestId);
  return { entry, balance: entry.balanceAfter };
}

/** What a one-statement change or purchase sends of its request: the session, the key and its fingerprint. */
function statementKey(request: IdempotentRequest & SignedIn, requestHash: string): StatementKey {
  const { sessionId, userId, requestId, operation } = request;
  return { sessionId, userId, requestId, operation, requestHash };
}

/** The ledger entry a one-statement change or purchase answered with (the key's transaction). */
function entryFromStatementRow(
  row: BalanceChangeOnceRow & {
    orderId?: string | null;
    courseId?: string | null;
    courseTitle?: string | null;
  },
  transactionId: string,
  requestId: string,
): LedgerEntry {
  const { walletId, type, amount, balanceAfter, createdAt } = row;
  if (!walletId || !type || amount === null || balanceAfter === null || !createdAt) {
    throw new Error(`balance change ${transactionId} has no ledger entry`);
  }
  return {
    id: transactionId,
    walletId,
    type,
    amount,
    balanceAfter,
    requestId,
    orderId: row.orderId ?? null,
    courseId: row.courseId ?? null,
    createdAt,
    course: row.courseTitle ? { title: row.courseTitle } : null,
  };
}

/** A learner's request made under their session, which the statement checks is still live. */
export interface SignedIn {
  /** The session the learner's token names (session-token.ts SessionClaims). */
  sessionId: string;
}

/** The statement's answer, or UNAUTHORIZED when it found the session no longer live (it changed nothing). */
export function signedInOrRefuse<Row>(row: Row | null): Row {
  if (row === null) throw sessionEnded();
  return row;
}

/**
 * The interactive paths' session check, first in their transaction (runIdempotent's guard; the
 * one-statement paths' statement checks it itself): a session that is not live is UNAUTHORIZED, and
 * nothing, not even the key's claim, is left, so a learner who signs in again can send the same request.
 */
export async function refuseEndedSession(tx: Tx, learner: SignedIn & { userId: string }): Promise<void> {
  if (!(await isSessionLive(tx, learner))) throw sessionEnded();
}

function sessionEnded() {
  return new DomainError('UNAUTHORIZED', 'Your session has ended. Sign in again.');
}

export interface CoursePurchased {
  entry: LedgerEntry;
  balance: number;
  orderId: string;
  /** The enrollment the purchase granted, as granted (null only if a refund ended it before ended ones were kept). */
  enrollment: {
    id: string;
    userId: string;
    courseId: string;
    orderId: string | null;
    createdAt: Date;
  } | null;
}

/**
 * A signed-in learner's whole idempotent balance purchase as one SQL statement (only the `atomic`
 * strategy): the database function `wallet_pay_many` checks the session (UNAUTHORIZED, nothing changed,
 * when it is not live), claims the key, checks the course (on sale, not owned, no card payment of it
 * under way), locks the wallet, writes the APPROVED order as `orderId`, its enrollment, the debit, the
 * payment record and the PAYMENT ledger row, and records the outcome: the rows the interactive purchase writes
 * (pay-with-balance.ts). With group commit (group-commit.ts) purchases that arrive together share the
 * statement and its commit. A refusal writes nothing but the key's refusal. A repeated key changes
 * nothing and answers as the first call did.
 */
export async function payForCourseOnce(
  db: Db,
  request: IdempotentRequest & SignedIn,
  purchase: { courseId: string; orderId: string },
): Promise<CoursePurchased> {
  const { row, transactionId } = await runIdempotentStatement(request, async (requestHash) =>
    signedInOrRefuse(await sendCoursePurchase(db, { ...statementKey(request, requestHash), ...purchase })),
  );
  const entry = entryFromStatementRow(row, transactionId, request.requestId);
  const { orderId } = row;
  if (!orderId) throw new Error(`purchase ${transactionId} has no order`);
  const { enrollmentId, enrollmentUserId, enrollmentCourseId, enrollmentCreatedAt } = row;
  const enrollment =
    enrollmentId && enrollmentUserId && enrollmentCourseId && enrollmentCreatedAt
      ? {
          id: enrollmentId,
          userId: enrollmentUserId,
          courseId: enrollmentCourseId,
          orderId: row.enrollmentOrderId,
          createdAt: enrollmentCreatedAt,
        }
      : null;
  return { entry, balance: entry.balanceAfter, orderId, enrollment };
}

export type HoldPlaced =
  | { ok: true; hold: WalletHoldRow; balance: number; held: number }
  | { ok: false; reason: 'INSUFFICIENT_BALANCE'; available: number };

/** Reserves `amount` won of what the wallet can spend for `orderId`, inside `tx`; refused (nothing written) when less is available. */
export async function placeHold(
  tx: Tx,
  hold: { userId: string; orderId: string; amount: number; expiresAt: Date },
): Promise<HoldPlaced> {
  const wallet = await ensureWallet(tx, hold.userId);
  const reserved = await reserveOnWallet(tx, wallet.id, hold.amount);
  if (!reserved) {
    const now = await ensureWallet(tx, hold.userId);
    return { ok: false, reason: 'INSUFFICIENT_BALANCE', available: now.balance - now.held };
  }
  const row = await insertHold(tx, { ...hold, walletId: wallet.id });
  return { ok: true, hold: row, balance: reserved.balance, held: reserved.held };
}

/** Toss is about to be asked: from now on only Toss's answer resolves the hold (nothing voids it on expiry). */
export function markHoldConfirming(tx: Tx, orderId: string) {
  return moveHoldStatus(tx, orderId, ['PENDING'], 'CONFIRMING');
}

export type HoldResolution =
  | { resolved: true; hold: WalletHoldRow; entry?: LedgerEntry; balance?: number }
  | { resolved: false; hold: WalletHoldRow | null };

/**
 * Takes the held won (the card part was approved): balance and held go down together and a PAYMENT row
 * explains it, once. `resolved: false` when the hold was already captured or voided (or there is none).
 */
export async function captureHold(
  tx: Tx,
  orderId: string,
  entry: { requestId: string; courseId?: string },
): Promise<HoldResolution> {
  const hold = await moveHoldStatus(tx, orderId, ['PENDING', 'CONFIRMING'], 'CAPTURED');
  if (!hold) return { resolved: false, hold: await findHold(tx, orderId) };
  const balance = await takeHeld(tx, hold.walletId, hold.amount);
  const row = await insertLedgerEntry(tx, {
    walletId: hold.walletId,
    userId: hold.userId,
    type: 'PAYMENT',
    amount: -hold.amount,
    balanceAfter: balance,
    requestId: entry.requestId,
    orderId,
    courseId: entry.courseId,
  });
  return { resolved: true, hold, entry: row, balance };
}

/**
 * Releases the held won (the card part was refused, or never paid), once; the balance is unchanged.
 * `from` says which holds may be voided: only PENDING ones unless the caller knows Toss's final answer.
 */
export async function voidHold(
  tx: Tx,
  orderId: string,
  from: ('PENDING' | 'CONFIRMING')[] = ['PENDING'],
): Promise<HoldResolution> {
  const hold = await moveHoldStatus(tx, orderId, from, 'VOIDED');
  if (!hold) return { resolved: false, hold: await findHold(tx, orderId) };
  await releaseHeld(tx, hold.walletId, hold.amount);
  return { resolved: true, hold };
}
