import type { Db, DbOrTx, Tx } from '../db/client';

/**
 * The outbox and its deliveries (outbox_event, event_delivery, event_delivery_attempt). Events are
 * written only by the triggers of prisma/migrations/20261201110000_outgoing_events; this file fans them
 * out to the subscribed endpoints, claims due deliveries and records what each attempt got back.
 */

/**
 * Fans up to `limit` new events out to every enabled endpoint subscribed to their type (one
 * event_delivery each; an endpoint gets only events written after it was created) and marks them
 * dispatched, in one statement. SKIP LOCKED: two dispatchers never fan out the same event. Returns how
 * many events it took.
 */
export async function fanOutNewEvents(db: DbOrTx, limit: number): Promise<number> {
  const rows = await db.$queryRaw<{ n: bigint }[]>`
    WITH ev AS (
      SELECT id, type, created_at FROM outbox_event
       WHERE dispatched_at IS NULL ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), fanned AS (
      INSERT INTO event_delivery (event_id, endpoint_id)
      SELECT ev.id, e.id FROM ev JOIN webhook_endpoint e
          ON e.disabled_at IS NULL AND ev.type = ANY (e.event_types) AND e.created_at <= ev.created_at
      ON CONFLICT (event_id, endpoint_id) DO NOTHING
    ), marked AS (
      UPDATE outbox_event SET dispatched_at = now() WHERE id IN (SELECT id FROM ev) RETURNING 1
    )
    SELECT count(*) AS n FROM marked`;
  return Number(rows[0]?.n ?? 0);
}

export interface ClaimedDelivery {
  id: string;
  attempt: number;
  eventId: string;
  eventType: string;
  payload: unknown;
  eventCreatedAt: Date;
  orderId: string | null;
  endpointId: string;
  url: string;
  sealedSecret: string;
  previousSealedSecret: string | null;
  previousSecretValidUntil: Date | null;
}

/**
 * Claims up to `limit` due PENDING deliveries (to enabled endpoints) for one attempt each: the attempt
 * count goes up and the next attempt is pushed `leaseMs` ahead, in one statement with FOR UPDATE SKIP
 * LOCKED, so two app instances never send the same attempt at once. If this process dies before it
 * records the outcome, the lease runs out and another attempt is made (at-least-once).
 */
export async function claimDueDeliveries(db: Db, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const rows = await db.$queryRaw<
    {
      id: string;
      attempts: number;
      event_id: string;
      type: string;
      payload: unknown;
      created_at: Date;
      order_id: string | null;
      endpoint_id: string;
      url: string;
      sealed_secret: string;
      previous_sealed_secret: string | null;
      previous_secret_valid_until: Date | null;
    }[]
  >`
    WITH due AS (
      SELECT d.id FROM event_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
       WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND e.disabled_at IS NULL
       ORDER BY d.next_attempt_at LIMIT ${limit} FOR UPDATE OF d SKIP LOCKED
    ), claimed AS (
      UPDATE event_delivery d
         SET attempts = d.attempts + 1,
             next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}::float8)
        FROM due WHERE d.id = due.id
      RETURNING d.id, d.attempts, d.event_id, d.endpoint_id
    )
    SELECT c.id::text AS id, c.attempts, c.event_id, ev.type, ev.payload, ev.created_at, ev.order_id,
           c.endpoint_id, e.url, e.sealed_secret, e.previous_sealed_secret, e.previous_secret_valid_until
      FROM claimed c JOIN outbox_event ev ON ev.id = c.event_id JOIN webhook_endpoint e ON e.id = c.endpoint_id`;
  return rows.map((r) => ({
    id: r.id,
    attempt: r.attempts,
    eventId: r.event_id,
    eventType: r.type,
    payload: r.payload,
    eventCreatedAt: r.created_at,
    orderId: r.order_id,
    endpointId: r.endpoint_id,
    url: r.url,
    sealedSecret: r.sealed_secret,
    previousSealedSecret: r.previous_sealed_secret,
    previousSecretValidUntil: r.previous_secret_valid_until,
  }));
}

