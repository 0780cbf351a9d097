import type { OrderRow } from '../order/order.repository';
import { REFUNDABLE_STATUSES } from '../order/order-status';

/** The learner's refund policy (an admin's refunds are not bound by it: refund-order.ts). */

export const LEARNER_REFUND_WINDOW_MS = 7 * 24 * 3_600_000;

export type LearnerRefundPolicy =
  | { allowed: true; until: Date; refusal: null }
  | { allowed: false; until: Date | null; refusal: 'NOT_PAID' | 'ALREADY_REFUNDED' | 'WINDOW_CLOSED' };

/**
 * Whether the learner may refund their own order now: paid (APPROVED), nothing refunded yet (nor being
 * refunded), and within 7 days of the approval. Always in full; anything else is an operator's.
 */
export function learnerRefundPolicy(
  order: Pick<OrderRow, 'status' | 'approvedAt' | 'refundedAmount'>,
  now = Date.now(),
): LearnerRefundPolicy {
  const until = order.approvedAt ? new Date(order.approvedAt.getTime() + LEARNER_REFUND_WINDOW_MS) : null;
  if (order.refundedAmount > 0) return { allowed: false, until, refusal: 'ALREADY_REFUNDED' };
  if (!REFUNDABLE_STATUSES.includes(order.status) || !until)
    return { allowed: false, until, refusal: 'NOT_PAID' };
  if (now > until.getTime()) return { allowed: false, until, refusal: 'WINDOW_CLOSED' };
  return { allowed: true, until, refusal: null };
}
