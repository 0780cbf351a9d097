import type { Tx } from '../db/client';

/** The idempotency keys' SQL: one row per (user, requestId), claimed first, its outcome recorded. */

/**
 * Claims the key (`INSERT ... ON CONFLICT DO NOTHING`): its row id, or null when it was claimed before.
 * A concurrent claim of the same key blocks on the unique index until the first transaction ends.
 */
export async function claimKey(
  tx: Tx,
  key: { userId: string; requestId: string; operation: string; requestHash: string },
): Promise<string | null> {
  const claimed = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO idempotency_key (user_id, request_id, operation, request_hash)
    VALUES (${key.userId}::uuid, ${key.requestId}, ${key.operation}, ${key.requestHash})
    ON CONFLICT (user_id, request_id) DO NOTHING
    RETURNING id`;
  return claimed[0]?.id ?? null;
}

/** The key as the request that claimed it first recorded it. */
export function findClaim(tx: Tx, userId: string, requestId: string) {
  return tx.idempotencyKey.findUniqueOrThrow({
    where: { userId_requestId: { userId, requestId } },
    select: { requestHash: true, outcome: true, transactionId: true, refusalReason: true, orderId: true },
  });
}

/** Records what the claimed key's request came to: its ledger entry, or its refusal. */
export async function recordOutcome(
  tx: Tx,
  claimId: string,
  outcome: { ok: true; transactionId: string } | { ok: false; reason: string },
) {
  await tx.idempotencyKey.update({
    where: { id: claimId },
    data: outcome.ok
      ? { outcome: 'SUCCEEDED', transactionId: outcome.transactionId }
      : { outcome: 'REFUSED', refusalReason: outcome.reason },
    select: { id: true },
  });
}

/** Records the order the claimed key's request opened (order.create). */
export async function recordOrder(tx: Tx, claimId: string, orderId: string) {
  await tx.idempotencyKey.update({
    where: { id: claimId },
    data: { outcome: 'SUCCEEDED', orderId },
    select: { id: true },
  });
}
