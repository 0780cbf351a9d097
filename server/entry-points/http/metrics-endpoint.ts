import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Db } from '../../building-blocks/db/client';
import {
  metricsRegistry,
  oldestPaymentInDoubtAge,
  oldestUnprocessedWebhookAge,
  ordersByStatus,
  paymentsInDoubt,
  refundedWonByStatus,
  refundsByStatus,
  unprocessedWebhooks,
} from '../../building-blocks/metrics';
import { countOrdersByStatus, ordersInDoubt } from '../../building-blocks/order/order.repository';
import { refundsInDoubt, refundTotalsByStatus } from '../../building-blocks/refund/refund.repository';
import { unprocessedDeliveries } from '../../building-blocks/webhook/webhook-delivery.repository';

/**
 * GET /api/metrics: the Prometheus exposition of server/building-blocks/metrics.ts, for a scraper that
 * sends `Authorization: Bearer <METRICS_TOKEN>`. Without METRICS_TOKEN the path does not exist (404);
 * any other caller gets a bare 401. The books' gauges are read from the database on each scrape.
 */
export async function serveMetrics(
  db: Db,
  metricsToken: string | undefined,
  req: IncomingMessage,
): Promise<Response> {
  if (!metricsToken) return Response.json({ error: 'Not found.' }, { status: 404 });
  if (!bearerMatches(req.headers.authorization, metricsToken)) {
    return new Response('Unauthorized', {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' },
    });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return new Response('Use GET.', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  await readBooks(db);
  return new Response(await metricsRegistry.metrics(), {
    headers: { 'content-type': metricsRegistry.contentType },
  });
}

/** Compared in constant time: both sides are hashed first, so neither length nor content leaks. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? '';
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

async function readBooks(db: Db) {
  const now = Date.now();
  const ageSeconds = (since: Date | null) => (since ? Math.max(0, (now - since.getTime()) / 1000) : 0);
  const [orders, ordersDoubt, refunds, refundsDoubt, webhooks] = await Promise.all([
    countOrdersByStatus(db),
    ordersInDoubt(db),
    refundTotalsByStatus(db),
    refundsInDoubt(db),
    unprocessedDeliveries(db),
  ]);
  for (const [status, count] of Object.entries(orders)) ordersByStatus.set({ status }, count);
  for (const [status, total] of Object.entries(refunds)) {
    refundsByStatus.set({ status }, total.count);
    refundedWonByStatus.set({ status }, total.amount);
  }
  paymentsInDoubt.set({ kind: 'order' }, ordersDoubt.count);
  oldestPaymentInDoubtAge.set({ kind: 'order' }, ageSeconds(ordersDoubt.oldestCreatedAt));
  paymentsInDoubt.set({ kind: 'refund' }, refundsDoubt.count);
  oldestPaymentInDoubtAge.set({ kind: 'refund' }, ageSeconds(refundsDoubt.oldestCreatedAt));
  unprocessedWebhooks.set(webhooks.count);
  oldestUnprocessedWebhookAge.set(ageSeconds(webhooks.oldestReceivedAt));
}
