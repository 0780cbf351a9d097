import { type AdminActor, recordAdminAction } from '../../building-blocks/audit/admin-action.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import {
  deliveriesForRedelivery,
  failedDeliveriesSince,
  findEvent,
  listEvents as listEventRows,
  resetDeliveries,
} from '../../building-blocks/events/outbox.repository';

/** The event log (each event, its deliveries and every attempt) and manual redelivery, audited. */

export async function listEvents(
  db: Db,
  filter: {
    type?: string;
    orderId?: string;
    deliveryStatus?: 'PENDING' | 'DELIVERED' | 'FAILED';
    cursor?: string;
  },
  limit = 50,
) {
  const rows = await listEventRows(db, filter, limit + 1, filter.cursor ?? null);
  const items = rows.slice(0, limit).map(({ deliveries, ...event }) => ({
    ...event,
    deliveries: deliveries.map(({ endpoint, attemptLog, ...d }) => ({ ...d, url: endpoint.url, attemptLog })),
  }));
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * Sends an event again, from a first attempt, to one endpoint or to every enabled endpoint subscribed to
 * its type (a delivery already made is made again: receivers dedupe by webhook-id, which stays the same).
 */
export function redeliverEvent(db: Db, admin: AdminActor, eventId: string, endpointId: string | null) {
  return db.$transaction(async (tx) => {
    const event = await findEvent(tx, eventId);
    if (!event) throw new DomainError('EVENT_NOT_FOUND');
    const deliveries = await deliveriesForRedelivery(tx, eventId, endpointId);
    await resetDeliveries(
      tx,
      deliveries.map((d) => d.id),
    );
    await recordAdminAction(tx, {
      admin,
      action: 'EVENT_REDELIVER',
      subjectType: 'EVENT',
      subjectId: eventId,
      details: { endpointId, deliveries: deliveries.length },
    });
    return { deliveries: deliveries.length };
  });
}

/** Every FAILED delivery of an event written since `since` is sent again from a first attempt. */
export function redeliverFailedSince(db: Db, admin: AdminActor, since: Date, endpointId: string | null) {
  return db.$transaction(async (tx) => {
    const failed = await failedDeliveriesSince(tx, since, endpointId);
    await resetDeliveries(
      tx,
      failed.map((d) => d.id),
    );
    await recordAdminAction(tx, {
      admin,
      action: 'EVENT_REDELIVER',
      subjectType: 'EVENT',
      subjectId: `failed-since:${since.toISOString()}`,
      details: { since: since.toISOString(), endpointId, deliveries: failed.length },
    });
    return { deliveries: failed.length };
  });
}
