import { raiseAlert } from '../../building-blocks/alert/operator-alert.repository';
import { findOrder } from '../../building-blocks/order/order.repository';
import {
  findDelivery,
  findUnprocessedDeliveries,
  markDeliveriesProcessed,
} from '../../building-blocks/webhook/webhook-delivery.repository';
import { settleCancelsMadeAtToss } from '../card/cancels-made-at-toss';
import { applyTossPayment, claimForConfirm } from '../card/card-settlement';
import { recoverOrder } from '../card/recover-order';
import type { PaymentDeps, RecoveryDeps } from '../payment-deps';

/**
 * Acting on recorded Toss webhook deliveries (entry-points/http/toss-webhook-receiver.ts records them).
 * A payload is only a hint: what is done comes from what Toss itself says when asked, through card
 * settlement, so duplicated, out-of-order, early or forged deliveries change nothing, or nothing twice.
 */

/** How long a delivery whose payment Toss would not show is retried by the janitor's sweep. */
const REREAD_RETRY_WINDOW_MS = 3_600_000;

/**
 * Deliveries naming one order are acted on one at a time in this process, each after the one before.
 * Webhooks are unsigned: a burst of deliveries for one order (Toss's retries, or someone replaying them)
 * then asks Toss about twice, not once each, so nobody can spend the merchant key's quota through us.
 */
const queues = new Map<string, Promise<void>>();

function oneAtATime(orderId: string, act: () => Promise<void>): Promise<void> {
  const run = (queues.get(orderId) ?? Promise.resolve()).then(act);
  const tail = run.catch(() => {});
  queues.set(orderId, tail);
  void tail.then(() => {
    if (queues.get(orderId) === tail) queues.delete(orderId);
  });
  return run;
}

/** Acts on one recorded delivery: re-reads the order's payment from Toss and settles it once. */
export async function processDelivery(deps: RecoveryDeps, deliveryId: string) {
  const first = await findDelivery(deps.db, deliveryId);
  if (!first) return;
  const act = () => actOnDelivery(deps, deliveryId);
  return first.orderId ? oneAtATime(first.orderId, act) : act();
}

async function actOnDelivery(deps: RecoveryDeps, deliveryId: string) {
  // Read again in turn: the delivery before it may have covered it.
  const delivery = await findDelivery(deps.db, deliveryId);
  if (!delivery || delivery.processedAt) return;
  const orderId = delivery.orderId;
  const askedAt = new Date();
  const order = orderId ? await findOrder(deps.db, orderId) : null;
  if (order?.status === 'CREATED') await settleUnconfirmed(deps, order.id);
  else if (order?.status === 'FAILED') await cancelLateApproval(deps, order.id);
  else if (order?.status === 'APPROVED' || order?.status === 'PARTIALLY_CANCELED') {
    // Toss may have cancelled (part of) it without us. If Toss cannot be asked now, the delivery is
    // left unprocessed for a while, so the janitor's sweep (processPendingDeliveries) asks again.
    const cancels = await settleCancelsMadeAtToss(deps, order.id);
    if (cancels === 'unknown' && Date.now() - delivery.receivedAt.getTime() < REREAD_RETRY_WINDOW_MS) return;
  } else if (order) await recoverOrder(deps, order.id);
  // Marked only once acted on: a process that dies midway leaves it for processPendingDeliveries. What
  // Toss just said covers every delivery for this order received before we asked.
  await markDeliveriesProcessed(deps.db, orderId ? { orderId, receivedBy: askedAt } : { deliveryId });
}

/**
 * A webhook for an order we never confirmed: if Toss says it is approved (someone confirmed it), record
 * it rather than leave an approved payment unrecorded. Anything else waits for the shopper's confirm.
 */
async function settleUnconfirmed(deps: PaymentDeps, orderId: string) {
  const lookup = await deps.toss.getPaymentByOrderId(orderId);
  if (lookup.kind !== 'ok' || lookup.body.status !== 'DONE') return;
  const claimed = await claimForConfirm(deps.db, orderId, ['CREATED'], lookup.body.paymentKey);
  if (claimed) await applyTossPayment(deps, claimed, lookup.body, { mayConfirm: false });
}

/**
 * A payment Toss approved for an order we already failed (an earlier confirm landed after we gave up on
 * it): we granted nothing, so the money goes back to the card, and an operator is told.
 */
async function cancelLateApproval(deps: PaymentDeps, orderId: string) {
  const lookup = await deps.toss.getPaymentByOrderId(orderId);
  if (lookup.kind !== 'ok' || lookup.body.status !== 'DONE') return;
  const cancel = await deps.toss.cancel(
    lookup.body.paymentKey,
    { cancelReason: '실패 처리된 주문의 늦은 승인 자동 취소' },
    `late-approval-${orderId}`,
    orderId,
  );
  await raiseAlert(
    deps.db,
    orderId,
    'LATE_APPROVAL',
    cancel.kind === 'ok'
      ? `Toss approved ${lookup.body.paymentKey} after the order failed; it was cancelled at Toss.`
      : `Toss approved ${lookup.body.paymentKey} after the order failed; cancelling it did not succeed (${cancel.kind}).`,
  );
}

/** Deliveries recorded but never processed (the process died right after answering 200). */
export async function processPendingDeliveries(deps: RecoveryDeps, olderThanMs = 5_000) {
  const pending = await findUnprocessedDeliveries(deps.db, new Date(Date.now() - olderThanMs), 50);
  for (const id of pending) await processDelivery(deps, id);
}
