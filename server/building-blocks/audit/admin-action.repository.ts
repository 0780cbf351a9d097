import type { DbOrTx, Tx } from '../db/client';
import type { AdminActionKind, Prisma } from '../db/generated/client';

/**
 * The audit log of admin actions (admin_action: append-only, the database refuses UPDATE, DELETE and
 * TRUNCATE). Each action writes its row in its own transaction, so the row exists iff the action does.
 */

export type AuditSubjectType =
  | 'ORDER'
  | 'USER'
  | 'COURSE'
  | 'ALERT'
  | 'WEBHOOK_ENDPOINT'
  | 'EVENT'
  | 'SERVICE_KEY';

export interface AdminActor {
  id: string;
  email: string;
}

export interface NewAdminAction {
  admin: AdminActor;
  action: AdminActionKind;
  subjectType: AuditSubjectType;
  subjectId: string;
  details: Prisma.InputJsonObject;
  reason?: string | null;
}

export const adminActionSelect = {
  id: true,
  adminId: true,
  adminEmail: true,
  action: true,
  subjectType: true,
  subjectId: true,
  details: true,
  reason: true,
  createdAt: true,
} as const;

export function recordAdminAction(tx: Tx, entry: NewAdminAction) {
  return tx.adminAction.create({
    data: {
      adminId: entry.admin.id,
      adminEmail: entry.admin.email,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      details: entry.details,
      reason: entry.reason ?? null,
    },
    select: adminActionSelect,
  });
}

export interface AdminActionFilter {
  action?: AdminActionKind;
  /** Any of these subject ids (e.g. a user's id, found from an email). */
  subjectIds?: string[];
  /** [from, to) instants. */
  from?: Date;
  to?: Date;
}

/** The log newest first, `limit` rows after `cursor` (a row id). */
export function findAdminActions(db: DbOrTx, filter: AdminActionFilter, limit: number, cursor?: string) {
  return db.adminAction.findMany({
    where: {
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.subjectIds ? { subjectId: { in: filter.subjectIds } } : {}),
      ...(filter.from || filter.to ? { createdAt: { gte: filter.from, lt: filter.to } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: adminActionSelect,
  });
}

/** The action an idempotent admin request recorded (its key names this row). */
export function findAdminAction(db: DbOrTx, id: string) {
  return db.adminAction.findUniqueOrThrow({ where: { id }, select: adminActionSelect });
}
