import type { OrderStatus } from '../../building-blocks/db/generated/client';
import { getOwnOrder, toOrderView } from '../orders/own-orders';
import type { RecoveryDeps } from '../payment-deps';
import { recoverOrder } from './recover-order';

/** Statuses a learner's "다시 확인" acts on: the payment's outcome, or a cancel we owe, is not settled. */
export const UNSETTLED: OrderStatus[] = ['CONFIRMING', 'IN_DOUBT', 'CANCEL_PENDING'];

/**
 * "다시 확인" on the learner's own order: runs the janitor's recovery for it now instead of waiting for the
 * next round. Recovery asks Toss what became of the payment (a lookup: no new confirm is sent blindly)
 * and settles through the one card-settlement path; it also takes over a CONFIRMING order a dead process
 * left, which a repeated payment.confirm would only wait on. Orders already settled are answered as
 * they stand, without calling Toss. Another learner's order is refused like a missing one.
 */
export async function recheckOwnOrder(deps: RecoveryDeps, userId: string, orderId: string) {
  const order = await getOwnOrder(deps.db, userId, orderId);
  if (!UNSETTLED.includes(order.status)) return toOrderView(order);
  await recoverOrder(deps, order.id);
  return toOrderView(await getOwnOrder(deps.db, userId, orderId));
}
