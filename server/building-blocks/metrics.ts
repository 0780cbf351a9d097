import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, all in this one registry, served at /api/metrics
 * (server/entry-points/http/metrics-endpoint.ts). They are recorded by entry points (tRPC, the webhook
 * receiver, the janitor, the admin router) and by the Toss client, so use cases stay free of them. The
 * gauges about the books (orders by status, payments in doubt, refunds, the webhook backlog) are read
 * from the database at scrape time, so every instance reports the same truth. Labels take only values
 * from closed sets (procedure names, statuses, codes), never a caller's text.
 */

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

/** Seconds, from tens of milliseconds to Toss's 60-second read timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

// Requests

export const trpcRequests = new Counter({
  name: 'trpc_requests_total',
  help: 'tRPC calls by procedure, type and result code (OK, or the tRPC error code).',
  labelNames: ['procedure', 'type', 'code'] as const,
  registers,
});

export const trpcRequestDuration = new Histogram({
  name: 'trpc_request_duration_seconds',
  help: 'Time to answer a tRPC call, by procedure and type.',
  labelNames: ['procedure', 'type'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

export const tossRequests = new Counter({
  name: 'toss_requests_total',
  help: 'Requests to Toss (or the sandbox) by operation and result: ok, refused or unknown.',
  labelNames: ['operation', 'result'] as const,
  registers,
});

export const tossRequestDuration = new Histogram({
  name: 'toss_request_duration_seconds',
  help: 'Time of a request to Toss, by operation.',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

// The books, read from the database at scrape time

export const ordersByStatus = new Gauge({
  name: 'orders_by_status',
  help: 'Orders in each status.',
  labelNames: ['status'] as const,
  registers,
});

export const paymentsInDoubt = new Gauge({
  name: 'payments_in_doubt',
  help: 'Card payments (kind=order) and card refunds (kind=refund) whose outcome at Toss is unknown.',
  labelNames: ['kind'] as const,
  registers,
});

export const oldestPaymentInDoubtAge = new Gauge({
  name: 'payments_in_doubt_oldest_age_seconds',
  help: 'Age of the oldest payment (kind=order) or refund (kind=refund) in doubt, since it was created; 0 when none.',
  labelNames: ['kind'] as const,
  registers,
});

export const refundsByStatus = new Gauge({
  name: 'refunds_by_status',
  help: 'Refunds in each status.',
  labelNames: ['status'] as const,
  registers,
});

export const refundedWonByStatus = new Gauge({
  name: 'refunds_won_by_status',
  help: 'Won of the refunds in each status (DONE: money given back).',
  labelNames: ['status'] as const,
  registers,
});

export const unprocessedWebhooks = new Gauge({
  name: 'webhook_deliveries_unprocessed',
  help: 'Toss webhook deliveries recorded and not yet acted on.',
  registers,
});

export const oldestUnprocessedWebhookAge = new Gauge({
  name: 'webhook_oldest_unprocessed_age_seconds',
  help: 'Age of the oldest webhook delivery not yet acted on; 0 when none.',
  registers,
});

// Webhooks

/** Toss's event types; anything else (webhooks are unsigned) is counted as OTHER. */
const WEBHOOK_EVENT_TYPES = new Set(['PAYMENT_STATUS_CHANGED', 'DEPOSIT_CALLBACK', 'CANCEL_STATUS_CHANGED']);

export function webhookEventLabel(eventType: string | undefined): string {
  return eventType && WEBHOOK_EVENT_TYPES.has(eventType) ? eventType : 'OTHER';
}

export const webhookDeliveries = new Counter({
  name: 'webhook_deliveries_total',
  help: 'Toss webhook deliveries received, by event type and result: recorded, duplicate or refused.',
  labelNames: ['event_type', 'result'] as const,
  registers,
});

export const webhookLag = new Histogram({
  name: 'webhook_delivery_lag_seconds',
  help: 'Time from receiving a webhook delivery to having acted on it.',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
  registers,
});

// The janitor

export const janitorRuns = new Counter({
  name: 'janitor_runs_total',
  help: 'Janitor runs by task: sweep, recover_order, invariant_check.',
  labelNames: ['task'] as const,
  registers,
});

export const janitorFailures = new Counter({
  name: 'janitor_failures_total',
  help: 'Janitor runs that failed (threw), by task; a recovery still unsettled is an outcome, not a failure.',
  labelNames: ['task'] as const,
  registers,
});

export const janitorRecoveries = new Counter({
  name: 'janitor_recoveries_total',
  help: 'Orders the janitor tried to settle, by outcome: settled, still-unknown, not-needed, busy.',
  labelNames: ['outcome'] as const,
  registers,
});

export const invariantViolations = new Gauge({
  name: 'books_invariant_violations',
  help: "Violations of the books' invariants found by the janitor's last check.",
  registers,
});

// Reconciliation

export const reconciliationRuns = new Counter({
  name: 'reconciliation_runs_total',
  help: 'Reconciliations with Toss run through the admin console.',
  registers,
});

export const reconciliationDifferences = new Gauge({
  name: 'reconciliation_differences',
  help: 'Differences with Toss found by the last reconciliation, by kind.',
  labelNames: ['kind'] as const,
  registers,
});

export const lastReconciliation = new Gauge({
  name: 'reconciliation_last_run_timestamp_seconds',
  help: 'When the last reconciliation ran (Unix time).',
  registers,
});

/** Seconds since `start` (a performance.now() reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