export interface AttemptOutcome {
  deliveryId: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** DELIVERED (a 2xx), PENDING (retry at nextAttemptAt) or FAILED (no attempts left). */
  status: 'DELIVERED' | 'PENDING' | 'FAILED';
  nextAttemptAt: Date | null;
}

/**
 * Records one attempt and what it settles. Only the claim that made this attempt may record it (the
 * attempt number must still match), so a late answer never overwrites a newer attempt's outcome.
 */
export async function recordAttempt(tx: Tx, outcome: AttemptOutcome): Promise<boolean> {
  const now = new Date();
  const updated = await tx.eventDelivery.updateMany({
    where: { id: outcome.deliveryId, attempts: outcome.attempt, status: 'PENDING' },
    data: {
      status: outcome.status,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      lastAttemptAt: now,
      ...(outcome.status === 'DELIVERED' ? { deliveredAt: now } : {}),
      ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
    },
  });
  await tx.eventDeliveryAttempt.create({
    data: {
      deliveryId: outcome.deliveryId,
      attempt: outcome.attempt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      attemptedAt: now,
    },
  });
  return updated.count === 1;
}

/** Sends a delivery again from its first attempt, now (whatever its status). */
export function resetDeliveries(tx: Tx, deliveryIds: string[]) {
  return tx.eventDelivery.updateMany({
    where: { id: { in: deliveryIds } },
    data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), deliveredAt: null },
  });
}

/**
 * The deliveries of an event to (one of) the enabled endpoints subscribed to its type, creating those
 * missing (an endpoint subscribed later, or one whose delivery the fan-out never made).
 */
export async function deliveriesForRedelivery(tx: Tx, eventId: string, endpointId: string | null) {
  await tx.$executeRaw`
    INSERT INTO event_delivery (event_id, endpoint_id, next_attempt_at)
    SELECT ev.id, e.id, now() FROM outbox_event ev JOIN webhook_endpoint e
        ON e.disabled_at IS NULL AND ev.type = ANY (e.event_types)
     WHERE ev.id = ${eventId} AND (${endpointId}::text IS NULL OR e.id = ${endpointId}::text)
    ON CONFLICT (event_id, endpoint_id) DO NOTHING`;
  return tx.eventDelivery.findMany({
    where: { eventId, ...(endpointId ? { endpointId } : {}), endpoint: { disabledAt: null } },
    select: { id: true, endpointId: true, status: true },
  });
}

/** FAILED deliveries whose event was written at or after `since` (to enabled endpoints). */
export function failedDeliveriesSince(tx: Tx, since: Date, endpointId: string | null) {
  return tx.eventDelivery.findMany({
    where: {
      status: 'FAILED',
      event: { createdAt: { gte: since } },
      endpoint: { disabledAt: null },
      ...(endpointId ? { endpointId } : {}),
    },
    select: { id: true, eventId: true, endpointId: true },
  });
}

export function findEvent(db: DbOrTx, eventId: string) {
  return db.outboxEvent.findUnique({ where: { id: eventId }, select: { id: true, type: true } });
}

const eventLogSelect = {
  id: true,
  type: true,
  payload: true,
  orderId: true,
  userId: true,
  createdAt: true,
  dispatchedAt: true,
  deliveries: {
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      endpointId: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastStatusCode: true,
      lastError: true,
      lastAttemptAt: true,
      deliveredAt: true,
      endpoint: { select: { url: true } },
      attemptLog: {
        orderBy: { attemptedAt: 'asc' },
        select: { attempt: true, statusCode: true, error: true, durationMs: true, attemptedAt: true },
      },
    },
  },
} as const;

/** Events newest first, with their deliveries and every attempt; filters by type, order, delivery status. */
export function listEvents(
  db: DbOrTx,
  filter: { type?: string; orderId?: string; deliveryStatus?: 'PENDING' | 'DELIVERED' | 'FAILED' },
  limit: number,
  cursor: string | null,
) {
  return db.outboxEvent.findMany({
    where: {
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.orderId ? { orderId: filter.orderId } : {}),
      ...(filter.deliveryStatus ? { deliveries: { some: { status: filter.deliveryStatus } } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: eventLogSelect,
  });
}
