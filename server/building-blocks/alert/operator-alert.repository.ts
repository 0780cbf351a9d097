import type { DbOrTx, Tx } from '../db/client';

/**
 * Operator alerts: what only a person can settle (an order still in doubt, a cancel Toss keeps refusing,
 * a refund owed by bank transfer, a cancel made at Toss). One alert per order and kind, however many
 * times it is raised, so callers may raise it on every attempt. An admin acknowledges one (someone is on
 * it) and resolves it (settled), each with who, when and a note.
 */
export async function raiseAlert(db: DbOrTx, orderId: string, kind: string, message: string) {
  await db.operatorAlert.createMany({ data: [{ orderId, kind, message }], skipDuplicates: true });
}

/**
 * An alert about something that is not an order (an outgoing event no endpoint accepted). `kind` must
 * name its subject (e.g. `EVENT_DELIVERY_FAILED:<delivery id>`): with no order, the unique (order, kind)
 * does not deduplicate, so it is raised only when absent.
 */
export async function raiseAlertWithoutOrder(db: DbOrTx, kind: string, message: string) {
  const existing = await db.operatorAlert.findFirst({ where: { orderId: null, kind }, select: { id: true } });
  if (!existing) await db.operatorAlert.create({ data: { kind, message } });
}

/** Alerts nobody has resolved yet, newest first. */
export function listOpenAlerts(db: DbOrTx, limit: number) {
  return db.operatorAlert.findMany({
    where: { resolvedAt: null },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, orderId: true, kind: true, message: true, createdAt: true },
  });
}

export const alertSelect = {
  id: true,
  orderId: true,
  kind: true,
  message: true,
  createdAt: true,
  acknowledgedAt: true,
  acknowledgeNote: true,
  resolvedAt: true,
  resolutionNote: true,
  acknowledger: { select: { email: true } },
  resolver: { select: { email: true } },
} as const;

/** OPEN: nobody has looked; ACKNOWLEDGED: someone is on it; RESOLVED: settled. */
export type AlertState = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';

const STATE_WHERE = {
  OPEN: { acknowledgedAt: null, resolvedAt: null },
  ACKNOWLEDGED: { acknowledgedAt: { not: null }, resolvedAt: null },
  RESOLVED: { resolvedAt: { not: null } },
} as const;

/**
 * Alerts newest first. `kind` is an alert's kind without its suffix (BANK_TRANSFER_REFUND matches
 * `BANK_TRANSFER_REFUND:<refund id>`).
 */
export function findAlerts(
  db: DbOrTx,
  filter: { state?: AlertState; kind?: string; orderId?: string },
  limit: number,
) {
  return db.operatorAlert.findMany({
    where: {
      ...(filter.state ? STATE_WHERE[filter.state] : {}),
      ...(filter.kind ? { OR: [{ kind: filter.kind }, { kind: { startsWith: `${filter.kind}:` } }] } : {}),
      ...(filter.orderId ? { orderId: filter.orderId } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: alertSelect,
  });
}

/** The alert, its row locked until `tx` ends, so two admins acting on it at once act one after the other. */
export async function lockAlert(tx: Tx, alertId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM operator_alert WHERE id = ${alertId}::uuid FOR UPDATE`;
  return rows[0] ? tx.operatorAlert.findUniqueOrThrow({ where: { id: alertId }, select: alertSelect }) : null;
}

export function acknowledgeAlert(tx: Tx, alertId: string, by: string, note: string | null) {
  return tx.operatorAlert.update({
    where: { id: alertId },
    data: { acknowledgedAt: new Date(), acknowledgedBy: by, acknowledgeNote: note },
    select: alertSelect,
  });
}

export function resolveAlert(tx: Tx, alertId: string, by: string, note: string) {
  return tx.operatorAlert.update({
    where: { id: alertId },
    data: { resolvedAt: new Date(), resolvedBy: by, resolutionNote: note },
    select: alertSelect,
  });
}
