import { z } from 'zod';
import type { RefundStatus } from '../db/generated/client';
import { type TossCancel, type TossPayment, tossCancelSchema } from '../toss/toss-types';

/** Which of the cancels Toss lists for a payment are ours, and which were made elsewhere. */

/** The cancels that took effect (`cancelStatus` DONE, or none given); null when Toss's list is unreadable. */
export function doneCancelsOf(payment: TossPayment): TossCancel[] | null {
  const parsed = z.array(tossCancelSchema).safeParse(payment.cancels ?? []);
  if (!parsed.success) return null;
  return parsed.data.filter((cancel) => (cancel.cancelStatus ?? 'DONE') === 'DONE');
}

/**
 * The transactionKey of the cancel Toss's answer to our cancel reports: the payment's last transaction,
 * when it is a cancel of our amount. (Toss replays its first answer to a retried key, so a retry names
 * the same cancel.) Null when the answer does not say.
 */
export function keyOfAnsweredCancel(payment: TossPayment, amount: number): string | null {
  const last = doneCancelsOf(payment)?.find((c) => c.transactionKey === payment.lastTransactionKey);
  return last && last.cancelAmount === amount ? last.transactionKey : null;
}

export interface RefundAtToss {
  status: RefundStatus;
  amount: number;
  tossTransactionKey: string | null;
}

/**
 * Splits Toss's cancels of one payment, given our card refunds of its order:
 * - a cancel whose transactionKey one of our refunds holds is ours (or one made elsewhere, booked
 *   already);
 * - a refund of ours that is DONE without a key (booked before keys were kept, or whose answer named
 *   none) accounts for the earliest other cancel of its amount: the same pairing every time;
 * - while a refund of ours is still REQUESTED or IN_DOUBT, Toss may list its cancel and nothing tells
 *   which one it is, so no cancel is called made-elsewhere until it is settled (`waitingForOurs`).
 * Whatever is left was made elsewhere (the merchant console, Toss's support).
 */
export function cancelsMadeElsewhere(
  cancels: TossCancel[],
  refunds: RefundAtToss[],
): { madeElsewhere: TossCancel[]; waitingForOurs: boolean } {
  // Our keys (a keyless refund adds null, which no cancel of Toss's has).
  const known = new Set(refunds.map((r) => r.tossTransactionKey));
  const unknown = cancels.filter((c) => !known.has(c.transactionKey));
  for (const refund of refunds) {
    if (refund.status !== 'DONE' || refund.tossTransactionKey) continue;
    const paired = unknown.findIndex((c) => c.cancelAmount === refund.amount);
    if (paired >= 0) unknown.splice(paired, 1);
  }
  if (unknown.length === 0) return { madeElsewhere: [], waitingForOurs: false };
  const waitingForOurs = refunds.some((r) => r.status === 'REQUESTED' || r.status === 'IN_DOUBT');
  return waitingForOurs ? { madeElsewhere: [], waitingForOurs } : { madeElsewhere: unknown, waitingForOurs };
}
