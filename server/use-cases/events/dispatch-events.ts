import { raiseAlert, raiseAlertWithoutOrder } from '../../building-blocks/alert/operator-alert.repository';
import { open } from '../../building-blocks/crypto/secret-box';
import type { Db } from '../../building-blocks/db/client';
import { DELIVERY_TIMEOUT_MS, retryDelayMs } from '../../building-blocks/events/event-types';
import {
  type AttemptOutcome,
  type ClaimedDelivery,
  claimDueDeliveries,
  fanOutNewEvents,
  recordAttempt,
} from '../../building-blocks/events/outbox.repository';
import { signedHeaders } from '../../building-blocks/events/sign-event';

/**
 * Sends outgoing events: fans new outbox events out to the endpoints subscribed to their type, then
 * sends every due delivery, signed per Standard Webhooks: POST of `{ type, timestamp, data }` with
 * `webhook-id` (the event id, the same on every retry), `webhook-timestamp` and `webhook-signature`.
 * A 2xx within the timeout is delivered; anything else (another status, a redirect, a timeout, a refused
 * connection) is retried on the schedule of RETRY_DELAYS_MS, and after the last attempt the delivery is
 * FAILED with an operator alert. At-least-once: a process that dies after sending and before recording
 * sends again once its claim's lease runs out, so receivers dedupe by webhook-id.
 */

export interface DispatchDeps {
  db: Db;
  /** SERVICE_KEY_ENCRYPTION_KEY: opens the endpoints' sealed signing secrets. */
  sealingKey: Buffer;
  /** Multiplies the retry schedule (EVENT_RETRY_TIME_SCALE; 1 in production, tiny in tests). */
  timeScale: number;
  timeoutMs?: number;
  /** How many deliveries one pass sends at most (concurrently). */
  batchSize?: number;
  log?: (line: string) => void;
}

/** The JSON body of an event, exactly as it is signed and sent. */
export function eventBody(event: { type: string; createdAt: Date; payload: unknown }): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.payload });
}

/** The secrets that sign now: the current one, and the previous one until its overlap ends. */
function signingSecrets(key: Buffer, delivery: ClaimedDelivery, now: Date): string[] | null {
  const current = open(key, delivery.sealedSecret);
  if (!current) return null;
  const previous =
    delivery.previousSealedSecret &&
    delivery.previousSecretValidUntil &&
    delivery.previousSecretValidUntil > now
      ? open(key, delivery.previousSealedSecret)
      : null;
  return previous ? [current, previous] : [current];
}

async function attempt(deps: DispatchDeps, delivery: ClaimedDelivery) {
  const started = Date.now();
  const now = new Date();
  let statusCode: number | null = null;
  let error: string | null = null;
  const secrets = signingSecrets(deps.sealingKey, delivery, now);
  if (!secrets) {
    error = 'The signing secret does not open with SERVICE_KEY_ENCRYPTION_KEY.';
  } else {
    const body = eventBody({
      type: delivery.eventType,
      createdAt: delivery.eventCreatedAt,
      payload: delivery.payload,
    });
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'pay-service-webhooks/1',
          ...signedHeaders(delivery.eventId, now, body, secrets),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      });
      statusCode = response.status;
      // Read (and drop) the body so the connection is released; its content is not kept.
      await response.arrayBuffer().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (cause) {
      error = cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 500) : String(cause);
    }
  }
  const delivered = error === null;
  const delay = delivered ? null : retryDelayMs(delivery.attempt, deps.timeScale);
  const outcome: AttemptOutcome = {
    deliveryId: delivery.id,
    attempt: delivery.attempt,
    statusCode,
    error,
    durationMs: Date.now() - started,
    status: delivered ? 'DELIVERED' : delay === null ? 'FAILED' : 'PENDING',
    nextAttemptAt: delay === null ? null : new Date(Date.now() + delay),
  };
  await deps.db.$transaction(async (tx) => {
    const recorded = await recordAttempt(tx, outcome);
    if (!recorded || outcome.status !== 'FAILED') return;
    const kind = `EVENT_DELIVERY_FAILED:${delivery.id}`;
    const message = `Event ${delivery.eventId} (${delivery.eventType}) was not accepted by ${delivery.url} after ${delivery.attempt} attempts: ${error}`;
    if (delivery.orderId) await raiseAlert(tx, delivery.orderId, kind, message);
    else await raiseAlertWithoutOrder(tx, kind, message);
  });
  if (outcome.status === 'FAILED') deps.log?.(`event delivery ${delivery.id} FAILED: ${error}`);
  return outcome;
}

/**
 * One pass: fan out new events, then claim and send the due deliveries (concurrently). Returns how many
 * attempts it made, so a caller can loop while there is work.
 */
export async function dispatchOnce(deps: DispatchDeps): Promise<{ fannedOut: number; attempts: number }> {
  let fannedOut = 0;
  for (;;) {
    const n = await fanOutNewEvents(deps.db, 500);
    fannedOut += n;
    if (n < 500) break;
  }
  const timeout = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  // The lease outlasts the timeout, so a claim is retried only when its sender is surely gone.
  const claimed = await claimDueDeliveries(deps.db, deps.batchSize ?? 50, timeout + 30_000);
  await Promise.all(claimed.map((d) => attempt(deps, d)));
  return { fannedOut, attempts: claimed.length };
}
