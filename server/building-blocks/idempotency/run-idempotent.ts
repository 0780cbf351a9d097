import type { Db, Tx } from '../db/client';
import { DomainError, type DomainReason, isDomainReason } from '../errors/domain-error';
import { claimKey, findClaim, recordOrder, recordOutcome } from './idempotency.repository';
import { requestHash } from './request-hash';

/**
 * Idempotency: a money mutation happens exactly once per (user, requestId). This file is the protocol;
 * it runs in two ways, judged the same way (judgeEarlierClaim):
 * - runIdempotent below, an interactive transaction, for every mutation and every balance strategy;
 * - runIdempotentStatement below, when a database function runs the same steps in one SQL statement
 *   under the `atomic` strategy: `wallet_change_many` for plain balance changes (ledger.ts
 *   moveBalanceOnce, one change or a group-committed batch), `wallet_pay_many` for balance purchases (ledger.ts payForCourseOnce).
 * - runIdempotentOrder below, for a request that opens an order (order.create: a composite order holds
 *   part of the wallet), whose key records the order rather than a ledger entry.
 * Refunds keep their key per order (refund.request_id) and compare fingerprints the same way.
 *
 * One interactive transaction does everything: it claims the key (INSERT ... ON CONFLICT DO NOTHING),
 * applies the effect, and records the outcome, success or business refusal. A concurrent duplicate
 * blocks on the claim's unique index until the first transaction ends, then reads the committed
 * outcome and replays it. If the first transaction fails for a technical reason, it rolls back whole,
 * the claim with it, and a retry starts afresh: a key never records an outcome that did not happen.
 */

export const MONEY_TRANSACTION_OPTIONS = {
  maxWait: 10_000,
  timeout: 20_000,
  isolationLevel: 'ReadCommitted',
} as const;

export interface IdempotentRequest {
  userId: string;
  requestId: string;
  operation: string;
  payload: Record<string, string | number | boolean | null | undefined>;
}

/** What the effect reports: the ledger entry it wrote, or a business refusal (nothing else written). */
export type EffectOutcome<T> =
  | { ok: true; transactionId: string; value: T }
  | { ok: false; reason: DomainReason };

/** A key as it was recorded by the request that claimed it first. */
export interface EarlierClaim {
  requestHash: string;
  outcome: 'SUCCEEDED' | 'REFUSED' | null;
  transactionId: string | null;
  refusalReason: string | null;
}

/**
 * What an earlier claim of the key means for a request with fingerprint `hash`: the same request gets
 * the same outcome (its ledger entry to replay, or its refusal); a different one is refused.
 */
export function judgeEarlierClaim(
  earlier: EarlierClaim,
  hash: string,
): { ok: true; transactionId: string } | { ok: false; reason: DomainReason } {
  if (earlier.requestHash !== hash) return { ok: false, reason: 'IDEMPOTENCY_KEY_REUSED' };
  if (earlier.outcome === 'SUCCEEDED' && earlier.transactionId) {
    return { ok: true, transactionId: earlier.transactionId };
  }
  if (earlier.outcome === 'REFUSED' && earlier.refusalReason && isDomainReason(earlier.refusalReason)) {
    return { ok: false, reason: earlier.refusalReason };
  }
  throw new Error(`idempotency key ${earlier.outcome ?? 'without outcome'} is inconsistent`);
}

export async function runIdempotent<T>(
  db: Db,
  request: IdempotentRequest,
  effect: (tx: Tx) => Promise<EffectOutcome<T>>,
  replay: (tx: Tx, transactionId: string) => Promise<T>,
  /** Runs first in the transaction, before the key is claimed (a session check): throwing leaves nothing. */
  guard?: (tx: Tx) => Promise<void>,
): Promise<T> {
  const hash = requestHash(request.operation, request.payload);

  const outcome = await db.$transaction(async (tx): Promise<EffectOutcome<T>> => {
    await guard?.(tx);
    const claimId = await claimKey(tx, { ...request, requestHash: hash });
    if (!claimId) {
      const verdict = judgeEarlierClaim(await findClaim(tx, request.userId, request.requestId), hash);
      if (!verdict.ok) return verdict;
      return {
        ok: true,
        transactionId: verdict.transactionId,
        value: await replay(tx, verdict.transactionId),
      };
    }
    const result = await effect(tx);
    await recordOutcome(tx, claimId, result);
    return result;
  }, MONEY_TRANSACTION_OPTIONS);

  if (!outcome.ok) throw new DomainError(outcome.reason);
  return outcome.value;
}

/**
 * The same protocol when one SQL statement runs all of it (claim, effect, outcome; see
 * `wallet_change_many`, `wallet_pay_many`): `statement` gets the request's fingerprint and returns the key's row as it now
 * stands. The same request gets the same outcome, a different one IDEMPOTENCY_KEY_REUSED.
 */
export async function runIdempotentStatement<Row extends EarlierClaim>(
  request: IdempotentRequest,
  statement: (requestHash: string) => Promise<Row>,
): Promise<{ row: Row; transactionId: string }> {
  const hash = requestHash(request.operation, request.payload);
  const row = await statement(hash);
  const verdict = judgeEarlierClaim(row, hash);
  if (!verdict.ok) throw new DomainError(verdict.reason);
  return { row, transactionId: verdict.transactionId };
}

/**
 * The same protocol for a request that opens an order (order.create under a requestId; a composite order
 * holds part of the wallet in the same transaction): the key records the order, and the same request sent
 * again gets that order as it now stands, a different one IDEMPOTENCY_KEY_REUSED. A refusal (a course
 * owned, a payment in progress, too little available) has no effect and records nothing: the transaction
 * rolls back with the claim, so a retry once the cause is gone is judged afresh, as a service's is.
 */
export async function runIdempotentOrder<T>(
  db: Db,
  request: IdempotentRequest,
  open: (tx: Tx) => Promise<{ orderId: string; value: T }>,
  replay: (tx: Tx, orderId: string) => Promise<T>,
): Promise<T> {
  const hash = requestHash(request.operation, request.payload);
  return db.$transaction(async (tx) => {
    const claimId = await claimKey(tx, { ...request, requestHash: hash });
    if (!claimId) {
      const earlier = await findClaim(tx, request.userId, request.requestId);
      if (earlier.requestHash !== hash || !earlier.orderId) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
      return replay(tx, earlier.orderId);
    }
    const { orderId, value } = await open(tx);
    await recordOrder(tx, claimId, orderId);
    return value;
  }, MONEY_TRANSACTION_OPTIONS);
}
