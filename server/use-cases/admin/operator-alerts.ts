import {
  type AlertState,
  acknowledgeAlert,
  findAlerts,
  lockAlert,
  resolveAlert,
} from '../../building-blocks/alert/operator-alert.repository';
import { type AdminActor, recordAdminAction } from '../../building-blocks/audit/admin-action.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { MONEY_TRANSACTION_OPTIONS } from '../../building-blocks/idempotency/run-idempotent';

/**
 * What an operator does with an alert: acknowledge it (someone is on it) and resolve it (settled), each
 * once, with who, when and a note, audited in the same transaction. The alert's row is locked first, so
 * two admins at once get one success and one "already done".
 */

type AlertRow = Awaited<ReturnType<typeof findAlerts>>[number];

function toView({ acknowledger, resolver, ...alert }: AlertRow) {
  const state: AlertState = alert.resolvedAt ? 'RESOLVED' : alert.acknowledgedAt ? 'ACKNOWLEDGED' : 'OPEN';
  return {
    ...alert,
    state,
    acknowledgedBy: acknowledger?.email ?? null,
    resolvedBy: resolver?.email ?? null,
  };
}

export async function listAlerts(db: Db, filter: { state?: AlertState; kind?: string; orderId?: string }) {
  return (await findAlerts(db, filter, 200)).map(toView);
}

export function acknowledge(db: Db, admin: AdminActor, alertId: string, note: string | undefined) {
  return db.$transaction(async (tx) => {
    const alert = await lockAlert(tx, alertId);
    if (!alert) throw new DomainError('ALERT_NOT_FOUND');
    if (alert.resolvedAt) throw new DomainError('ALERT_ALREADY_RESOLVED');
    if (alert.acknowledgedAt) throw new DomainError('ALERT_ALREADY_ACKNOWLEDGED');
    const updated = await acknowledgeAlert(tx, alert.id, admin.id, note || null);
    await recordAdminAction(tx, {
      admin,
      action: 'ALERT_ACKNOWLEDGE',
      subjectType: 'ALERT',
      subjectId: alert.id,
      details: {
        orderId: alert.orderId,
        kind: alert.kind,
        before: { state: 'OPEN' },
        after: { state: 'ACKNOWLEDGED' },
      },
      reason: note || null,
    });
    return toView(updated);
  }, MONEY_TRANSACTION_OPTIONS);
}

export function resolve(db: Db, admin: AdminActor, alertId: string, note: string) {
  return db.$transaction(async (tx) => {
    const alert = await lockAlert(tx, alertId);
    if (!alert) throw new DomainError('ALERT_NOT_FOUND');
    if (alert.resolvedAt) throw new DomainError('ALERT_ALREADY_RESOLVED');
    const updated = await resolveAlert(tx, alert.id, admin.id, note);
    await recordAdminAction(tx, {
      admin,
      action: 'ALERT_RESOLVE',
      subjectType: 'ALERT',
      subjectId: alert.id,
      details: {
        orderId: alert.orderId,
        kind: alert.kind,
        before: { state: alert.acknowledgedAt ? 'ACKNOWLEDGED' : 'OPEN' },
        after: { state: 'RESOLVED' },
      },
      reason: note,
    });
    return toView(updated);
  }, MONEY_TRANSACTION_OPTIONS);
}
