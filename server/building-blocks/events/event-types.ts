import type { ServiceScope } from '../service-auth/scopes';

/**
 * The events we send to other services (Standard Webhooks), each written to the outbox by a trigger in
 * the same transaction as the change (prisma/migrations/20261201110000_outgoing_events).
 */
export const EVENT_TYPES = [
  'order.approved',
  'order.failed',
  'order.canceled',
  'order.in_doubt',
  'refund.succeeded',
  'wallet.changed',
  'course.purchased',
  'course.refunded',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The scope a service key needs to subscribe its own endpoint to each event: an event tells what the
 * matching read would (a balance is wallet:read; an order, refund or enrollment is orders:read).
 */
export const EVENT_READ_SCOPE = {
  'order.approved': 'orders:read',
  'order.failed': 'orders:read',
  'order.canceled': 'orders:read',
  'order.in_doubt': 'orders:read',
  'refund.succeeded': 'orders:read',
  'wallet.changed': 'wallet:read',
  'course.purchased': 'orders:read',
  'course.refunded': 'orders:read',
} as const satisfies Record<EventType, ServiceScope>;

/** Endpoints one service key may have enabled at once. */
export const MAX_ENDPOINTS_PER_KEY = 10;

/**
 * How long to wait after each failed attempt before the next: ten attempts over about three days
 * (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h). After the last, the delivery is FAILED and an
 * operator alert is raised. Multiplied by EVENT_RETRY_TIME_SCALE (tests make it tiny).
 */
export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
] as const;

/** Attempts in all: the first, then one after each delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The wait after attempt number `attempt` (1-based) failed, or null when it was the last. */
export function retryDelayMs(attempt: number, timeScale: number): number | null {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  return delay === undefined ? null : Math.round(delay * timeScale);
}

/** How long a receiver has to answer one attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** How long a previous secret still signs after a rotation (both signatures are sent meanwhile). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
