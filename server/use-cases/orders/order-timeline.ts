import type { Db } from '../../building-blocks/db/client';
import type { OrderRow } from '../../building-blocks/order/order.repository';
import {
  findPaymentOfOrder,
  findTossExchangesOfOrder,
} from '../../building-blocks/payment/payment.repository';
import { findRefundsOfOrder } from '../../building-blocks/refund/refund.repository';
import { learnerRefundPolicy } from '../../building-blocks/refund/refund-policy';
import type { TimelineEvent } from '../../building-blocks/schemas/order.schemas';
import { getOwnOrder, toOrderView } from './own-orders';
import { paymentDetails } from './payment-details';

/**
 * An order as its learner sees it on /orders/[orderId]: what happened to it, in order (created, each
 * confirm sent to Toss and what came back, the doubt and each check with Toss, approval or failure, each
 * refund with its status), the card and Toss's receipt, and whether the learner may still refund it.
 * Read from the records that already exist (the order, the Toss exchange log, the payment, the refunds),
 * so the timeline can never say something the books do not. Another learner's order is refused exactly
 * like a missing one.
 */
export async function orderTimeline(db: Db, userId: string, orderId: string) {
  return timelineOf(db, await getOwnOrder(db, userId, orderId));
}

/** The timeline of any order (the operator's explanation of a payment starts from it too). */
export async function timelineOf(db: Db, order: OrderRow) {
  const [payment, exchanges, refundRows] = await Promise.all([
    findPaymentOfOrder(db, order.id),
    findTossExchangesOfOrder(db, order.id),
    findRefundsOfOrder(db, order.id),
  ]);
  const refunds = refundRows.map(({ requestedBy, ...refund }) => ({
    ...refund,
    requestedBy:
      requestedBy === null
        ? ('TOSS' as const)
        : requestedBy === order.userId
          ? ('LEARNER' as const)
          : ('OPERATOR' as const),
  }));
  const { card, receiptUrl } =
    order.method === 'CARD' ? paymentDetails(payment?.tossPayment) : { card: null, receiptUrl: null };

  const approvedAt = order.approvedAt && order.method ? approvalTime(order, exchanges) : null;
  const events: TimelineEvent[] = [event('CREATED', order.createdAt)];
  let confirms = 0;
  for (const exchange of exchanges) {
    const outcome = outcomeOf(exchange);
    const at = exchange.startedAt;
    const code = exchange.responseCode ?? (exchange.error ? 'NO_ANSWER' : null);
    if (exchange.operation === 'confirm') {
      confirms += 1;
      events.push({ ...event('CONFIRM_SENT', at), attempt: confirms, outcome, code });
      if (outcome === 'NO_ANSWER') events.push(event('IN_DOUBT', exchange.finishedAt ?? at));
    } else if (exchange.operation === 'get' && !(approvedAt && at > approvedAt)) {
      // Checks once approved (webhooks re-reading the payment for cancels) change nothing to tell.
      events.push({ ...event('CHECKED_WITH_TOSS', at), outcome, code });
    } else if (exchange.operation === 'cancel' && exchange.idempotencyKey?.startsWith('auto-cancel-')) {
      events.push({ ...event('AUTO_CANCEL_SENT', at), outcome, code });
    }
    // Refunds' cancels are told by the refunds themselves, below.
  }
  if (approvedAt) events.push(event('APPROVED', approvedAt));
  if (order.status === 'FAILED')
    events.push({ ...event('FAILED', order.updatedAt), code: order.failureCode });
  if (order.status === 'IN_DOUBT' && events.at(-1)?.kind !== 'IN_DOUBT')
    events.push(event('IN_DOUBT', order.updatedAt));
  for (const refund of refunds) events.push({ ...event('REFUND', refund.createdAt), refund });
  // Stable: events with the same time keep the order they were told in.
  events.sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    order: toOrderView(order),
    card,
    receiptUrl,
    events,
    refunds,
    refundPolicy: learnerRefundPolicy(order),
  };
}

/**
 * When the approval reached us. Toss reports its own time to the second, and a balance purchase stamps
 * it just before the order row, so either can read earlier than what led to it: the approval is placed
 * when the answer that brought it arrived (our last confirm answered, else a check with Toss), and never
 * before the order was created.
 */
function approvalTime(
  order: { createdAt: Date; approvedAt: Date | null },
  exchanges: Awaited<ReturnType<typeof findTossExchangesOfOrder>>,
): Date {
  const answered = (e: (typeof exchanges)[number]) => outcomeOf(e) === 'OK';
  const trigger =
    exchanges.filter((e) => e.operation === 'confirm' && answered(e)).at(-1) ??
    exchanges.find((e) => e.operation === 'get' && answered(e));
  const candidates = [order.createdAt, order.approvedAt, trigger?.finishedAt ?? trigger?.startedAt];
  return new Date(Math.max(...candidates.flatMap((d) => (d ? [d.getTime()] : []))));
}

function event(kind: TimelineEvent['kind'], at: Date): TimelineEvent {
  return { kind, at, attempt: null, outcome: null, code: null, refund: null };
}

/** What one exchange came to: an answer, a refusal, no answer (the outcome unknown), or still waiting. */
function outcomeOf(exchange: {
  responseStatus: number | null;
  responseCode: string | null;
  error: string | null;
  finishedAt: Date | null;
}): TimelineEvent['outcome'] {
  const status = exchange.responseStatus;
  if (status === null) return exchange.error || exchange.finishedAt ? 'NO_ANSWER' : 'WAITING';
  if (status >= 200 && status < 300) return 'OK';
  if (status >= 500 || exchange.responseCode === 'IDEMPOTENT_REQUEST_PROCESSING') return 'NO_ANSWER';
  return 'REFUSED';
}
